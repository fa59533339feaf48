import { describe, expect, it } from 'vitest';
import { analyze, type Finding, type FunctionReport } from '../../src/analyzer/index.js';
import { builtinApi } from '../../src/analyzer/capi/index.js';
import { candidatesOf, formatMissed, formatRecallTable, isDetected, runMutant, seedableFunctions, summariseKinds } from '../../scripts/recall.js';
import { applySite, findSites, type FunctionText, type MutationKind, type Site } from '../../scripts/recall/sites.js';

const PATH = '/p/mod.c';

function fnText(source: string): FunctionText {
  const lines = source.split('\n');
  return { lines, startLine: 2, endLine: lines.length - 1 };
}

function sitesOf(source: string, kind: MutationKind): Site[] {
  return findSites(fnText(source), builtinApi).filter((s) => s.kind === kind);
}

/** The one site of `kind` in the source, checked to keep the line count, and whether refcheck reports its mutant. */
function seedOne(source: string, kind: MutationKind): { site: Site; mutant: string; detected: boolean } {
  const sites = sitesOf(source, kind);
  expect(sites).toHaveLength(1);
  const site = sites[0] as Site;
  const mutant = applySite(source, site);
  expect(mutant.split('\n')).toHaveLength(source.split('\n').length);
  const original = analyze(source, { path: PATH });
  expect(original.findings).toEqual([]);
  const [candidate] = candidatesOf(PATH, source, original.functions, original.findings).filter((c) => c.site.kind === kind);
  expect(candidate).toBeDefined();
  return { site, mutant, detected: runMutant(candidate!, source).detected };
}

const c = (...lines: string[]) => ['#include <Python.h>', ...lines, ''].join('\n');

describe('leak', () => {
  const source = c(
    'static PyObject *f(PyObject *self, PyObject *arg) {',
    '    PyObject *list = PyList_New(0);',
    '    if (list == NULL)',
    '        return NULL;',
    '    Py_DECREF(list);',
    '    Py_RETURN_NONE;',
    '}',
  );

  it('blanks the only release of a new reference, and refcheck reports the leak', () => {
    const { site, mutant, detected } = seedOne(source, 'leak');
    expect(site).toMatchObject({ line: 6, variable: 'list' });
    expect(mutant.split('\n')[5]).toBe('');
    expect(detected).toBe(true);
  });

  it('offers no release of a reference that is also returned, released twice, or borrowed', () => {
    expect(sitesOf(source.replace('    Py_RETURN_NONE;', '    return list;'), 'leak')).toEqual([]);
    expect(sitesOf(source.replace('        return NULL;', '        { Py_XDECREF(list); return NULL; }'), 'leak')).toEqual([]);
    expect(sitesOf(source.replace('PyList_New(0)', 'PyList_GetItem(arg, 0)'), 'leak')).toEqual([]);
  });
});

describe('double-release', () => {
  const source = c(
    'static PyObject *f(PyObject *self, PyObject *arg) {',
    '    PyObject *list = PyList_New(0);',
    '    if (list == NULL)',
    '        return NULL;',
    '    Py_DECREF(list);',
    '    Py_RETURN_NONE;',
    '}',
  );

  it('appends a second release on the same line, and refcheck reports it', () => {
    const { mutant, detected } = seedOne(source, 'double-release');
    expect(mutant.split('\n')[5]).toBe('    Py_DECREF(list); Py_DECREF(list);');
    expect(detected).toBe(true);
  });

  it('leaves a release that is the body of an if without braces alone', () => {
    expect(sitesOf(source.replace('    Py_DECREF(list);', '    if (arg)\n    Py_DECREF(list);'), 'double-release')).toEqual([]);
  });
});

describe('borrowed-release', () => {
  const source = c(
    'static PyObject *f(PyObject *self, PyObject *dict) {',
    '    PyObject *item = PyDict_GetItemString(dict, "key");',
    '    if (item == NULL)',
    '        Py_RETURN_NONE;',
    '    return PyObject_Repr(item);',
    '}',
  );

  it('releases the borrowed result on its own line, and refcheck reports it', () => {
    const { mutant, detected } = seedOne(source, 'borrowed-release');
    expect(mutant.split('\n')[2]).toBe('    PyObject *item = PyDict_GetItemString(dict, "key"); Py_XDECREF(item);');
    expect(detected).toBe(true);
  });

  it('offers no getter call whose statement goes on past the line', () => {
    expect(sitesOf(source.replace('(dict, "key");', '(dict,\n        "key");'), 'borrowed-release')).toEqual([]);
  });
});

describe('steal-misuse', () => {
  const source = c(
    'static PyObject *f(PyObject *self, PyObject *arg) {',
    '    PyObject *t = PyTuple_New(1);',
    '    if (t == NULL)',
    '        return NULL;',
    '    Py_INCREF(arg);',
    '    PyTuple_SET_ITEM(t, 0, arg);',
    '    return t;',
    '}',
  );

  it('blanks the INCREF before a stealing setter of a parameter, and refcheck reports it', () => {
    const { site, detected } = seedOne(source, 'steal-misuse');
    expect(site).toMatchObject({ line: 6, variable: 'arg' });
    expect(detected).toBe(true);
  });

  it('offers no INCREF of a variable that owns a new reference', () => {
    const owned = source.replace('    Py_INCREF(arg);', '    arg = PyLong_FromLong(1);\n    Py_INCREF(arg);');
    expect(sitesOf(owned, 'steal-misuse')).toEqual([]);
  });
});

describe('return-borrowed', () => {
  const source = c(
    'static PyObject *f(PyObject *self, PyObject *list) {',
    '    PyObject *item = PyList_GetItem(list, 0);',
    '    if (item == NULL)',
    '        return NULL;',
    '    Py_INCREF(item);',
    '    return item;',
    '}',
  );

  it('blanks the INCREF before returning a borrowed reference, and refcheck reports it', () => {
    const { site, detected } = seedOne(source, 'return-borrowed');
    expect(site).toMatchObject({ line: 6, variable: 'item' });
    expect(detected).toBe(true);
  });

  it('offers nothing in a function that does not return an object', () => {
    const int = source.replace('static PyObject *f', 'static int f').replace('return NULL;', 'return -1;');
    expect(sitesOf(int, 'return-borrowed')).toEqual([]);
  });
});

describe('unchecked-null', () => {
  const source = c(
    'static PyObject *f(PyObject *self, PyObject *arg) {',
    '    PyObject *list = PyList_New(0);',
    '    if (list == NULL) {',
    '        return NULL;',
    '    }',
    '    Py_DECREF(list);',
    '    Py_RETURN_NONE;',
    '}',
  );

  it('blanks the braced NULL check, and refcheck reports the unchecked result', () => {
    const { site, mutant, detected } = seedOne(source, 'unchecked-null');
    expect(site.edits.map((e) => e.line)).toEqual([4, 5, 6]);
    expect(mutant.split('\n').slice(3, 6)).toEqual(['', '', '']);
    expect(detected).toBe(true);
  });

  it('takes the one-line forms of the check', () => {
    const oneLine = source.replace('    if (list == NULL) {\n        return NULL;\n    }', '    if (!list) goto error;\n\n');
    expect(sitesOf(oneLine, 'unchecked-null').map((s) => s.edits.length)).toEqual([1]);
  });

  it('offers no check whose body does more than bail out, or a result never released', () => {
    expect(sitesOf(source.replace('        return NULL;', '        PyErr_Clear(); return NULL;'), 'unchecked-null')).toEqual([]);
    expect(sitesOf(source.replace('    Py_DECREF(list);', '    Py_XDECREF(list);'), 'unchecked-null')).toEqual([]);
  });
});

describe('detection and selection', () => {
  const fn: FunctionReport = { name: 'f', startLine: 2, endLine: 9, status: { kind: 'analysed' } };
  const finding = (rule: Finding['rule'], line: number) => ({ rule, line }) as Finding;

  it('counts a mutant detected only when the function gains a finding of an expected rule', () => {
    expect(isDetected('double-release', fn, [], [finding('use-after-release', 5)])).toBe(true);
    expect(isDetected('leak', fn, [finding('leak', 4)], [finding('leak', 4)])).toBe(false);
    expect(isDetected('leak', fn, [], [finding('leak', 12), finding('double-release', 5)])).toBe(false);
  });

  it('seeds only into functions analysed completely and without findings', () => {
    const skipped: FunctionReport = { ...fn, name: 'g', startLine: 10, endLine: 20, status: { kind: 'skipped', reason: 'budget' } };
    const flagged: FunctionReport = { ...fn, name: 'h', startLine: 21, endLine: 30 };
    expect(seedableFunctions([fn, skipped, flagged], [finding('leak', 25)])).toEqual([fn]);
  });

  it('tabulates recall per kind and lists the missed mutants', () => {
    const site: Site = { kind: 'leak', line: 6, variable: 'x', edits: [{ line: 6, text: '' }], description: 'delete `Py_DECREF(x);`' };
    const candidate = { path: '/p/mod.c', function: fn, site };
    const outcomes = [{ ...candidate, detected: true, found: [] }, { ...candidate, detected: false, found: [finding('steal-misuse', 6)] }];
    const table = formatRecallTable(summariseKinds([candidate, candidate, candidate], outcomes));
    expect(table).toMatch(/^leak\s+3\s+2\s+1\s+50%$/m);
    expect(table).toMatch(/^total\s+3\s+2\s+1\s+50%$/m);
    expect(table).toMatch(/^unchecked-null\s+0\s+0\s+0\s+-$/m);
    expect(formatMissed(outcomes, (p) => p.slice(3))).toBe('missed leak (1):\n  mod.c:6 in f: delete `Py_DECREF(x);`; found instead: steal-misuse');
  });
});
