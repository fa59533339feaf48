import type { TraceStep } from '../findings.js';
import type { PathState, RefFacts, Value } from './state.js';

/** The release macros and calls the walker recognises, by how they treat NULL and the variable. */
export type ReleaseMacro = 'Py_DECREF' | 'Py_XDECREF' | 'Py_CLEAR' | 'Py_SETREF' | 'Py_XSETREF' | 'call';

interface At {
  readonly line: number;
  /** The path to this point: where the reference came from, the branches taken. */
  readonly trace: readonly TraceStep[];
}

/**
 * What the ownership walk saw on one path, for the rules to judge. The walk never decides what is a bug:
 * it reports what happened to each reference, and each rule reads the events it cares about.
 */
export type OwnershipEvent =
  /** A release of a local reference; `before` is what the path knew just before it. */
  | (At & {
      readonly kind: 'release';
      readonly macro: ReleaseMacro;
      readonly expr: string;
      readonly before: RefFacts;
      readonly callee: string;
      /** The release is a statement of its own inside a block, so deleting its line is safe. */
      readonly inBlock: boolean;
    })
  /** A release of a field or global that was already released and not reassigned on this path. */
  | (At & { readonly kind: 'field-double-release'; readonly macro: ReleaseMacro; readonly expr: string; readonly firstLine: number })
  /** A reference read after this function's hold on it ended, or after the container it was borrowed from was released. */
  | (At & {
      readonly kind: 'use';
      readonly how: 'dereference' | 'argument' | 'return';
      readonly callee?: string;
      readonly expr: string;
      readonly ref: RefFacts;
      readonly container?: RefFacts;
    })
  /** A value that may be NULL reaches a place where NULL crashes. */
  | (At & { readonly kind: 'null-use'; readonly how: 'dereference' | 'argument'; readonly callee?: string; readonly expr: string; readonly ref: RefFacts })
  /** A reference handed to a call that steals it; `before` is what the path knew just before. */
  | (At & { readonly kind: 'steal'; readonly callee: string; readonly expr: string; readonly before: RefFacts; readonly onSuccessOnly: boolean })
  /** An owned reference that nothing points at any more: a temporary whose result was dropped, or a variable overwritten. */
  | (At & { readonly kind: 'unreachable'; readonly ref: RefFacts; readonly cause: 'temporary' | 'overwritten' })
  /** The end of a path: a return, a throw, or the closing brace. */
  | (At & {
      readonly kind: 'exit';
      readonly how: 'return' | 'end' | 'throw';
      /** The state before the returned value is handed to the caller. */
      readonly state: PathState;
      readonly returned?: Value;
      /** `Py_RETURN_NONE` and friends. */
      readonly macro?: string;
      /** The return is a statement of its own inside a block, so a line can be inserted before it. */
      readonly inBlock: boolean;
      /** A macro of the file returns here: what it returns is not known. */
      readonly opaque?: boolean;
    })
  /** A call with its evaluated arguments, for rules about call patterns. */
  | (At & { readonly kind: 'call'; readonly callee: string; readonly args: readonly Value[]; readonly argTexts: readonly string[]; readonly state: PathState });

export type EventKind = OwnershipEvent['kind'];
export type EventOf<K extends EventKind> = Extract<OwnershipEvent, { kind: K }>;
