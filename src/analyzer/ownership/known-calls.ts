import type { SyntaxNode } from 'tree-sitter';
import type { ReleaseMacro } from './events.js';
import { argumentNodes, calleeName } from './syntax.js';

/** What the walk knows about particular calls and names beyond the C API table: macros, singletons, idioms. */

/** Objects that exist for the whole run: borrowed, never NULL. */
export const SINGLETONS: ReadonlySet<string> = new Set(['Py_None', 'Py_True', 'Py_False', 'Py_NotImplemented', 'Py_Ellipsis']);

export const RELEASES: Readonly<Record<string, ReleaseMacro>> = {
  Py_DECREF: 'Py_DECREF',
  Py_XDECREF: 'Py_XDECREF',
  Py_DecRef: 'Py_XDECREF',
  Py_CLEAR: 'Py_CLEAR',
};
export const INCREFS: ReadonlySet<string> = new Set(['Py_INCREF', 'Py_XINCREF', 'Py_IncRef']);
export const NEW_REF_OF_ARGUMENT: ReadonlySet<string> = new Set(['Py_NewRef', 'Py_XNewRef']);
export const SETREFS: ReadonlySet<string> = new Set(['Py_SETREF', 'Py_XSETREF']);

/** Macros that read through their first argument, so a NULL there crashes. */
export const DEREF_MACROS: ReadonlySet<string> = new Set([
  'Py_TYPE',
  'Py_SIZE',
  'Py_REFCNT',
  'Py_SET_TYPE',
  'Py_SET_SIZE',
  'Py_SET_REFCNT',
  'Py_IS_TYPE',
  'PyTuple_GET_SIZE',
  'PyList_GET_SIZE',
  'PyTuple_GET_ITEM',
  'PyList_GET_ITEM',
  'PyTuple_SET_ITEM',
  'PyList_SET_ITEM',
  'PyBytes_AS_STRING',
  'PyBytes_GET_SIZE',
  'PyByteArray_AS_STRING',
  'PyUnicode_GET_LENGTH',
  'PyUnicode_DATA',
  'PyUnicode_KIND',
  'PyUnicode_READ_CHAR',
  'PyFloat_AS_DOUBLE',
  'PySequence_Fast_GET_SIZE',
  'PySequence_Fast_GET_ITEM',
  'PySequence_Fast_ITEMS',
  'PyObject_TypeCheck',
]);
/** `PyBytes_Check(x)`, `PyList_CheckExact(x)`: type checks, with the type they ask about (`Bytes`) as the first group. */
export const TYPE_CHECK = /^Py(\w+?)_Check(Exact)?$/;

/** Py_TYPE(x), PyList_Check(x), PyTuple_GET_SIZE(x): the first argument is read through, so NULL there crashes. */
export function readsThroughFirstArgument(name: string): boolean {
  return DEREF_MACROS.has(name) || TYPE_CHECK.test(name);
}

export const INSERTS: ReadonlySet<string> = new Set([
  'PyDict_SetItem',
  'PyDict_SetItemString',
  'PyDict_SetDefault',
  'PyList_Append',
  'PyList_Insert',
  'PySet_Add',
  'PyObject_SetAttr',
  'PyObject_SetAttrString',
  'PyObject_SetItem',
  'PyModule_AddObjectRef',
  'PyTuple_Pack',
  'PyErr_SetObject',
]);

/** Macros that read a field of their argument: `PyMethod_GET_FUNCTION`, `PyCell_GET`. */
export const ACCESSOR = /^Py\w*_GET(_[A-Z_]+)?$/;

/** Macros that overwrite a slot without releasing it, with the getters that read the same slot. */
export const SLOT_WRITERS: ReadonlyMap<string, readonly string[]> = new Map([
  ['PyTuple_SET_ITEM', ['PyTuple_GET_ITEM', 'PyTuple_GetItem']],
  ['PyList_SET_ITEM', ['PyList_GET_ITEM', 'PyList_GetItem']],
  ['PyStructSequence_SET_ITEM', ['PyStructSequence_GET_ITEM', 'PyStructSequence_GetItem']],
  ['PyCell_SET', ['PyCell_GET']],
]);

/**
 * Calls whose result is not judged: a heap type's dealloc releases Py_TYPE(self) on purpose, and
 * PyErr_Occurred's result is only ever tested.
 */
export const OPAQUE_RESULTS: ReadonlySet<string> = new Set(['Py_TYPE', 'PyErr_Occurred', '_PyErr_Occurred']);

/** Getters whose borrowed result lives only as long as the container in argument 0. */
export const CONTAINER_GETTERS: ReadonlySet<string> = new Set([
  'PyList_GetItem',
  'PyList_GET_ITEM',
  'PyTuple_GetItem',
  'PyTuple_GET_ITEM',
  'PyDict_GetItem',
  'PyDict_GetItemString',
  'PyDict_GetItemWithError',
  'PySequence_Fast_GET_ITEM',
]);

export function isSingleton(name: string): boolean {
  return SINGLETONS.has(name);
}

const FIXED_TYPE_MAKER = /^Py(List|Tuple|Dict|Set|FrozenSet|Unicode|Bytes|ByteArray|Long|Float|Complex)_(New|From\w*|Pack|Copy)$/;

/**
 * A new reference from a constructor of one fixed type (`PyList_New`, `PyLong_FromLong`), or from
 * `Py_BuildValue` building a tuple, list or dict: never `Py_None` or another singleton.
 * `call` is the folded call text, as in RefFacts.
 */
export function neverSingleton(name: string, call: string | undefined): boolean {
  if (FIXED_TYPE_MAKER.test(name)) return true;
  if (name !== 'Py_BuildValue' || call === undefined) return false;
  const format = /^Py_BuildValue\("((?:[^"\\]|\\.)*)"[,)]/.exec(call)?.[1];
  return format !== undefined && buildsContainer(format);
}

/** Py_BuildValue returns a tuple for two or more top-level units, and a container for one bracketed unit. */
function buildsContainer(format: string): boolean {
  let depth = 0;
  let units = 0;
  let bracketed = false;
  for (const c of format) {
    if ('([{'.includes(c)) {
      if (depth === 0) {
        units++;
        bracketed = true;
      }
      depth++;
    } else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && /[A-Za-z]/.test(c)) units++;
  }
  return units >= 2 || (units === 1 && bracketed);
}

/** Calls whose result, when not NULL, is of one exact type, by the name its type checks use (`Bytes` for PyBytes_Check). */
export function exactTypeOf(source: string): string | undefined {
  const fixed = FIXED_TYPE_MAKER.exec(source);
  if (fixed) return fixed[1];
  if (/^PyUnicode_As\w*String$/.test(source) || source === 'PyUnicode_EncodeFSDefault') return 'Bytes';
  if (source === 'PySequence_List' || source === 'PyDict_Keys' || source === 'PyDict_Values' || source === 'PyDict_Items') return 'List';
  if (source === 'PySequence_Tuple') return 'Tuple';
  return undefined;
}

/** Lookups that give NULL for a container of another type: a result that is not NULL proves what the container is. */
const TYPED_LOOKUP = /^Py(Dict|Tuple|List)_GetItem(String|WithError)?\((.*?),/;

/** `PyDict_Check(d)` after `PyDict_GetItem(d, k)` returned an object: the type its first argument has to be, else undefined. */
export function typeProvenBy(call: string | undefined): { readonly type: string; readonly container: string } | undefined {
  const m = call ? TYPED_LOOKUP.exec(call) : null;
  return m ? { type: m[1]!, container: m[3]! } : undefined;
}

export const SMALL_INT_MAKERS = new Set(['PyLong_FromLong', 'PyLong_FromSsize_t', 'PyLong_FromSize_t', 'PyLong_FromUnsignedLong', 'PyLong_FromLongLong', 'PyBool_FromLong']);

const EMPTY_STRING_MAKERS: ReadonlySet<string> = new Set(['PyUnicode_FromStringAndSize', 'PyBytes_FromStringAndSize']);

/** Calls that return a cached object for these arguments and so cannot fail: small ints, None, the empty tuple and strings. */
export function cachedResult(name: string, call: SyntaxNode): boolean {
  const args = argumentNodes(call);
  if (EMPTY_STRING_MAKERS.has(name) && args[1]?.text === '0') return true;
  if (name === 'PyUnicode_FromString' && args[0]?.text === '""') return true;
  // The empty tuple and None are never allocated.
  if (name === 'Py_BuildValue' && (args[0]?.text === '"()"' || args[0]?.text === '""')) return true;
  const value = args.length >= 1 && args[0]!.type === 'number_literal' ? Number.parseInt(args[0]!.text, 10) : undefined;
  if (value === undefined || Number.isNaN(value)) return false;
  if (SMALL_INT_MAKERS.has(name)) return value >= -5 && value <= 256;
  return (name === 'PyTuple_New' || name === 'PyUnicode_New') && value === 0;
}

/**
 * `PyModule_GetState(module)` returns NULL only for a module defined without state, and code asks for the state of
 * its own module, which has it: testing that result for NULL is defensive, its NULL branch never taken.
 */
export const NON_NULL_POINTERS: ReadonlySet<string> = new Set(['PyModule_GetState']);

/** Type checks and flag tests (`PyTuple_Check`, `PyDataType_FLAGCHK`, `PyArray_ISBYTESWAPPED`) of plain values. */
const PREDICATE = /^Py[A-Za-z]+_(IS[A-Z_]+|HAS[A-Z_]+|FLAGCHK|CHKFLAGS)$/;

/** `x`, `self->descr`, `NPY_LIST_PICKLE`, `&PyTuple_Type`: values a predicate reads, not `*p` or `a[i]`, which move. */
const PLAIN_ARGUMENT = /^&?\s*[A-Za-z_]\w*(\s*(->|\.)\s*[A-Za-z_]\w*)*$/;

/** A predicate that reads only variables and fields: tested again before any of them changes, it answers the same. */
export function isPredicate(node: SyntaxNode): boolean {
  const name = node.type === 'call_expression' ? calleeName(node) : undefined;
  if (name === undefined || !(TYPE_CHECK.test(name) || PREDICATE.test(name))) return false;
  return argumentNodes(node).every((arg) => PLAIN_ARGUMENT.test(arg.text));
}

/** The C API's and C's calls that give a block of memory back. */
export const MEMORY_FREES: readonly string[] = ['free', 'PyMem_Free', 'PyMem_RawFree', 'PyMem_Del', 'PyObject_Free', 'PyObject_Del', 'PyObject_GC_Del'];

/** Those calls, or a project's own `*_free` (numpy's `PyArray_free`): no field is read through what they free again. */
export const MEMORY_FREE = new RegExp(`^(${MEMORY_FREES.join('|')}|\\w+_(free|FREE))$`);

/** Size queries: -1 only for an object that has no length. */
const SIZE_CALLS: ReadonlySet<string> = new Set([
  'PyObject_Length',
  'PyObject_Size',
  'PySequence_Size',
  'PySequence_Length',
  'PyMapping_Size',
  'PyMapping_Length',
  'PyList_Size',
  'PyTuple_Size',
  'PyDict_Size',
  'PySet_Size',
  'PyBytes_Size',
]);

const SIZED_TYPES: ReadonlySet<string> = new Set(['List', 'Tuple', 'Dict', 'Set', 'FrozenSet', 'Bytes', 'ByteArray', 'Unicode']);

const CAPSULE_SETTERS: ReadonlySet<string> = new Set(['PyCapsule_SetContext', 'PyCapsule_SetName', 'PyCapsule_SetDestructor']);

/**
 * An `int` result that cannot be the error value for this argument (its source call, when not NULL):
 * the size of an exact container, `PyBytes_AsStringAndSize` of bytes, a setter of a capsule just made.
 */
export function cannotFailOn(name: string, firstArgumentSource: string | undefined): boolean {
  if (firstArgumentSource === undefined) return false;
  const type = exactTypeOf(firstArgumentSource);
  if (SIZE_CALLS.has(name)) return type !== undefined && SIZED_TYPES.has(type);
  if (name === 'PyBytes_AsStringAndSize') return type === 'Bytes';
  return CAPSULE_SETTERS.has(name) && firstArgumentSource === 'PyCapsule_New';
}

/**
 * SystemError raised by hand: the code reports one of its own invariants broken, not a failure it expects.
 * `PyErr_BadInternalCall()` says more: its caller broke the function's contract.
 */
export function raisesInternalError(name: string, args: readonly SyntaxNode[]): 'misuse' | 'broken-invariant' | undefined {
  if (name === 'PyErr_BadInternalCall' || name === '_PyErr_BadInternalCall') return 'misuse';
  return /^_?PyErr_(SetString|Format|FormatV|SetObject|SetNone)$/.test(name) && args.some((a) => a.text === 'PyExc_SystemError') ? 'broken-invariant' : undefined;
}
