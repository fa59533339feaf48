import { describe, expect, it } from 'vitest';
import { parseRefcountsDat } from '../../../../src/analyzer/capi/generate/refcounts-dat.js';

const SAMPLE = `# comment: with colons
# another

PyList_New:PyObject*::+1:
PyList_New:Py_ssize_t:len::

PyFloat_GetInfo:PyObject*::+1:
PyFloat_GetInfo::void::

Py_BuildValue:PyObject*::+1:
Py_BuildValue:const char*:format::
Py_BuildValue::...::

PyTimeZone_FromOffset:PyObject*::+1:
PyTimeZone_FromOffset:PyObject*:offset:+1:Reference count not increased if offset is +00:00

PyErr_Format:PyObject*::null:
PyErr_Format:PyObject*:exception:+1:
PyErr_Format:const char*:format::
PyErr_Format::...::
`;

describe('parseRefcountsDat', () => {
  const functions = parseRefcountsDat(SAMPLE);

  it('reads one function per block, return line first', () => {
    expect(functions.map((fn) => fn.name)).toEqual([
      'PyList_New',
      'PyFloat_GetInfo',
      'Py_BuildValue',
      'PyTimeZone_FromOffset',
      'PyErr_Format',
    ]);
    expect(functions[0]).toEqual({
      name: 'PyList_New',
      returnType: 'PyObject*',
      returnRefcount: '+1',
      params: [{ type: 'Py_ssize_t', name: 'len', refcount: '' }],
      variadic: false,
    });
  });

  it('reads `::void::` as no parameters and `...` as variadic', () => {
    expect(functions[1]?.params).toEqual([]);
    expect(functions[2]).toMatchObject({ params: [{ name: 'format' }], variadic: true });
  });

  it('keeps colons inside the comment field out of the other fields', () => {
    expect(functions[3]?.params).toEqual([{ type: 'PyObject*', name: 'offset', refcount: '+1' }]);
  });

  it('reads null returns', () => {
    expect(functions[4]).toMatchObject({ returnRefcount: 'null', variadic: true });
  });

  it('rejects an unknown refcount effect', () => {
    expect(() => parseRefcountsDat('f:PyObject*::+2:\n')).toThrow(/line 1: unknown refcount effect "\+2"/);
  });

  it('rejects a block that starts with a parameter', () => {
    expect(() => parseRefcountsDat('f:int:x::\n')).toThrow(/must describe its return value/);
  });

  it('rejects a function described twice', () => {
    expect(() => parseRefcountsDat('f:int:::\n\ng:int:::\n\nf:int:::\n')).toThrow(/f in two separate blocks/);
  });
});
