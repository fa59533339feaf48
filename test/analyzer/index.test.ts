import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyzer/index.js';
import type { ApiConfigEntry } from '../../src/config/schema.js';

const LEAKY = `#include <Python.h>

static PyObject *
make(PyObject *self, PyObject *args)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    if (PyList_Append(list, Py_None) < 0)
        return NULL;
    return list;
}

static PyObject *
other(PyObject *self, PyObject *args)
{
    PyObject *tuple = PyTuple_New(0);
    if (tuple == NULL)
        return NULL;
    if (PyObject_Length(args) < 0)
        return NULL;
    return tuple;
}
`;

function linesWith(source: string, marker: RegExp): number[] {
  return source.split('\n').flatMap((text, i) => (marker.test(text) ? [i + 1] : []));
}

describe('analyze', () => {
  it('reports each C++ class that releases a member in its destructor and can be copied, at the class head', () => {
    const path = 'test/fixtures/cpp-classes/owners.cpp';
    const source = readFileSync(path, 'utf8');
    const reported = analyze(source, { path })
      .findings.filter((f) => f.messageId === 'copyableOwner')
      .map((f) => f.line);
    expect(reported).toEqual(linesWith(source, /ruleid: double-release/));
    expect(reported.some((line) => linesWith(source, /ok: double-release/).includes(line))).toBe(false);
  });

  it('lets remembered test answers go where paths pile up, so a function of many repeated field tests is walked whole', () => {
    const source = `#include <Python.h>
typedef struct { PyObject_HEAD int a, b, c, d, e, f, g; } Opts;

/* Seven fields each tested twice: remembering every answer would split the paths 128 ways. */
static int
configure(Opts *self, PyObject *seq)
{
    int n = 0;
    PyObject *item = PySequence_GetItem(seq, 0);
    if (item == NULL)
        return -1;
    if (self->a) n += 1;
    if (self->b) n += 2;
    if (self->c) n += 4;
    if (self->d) n += 8;
    if (self->e) n += 16;
    if (self->f) n += 32;
    if (self->g) n += 64;
    if (self->a) n -= 1;
    if (self->b) n -= 2;
    if (self->c) n -= 4;
    if (self->d) n -= 8;
    if (self->e) n -= 16;
    if (self->f) n -= 32;
    if (self->g) n -= 64;
    return n;
}
`;
    const result = analyze(source, { path: 'opts.c' });
    expect(result.functions.map((f) => [f.name, f.status])).toEqual([['configure', { kind: 'analysed' }]]);
    expect(result.findings.map((f) => [f.rule, f.line])).toEqual([['leak', linesWith(source, /return n;/)[0]]]);
  });

  it('says a leaked reference was added by Py_INCREF to a borrowed one, not made by the call it was borrowed from', () => {
    const source = [
      '#include <Python.h>',
      'static PyObject *',
      'first(PyObject *self, PyObject *list)',
      '{',
      '    PyObject *item = PyList_GetItem(list, 0);',
      '    if (item == NULL)',
      '        return NULL;',
      '    Py_INCREF(item);',
      '    if (PyErr_CheckSignals() < 0)',
      '        return NULL;',
      '    return item;',
      '}',
    ].join('\n');
    const [leak] = analyze(source, { path: 'first.c' }).findings;
    expect(leak?.rule).toBe('leak');
    expect(leak?.line).toBe(10);
    expect(leak?.message).toBe('`item` holds a reference of its own, added by Py_INCREF to the borrowed result of `PyList_GetItem` (line 5), that is not released on this path');
  });

  it('analyses only the functions the touched lines fall in', () => {
    const all = analyze(LEAKY, { path: 'm.c' });
    expect(all.findings.map((f) => f.function).sort()).toEqual(['make', 'other']);
    const touched = analyze(LEAKY, { path: 'm.c', touchedLines: new Set([20]) });
    expect(touched.findings.map((f) => f.function)).toEqual(['other']);
    expect(touched.functions.find((f) => f.name === 'make')?.status).toEqual({ kind: 'not-touched' });
  });

  it('walks the other functions of the file when a touched one leaves a field dangling, to name the other release', () => {
    const path = 'examples/plugin.cpp';
    const source = readFileSync(path, 'utf8');
    const line = source.split('\n').findIndex((text) => text.includes('Py_XDECREF(GraphRef.Model)')) + 1;
    const dangling = analyze(source, { path, touchedLines: new Set([line]) }).findings.filter((f) => f.rule === 'dangling-field');
    expect(dangling.map((f) => f.line)).toEqual([line]);
    expect(dangling[0]?.message).toContain('Graph::~Graph');
  });

  it('turns rules off and changes their severity as configured', () => {
    expect(analyze(LEAKY, { path: 'm.c', rules: { leak: 'off' } }).findings).toEqual([]);
    const notes = analyze(LEAKY, { path: 'm.c', rules: { leak: 'note' } }).findings;
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((f) => f.severity === 'note')).toBe(true);
  });

  it('honours refcheck: ignore on the line and on the line above, for all rules or the named ones', () => {
    const ignoredAbove = LEAKY.replace('    if (PyList_Append(list, Py_None) < 0)\n        return NULL;', '    if (PyList_Append(list, Py_None) < 0)\n        // refcheck: ignore[leak]\n        return NULL;');
    expect(analyze(ignoredAbove, { path: 'm.c' }).findings.map((f) => f.function)).toEqual(['other']);
    const otherRuleNamed = LEAKY.replace('    if (PyObject_Length(args) < 0)\n        return NULL;', '    if (PyObject_Length(args) < 0)\n        return NULL; /* refcheck: ignore[double-release] */');
    expect(analyze(otherRuleNamed, { path: 'm.c' }).findings.map((f) => f.function).sort()).toEqual(['make', 'other']);
  });

  it('keeps fingerprints when lines only move, and changes them when the code changes', () => {
    const before = analyze(LEAKY, { path: 'm.c' }).findings.map((f) => f.fingerprint);
    const moved = analyze(`/* a new comment */\n\n${LEAKY}`, { path: 'm.c' }).findings.map((f) => f.fingerprint);
    expect(moved).toEqual(before);
    const renamed = analyze(LEAKY.replaceAll('tuple', 'items'), { path: 'm.c' }).findings.map((f) => f.fingerprint);
    expect(renamed).not.toEqual(before);
  });

  it('knows the project\'s own functions from config entries: a new reference, an argument it steals', () => {
    const source = `#include <Python.h>
static PyObject *
wrap(PyObject *self, PyObject *args)
{
    PyObject *v = make_value(args);
    if (v == NULL)
        return NULL;
    if (PyObject_Length(v) < 0)
        return NULL;
    store_value(v);
    Py_DECREF(v);
    Py_RETURN_NONE;
}
`;
    expect(analyze(source, { path: 'w.c' }).findings).toEqual([]);
    const api: ApiConfigEntry[] = [
      { name: 'make_value', returns: 'new', can_fail: true, args: {} },
      { name: 'store_value', returns: 'none', can_fail: false, args: { '0': 'steals' } },
    ];
    const found = analyze(source, { path: 'w.c', api }).findings.map((f) => [f.rule, f.line]);
    expect(found).toEqual([
      ['leak', 9],
      ['steal-misuse', 11],
    ]);
  });
});
