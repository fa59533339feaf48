import type { AnalysisResult, Finding } from '../../src/analyzer/findings.js';

/** A finding with every part filled in; override what a test is about. */
export function fakeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'leak',
    messageId: 'notReleased',
    severity: 'error',
    file: 'src/module.c',
    function: 'spam_system',
    line: 4,
    endLine: 4,
    message: 'new reference from `PyList_New` is not released on this path',
    trace: [
      { line: 2, note: 'new reference from `PyList_New`' },
      { line: 3, note: 'branch taken when `n < 0`' },
      { line: 4, note: 'not released at this return' },
    ],
    fix: {
      description: 'Release `list` before returning',
      edits: [{ startLine: 4, endLine: 4, lines: ['    Py_DECREF(list);', '    return NULL;'] }],
    },
    fingerprint: 'leak:src/module.c:spam_system:0123abcd:0',
    ...overrides,
  };
}

export const FAKE_SOURCE = [
  'static PyObject *spam_system(PyObject *self, PyObject *args) {',
  '    PyObject *list = PyList_New(0);',
  '    if (n < 0)',
  '    return NULL;',
  '    return list;',
  '}',
  '',
].join('\n');

export function resultWith(findings: readonly Finding[], extra: Partial<AnalysisResult> = {}): AnalysisResult {
  return { findings, functions: [], diagnostics: [], ...extra };
}
