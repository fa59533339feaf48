import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../src/diff/index.js';
import type { FileAnalysis } from '../../src/review/analysis.js';
import { labelFindings } from '../../src/review/select.js';
import { finding } from '../fixtures/github/finding.js';

const hunks = parsePatch('@@ -1,2 +1,4 @@\n a\n+b\n+c\n d');

function analysis(changes: Partial<FileAnalysis>): FileAnalysis {
  return { path: 'src/a.c', hunks, newFindings: [], preExisting: [], analysedFunctions: 1, diagnostics: [], ...changes };
}

describe('labelFindings', () => {
  it('labels every finding and drops none', () => {
    const inDiff = finding({ line: 2, fingerprint: 'in' });
    const outside = finding({ line: 40, fingerprint: 'out' });
    const posted = finding({ line: 3, fingerprint: 'posted' });
    const old = finding({ line: 4, fingerprint: 'old' });
    const labelled = labelFindings([analysis({ newFindings: [inDiff, outside, posted], preExisting: [old] })], new Set(['posted']), 25);
    const kinds = Object.fromEntries(labelled.map((entry) => [entry.finding.fingerprint, entry.placement]));
    expect(kinds).toEqual({
      in: { kind: 'inline', anchor: { line: 2 } },
      out: { kind: 'summary', reason: 'outside-diff' },
      posted: { kind: 'already-posted' },
      old: { kind: 'pre-existing' },
    });
  });

  it('sends everything of a file without a patch to the summary', () => {
    const { hunks: _none, ...noPatch } = analysis({ newFindings: [finding({ line: 2 })] });
    expect(labelFindings([noPatch], new Set(), 25).map((entry) => entry.placement)).toEqual([{ kind: 'summary', reason: 'no-patch' }]);
  });

  it('keeps the most severe inline when over max_comments, and sends the rest to the summary', () => {
    const notes = [finding({ line: 2, severity: 'note', fingerprint: 'n1' }), finding({ line: 3, severity: 'note', fingerprint: 'n2' })];
    const error = finding({ line: 4, severity: 'error', fingerprint: 'e' });
    const labelled = labelFindings([analysis({ newFindings: [...notes, error] })], new Set(), 2);
    const inline = labelled.filter((entry) => entry.placement.kind === 'inline').map((entry) => entry.finding.fingerprint);
    expect(inline).toEqual(['e', 'n1']);
    expect(labelled.find((entry) => entry.finding.fingerprint === 'n2')?.placement).toEqual({ kind: 'summary', reason: 'over-cap' });
  });

  it('posts nothing inline with max_comments 0', () => {
    const labelled = labelFindings([analysis({ newFindings: [finding({ line: 2 })] })], new Set(), 0);
    expect(labelled.map((entry) => entry.placement)).toEqual([{ kind: 'summary', reason: 'over-cap' }]);
  });
});
