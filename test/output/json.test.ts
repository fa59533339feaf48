import { describe, expect, it } from 'vitest';
import { formatJson, JSON_FORMAT_VERSION } from '../../src/output/json.js';
import type { RunReport } from '../../src/output/report.js';
import { FAKE_SOURCE, fakeFinding, resultWith } from './fake-findings.js';

describe('formatJson', () => {
  it('gives the findings and, per file, the functions analysed and skipped and the diagnostics', () => {
    const finding = fakeFinding();
    const report: RunReport = {
      toolVersion: '1.2.3',
      files: [
        {
          kind: 'analysed',
          path: 'src/module.c',
          source: FAKE_SOURCE,
          result: resultWith([finding], {
            functions: [
              { name: 'spam_system', startLine: 1, endLine: 6, status: { kind: 'analysed' } },
              { name: 'other', startLine: 8, endLine: 9, status: { kind: 'not-touched' } },
              { name: 'huge', startLine: 10, endLine: 900, status: { kind: 'skipped', reason: 'path budget exceeded' } },
            ],
            diagnostics: [{ severity: 'info', line: 3, message: 'macro not understood' }],
          }),
        },
        { kind: 'skipped', path: 'src/blob.c', reason: 'binary file' },
      ],
    };
    expect(JSON.parse(formatJson(report))).toEqual({
      version: JSON_FORMAT_VERSION,
      tool: { name: 'refcheck', version: '1.2.3' },
      findings: [finding],
      files: [
        {
          path: 'src/module.c',
          status: 'analysed',
          functions: { analysed: 1, notTouched: 1, skipped: [{ name: 'huge', line: 10, reason: 'path budget exceeded' }] },
          diagnostics: [{ severity: 'info', line: 3, message: 'macro not understood' }],
        },
        { path: 'src/blob.c', status: 'skipped', reason: 'binary file' },
      ],
    });
  });
});
