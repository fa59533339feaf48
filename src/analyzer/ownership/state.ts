import type { TraceStep } from '../findings.js';

/** Where a reference came from decides whether the function may release it. */
export type Origin =
  /** Returned as a new reference by a call: the function owns it. */
  | 'new'
  /** Returned as a borrowed reference, or a parameter of a method or slot: not the function's to release. */
  | 'borrowed'
  /** A parameter of a helper: the caller decides, so releasing it makes the helper steal it. */
  | 'parameter'
  /** Read from a field: the object holding the field owns it, until the function takes it by overwriting the field. */
  | 'field';

export type Nullness = 'null' | 'nonnull' | 'maybe';

/** The variable under which a path keeps whether a counted loop's counter equals its bound (`for (i = 0; i < n; i++)`). */
export function counterKey(counter: string, bound: string): string {
  return `#cmp ${counter}==${bound}`;
}

/** Such a fact stops holding once the counter or the bound changes. */
export function isCounterKeyOf(key: string, name: string): boolean {
  return key.startsWith('#cmp ') && key.slice('#cmp '.length).split('==').includes(name);
}

/** The variable under which a path keeps the answer of a predicate it tested (`PyUnicode_Check(x)`), by the test's text. */
export function predicateKey(text: string): string {
  return `#pred ${text}`;
}

export function isPredicateKey(key: string): boolean {
  return key.startsWith('#pred ');
}

/** That answer stops holding once a value the predicate reads changes. */
export function isPredicateKeyOf(key: string, name: string): boolean {
  return isPredicateKey(key) && new RegExp(`\\b${name}\\b`).test(key.slice('#pred '.length));
}

/** The variable under which a path keeps that it raised SystemError (`PyErr_BadInternalCall()`): it found an invariant broken. */
export const INTERNAL_ERROR = '#internal-error';

/** The variable under which a path keeps that it raised `PyErr_BadInternalCall()`: it exists only for callers that break the contract. */
export const CALLER_MISUSE = '#caller-misuse';

/** The variable under which a path keeps that `Py_REFCNT(x) > 1` held for a field or global `x`: others own it too. */
export function sharedKey(storage: string): string {
  return `#shared ${storage}`;
}

/** A field or global written afresh: what the path knew of its old value (the value, that it dangles, that others share it) is gone. */
export function storedAnew(state: PathState, key: string): PathState {
  return withDangling(withVar(withVar(state, key, UNKNOWN), sharedKey(key), UNKNOWN), key, undefined);
}

/** Id prefix of a value the walk could not follow until the function released it: only that release is known. */
export const UNTRACKED_RELEASE = 'released@';

/** What this path knows about one reference. A state holds these by id; variables point at ids. */
export interface RefFacts {
  readonly id: string;
  readonly origin: Origin;
  /** The call or parameter that produced it, for messages: `PyList_New`, `parameter args`. */
  readonly source: string;
  /** The call that made it, blanks removed: `PyObject_GetAttrString(arg,"args")`. */
  readonly call?: string;
  readonly line: number;
  /** References this function holds: 1 after a new reference, +1 per Py_INCREF, -1 per release or hand-off. */
  readonly owned: number;
  readonly nullness: Nullness;
  /** Its NULL is an answer (no context, no such key), never a failure: code that knows the answer need not test it. */
  readonly nullIsAnswer?: boolean;
  /** Last thing that ended the function's hold on it, for use-after-release and double release. */
  readonly ended?: { readonly how: 'released' | 'stolen' | 'handed-off'; readonly line: number; readonly by: string };
  /** Passed to code the analyzer cannot see: it may have been stolen or stored, so no leak is reported. */
  readonly escaped: boolean;
  /** The container it was borrowed from: releasing the container may free it. */
  readonly borrowedFrom?: string;
  /** Paths with different facts about it were merged: rules stay silent about it. */
  readonly uncertain: boolean;
  /** A container or attribute that holds its own reference to the object (PyDict_SetItem, PyList_Append). */
  readonly sharedWith?: string;
  /** Stored into a field or global while not owned: the next Py_INCREF pays for that store, not for the function. */
  readonly unpaidStores?: number;
  /** Still owned because a call that steals only on success failed on this path (PyModule_AddObject < 0). */
  readonly keptByFailedSteal?: { readonly callee: string; readonly line: number };
}

/** A status code returned by a call that steals only on success, waiting for the branch that tests it. */
export interface PendingSteal {
  readonly ref: string;
  readonly call: string;
  readonly line: number;
  /** `_PyBytes_Resize(&x, n)` and friends: on failure they release `x` and set it to NULL, instead of keeping it. */
  readonly resize?: boolean;
}

/** A variable's value as far as references go. */
export type Value =
  | { readonly kind: 'ref'; readonly ref: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'status'; readonly pending: PendingSteal }
  /** Known not to be zero or NULL (a non-zero constant, or a branch that tested it). */
  | { readonly kind: 'truthy' }
  /** A size or status that is not an error (-1) here: `PyObject_Length` of an exact list. */
  | { readonly kind: 'nonnegative' }
  | { readonly kind: 'unknown' };

export const UNKNOWN: Value = { kind: 'unknown' };
export const NULL_VALUE: Value = { kind: 'null' };
export const TRUTHY: Value = { kind: 'truthy' };
export const NONNEGATIVE: Value = { kind: 'nonnegative' };

/** A field or global after `Py_DECREF`/`Py_XDECREF` left it pointing at a released object. */
export interface DanglingField {
  readonly line: number;
  readonly macro: string;
  /** The expression as written: `self->dict`, `GraphRef.Model`. */
  readonly expr: string;
  /** The struct or class the field belongs to, when the walk knows it; '?' otherwise. */
  readonly owner: string;
  /** The function itself stored the released reference there on this path: a scratch slot, not a long-lived one. */
  readonly storedHere: boolean;
}

/** A trace step, tagged with the reference it is about so each finding can keep only its own steps. */
export interface PathStep extends TraceStep {
  readonly ref?: string;
}

export interface PathState {
  readonly vars: ReadonlyMap<string, Value>;
  readonly refs: ReadonlyMap<string, RefFacts>;
  /** Fields and globals released and not yet reassigned or cleared on this path, keyed by expression text. */
  readonly dangling: ReadonlyMap<string, DanglingField>;
  /** Fields known to hold a reference of their own to a tracked object (stored on this path, or tested equal to it). */
  readonly holdsIn: ReadonlyMap<string, string>;
  readonly trace: readonly PathStep[];
}

export const EMPTY_STATE: PathState = { vars: new Map(), refs: new Map(), dangling: new Map(), holdsIn: new Map(), trace: [] };

export function withHolding(state: PathState, key: string, ref: string | undefined): PathState {
  if (ref === undefined && !state.holdsIn.has(key)) return state;
  const holdsIn = new Map(state.holdsIn);
  if (ref === undefined) holdsIn.delete(key);
  else holdsIn.set(key, ref);
  return { ...state, holdsIn };
}

export function withVar(state: PathState, name: string, value: Value): PathState {
  const vars = new Map(state.vars);
  if (value.kind === 'unknown') vars.delete(name);
  else vars.set(name, value);
  return { ...state, vars };
}

export function withRef(state: PathState, ref: RefFacts): PathState {
  const refs = new Map(state.refs);
  refs.set(ref.id, ref);
  return { ...state, refs };
}

export function updateRef(state: PathState, id: string, change: (ref: RefFacts) => RefFacts): PathState {
  const ref = state.refs.get(id);
  return ref ? withRef(state, change(ref)) : state;
}

export function withDangling(state: PathState, key: string, field: DanglingField | undefined): PathState {
  if (!field && !state.dangling.has(key)) return state;
  const dangling = new Map(state.dangling);
  if (field) dangling.set(key, field);
  else dangling.delete(key);
  return { ...state, dangling };
}

/** Long paths keep their first steps (where references came from) and their latest ones. */
const MAX_TRACE = 64;

export function withStep(state: PathState, step: PathStep): PathState {
  const last = state.trace[state.trace.length - 1];
  if (last && last.line === step.line && last.note === step.note) return state;
  const trace = state.trace.length >= MAX_TRACE ? [...state.trace.slice(0, MAX_TRACE / 2), ...state.trace.slice(-(MAX_TRACE / 2 - 1)), step] : [...state.trace, step];
  return { ...state, trace };
}

export function refOf(state: PathState, value: Value): RefFacts | undefined {
  return value.kind === 'ref' ? state.refs.get(value.ref) : undefined;
}

/** Variables (and so aliases) that still point at a reference. */
export function holders(state: PathState, id: string): string[] {
  const names: string[] = [];
  for (const [name, value] of state.vars) if (value.kind === 'ref' && value.ref === id) names.push(name);
  return names;
}

/** A status variable still waits to say whether a call that steals only on success took this reference. */
export function pendingOn(state: PathState, id: string): boolean {
  for (const v of state.vars.values()) if (v.kind === 'status' && v.pending.ref === id) return true;
  return false;
}

/** Identity of a state for de-duplication at a node: everything but the trace. */
export function stateKey(state: PathState): string {
  const parts: string[] = [];
  for (const [name, v] of [...state.vars].sort(byKey)) parts.push(`${name}=${valueKey(v)}`);
  parts.push('|');
  for (const [id, r] of [...state.refs].sort(byKey)) {
    parts.push(`${id}:${r.owned}:${r.nullness}:${r.ended?.how ?? ''}:${r.escaped ? 'e' : ''}:${r.uncertain ? 'u' : ''}:${r.unpaidStores ?? 0}`);
  }
  parts.push('|');
  for (const key of [...state.dangling.keys()].sort()) parts.push(key);
  parts.push('|');
  for (const [key, ref] of [...state.holdsIn].sort(byKey)) parts.push(`${key}=${ref}`);
  return parts.join(' ');
}

function valueKey(v: Value): string {
  switch (v.kind) {
    case 'ref':
      return v.ref;
    case 'status':
      return `status(${v.pending.ref}${v.pending.resize ? ',resize' : ''})`;
    default:
      return v.kind;
  }
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
