import { describe, expect, it } from 'vitest';
import { buildApiTable, type TableSources } from '../../../../src/analyzer/capi/generate/build-table.js';
import { parseOverrides } from '../../../../src/analyzer/capi/generate/overrides.js';
import { parseRefcountsDat } from '../../../../src/analyzer/capi/generate/refcounts-dat.js';
import type { StealFacts } from '../../../../src/analyzer/capi/generate/steals.js';

const DAT = `
PyList_New:PyObject*::+1:
PyList_New:Py_ssize_t:len::

PyList_SetItem:int:::
PyList_SetItem:PyObject*:list:0:
PyList_SetItem:Py_ssize_t:index::
PyList_SetItem:PyObject*:item:0:

PyModule_AddObject:int:::
PyModule_AddObject:PyObject*:module:0:
PyModule_AddObject:const char*:name::
PyModule_AddObject:PyObject*:value:+1:

PyModule_GetDef:PyModuleDef*::0:
PyModule_GetDef:PyObject*:module:0:

PySet_Discard:int:::
PySet_Discard:PyObject*:set:0:
PySet_Discard:PyObject*:key:-1:no effect if key not found

PyDict_Next:int:::
PyDict_Next:PyObject*:p:0:
PyDict_Next:Py_ssize_t:ppos::
PyDict_Next:PyObject**:pkey:0:
PyDict_Next:PyObject**:pvalue:0:

PyWeakref_GetRef:int:::
PyWeakref_GetRef:PyObject*:ref:0:
PyWeakref_GetRef:PyObject**:pobj:+1:

PyErr_SetString:void:::
PyErr_SetString:PyObject*:type:+1:
PyErr_SetString:const char*:message::

PyErr_NoMemory:PyObject*::null:

Py_DECREF:void:::
Py_DECREF:PyObject*:o:-1:

Py_NewRef:void:::
Py_NewRef:PyObject*:o:+1:
`;

const STEALS: StealFacts = {
  steals: [
    { function: 'PyList_SetItem', indices: [2], effect: 'steals' },
    { function: 'PyModule_AddObject', indices: [2], effect: 'steals-on-success' },
    { function: 'PyModule_Add', indices: [2], effect: 'steals' },
  ],
  inPlace: [],
  minusOneNotASteal: ['PySet_Discard'],
  releaseMacros: ['Py_DECREF'],
};

const OVERRIDES = {
  about: '',
  nonNull: { about: '', prefixes: ['PyList_', 'PyDict_'] },
  entries: {
    Py_DECREF: { why: 'release', args: { '0': 'releases' }, nonNullArgs: [0] },
    Py_NewRef: { why: 'returns new', returns: 'new', canFail: false },
    PyModule_Add: { why: 'missing', returns: 'none', canFail: true, since: '3.13' },
    PyList_SetItem: { why: 'item may be NULL', allowNull: [2] },
  },
};

function sources(changes: Partial<TableSources> = {}): TableSources {
  return {
    dat: parseRefcountsDat(DAT),
    stableAbi: new Map([
      ['PyList_New', [3, 2]],
      ['Py_NewRef', [3, 10]],
    ]),
    steals: STEALS,
    overrides: parseOverrides(OVERRIDES),
    ...changes,
  };
}

function byName(changes: Partial<TableSources> = {}) {
  return new Map(buildApiTable(sources(changes)).map((entry) => [entry.name, entry]));
}

describe('buildApiTable', () => {
  const table = byName();

  it('sorts entries by name', () => {
    const names = [...table.keys()];
    expect(names).toEqual([...names].sort());
  });

  it('reads returns from the return line, and only object pointers carry references', () => {
    expect(table.get('PyList_New')).toMatchObject({ returns: 'new', canFail: true, source: 'refcounts.dat' });
    expect(table.get('PyModule_GetDef')).toMatchObject({ returns: 'none', canFail: false });
    expect(table.get('PyErr_NoMemory')).toMatchObject({ returns: 'null', canFail: true });
    expect(table.get('PyErr_SetString')).toMatchObject({ returns: 'none', canFail: false, args: {} });
  });

  it('takes steals from steals.json and ignores the -1 column', () => {
    expect(table.get('PyList_SetItem')).toMatchObject({ args: { 2: 'steals' }, canFail: false, source: 'override' });
    expect(table.get('PyModule_AddObject')).toMatchObject({ args: { 2: 'steals-on-success' }, canFail: true });
    expect(table.get('PySet_Discard')?.args).toEqual({});
  });

  it('reads PyObject** parameters as out-parameters', () => {
    expect(table.get('PyDict_Next')?.args).toEqual({ 2: 'out-borrowed', 3: 'out-borrowed' });
    expect(table.get('PyWeakref_GetRef')).toMatchObject({ args: { 1: 'out-new' }, canFail: true });
  });

  it('applies steals.json to functions only the overrides define', () => {
    expect(table.get('PyModule_Add')).toEqual({
      name: 'PyModule_Add',
      returns: 'none',
      canFail: true,
      args: { 2: 'steals' },
      since: [3, 13],
      source: 'override',
    });
  });

  it('marks PyObject* parameters of the prefixed families non-NULL, minus allowances', () => {
    expect(table.get('PyList_SetItem')?.nonNullArgs).toEqual([0]);
    expect(table.get('PyDict_Next')?.nonNullArgs).toEqual([0]);
    expect(table.get('PyErr_SetString')?.nonNullArgs).toBeUndefined();
    expect(table.get('Py_DECREF')?.nonNullArgs).toEqual([0]);
  });

  it('takes since from the stable ABI when later than its 3.2 baseline', () => {
    expect(table.get('Py_NewRef')?.since).toEqual([3, 10]);
    expect(table.get('PyList_New')?.since).toBeUndefined();
  });

  it('refuses a -1 that nothing explains', () => {
    const steals = { ...STEALS, minusOneNotASteal: [] };
    expect(() => byName({ steals })).toThrow(/argument 1 of PySet_Discard -1/);
  });

  it('refuses a steal of a parameter that is not an object', () => {
    const steals = { ...STEALS, steals: [{ function: 'PyModule_AddObject', indices: [1], effect: 'steals' as const }] };
    expect(() => byName({ steals })).toThrow(/argument 1 of PyModule_AddObject is not a PyObject\*/);
  });

  it('refuses a steal of a function nobody defines', () => {
    const steals = { ...STEALS, steals: [{ function: 'PyNowhere', indices: [0], effect: 'steals' as const }] };
    expect(() => byName({ steals })).toThrow(/steals.json names PyNowhere/);
  });

  it('refuses an in-place function without an in-place argument', () => {
    const steals = { ...STEALS, inPlace: ['PyList_New'] };
    expect(() => byName({ steals })).toThrow(/PyList_New replaces a pointer in place/);
  });

  it('refuses a release macro that does not release', () => {
    const overrides = parseOverrides({ ...OVERRIDES, entries: { ...OVERRIDES.entries, Py_DECREF: { why: 'x' } } });
    expect(() => byName({ overrides })).toThrow(/Py_DECREF releases its argument/);
  });

  it('refuses a new name without returns, and an allowance for an argument no rule marks', () => {
    const missing = parseOverrides({ ...OVERRIDES, entries: { ...OVERRIDES.entries, PyNew: { why: 'x' } } });
    expect(() => byName({ overrides: missing })).toThrow(/PyNew is not in refcounts.dat, so it must give "returns"/);
    const stale = parseOverrides({ ...OVERRIDES, entries: { ...OVERRIDES.entries, PyList_New: { why: 'x', allowNull: [0] } } });
    expect(() => byName({ overrides: stale })).toThrow(/PyList_New allows NULL in argument 0/);
  });

  it('refuses an argument index past the end of the parameter list', () => {
    const overrides = parseOverrides({ ...OVERRIDES, entries: { ...OVERRIDES.entries, PyList_New: { why: 'x', args: { '3': 'steals' } } } });
    expect(() => byName({ overrides })).toThrow(/PyList_New has no argument 3/);
  });
});

describe('parseOverrides', () => {
  it('requires every entry to say why', () => {
    expect(() => parseOverrides({ ...OVERRIDES, entries: { Py_NewRef: { returns: 'new' } } })).toThrow();
  });

  it('rejects unknown fields and effects', () => {
    expect(() => parseOverrides({ ...OVERRIDES, entries: { F: { why: 'x', returns: 'owned' } } })).toThrow();
    expect(() => parseOverrides({ ...OVERRIDES, entries: { F: { why: 'x', steals: [1] } } })).toThrow();
  });

  it('accepts a NULL that is an answer only from a call that does not fail', () => {
    expect(() => parseOverrides({ ...OVERRIDES, entries: { F: { why: 'x', nullIsAnswer: true } } })).toThrow(/does not fail/);
    expect(() => parseOverrides({ ...OVERRIDES, entries: { F: { why: 'x', canFail: true, nullIsAnswer: true } } })).toThrow(/does not fail/);
    const parsed = parseOverrides({ ...OVERRIDES, entries: { ...OVERRIDES.entries, PyModule_GetDef: { why: 'x', returns: 'borrowed', canFail: false, nullIsAnswer: true } } });
    const entry = byName({ overrides: parsed }).get('PyModule_GetDef');
    expect(entry).toMatchObject({ canFail: false, nullIsAnswer: true });
  });

  it('reads since as a version, and null as "drop the stable-ABI version"', () => {
    const parsed = parseOverrides({ ...OVERRIDES, entries: { A: { why: 'x', since: '3.9' }, B: { why: 'x', since: null } } });
    expect(parsed.entries.get('A')?.since).toEqual([3, 9]);
    expect(parsed.entries.get('B')?.since).toBeNull();
  });
});
