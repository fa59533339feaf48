import { describe, expect, it } from 'vitest';
import type { AnalysisResult, Finding, FunctionReport } from '../../src/analyzer/index.js';
import {
  enclosingFunction,
  formatProjectStats,
  findingsOnlyIn,
  formatSummaryDifference,
  lineCount,
  renderFinding,
  renderFunctionSource,
  summariseProject,
  summaryDifference,
  type AnalysedFile,
} from '../../scripts/trial.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'leak',
    messageId: 'notReleased',
    severity: 'warning',
    file: '/p/mod.c',
    function: 'make',
    line: 5,
    endLine: 5,
    message: 'new reference from `PyList_New` is not released on this path',
    trace: [
      { line: 3, note: 'new reference from PyList_New' },
      { line: 5, note: 'not released at this return' },
    ],
    fingerprint: 'fp',
    ...overrides,
  };
}

const analysed = (name: string, startLine: number, endLine: number): FunctionReport => ({ name, startLine, endLine, status: { kind: 'analysed' } });
const skipped = (name: string, reason: string): FunctionReport => ({ name, startLine: 1, endLine: 1, status: { kind: 'skipped', reason } });

const SOURCE = ['#include <Python.h>', 'PyObject *make(void) {', '    PyObject *list = PyList_New(0);', '    if (cond) {', '        return NULL;', '    }', '    return list;', '}', ''].join('\n');

function file(result: Partial<AnalysisResult>, source = SOURCE): AnalysedFile {
  return { path: '/p/mod.c', source, result: { findings: [], functions: [], diagnostics: [], ...result } };
}

describe('lineCount', () => {
  it('counts a last line with or without its newline', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
  });
});

describe('summariseProject', () => {
  it('counts functions by status, groups skip reasons by frequency, and counts findings per rule', () => {
    const stats = summariseProject('p', [
      file({
        functions: [analysed('make', 2, 8), skipped('a', '12 paths dropped past 48 states'), skipped('b', 'parse error'), skipped('c', '3 paths dropped past 48 states')],
        findings: [finding(), finding({ rule: 'borrowed-release' }), finding()],
        diagnostics: [{ severity: 'warning', message: 'parse error' }, { severity: 'info', message: 'x' }, { severity: 'info', message: 'y' }],
      }),
    ], ['broken.c']);
    expect(stats).toMatchObject({ files: 2, lines: 8, functions: 4, analysed: 1, skipped: 3, notTouched: 0, findings: 3, crashed: ['broken.c'] });
    expect(stats.skipReasons).toEqual([['N paths dropped past N states', 2], ['parse error', 1]]);
    expect(stats.findingsByRule.leak).toBe(2);
    expect(stats.findingsByRule['borrowed-release']).toBe(1);
    expect(stats.findingsByRule['double-release']).toBe(0);
    expect(stats.diagnostics).toEqual({ warning: 1, info: 2 });
  });
});

describe('formatProjectStats', () => {
  it('prints findings per rule and per 10k lines, leaving out rules with none', () => {
    const stats = summariseProject('p', [file({ functions: [analysed('make', 2, 8)], findings: [finding()] })]);
    const text = formatProjectStats(stats);
    expect(text).toMatch(/^leak\s+1\s+1,250$/m);
    expect(text).toMatch(/^total\s+1\s+1,250$/m);
    expect(text).not.toContain('double-release');
    expect(text).toContain('1 files, 8 lines; functions: 1 found, 1 analysed, 0 not touched, 0 skipped');
  });
});

describe('enclosingFunction', () => {
  it('prefers the function of the finding\'s name, then the innermost around its line', () => {
    const outer = analysed('outer', 1, 20);
    const lambda = analysed('<lambda at 4>', 4, 6);
    const other = analysed('make', 30, 40);
    expect(enclosingFunction(finding({ line: 5, function: 'nothing' }), [outer, lambda, other])).toBe(lambda);
    expect(enclosingFunction(finding({ line: 5, function: 'outer' }), [outer, lambda, other])).toBe(outer);
    expect(enclosingFunction(finding({ line: 25 }), [outer, lambda])).toBeUndefined();
  });
});

describe('renderFunctionSource', () => {
  it('numbers the function\'s lines and marks the finding with > and its trace with *', () => {
    const text = renderFunctionSource(SOURCE, finding(), analysed('make', 2, 8));
    expect(text.split('\n')).toEqual([
      '  2 | PyObject *make(void) {',
      '* 3 |     PyObject *list = PyList_New(0);',
      '  4 |     if (cond) {',
      '> 5 |         return NULL;',
      '  6 |     }',
      '  7 |     return list;',
      '  8 | }',
    ]);
  });

  it('cuts a long function down to the neighbourhood of the marked lines', () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i + 1}`).join('\n');
    const text = renderFunctionSource(long, finding({ line: 200, endLine: 200, trace: [{ line: 10, note: 'n' }] }), analysed('f', 1, 400));
    const lines = text.split('\n');
    expect(lines.length).toBeLessThan(40);
    expect(lines).toContain('> 200 | line 200');
    expect(lines).toContain('*  10 | line 10');
    expect(lines).toContain('...');
    expect(lines.at(-1)).toBe('  400 | line 400');
  });
});

describe('renderFinding', () => {
  it('gives the place relative to the project, the rule, message, trace and a verdict line', () => {
    const f = finding();
    const text = renderFinding(3, file({ functions: [analysed('make', 2, 8)], findings: [f] }), f, '/p');
    expect(text).toContain('--- [3] mod.c:5 leak (warning) in make');
    expect(text).toContain('    line 3: new reference from PyList_New');
    expect(text).toContain('> 5 |         return NULL;');
    expect(text).toContain('verdict: [ ] true positive  [ ] false positive');
  });
});

describe('summaryDifference', () => {
  it('subtracts per rule what the run without summaries found', () => {
    const withSummaries = [finding(), finding(), finding({ rule: 'steal-misuse' })];
    const without = [finding(), finding({ rule: 'return-borrowed' })];
    const diff = summaryDifference(withSummaries, without);
    expect(diff).toMatchObject({ leak: 1, 'steal-misuse': 1, 'return-borrowed': -1, 'double-release': 0 });
    const table = formatSummaryDifference(withSummaries, without);
    expect(table).toMatch(/^return-borrowed\s+0\s+1\s+-1$/m);
    expect(table).toMatch(/^total\s+3\s+2\s+\+1$/m);
  });
});

describe('findingsOnlyIn', () => {
  it('keeps the findings of one run whose file and fingerprint the other run lacks', () => {
    const shared = finding({ fingerprint: 'a' });
    const added = finding({ fingerprint: 'b' });
    const elsewhere = finding({ fingerprint: 'a', file: '/p/other.c' });
    expect(findingsOnlyIn([shared, added, elsewhere], [finding({ fingerprint: 'a' })])).toEqual([added, elsewhere]);
  });
});
