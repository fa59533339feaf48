/** The analyzer's output vocabulary, shared by the CLI, the review pipeline and every rule. */

export const RULE_IDS = [
  'leak',
  'borrowed-release',
  'double-release',
  'dangling-field',
  'use-after-release',
  'steal-misuse',
  'return-borrowed',
  'unchecked-null',
  'prefer-import-module',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'error' | 'warning' | 'note';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { note: 1, warning: 2, error: 3 };

/** One step of the path that shows a finding: "new reference from PyList_New", "branch taken", ... */
export interface TraceStep {
  readonly line: number;
  readonly note: string;
}

/**
 * Replace the whole lines startLine..endLine (1-based, inclusive) by `lines`.
 * An empty `lines` deletes them. Whole-line edits map one to one onto GitHub suggestion blocks
 * and SARIF replacements, so an insertion is written as a replacement of the line it precedes.
 */
export interface LineEdit {
  readonly startLine: number;
  readonly endLine: number;
  readonly lines: readonly string[];
}

export interface Fix {
  /** One short imperative sentence: "Release `name` before returning". */
  readonly description: string;
  readonly edits: readonly LineEdit[];
}

export interface Finding {
  readonly rule: RuleId;
  /** Stable id of the message template within the rule (tests check this, not the English). */
  readonly messageId: string;
  readonly severity: Severity;
  /** The path given to analyze(), unchanged. */
  readonly file: string;
  /** The enclosing function as written: `Graph::~Graph`, `module_exec`, `<lambda at 12>`. */
  readonly function: string;
  readonly line: number;
  readonly endLine: number;
  readonly message: string;
  readonly trace: readonly TraceStep[];
  readonly fix?: Fix;
  /** Survives pushes that only move lines: rule, file, function, the primary line's folded text, index among equals. */
  readonly fingerprint: string;
}

export type FunctionStatus =
  | { readonly kind: 'analysed' }
  | { readonly kind: 'not-touched' }
  | { readonly kind: 'skipped'; readonly reason: string };

export interface FunctionReport {
  readonly name: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly status: FunctionStatus;
}

/** Something the user should know about the input that is not a finding: a parse error, a size cap. */
export interface Diagnostic {
  readonly severity: 'info' | 'warning';
  readonly line?: number;
  readonly message: string;
}

export interface AnalysisResult {
  readonly findings: readonly Finding[];
  readonly functions: readonly FunctionReport[];
  readonly diagnostics: readonly Diagnostic[];
}
