import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/output/report.js';
import { formatDiagnostics, formatSummary, formatText } from '../../src/output/text.js';
import { FAKE_SOURCE, fakeFinding, resultWith } from './fake-findings.js';

const report: RunReport = {
  toolVersion: '0.0.0',
  files: [
    {
      kind: 'analysed',
      path: 'src/module.c',
      source: FAKE_SOURCE,
      result: resultWith([fakeFinding(), fakeFinding({ severity: 'warning', rule: 'unchecked-null', trace: [], fix: undefined })], {
        diagnostics: [
          { severity: 'warning', line: 7, message: 'syntax error' },
          { severity: 'info', message: 'only for JSON' },
        ],
      }),
    },
    { kind: 'analysed', path: 'src/clean.c', source: '', result: resultWith([]) },
    { kind: 'skipped', path: 'src/blob.c', reason: 'binary file' },
  ],
};

describe('formatText', () => {
  it("prints the finding, its path trace, its fix as a diff of the real lines and its rule's page", () => {
    expect(formatText(report, { color: false })).toBe(
      [
        'src/module.c:4: error leak: new reference from `PyList_New` is not released on this path',
        '  line 2: new reference from `PyList_New`',
        '  line 3: branch taken when `n < 0`',
        '  line 4: not released at this return',
        '  fix: Release `list` before returning',
        '  @@ -4,1 +4,2 @@',
        '  -    return NULL;',
        '  +    Py_DECREF(list);',
        '  +    return NULL;',
        '  see https://github.com/refcheck/refcheck/blob/main/docs/rules/leak.md',
        'src/module.c:4: warning unchecked-null: new reference from `PyList_New` is not released on this path',
        '  see https://github.com/refcheck/refcheck/blob/main/docs/rules/unchecked-null.md',
        '',
      ].join('\n'),
    );
  });

  it('shows a deletion as removed lines only', () => {
    const deletion: RunReport = {
      toolVersion: '0.0.0',
      files: [
        {
          kind: 'analysed',
          path: 'a.c',
          source: 'x\r\nPy_DECREF(item);\r\n',
          result: resultWith([
            fakeFinding({ trace: [], fix: { description: 'Delete the release', edits: [{ startLine: 2, endLine: 2, lines: [] }] } }),
          ]),
        },
      ],
    };
    expect(formatText(deletion, { color: false })).toContain('  @@ -2,1 +2,0 @@\n  -Py_DECREF(item);\n');
  });

  it('colours only when asked', () => {
    expect(formatText(report, { color: false })).not.toContain('\u001b[');
    const coloured = formatText(report, { color: true });
    expect(coloured).toContain('\u001b[31merror\u001b[0m');
    expect(coloured).toContain('\u001b[32m  +    Py_DECREF(list);\u001b[0m');
  });

  it('prints nothing when there is nothing to report', () => {
    expect(formatText({ toolVersion: '0', files: [] }, { color: true })).toBe('');
  });
});

describe('formatDiagnostics', () => {
  it('lists the analyser warnings with their place, and leaves out info', () => {
    expect(formatDiagnostics(report)).toEqual(['src/module.c:7: warning: syntax error']);
  });
});

describe('formatSummary', () => {
  it('counts findings by severity, analysed files and skipped files', () => {
    expect(formatSummary(report)).toBe('refcheck: 2 findings (1 error, 1 warning) in 2 files; 1 file skipped');
  });

  it('says so when there are no findings', () => {
    const clean: RunReport = { toolVersion: '0', files: [{ kind: 'analysed', path: 'a.c', source: '', result: resultWith([]) }] };
    expect(formatSummary(clean)).toBe('refcheck: no findings in 1 file');
  });
});
