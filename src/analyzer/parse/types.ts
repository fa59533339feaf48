import type Parser from 'tree-sitter';
import type { Language } from './language.js';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

export type FunctionKind = 'function' | 'method' | 'constructor' | 'destructor' | 'lambda';

export interface Parameter {
  /** Absent for unnamed parameters (`int`, `PyObject *`) and for `...`. */
  readonly name?: string;
  /** The declaration with the name taken out and blanks folded: `PyObject *`, `const char *const *`, `...`. */
  readonly type: string;
}

interface FunctionBase {
  /** As written: `module_exec`, `Foo::bar`, `Graph::~Graph`, `operator==`, `<lambda at 12>`. */
  readonly name: string;
  /** 1-based, inclusive, lines of the whole definition (return type to closing brace). */
  readonly startLine: number;
  readonly endLine: number;
  /** The `function_definition` or `lambda_expression` node. */
  readonly node: SyntaxNode;
  /** The `compound_statement` (or `try_statement` for a function-try-block). */
  readonly body: SyntaxNode;
  readonly parameters: readonly Parameter[];
  /** The body subtree holds ERROR or MISSING nodes: its statements may be cut or misread. */
  readonly hasErrors: boolean;
}

/** A named function: the return type is written out, and `static` is meaningful. */
interface NamedFunction extends FunctionBase {
  /**
   * Type specifiers plus the declarator's pointer and reference marks, blanks folded:
   * `PyObject *`, `static`-free. Empty for constructors, destructors and conversion operators.
   */
  readonly returnType: string;
  readonly isStatic: boolean;
}

export interface FreeFunction extends NamedFunction {
  readonly kind: 'function';
}

export interface MemberFunction extends NamedFunction {
  readonly kind: 'method' | 'constructor' | 'destructor';
  /** The class as written, nested classes joined by `::`: `Graph`, `Outer::Inner`. */
  readonly className: string;
}

export interface LambdaFunction extends FunctionBase {
  readonly kind: 'lambda';
  /** The trailing `-> T` when written, otherwise empty (deduced). */
  readonly returnType: string;
}

export type ParsedFunction = FreeFunction | MemberFunction | LambdaFunction;

export interface ParseError {
  /** 1-based line and 0-based column where the ERROR or MISSING node starts. */
  readonly line: number;
  readonly column: number;
  /** `error` for a span the grammar could not read, `missing` for a token it had to invent. */
  readonly kind: 'error' | 'missing';
  /** The original source text at the error, cut to one line and at most 80 characters. */
  readonly text: string;
}

export interface ParsedFile {
  /** The grammar whose tree was kept (a header may fall back from C++ to C). */
  readonly language: Language;
  /** The source as given. Offsets, lines and columns of every node index into it. */
  readonly source: string;
  /**
   * The text the parser read: `source` with statement-like macros rewritten and, where the first reading
   * failed, one branch kept of each `#if` group; same length, same line breaks.
   * `node.text` returns slices of this text, so read original spellings from `source`.
   */
  readonly parsedText: string;
  readonly tree: Tree;
  /** Every function body in source order, lambdas after the function that holds them starts. */
  readonly functions: readonly ParsedFunction[];
  /** The outermost ERROR nodes and every MISSING node, in source order. */
  readonly errors: readonly ParseError[];
}
