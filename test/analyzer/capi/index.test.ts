import { describe, expect, it } from 'vitest';
import {
  builtinApi,
  firstFormatArgument,
  lookupApi,
  withExtraEntries,
  type ApiEntry,
} from '../../../src/analyzer/capi/index.js';
import { apiEntrySchema } from '../../../src/config/schema.js';

function entry(name: string): ApiEntry {
  const found = lookupApi(name);
  if (!found) throw new Error(`${name} is missing from the built-in table`);
  return found;
}

describe('built-in table: returns and failure', () => {
  it.each([
    ['PyList_New', 'new', true],
    ['PyList_GetItem', 'borrowed', true],
    ['PyDict_GetItem', 'borrowed', false],
    ['PyTuple_GET_ITEM', 'borrowed', false],
    ['PyList_GET_ITEM', 'borrowed', false],
    ['PySequence_Fast_GET_ITEM', 'borrowed', false],
    ['PyBool_FromLong', 'new', false],
    ['Py_NewRef', 'new', false],
    ['Py_XNewRef', 'new', false],
    ['Py_RETURN_NONE', 'new', false],
    ['Py_RETURN_NOTIMPLEMENTED', 'new', false],
    ['PyList_GetItemRef', 'new', true],
    ['PyObject_Vectorcall', 'new', true],
    ['PyImport_ImportModuleAttr', 'new', true],
    ['PyErr_Format', 'null', true],
    ['PyErr_NoMemory', 'null', true],
    ['PyList_Append', 'none', false],
    ['PyModule_GetDef', 'none', false],
  ] as const)('%s returns %s, canFail %s', (name, returns, canFail) => {
    expect(entry(name)).toMatchObject({ returns, canFail });
  });

  it.each(['PyDict_GetItem', 'PyException_GetContext', 'PyFrame_GetBack', 'PySys_GetObject'])('%s never fails, but NULL is one of its answers', (name) => {
    expect(entry(name)).toMatchObject({ canFail: false, nullIsAnswer: true });
  });

  it.each(['PyDict_GetItemWithError', 'PyList_New', 'PyObject_GetAttr'])('%s fails with NULL: it is no answer', (name) => {
    expect(entry(name).nullIsAnswer).toBeUndefined();
  });

  it('knows nothing of names outside the C API', () => {
    expect(lookupApi('my_helper')).toBeUndefined();
    expect(lookupApi('toString')).toBeUndefined();
  });

  it('names every entry after its key', () => {
    expect(entry('PyList_New').name).toBe('PyList_New');
  });
});

describe('built-in table: what calls do to their arguments', () => {
  it.each([
    ['PyList_SetItem', { 2: 'steals' }],
    ['PyTuple_SetItem', { 2: 'steals' }],
    ['PyList_SET_ITEM', { 2: 'steals' }],
    ['PyTuple_SET_ITEM', { 2: 'steals' }],
    ['PyModule_AddObject', { 2: 'steals-on-success' }],
    ['PyModule_Add', { 2: 'steals' }],
    ['PyModule_AddObjectRef', {}],
    ['PyException_SetCause', { 1: 'steals' }],
    ['PyException_SetContext', { 1: 'steals' }],
    ['PyErr_Restore', { 0: 'steals', 1: 'steals', 2: 'steals' }],
    ['PySet_Discard', {}],
    ['PyContext_Exit', {}],
    ['PyContextVar_Reset', {}],
    ['Py_ReprLeave', {}],
    ['PyDict_SetItem', {}],
    ['Py_INCREF', { 0: 'increfs' }],
    ['Py_XINCREF', { 0: 'xincrefs' }],
    ['Py_DECREF', { 0: 'releases' }],
    ['Py_XDECREF', { 0: 'xreleases' }],
    ['Py_CLEAR', { 0: 'clears' }],
    ['Py_SETREF', { 0: 'releases', 1: 'steals' }],
    ['Py_XSETREF', { 0: 'xreleases', 1: 'steals' }],
    ['Py_NewRef', {}],
    ['PyDict_GetItemRef', { 2: 'out-new' }],
    ['PyDict_GetItemStringRef', { 2: 'out-new' }],
    ['PyObject_GetOptionalAttr', { 2: 'out-new' }],
    ['PyErr_Fetch', { 0: 'out-new', 1: 'out-new', 2: 'out-new' }],
    ['PyDict_Next', { 2: 'out-borrowed', 3: 'out-borrowed' }],
    ['PyUnicode_InternInPlace', { 0: 'in-place' }],
    ['PyBytes_Concat', { 0: 'in-place' }],
    ['PyBytes_ConcatAndDel', { 0: 'in-place', 1: 'steals' }],
    ['_PyBytes_Resize', { 0: 'in-place' }],
    ['_PyTuple_Resize', { 0: 'in-place' }],
    ['PyUnicode_Resize', { 0: 'in-place' }],
  ] as const)('%s: %j', (name, args) => {
    expect(entry(name).args).toEqual(args);
  });

  it('gives PyArg_UnpackTuple borrowed references through its variadic pointers', () => {
    const { args } = entry('PyArg_UnpackTuple');
    expect(args[3]).toBeUndefined();
    expect(args[4]).toBe('out-borrowed');
    expect(args[15]).toBe('out-borrowed');
  });

  it('lets the analyzer see the failure branch where ownership differs on failure', () => {
    expect(entry('PyModule_AddObject').canFail).toBe(true);
    expect(entry('PyDict_GetItemRef').canFail).toBe(true);
    expect(entry('_PyTuple_Resize').canFail).toBe(true);
    expect(entry('PyList_SetItem').canFail).toBe(false);
  });
});

describe('built-in table: format strings', () => {
  it.each([
    ['Py_BuildValue', 0, 'build', 1],
    ['PyObject_CallFunction', 1, 'build', 2],
    ['PyObject_CallMethod', 2, 'build', 3],
    ['PyArg_ParseTuple', 1, 'parse', 2],
    ['PyArg_Parse', 1, 'parse', 2],
    ['PyArg_ParseTupleAndKeywords', 2, 'parse', 4],
  ] as const)('%s: format at %d, %s style, variadic from %d', (name, index, style, first) => {
    const found = entry(name);
    expect(found.format).toEqual({ index, style });
    expect(firstFormatArgument(found)).toBe(first);
  });

  it('has no format for calls whose variadic arguments are plain objects', () => {
    expect(entry('PyObject_CallFunctionObjArgs').format).toBeUndefined();
    expect(firstFormatArgument(entry('PyObject_CallFunctionObjArgs'))).toBeUndefined();
  });
});

describe('built-in table: arguments that must not be NULL', () => {
  it.each([
    ['Py_INCREF', [0]],
    ['Py_DECREF', [0]],
    ['Py_TYPE', [0]],
    ['Py_NewRef', [0]],
    ['PyList_Append', [0]],
    ['PyList_Insert', [0]],
    ['PyObject_GetAttr', [0, 1]],
    ['PyObject_GetAttrString', [0]],
    ['PyObject_Call', [0, 1]],
    ['PyObject_CallObject', [0]],
    ['PyObject_SetAttr', [0, 1]],
    ['PyDict_SetItem', [0, 1, 2]],
    ['PyDict_SetItemString', [0, 2]],
    ['PyTuple_SetItem', [0]],
    ['PyList_SetItem', [0]],
    ['PyTuple_SET_ITEM', [0]],
  ] as const)('%s: %j', (name, indices) => {
    expect(entry(name).nonNullArgs).toEqual(indices);
  });

  it.each(['Py_XDECREF', 'Py_XINCREF', 'Py_CLEAR', 'Py_XNewRef', 'PyObject_Repr', 'PyModule_Add', 'PyErr_SetObject'])(
    '%s accepts NULL everywhere',
    (name) => {
      expect(entry(name).nonNullArgs).toBeUndefined();
    },
  );
});

describe('built-in table: since', () => {
  it.each([
    ['Py_NewRef', [3, 10]],
    ['Py_XNewRef', [3, 10]],
    ['PyModule_AddObjectRef', [3, 10]],
    ['PyObject_Vectorcall', [3, 9]],
    ['PyDict_GetItemRef', [3, 13]],
    ['PyList_GetItemRef', [3, 13]],
    ['PyModule_Add', [3, 13]],
    ['PyObject_GetOptionalAttr', [3, 13]],
    ['PyImport_ImportModuleAttr', [3, 14]],
  ] as const)('%s since %j', (name, since) => {
    expect(entry(name).since).toEqual(since);
  });

  it.each(['PyImport_ImportModule', 'PyList_New', 'Py_INCREF', 'PyObject_GetBuffer'])('%s is long-standing', (name) => {
    expect(entry(name).since).toBeUndefined();
  });
});

describe('withExtraEntries', () => {
  const config = (raw: unknown) => apiEntrySchema.parse(raw);

  it('adds the project’s functions', () => {
    const table = withExtraEntries(builtinApi, [config({ name: 'make_thing', returns: 'new' })]);
    expect(table.lookup('make_thing')).toEqual({
      name: 'make_thing',
      returns: 'new',
      canFail: true,
      args: {},
      source: 'config',
    });
    expect(table.lookup('PyList_New')).toEqual(builtinApi.lookup('PyList_New'));
  });

  it('lets config entries win over built-ins and reads argument indices as numbers', () => {
    const table = withExtraEntries(builtinApi, [
      config({ name: 'PyList_GetItem', returns: 'new', can_fail: false, args: { '0': 'steals', '1': 'borrows' } }),
    ]);
    expect(table.lookup('PyList_GetItem')).toEqual({
      name: 'PyList_GetItem',
      returns: 'new',
      canFail: false,
      args: { 0: 'steals' },
      source: 'config',
    });
  });

  it('lets the later of two config entries for one name win', () => {
    const table = withExtraEntries(builtinApi, [
      config({ name: 'take', args: { '0': 'steals' } }),
      config({ name: 'take', args: { '0': 'steals-on-success' } }),
    ]);
    expect(table.lookup('take')?.args).toEqual({ 0: 'steals-on-success' });
  });

  it('uses file summaries only for names neither the config nor the base knows', () => {
    const summary = (name: string): ApiEntry => ({ name, returns: 'borrowed', canFail: false, args: {}, source: 'summary' });
    const summaries = new Map(['PyList_New', 'configured', 'helper'].map((name) => [name, summary(name)]));
    const table = withExtraEntries(builtinApi, [config({ name: 'configured', returns: 'new' })], summaries);
    expect(table.lookup('PyList_New')?.source).toBe('refcounts.dat');
    expect(table.lookup('configured')?.source).toBe('config');
    expect(table.lookup('helper')?.source).toBe('summary');
    expect(table.lookup('unknown')).toBeUndefined();
  });

  it('does not change the base table', () => {
    withExtraEntries(builtinApi, [config({ name: 'PyList_New', returns: 'none' })]);
    expect(builtinApi.lookup('PyList_New')?.returns).toBe('new');
  });
});
