/** What the analyzer knows about one C API call (or macro, or the file's own helper). */

/** What a call does to the reference passed in one argument position. */
export type ArgEffect =
  /** The callee borrows: the caller's ownership is unchanged. */
  | 'borrows'
  /** The callee steals, also when it fails (PyList_SetItem, PyTuple_SetItem, PyModule_Add). */
  | 'steals'
  /** The callee steals only when it succeeds (PyModule_AddObject returns 0). */
  | 'steals-on-success'
  /** Py_DECREF: releases; the argument must not be NULL. */
  | 'releases'
  /** Py_XDECREF: releases; NULL is allowed. */
  | 'xreleases'
  /** Py_CLEAR: releases if not NULL and sets the variable to NULL. */
  | 'clears'
  /** Py_INCREF: the caller now owns one more reference; the argument must not be NULL. */
  | 'increfs'
  /** Py_XINCREF: as increfs; NULL is allowed. */
  | 'xincrefs'
  /** An out-parameter (`PyObject **`) that receives a new reference on success. */
  | 'out-new'
  /** An out-parameter that receives a borrowed reference. */
  | 'out-borrowed'
  /** `PyObject **` replaced in place; on failure the old object is released and `*p` set to NULL. */
  | 'in-place';

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
  /** Effects by 0-based argument index; absent indices borrow. */
  readonly args: Readonly<Record<number, ArgEffect>>;
  /** Index of the format-string argument and how the variadic arguments after it behave. */
  readonly format?: { readonly index: number; readonly style: FormatStyle };
  /** Arguments that must not be NULL (a NULL there is a crash), by 0-based index. */
  readonly nonNullArgs?: readonly number[];
  /** Python version that introduced it, as [major, minor]; absent means long-standing. */
  readonly since?: readonly [number, number];
  /** Where the entry comes from, for messages and debugging. */
  readonly source: 'refcounts.dat' | 'override' | 'config' | 'summary';
}
