import type { Fix, RuleId, Severity, TraceStep } from '../findings.js';
import type { EventKind, EventOf } from '../ownership/events.js';
import type { FunctionRole } from '../ownership/role.js';
import type { ParsedFunction } from '../parse/types.js';

export interface RuleMeta<M extends string> {
  readonly id: RuleId;
  /** A short heading for a review comment: "New reference not released". */
  readonly title: string;
  /** PascalCase, for SARIF's rule name (which viewers show next to the id, so it must differ from it). */
  readonly name: string;
  readonly defaultSeverity: Severity;
  /** One line for SARIF's shortDescription and the docs index. */
  readonly description: string;
  /** Message templates by id; `{{name}}` is filled from the report's data. */
  readonly messages: Readonly<Record<M, string>>;
  readonly fixable: boolean;
}

/** Per field name, the functions of the file that release it and leave it dangling on some path. */
export type FieldReleases = ReadonlyMap<
  string,
  ReadonlyArray<{ readonly function: string; readonly role: FunctionRole; readonly line: number; readonly owner: string }>
>;

export interface FileFacts {
  readonly fieldReleases: FieldReleases;
}

export interface FunctionUnderReview {
  readonly parsed: ParsedFunction;
  readonly role: FunctionRole;
  /** The function returns `PyObject *` (or another object pointer) to its callers. */
  readonly returnsObject: boolean;
  /** It frees memory it was handed (PyMem_Free, tp_free, delete): its fields die with it. */
  readonly freesItsObject: boolean;
  /** The API table or the project's configuration says it returns a borrowed reference (PyImport_AddModuleObject). */
  readonly declaredBorrowed: boolean;
}

export interface Report<M extends string> {
  readonly messageId: M;
  readonly data: Readonly<Record<string, string | number>>;
  readonly line: number;
  readonly endLine?: number;
  readonly trace: readonly TraceStep[];
  readonly fix?: Fix;
  /** What makes two reports the same finding (several paths reach one bug): defaults to message and line. */
  readonly key?: string;
  /** The text that identifies the finding across pushes, when the reported line is not it (a leak: where the reference came from). */
  readonly subject?: string;
}

export interface RuleContext<M extends string> {
  readonly fn: FunctionUnderReview;
  readonly file: FileFacts;
  /** The source's lines, 0-based (`lines[line - 1]`). */
  readonly lines: readonly string[];
  /** Oldest supported Python as [major, minor]. */
  readonly python: readonly [number, number];
  report(report: Report<M>): void;
}

export type Listeners = { readonly [K in EventKind]?: (event: EventOf<K>) => void } & {
  /** After every path of the function has been walked. */
  readonly done?: () => void;
};

export interface Rule<M extends string = string> {
  readonly meta: RuleMeta<M>;
  create(context: RuleContext<M>): Listeners;
}

/** Typed factory, so each rule's reports can only name its own message ids. */
export function createRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}
