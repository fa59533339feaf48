/** What the analyzer knows about one C API call (or macro, or the file's own helper). */

/**
 * What a call does to the reference passed in one argument position:
 * - `borrows`: the caller's ownership is unchanged;
 * - `steals`: the callee takes it, also when it fails (PyList_SetItem, PyTuple_SetItem, PyModule_Add);
 * - `steals-on-success`: only when it succeeds (PyModule_AddObject returns 0);
 * - `releases`: Py_DECREF, the argument must not be NULL; `xreleases`: Py_XDECREF, NULL allowed;
 * - `clears`: Py_CLEAR, releases if not NULL and sets the variable to NULL;
 * - `increfs`: Py_INCREF, the caller owns one more reference, NULL crashes; `xincrefs`: Py_XINCREF;
 * - `out-new` / `out-borrowed`: a `PyObject **` out-parameter filled with a new or a borrowed reference on success;
 * - `in-place`: `PyObject **` replaced in place; on failure the old object is released and `*p` set to NULL.
 */
export const ARG_EFFECTS = [
  'borrows',
  'steals',
  'steals-on-success',
  'releases',
  'xreleases',
  'clears',
  'increfs',
  'xincrefs',
  'out-new',
  'out-borrowed',
  'in-place',
] as const;

export type ArgEffect = (typeof ARG_EFFECTS)[number];

export type Returns =
  /** The caller receives a new reference it must release. */
  | 'new'
  /** The caller receives a borrowed reference it must not release. */
  | 'borrowed'
  /** Not an object (int, void, Py_ssize_t, ...). */
  | 'none'
  /** Always NULL (PyErr_SetString and friends return NULL for `return PyErr_...` idioms). */
  | 'null';

/** How a format-string argument distributes references (`N` steals, `O` borrows or yields borrowed). */
export type FormatStyle =
  /** Py_BuildValue, PyObject_CallFunction, PyObject_CallMethod: `N` steals its argument, `O`/`S` borrow. */
  | 'build'
  /** PyArg_ParseTuple and family: `O` stores a borrowed reference through the matching pointer. */
  | 'parse';

export interface ApiEntry {
  readonly name: string;
  readonly returns: Returns;
  /** The call can return NULL (or -1) with an exception set. */
  readonly canFail: boolean;
  /** It never fails, but NULL is one of its answers: no context, no such key, no outer frame. Callers test it as a value, not an error. */
  readonly nullIsAnswer?: boolean;
  /** Effects by 0-based argument index; absent indices borrow. */
  readonly args: Readonly<Record<number, ArgEffect>>;
  /** Index of the format-string argument and how the variadic arguments after it behave. */
  readonly format?: { readonly index: number; readonly style: FormatStyle };
  /** Arguments that must not be NULL (a NULL there is a crash), by 0-based index. */
  readonly nonNullArgs?: readonly number[];
  /** Python version that introduced it, as [major, minor]; absent means long-standing. */
  readonly since?: readonly [number, number];
  /** The result is the object passed in this argument, with one more reference (`Py_INCREF(x); return x;`). */
  readonly returnsArgument?: number;
  /** A pointer result that is not an object and never NULL (`return PyModule_GetState(m);`). */
  readonly returnsNonNull?: boolean;
  /** The new reference returned is to an object something else keeps too (a cache it was stored in, a container it came from). */
  readonly returnsShared?: boolean;
  /** Where the entry comes from, for messages and debugging. */
  readonly source: 'refcounts.dat' | 'override' | 'config' | 'summary';
}
