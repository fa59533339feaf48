/**
 * The three cases the project was seeded with (issue "Ownership analyzer core"):
 * each must produce its finding and a fix that, applied and re-analysed, removes it.
 */
import { describe, expect, it } from 'vitest';
import { analyze, type Finding, type RuleId } from '../../src/analyzer/index.js';
import { applyFixes } from '../helpers/apply-edits.js';

/** The 1-based line of the only line containing `needle`. */
function lineOf(source: string, needle: string): number {
  const lines = source.split('\n');
  const matches = lines.flatMap((text, i) => (text.includes(needle) ? [i + 1] : []));
  if (matches.length !== 1) throw new Error(`"${needle}" is on ${matches.length} lines, expected one`);
  return matches[0] as number;
}

function findingOf(findings: readonly Finding[], rule: RuleId, line: number): Finding {
  const found = findings.filter((f) => f.rule === rule && f.line === line);
  expect(found.map((f) => `${f.rule}@${f.line}`)).toEqual([`${rule}@${line}`]);
  return found[0] as Finding;
}

function ofRule(findings: readonly Finding[], rule: RuleId): string[] {
  return findings.filter((f) => f.rule === rule).map((f) => `${f.rule}@${f.line}: ${f.message}`);
}

describe('seed case 1: a C++ error path releases a field its destructor releases again', () => {
  const path = 'graph.cpp';
  const source = `#include <Python.h>

struct Graph {
    PyObject *Model = nullptr;
    ~Graph()
    {
        Py_XDECREF(Model);
    }
};

class Runner {
public:
    int load(const char *path);

private:
    Graph GraphRef;
};

int Runner::load(const char *path)
{
    PyObject *loader = PyImport_ImportModule("loader");
    if (loader == nullptr) {
        PyErr_Print();
        return 1;
    }
    GraphRef.Model = PyObject_CallMethod(loader, "load", "s", path);
    Py_DECREF(loader);
    if (PyErr_Occurred()) {
        PyErr_Print();
        Py_XDECREF(GraphRef.Model);
        PyErr_Clear();
        return 1;
    }
    return 0;
}
`;
  const releaseLine = lineOf(source, 'Py_XDECREF(GraphRef.Model);');

  it('reports dangling-field on the error path release, fixed by Py_CLEAR on the same line', () => {
    const finding = findingOf(analyze(source, { path }).findings, 'dangling-field', releaseLine);
    expect(finding.function).toBe('Runner::load');
    expect(finding.fix?.edits).toEqual([
      { startLine: releaseLine, endLine: releaseLine, lines: ['        Py_CLEAR(GraphRef.Model);'] },
    ]);
  });

  it('reports no dangling-field once the fix is applied', () => {
    const finding = findingOf(analyze(source, { path }).findings, 'dangling-field', releaseLine);
    const fixed = applyFixes(source, finding.fix ? [finding.fix] : []).text;
    expect(fixed).toContain('        Py_CLEAR(GraphRef.Model);\n');
    expect(ofRule(analyze(fixed, { path }).findings, 'dangling-field')).toEqual([]);
  });
});

describe('seed case 2: releasing an item borrowed from a list', () => {
  const path = 'items.c';
  const source = `#include <Python.h>

static long
sum_items(PyObject *list)
{
    Py_ssize_t i, n = PyList_Size(list);
    long total = 0;
    for (i = 0; i < n; i++) {
        PyObject *item = PyList_GetItem(list, i);
        if (item == NULL) {
            return -1;
        }
        total += PyLong_AsLong(item);
        Py_DECREF(item);
    }
    return total;
}
`;
  const releaseLine = lineOf(source, 'Py_DECREF(item);');

  it('reports borrowed-release on the Py_DECREF, fixed by deleting the line', () => {
    const finding = findingOf(analyze(source, { path }).findings, 'borrowed-release', releaseLine);
    expect(finding.function).toBe('sum_items');
    expect(finding.fix?.edits).toEqual([{ startLine: releaseLine, endLine: releaseLine, lines: [] }]);
  });

  it('reports no borrowed-release once the line is deleted', () => {
    const finding = findingOf(analyze(source, { path }).findings, 'borrowed-release', releaseLine);
    const fixed = applyFixes(source, finding.fix ? [finding.fix] : []).text;
    expect(fixed).not.toContain('Py_DECREF(item);');
    expect(ofRule(analyze(fixed, { path }).findings, 'borrowed-release')).toEqual([]);
  });
});

describe('seed case 3: PyUnicode_FromString + PyImport_Import with the name never released', () => {
  const path = 'load.c';
  const source = `#include <Python.h>

static PyObject *
load_mod(PyObject *self, PyObject *unused)
{
    PyObject *name = PyUnicode_FromString("mod");
    PyObject *m = PyImport_Import(name);
    return m;
}
`;
  const nameLine = lineOf(source, 'PyUnicode_FromString("mod")');
  const importLine = lineOf(source, 'PyImport_Import(name)');
  const returnLine = lineOf(source, 'return m;');

  it('reports the leak of name at the return, tracing it to the call that made it', () => {
    const finding = findingOf(analyze(source, { path }).findings, 'leak', returnLine);
    expect(finding.function).toBe('load_mod');
    expect(finding.trace.map((step) => step.line)).toContain(nameLine);
  });

  it('reports prefer-import-module on the import, fixed by one PyImport_ImportModule call', () => {
    const finding = findingOf(analyze(source, { path }).findings, 'prefer-import-module', importLine);
    expect(finding.fix?.edits).toEqual([
      { startLine: nameLine, endLine: importLine, lines: ['    PyObject *m = PyImport_ImportModule("mod");'] },
    ]);
  });

  it('reports neither the leak nor prefer-import-module once fixed', () => {
    const finding = findingOf(analyze(source, { path }).findings, 'prefer-import-module', importLine);
    const fixed = applyFixes(source, finding.fix ? [finding.fix] : []).text;
    expect(fixed).toContain('    PyObject *m = PyImport_ImportModule("mod");\n    return m;\n');
    const after = analyze(fixed, { path }).findings;
    expect(ofRule(after, 'leak')).toEqual([]);
    expect(ofRule(after, 'prefer-import-module')).toEqual([]);
  });
});
