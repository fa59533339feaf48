import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { LineEdit } from '../../src/analyzer/findings.js';
import { RULES } from '../../src/analyzer/rules/index.js';
import type { RunReport } from '../../src/output/report.js';
import { artifactLocation, formatSarif, lineReplacement, toSarif } from '../../src/output/sarif.js';
import { FAKE_SOURCE, fakeFinding, resultWith } from './fake-findings.js';
import { validateSarif } from './sarif-validator.js';

const root = '/repo';

const report: RunReport = {
  toolVersion: '9.9.9',
  files: [
    {
      kind: 'analysed',
      path: 'src/module.c',
      source: FAKE_SOURCE,
      result: resultWith(
        [
          fakeFinding(),
          fakeFinding({
            rule: 'borrowed-release',
            severity: 'warning',
            line: 5,
            endLine: 5,
            trace: [],
            fix: { description: 'Delete the release', edits: [{ startLine: 5, endLine: 5, lines: [] }] },
            fingerprint: 'second',
          }),
          fakeFinding({ rule: 'use-after-release', fix: undefined, fingerprint: 'third' }),
        ],
        { diagnostics: [{ severity: 'warning', line: 3, message: 'syntax error near `if`' }] },
      ),
    },
    { kind: 'skipped', path: 'src/blob.c', reason: 'binary file (NUL byte)' },
  ],
};

function onlyRun(log: Sarif.Log): Sarif.Run {
  expect(log.runs).toHaveLength(1);
  return log.runs[0] as Sarif.Run;
}

describe('toSarif', () => {
  const run = onlyRun(toSarif(report, { root }));
  const results = run.results ?? [];

  it('describes every rule with its documentation address and default level', () => {
    const rules = run.tool.driver.rules ?? [];
    expect(run.tool.driver).toMatchObject({ name: 'refcheck', version: '9.9.9' });
    expect(rules.map((rule) => rule.id)).toContain('borrowed-release');
    const borrowed = rules.find((rule) => rule.id === 'borrowed-release');
    expect(borrowed?.helpUri).toBe('https://github.com/refcheck/refcheck/blob/main/docs/rules/borrowed-release.md');
    expect(borrowed?.name).toBe('BorrowedReferenceReleased');
    expect(borrowed?.shortDescription?.text).toBe(RULES['borrowed-release'].meta.description);
    expect(borrowed?.defaultConfiguration?.level).toBe(RULES['borrowed-release'].meta.defaultSeverity);
  });

  it('points each result at its rule, file, lines and function', () => {
    const [first] = results;
    expect(first?.ruleId).toBe('leak');
    expect(run.tool.driver.rules?.[first?.ruleIndex ?? -1]?.id).toBe('leak');
    expect(first?.level).toBe('error');
    expect(first?.locations?.[0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'src/module.c', uriBaseId: '%SRCROOT%' },
        region: { startLine: 4, endLine: 4 },
      },
      logicalLocations: [{ name: 'spam_system', kind: 'function' }],
    });
    expect(first?.partialFingerprints).toEqual({ 'refcheck/v1': 'leak:src/module.c:spam_system:0123abcd:0' });
    expect(results[1]?.level).toBe('warning');
  });

  it('carries the path trace as a code flow, and leaves it out when there is none', () => {
    const steps = results[0]?.codeFlows?.[0]?.threadFlows[0]?.locations ?? [];
    expect(steps.map((step) => [step.location?.physicalLocation?.region?.startLine, step.location?.message?.text])).toEqual([
      [2, 'new reference from `PyList_New`'],
      [3, 'branch taken when `n < 0`'],
      [4, 'not released at this return'],
    ]);
    expect(results[1]?.codeFlows).toBeUndefined();
  });

  it('turns fixes into whole-line replacements, and offers none when the finding has none', () => {
    const fix = results[0]?.fixes?.[0];
    expect(fix?.description?.text).toBe('Release `list` before returning');
    expect(fix?.artifactChanges[0]?.replacements).toEqual([
      {
        deletedRegion: { startLine: 4, startColumn: 1, endLine: 5, endColumn: 1 },
        insertedContent: { text: '    Py_DECREF(list);\n    return NULL;\n' },
      },
    ]);
    expect(results[2]?.fixes).toBeUndefined();
  });

  it('reports skipped files and analyser diagnostics as tool notifications', () => {
    const invocation = run.invocations?.[0];
    expect(invocation?.executionSuccessful).toBe(true);
    const notes = invocation?.toolExecutionNotifications ?? [];
    expect(notes.map((note) => [note.level, note.message.text])).toEqual([
      ['warning', 'syntax error near `if`'],
      ['warning', 'Skipped src/blob.c: binary file (NUL byte)'],
    ]);
    expect(notes[1]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('src/blob.c');
  });
});

describe('artifactLocation', () => {
  it('gives paths inside the root relative, with forward slashes and escaped characters', () => {
    expect(artifactLocation('./src/new file.c', root)).toEqual({ uri: 'src/new%20file.c', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/repo/a/b.c', root)).toEqual({ uri: 'a/b.c', uriBaseId: '%SRCROOT%' });
  });

  it('gives paths outside the root as absolute file URIs', () => {
    expect(artifactLocation('/elsewhere/x.c', root)).toEqual({ uri: 'file:///elsewhere/x.c' });
    expect(artifactLocation('../x.c', root)).toEqual({ uri: 'file:///x.c' });
  });
});

/** Applies a SARIF replacement to text, counting lines and UTF-16 columns from 1 as SARIF does. */
function applyReplacement(source: string, replacement: Sarif.Replacement): string {
  const offset = (line: number, column: number): number => {
    let index = 0;
    for (let current = 1; current < line; current++) index = source.indexOf('\n', index) + 1;
    return index + column - 1;
  };
  const region = replacement.deletedRegion;
  const start = offset(region.startLine ?? 1, region.startColumn ?? 1);
  const end = offset(region.endLine ?? region.startLine ?? 1, region.endColumn ?? 1);
  return source.slice(0, start) + (replacement.insertedContent?.text ?? '') + source.slice(end);
}

/** What a whole-line edit means, computed on lines directly. */
function applyEditToLines(source: string, edit: LineEdit): string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = source.endsWith('\n');
  const lines = (finalNewline ? source.slice(0, -eol.length) : source).split(eol);
  lines.splice(edit.startLine - 1, edit.endLine - edit.startLine + 1, ...edit.lines);
  return lines.length === 0 ? '' : lines.join(eol) + (finalNewline ? eol : '');
}

describe('lineReplacement', () => {
  const sources = {
    lf: 'a\nb\nc\nd\n',
    'no final newline': 'a\nb\nc\nd',
    crlf: 'a\r\nb\r\nc\r\nd\r\n',
  };
  const edits: Record<string, LineEdit> = {
    'insert before a middle line': { startLine: 2, endLine: 2, lines: ['X', 'b'] },
    'delete middle lines': { startLine: 2, endLine: 3, lines: [] },
    'replace the last line': { startLine: 4, endLine: 4, lines: ['D'] },
    'delete the last line': { startLine: 4, endLine: 4, lines: [] },
    'replace the first line': { startLine: 1, endLine: 1, lines: ['A', 'AA'] },
  };
  for (const [sourceName, source] of Object.entries(sources)) {
    for (const [editName, edit] of Object.entries(edits)) {
      it(`${editName} (${sourceName})`, () => {
        expect(applyReplacement(source, lineReplacement(edit, source))).toBe(applyEditToLines(source, edit));
      });
    }
  }
});

describe('SARIF Multitool validation', () => {
  it('accepts a log with traces, fixes, deletions and notifications', () => {
    expect(validateSarif(formatSarif(report, { root }))).toEqual([]);
  });

  it('catches an invalid log, so the check above can fail', () => {
    expect(validateSarif('{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"level":"bogus"}]}]}')).not.toEqual([]);
  });
});
