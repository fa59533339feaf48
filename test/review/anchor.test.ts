import { describe, expect, it } from 'vitest';
import { anchorFinding } from '../../src/review/anchor.js';
import { finding } from '../fixtures/github/finding.js';

/** Hunk 0 covers new lines 10..14, hunk 1 covers 20..22. */
const commentable = new Map([
  [10, 0], [11, 0], [12, 0], [13, 0], [14, 0],
  [20, 1], [21, 1], [22, 1],
]);

const fix = (startLine: number, endLine: number, lines: string[] = ['    Py_DECREF(x);', '    return NULL;']) => ({
  description: 'Release `x` before returning',
  edits: [{ startLine, endLine, lines }],
});

describe('anchorFinding', () => {
  it('puts a one-line finding on its line', () => {
    expect(anchorFinding(finding({ line: 12 }), commentable)).toEqual({ line: 12 });
  });

  it('spans a multi-line finding with start_line < line inside one hunk', () => {
    expect(anchorFinding(finding({ line: 11, endLine: 13 }), commentable)).toEqual({ startLine: 11, line: 13 });
  });

  it('falls back to the first line when the range leaves the hunk', () => {
    expect(anchorFinding(finding({ line: 14, endLine: 20 }), commentable)).toEqual({ line: 14 });
  });

  it('uses the nearest trace step inside the diff when its own line is outside', () => {
    const trace = [
      { line: 3, note: 'new reference' },
      { line: 21, note: 'branch taken' },
      { line: 12, note: 'far' },
    ];
    expect(anchorFinding(finding({ line: 25, trace }), commentable)).toEqual({ line: 21 });
  });

  it('gives up when neither the finding nor its trace is in the diff', () => {
    expect(anchorFinding(finding({ line: 30, trace: [{ line: 2, note: 'x' }] }), commentable)).toBeUndefined();
  });

  it('anchors a fix on exactly the lines it replaces, as a suggestion', () => {
    expect(anchorFinding(finding({ line: 12, fix: fix(13, 13) }), commentable)).toEqual({
      line: 13,
      suggestion: ['    Py_DECREF(x);', '    return NULL;'],
    });
    expect(anchorFinding(finding({ line: 12, fix: fix(11, 12, []) }), commentable)).toEqual({ startLine: 11, line: 12, suggestion: [] });
  });

  it('offers no suggestion when the replaced lines leave the diff or span two hunks', () => {
    expect(anchorFinding(finding({ line: 12, fix: fix(14, 20) }), commentable)).toEqual({ line: 12 });
    expect(anchorFinding(finding({ line: 12, fix: fix(8, 10) }), commentable)).toEqual({ line: 12 });
  });

  it('offers no suggestion for a fix of several edits', () => {
    const two = { description: 'x', edits: [...fix(11, 11).edits, ...fix(13, 13).edits] };
    expect(anchorFinding(finding({ line: 12, fix: two }), commentable)).toEqual({ line: 12 });
  });
});
