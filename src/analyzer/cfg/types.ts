import type { SyntaxNode } from 'tree-sitter';

/** Index into FlowGraph.nodes. */
export type NodeId = number;

/**
 * One node of a function's control-flow graph. Conditions are already split at `&&`, `||`, `!` and
 * parentheses, so a branch tests one atomic condition and the walker can refine nullness on each edge.
 */
export type FlowNode =
  | { readonly kind: 'entry'; next: NodeId }
  /** A declaration or expression evaluated for its effects. */
  | { readonly kind: 'effect'; readonly ast: SyntaxNode; next: NodeId }
  /** An atomic condition: its effects are evaluated, then the edge taken refines what it tests. */
  /** `assertion`: an assert's condition, whose false edge aborts and whose references exist only for the check. */
  /** `counted`: the condition of `for (i = 0; i < n; i++)`, which the loop leaves only with `i == n`. */
  /** `firstTest`: the test `for (i = 0; i < n; ...)` makes on entry, with its counter still 0. */
  | {
      readonly kind: 'branch';
      readonly cond: SyntaxNode;
      whenTrue: NodeId;
      whenFalse: NodeId;
      readonly assertion?: boolean;
      readonly counted?: CountedLoop;
      readonly firstTest?: { readonly counter: string };
    }
  /**
   * Several successors with nothing learned on the way: `switch` cases, `#if` arms, `catch` clauses.
   * `build`: an `#if` whose condition the function tests again; its two targets are the sides a build compiles
   * when `key` holds and when it does not (swapped for `#ifndef`), so a path takes the same side every time.
   */
  | { readonly kind: 'choice'; readonly ast: SyntaxNode; targets: NodeId[]; readonly build?: PreprocessorCondition }
  /** `goto`, `break`, `continue`: an edge with nothing to evaluate (kept as a node so its line is in traces). */
  | { readonly kind: 'jump'; readonly ast: SyntaxNode; next: NodeId }
  /** `opaque`: a macro of the file returns something the walk cannot see. */
  | { readonly kind: 'return'; readonly ast: SyntaxNode; readonly value: SyntaxNode | null; readonly macro?: string; readonly opaque?: boolean }
  | { readonly kind: 'throw'; readonly ast: SyntaxNode }
  /** The closing brace: a function that falls off its end. */
  | { readonly kind: 'end'; readonly ast: SyntaxNode }
  /** abort(), Py_FatalError(), Py_UNREACHABLE(): the path ends and nothing is reported on it. */
  | { readonly kind: 'noreturn'; readonly ast: SyntaxNode };

export interface CountedLoop {
  readonly counter: string;
  readonly bound: string;
}

export interface PreprocessorCondition {
  /** `#if defined(NAME)` for `#ifdef NAME`, `#if <condition>` otherwise, blanks removed. */
  readonly key: string;
  /** `#ifndef`: the first target runs when the key does not hold. */
  readonly negated: boolean;
}

export interface FlowGraph {
  readonly nodes: readonly FlowNode[];
  readonly entry: NodeId;
}
