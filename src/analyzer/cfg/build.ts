import type { SyntaxNode } from 'tree-sitter';
import type { MacroFlow } from '../ownership/file-macros.js';
import { foldText } from '../ownership/syntax.js';
import type { CountedLoop, FlowGraph, FlowNode, NodeId, PreprocessorCondition } from './types.js';

/** Statement macros that return a new reference (to None, True, ...) from the function. */
const RETURN_MACROS: ReadonlySet<string> = new Set([
  'Py_RETURN_NONE',
  'Py_RETURN_TRUE',
  'Py_RETURN_FALSE',
  'Py_RETURN_NOTIMPLEMENTED',
  'Py_RETURN_RICHCOMPARE',
]);

/** Calls after which the path cannot go on, so nothing on it is worth reporting. */
const NO_RETURN_CALLS: ReadonlySet<string> = new Set([
  'abort',
  'exit',
  '_exit',
  'Py_FatalError',
  'Py_UNREACHABLE',
  'Py_Exit',
  '_Py_FatalErrorFunc',
  '_Py_FatalErrorFormat',
  '__builtin_unreachable',
  'longjmp',
  'siglongjmp',
  'assert_never',
]);

/** Checks compiled out of release builds: what they evaluate is not the program's behaviour. */
const ASSERTIONS: ReadonlySet<string> = new Set(['assert', '_PyObject_ASSERT', '_PyObject_ASSERT_WITH_MSG', 'Py_DEBUG_ASSERT', 'static_assert']);

/** Statement kinds that change no reference and no control flow. */
const INERT_STATEMENTS: ReadonlySet<string> = new Set([
  'comment',
  'preproc_call',
  'preproc_def',
  'preproc_function_def',
  'preproc_include',
  'type_definition',
  'struct_specifier',
  'enum_specifier',
  'union_specifier',
  'class_specifier',
  'static_assert_declaration',
  'using_declaration',
  'alias_declaration',
  'namespace_alias_definition',
  'empty_statement',
  ';',
]);

class FlowGraphError extends Error {}

interface Scope {
  readonly breakTo: NodeId | undefined;
  readonly continueTo: NodeId | undefined;
}

/**
 * Builds the flow graph of one function body; `macros` are the file's statement macros that return or jump,
 * `emptyMacros` those defined to nothing, whose statements are not compiled at all.
 * Throws FlowGraphError on a goto to an unknown label.
 */
export function buildFlowGraph(
  body: SyntaxNode,
  macros: ReadonlyMap<string, MacroFlow> = new Map(),
  emptyMacros: ReadonlySet<string> = new Set(),
): FlowGraph {
  const nodes: FlowNode[] = [];
  const labels = new Map<string, NodeId>();
  const gotos: Array<{ node: Extract<FlowNode, { kind: 'jump' }>; label: string }> = [];

  const repeated = repeatedConditions(body);
  const functionText = body.text;
  const add = (node: FlowNode): NodeId => nodes.push(node) - 1;
  const jump = (ast: SyntaxNode, next: NodeId): Extract<FlowNode, { kind: 'jump' }> => {
    const node = { kind: 'jump' as const, ast, next };
    add(node);
    return node;
  };
  const idOf = (node: FlowNode): NodeId => nodes.indexOf(node);

  function condition(expr: SyntaxNode, whenTrue: NodeId, whenFalse: NodeId): NodeId {
    const e = unwrapCondition(expr);
    if (e.type === 'unary_expression' && e.child(0)?.type === '!') {
      const arg = e.childForFieldName('argument');
      if (arg) return condition(arg, whenFalse, whenTrue);
    }
    if (e.type === 'binary_expression') {
      const op = e.childForFieldName('operator')?.type;
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      if (left && right && op === '&&') return condition(left, condition(right, whenTrue, whenFalse), whenFalse);
      if (left && right && op === '||') return condition(left, whenTrue, condition(right, whenTrue, whenFalse));
    }
    if (e.type === 'comma_expression') {
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      if (left && right) return add({ kind: 'effect', ast: left, next: condition(right, whenTrue, whenFalse) });
    }
    const constant = constantTruth(e);
    if (constant !== undefined) return constant ? whenTrue : whenFalse;
    return add({ kind: 'branch', cond: e, whenTrue, whenFalse });
  }

  function clause(clauseNode: SyntaxNode, whenTrue: NodeId, whenFalse: NodeId): NodeId {
    if (clauseNode.type !== 'condition_clause') return condition(clauseNode, whenTrue, whenFalse);
    const value = clauseNode.childForFieldName('value');
    const init = clauseNode.childForFieldName('initializer');
    let entry: NodeId;
    if (value?.type === 'declaration') {
      const declared = declaredName(value);
      entry = add({
        kind: 'effect',
        ast: value,
        next: declared ? condition(declared, whenTrue, whenFalse) : add({ kind: 'choice', ast: value, targets: [whenTrue, whenFalse] }),
      });
    } else if (value) {
      entry = condition(value, whenTrue, whenFalse);
    } else {
      entry = add({ kind: 'choice', ast: clauseNode, targets: [whenTrue, whenFalse] });
    }
    return init ? add({ kind: 'effect', ast: init, next: entry }) : entry;
  }

  function sequence(children: readonly SyntaxNode[], next: NodeId, scope: Scope): NodeId {
    if (children[0] && declaredUnreachable(children[0])) return add({ kind: 'noreturn', ast: children[0] });
    let entry = next;
    for (let i = children.length - 1; i >= 0; i--) entry = statement(children[i]!, entry, scope);
    return entry;
  }

  function statement(node: SyntaxNode, next: NodeId, scope: Scope): NodeId {
    if (INERT_STATEMENTS.has(node.type)) return next;
    switch (node.type) {
      case 'compound_statement':
        return sequence(node.namedChildren, next, scope);
      case 'declaration':
        return add({ kind: 'effect', ast: node, next });
      case 'expression_statement':
        return expressionStatement(node, next);
      case 'if_statement': {
        const cond = node.childForFieldName('condition');
        const cons = node.childForFieldName('consequence');
        const alt = node.childForFieldName('alternative');
        const thenEntry = cons ? statement(cons, next, scope) : next;
        const elseEntry = alt ? statement(alt, next, scope) : next;
        return cond ? clause(cond, thenEntry, elseEntry) : add({ kind: 'choice', ast: node, targets: [thenEntry, elseEntry] });
      }
      case 'else_clause':
        return sequence(node.namedChildren, next, scope);
      case 'while_statement': {
        const head = jump(node, next);
        const body = node.childForFieldName('body');
        const bodyEntry = body ? statement(body, idOf(head), { breakTo: next, continueTo: idOf(head) }) : idOf(head);
        const cond = node.childForFieldName('condition');
        head.next = cond ? clause(cond, bodyEntry, next) : bodyEntry;
        return idOf(head);
      }
      case 'do_statement': {
        const check = jump(node, next);
        const body = node.childForFieldName('body');
        const bodyEntry = body ? statement(body, idOf(check), { breakTo: next, continueTo: idOf(check) }) : idOf(check);
        const cond = node.childForFieldName('condition');
        check.next = cond ? condition(cond, bodyEntry, next) : next;
        return bodyEntry;
      }
      case 'for_statement': {
        const head = jump(node, next);
        const update = node.childForFieldName('update');
        const afterBody = update ? add({ kind: 'effect', ast: update, next: idOf(head) }) : idOf(head);
        const body = node.childForFieldName('body');
        const bodyEntry = body ? statement(body, afterBody, { breakTo: next, continueTo: afterBody }) : afterBody;
        const cond = node.childForFieldName('condition');
        const counted = countedLoop(node, functionText);
        head.next = counted && cond ? add({ kind: 'branch', cond: unwrapCondition(cond), whenTrue: bodyEntry, whenFalse: next, counted }) : cond ? condition(cond, bodyEntry, next) : bodyEntry;
        const init = node.childForFieldName('initializer');
        const counter = init && cond ? countsFromZero(init, cond) : undefined;
        // The first test, made with the counter at 0, is a node of its own: a bound known positive lets it pass for sure.
        const entry = counter && cond ? add({ kind: 'branch', cond: unwrapCondition(cond), whenTrue: bodyEntry, whenFalse: next, ...(counted ? { counted } : {}), firstTest: { counter } }) : idOf(head);
        return init ? add({ kind: 'effect', ast: init, next: entry }) : entry;
      }
      case 'for_range_loop': {
        const head = add({ kind: 'choice', ast: node, targets: [] });
        const body = node.childForFieldName('body');
        const bodyEntry = body ? statement(body, head, { breakTo: next, continueTo: head }) : head;
        (nodes[head] as Extract<FlowNode, { kind: 'choice' }>).targets.push(bodyEntry, next);
        return head;
      }
      case 'switch_statement':
        return switchStatement(node, next, scope);
      case 'break_statement':
        return scope.breakTo === undefined ? next : idOf(jump(node, scope.breakTo));
      case 'continue_statement':
        return scope.continueTo === undefined ? next : idOf(jump(node, scope.continueTo));
      case 'goto_statement': {
        const label = node.childForFieldName('label')?.text;
        const j = jump(node, next);
        if (label) gotos.push({ node: j, label });
        return idOf(j);
      }
      case 'labeled_statement': {
        const label = node.childForFieldName('label')?.text;
        const inner = node.namedChildren.filter((c) => c.type !== 'statement_identifier');
        const target = jump(node, sequence(inner, next, scope));
        if (label) labels.set(label, idOf(target));
        return idOf(target);
      }
      case 'return_statement': {
        const value = node.namedChildren.find((c) => c.type !== 'comment') ?? null;
        return add({ kind: 'return', ast: node, value });
      }
      case 'throw_statement':
        return add({ kind: 'throw', ast: node });
      case 'try_statement': {
        const body = node.childForFieldName('body');
        const bodyEntry = body ? statement(body, next, scope) : next;
        const catches = node.namedChildren
          .filter((c) => c.type === 'catch_clause')
          .map((c) => {
            const catchBody = c.childForFieldName('body');
            return catchBody ? statement(catchBody, next, scope) : next;
          });
        return add({ kind: 'choice', ast: node, targets: [bodyEntry, ...catches] });
      }
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
      case 'preproc_else': {
        const alt = node.childForFieldName('alternative');
        const header = new Set([node.childForFieldName('condition')?.id, node.childForFieldName('name')?.id, alt?.id]);
        const body = node.namedChildren.filter((c) => !header.has(c.id));
        // `#else #error "unsupported"`: no build compiles that branch, so no path goes through it.
        const bodyEntry = body.some(isErrorDirective) ? add({ kind: 'noreturn', ast: node }) : sequence(body, next, scope);
        if (node.type === 'preproc_else') return bodyEntry;
        const altEntry = alt ? statement(alt, next, scope) : next;
        const condition = preprocessorCondition(node);
        const build = condition && repeated.has(condition.key) ? { build: condition } : {};
        return add({ kind: 'choice', ast: node, targets: [bodyEntry, altEntry], ...build });
      }
      case 'case_statement':
        return sequence(caseBody(node), next, scope);
      case 'attributed_statement':
        return sequence(node.namedChildren.filter((c) => c.type !== 'attribute_declaration'), next, scope);
      default:
        return add({ kind: 'effect', ast: node, next });
    }
  }

  function expressionStatement(node: SyntaxNode, next: NodeId): NodeId {
    const expr = node.namedChildren.find((c) => c.type !== 'comment');
    if (!expr) return next;
    const callee = expr.type === 'call_expression' ? expr.childForFieldName('function')?.text : expr.type === 'identifier' ? expr.text : undefined;
    if (callee && RETURN_MACROS.has(callee)) return add({ kind: 'return', ast: node, value: null, macro: callee });
    if (callee && NO_RETURN_CALLS.has(callee)) return add({ kind: 'noreturn', ast: node });
    if (callee && emptyMacros.has(callee)) return next;
    if (callee && ASSERTIONS.has(callee)) return assertion(expr, next);
    const macro = callee ? macros.get(callee) : undefined;
    if (callee && macro) {
      let leave: NodeId;
      if (macro.kind === 'return') leave = add({ kind: 'return', ast: node, value: null, macro: callee, opaque: true });
      else {
        const j = jump(node, next);
        gotos.push({ node: j, label: macro.label ?? '' });
        leave = idOf(j);
      }
      // The body runs before it leaves (CLEANUP: release, reassign, then maybe `goto Done`).
      return add({ kind: 'effect', ast: expr, next: macro.conditional ? add({ kind: 'choice', ast: node, targets: [leave, next] }) : leave });
    }
    return add({ kind: 'effect', ast: expr, next });
  }

  /** `assert(c)`: the path goes on only where `c` holds, which refines like any branch (`assert(f != NULL)`). */
  function assertion(call: SyntaxNode, next: NodeId): NodeId {
    const cond = call.type === 'call_expression' ? call.childForFieldName('arguments')?.namedChildren[0] : undefined;
    if (!cond) return next;
    const abort = add({ kind: 'noreturn', ast: call });
    const entry = condition(cond, next, abort);
    for (let id = abort + 1; id < nodes.length; id++) {
      const node = nodes[id]!;
      if (node.kind === 'branch') nodes[id] = { ...node, assertion: true };
    }
    return entry;
  }

  function switchStatement(node: SyntaxNode, next: NodeId, scope: Scope): NodeId {
    const body = node.childForFieldName('body');
    const cases = body?.namedChildren.filter((c) => c.type === 'case_statement') ?? [];
    const inner: Scope = { breakTo: next, continueTo: scope.continueTo };
    const entries: NodeId[] = [];
    let fallthrough = next;
    for (let i = cases.length - 1; i >= 0; i--) {
      fallthrough = sequence(caseBody(cases[i]!), fallthrough, inner);
      entries.unshift(fallthrough);
    }
    const hasDefault = cases.some((c) => c.childForFieldName('value') === null);
    const exhaustive = hasDefault || coversEnclosingCase(node, cases);
    const choice = add({ kind: 'choice', ast: node, targets: exhaustive ? entries : [...entries, next] });
    const cond = node.childForFieldName('condition');
    return cond ? add({ kind: 'effect', ast: cond, next: choice }) : choice;
  }

  const end = add({ kind: 'end', ast: lastChildOrSelf(body) });
  const first = sequence(body.type === 'compound_statement' ? body.namedChildren : [body], end, { breakTo: undefined, continueTo: undefined });
  const entry = add({ kind: 'entry', next: first });
  for (const { node, label } of gotos) {
    const target = labels.get(label);
    if (target === undefined) throw new FlowGraphError(`goto to unknown label '${label}' at line ${node.ast.startPosition.row + 1}`);
    node.next = target;
  }
  return { nodes, entry };
}

/**
 * `default: /* can't happen *\/`, `{ /* not reached *\/`: the author says no path comes here, so none is walked.
 * Only a plain statement counts: "cannot be reached when fields is NULL" is a condition, not a verdict.
 */
const UNREACHABLE_NOTE = /^\/[*/]\s*(this\s+)?((can'?t|cannot|should\s*n'?o?t|should never|must never|will never|never)\s+(ever\s+)?(happen|be reached|get here)|not\s*reached|unreachable|impossible)\s*([.,;:!-]|\*\/|$)/i;

function declaredUnreachable(node: SyntaxNode): boolean {
  return node.type === 'comment' && UNREACHABLE_NOTE.test(node.text);
}

/**
 * `case A: case B: ... switch (t) { case A: ... case B: ... }` inside an outer `switch (t)`: the inner switch lists every
 * value the outer case lets in, so no value falls past it (`_ssl.c`'s general names). `t` must not change in between.
 */
function coversEnclosingCase(inner: SyntaxNode, innerCases: readonly SyntaxNode[]): boolean {
  const subject = inner.childForFieldName('condition');
  if (!subject) return false;
  const tested = foldConditionText(subject);
  for (let child = inner, parent = inner.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type !== 'case_statement' || child.id === parent.childForFieldName('value')?.id) continue;
    const outer = parent.parent?.parent;
    if (outer?.type !== 'switch_statement') continue;
    const outerSubject = outer.childForFieldName('condition');
    if (!outerSubject || foldConditionText(outerSubject) !== tested) continue;
    const between = outer.text.slice(outerSubject.endIndex - outer.startIndex, inner.startIndex - outer.startIndex);
    if (!/^\w+$/.test(tested) || new RegExp(`\\b${tested}\\s*([-+*/%&|^]?=(?!=)|\\+\\+|--)|(\\+\\+|--)\\s*${tested}\\b|&\\s*${tested}\\b`).test(between)) return false;
    const admitted = caseGroup(parent);
    const listed = new Set(innerCases.map(caseLabel));
    return admitted.length > 0 && admitted.every((label) => label !== undefined && listed.has(label));
  }
  return false;
}

/** The labels that reach a case's statements: its own and those of the empty cases just before it. */
function caseGroup(node: SyntaxNode): Array<string | undefined> {
  const labels = [caseLabel(node)];
  for (let prev = node.previousNamedSibling; prev?.type === 'case_statement' && caseBody(prev).filter((c) => c.type !== 'comment').length === 0; prev = prev.previousNamedSibling) {
    labels.push(caseLabel(prev));
  }
  return labels;
}

function foldConditionText(condition: SyntaxNode): string {
  return foldText(unwrapCondition(condition));
}

/** `case GEN_DNS:`'s value, blanks removed; undefined for `default:`. */
function caseLabel(node: SyntaxNode): string | undefined {
  const value = node.childForFieldName('value');
  return value ? foldText(value) : undefined;
}

/** `for (i = 0; i < n; ...)`, `for (int i = 0; i <= LAST; ...)`: the counter, when the bound is a name or a number. */
function countsFromZero(init: SyntaxNode, cond: SyntaxNode): string | undefined {
  const counter = /^(?:[\w\s*]+\s)?(\w+)\s*=\s*0\s*;?$/.exec(init.text.trim())?.[1];
  const test = unwrapCondition(cond);
  if (!counter || test.type !== 'binary_expression' || !['<', '<='].includes(test.childForFieldName('operator')?.type ?? '')) return undefined;
  const bound = test.childForFieldName('right');
  const bounded = bound?.type === 'identifier' || bound?.type === 'number_literal';
  return test.childForFieldName('left')?.text === counter && bounded ? counter : undefined;
}

function caseBody(node: SyntaxNode): SyntaxNode[] {
  const value = node.childForFieldName('value');
  return node.namedChildren.filter((c) => c.id !== value?.id);
}

function lastChildOrSelf(node: SyntaxNode): SyntaxNode {
  return node.lastChild ?? node;
}

function unwrapCondition(expr: SyntaxNode): SyntaxNode {
  let e = expr;
  while (e.type === 'parenthesized_expression' || e.type === 'condition_clause') {
    const inner = e.namedChildren.find((c) => c.type !== 'comment');
    if (!inner || inner.type === 'declaration') return e;
    e = inner;
  }
  return e;
}

function constantTruth(e: SyntaxNode): boolean | undefined {
  if (e.type === 'true') return true;
  if (e.type === 'false') return false;
  if (e.type === 'number_literal') return !/^0+[uUlL]*$/.test(e.text);
  return undefined;
}

function declaredName(declaration: SyntaxNode): SyntaxNode | undefined {
  let d = declaration.childForFieldName('declarator');
  while (d && d.type !== 'identifier') d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c.type === 'identifier') ?? null;
  return d ?? undefined;
}

function isErrorDirective(node: SyntaxNode): boolean {
  return node.type === 'preproc_call' && node.childForFieldName('directive')?.text.replace(/\s+/g, '') === '#error';
}

const PREPROCESSOR_BRANCHES: ReadonlySet<string> = new Set(['preproc_if', 'preproc_elif', 'preproc_ifdef', 'preproc_elifdef']);

/** `#if X` / `#ifdef X` / `#ifndef X`: what a build decides once for the whole function. */
function preprocessorCondition(node: SyntaxNode): PreprocessorCondition | undefined {
  if (node.type === 'preproc_if' || node.type === 'preproc_elif') {
    const condition = node.childForFieldName('condition');
    return condition ? { key: `#if ${foldText(condition)}`, negated: false } : undefined;
  }
  if (node.type === 'preproc_ifdef' || node.type === 'preproc_elifdef') {
    const name = node.childForFieldName('name');
    return name ? { key: `#if defined(${name.text})`, negated: /n/.test(node.child(0)?.type ?? '') } : undefined;
  }
  return undefined;
}

/** Conditions tested by more than one `#if` of the body: only those tie paths together, so only those are kept. */
function repeatedConditions(body: SyntaxNode): ReadonlySet<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  const stack = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const key = PREPROCESSOR_BRANCHES.has(node.type) ? preprocessorCondition(node)?.key : undefined;
    if (key !== undefined) (seen.has(key) ? repeated : seen).add(key);
    stack.push(...node.namedChildren);
  }
  return repeated;
}

/**
 * `for (i = 0; i < n; i++)` whose counter the function later compares with `n` (`if (i == n) goto error;`,
 * telling a `break` from running out): leaving by the condition means `i == n`. Only then is it worth telling.
 */
function countedLoop(loop: SyntaxNode, functionText: string): CountedLoop | undefined {
  const cond = loop.childForFieldName('condition');
  const update = loop.childForFieldName('update');
  const init = loop.childForFieldName('initializer');
  const test = cond ? unwrapCondition(cond) : undefined;
  if (test?.type !== 'binary_expression' || test.childForFieldName('operator')?.type !== '<') return undefined;
  const counter = test.childForFieldName('left');
  const bound = test.childForFieldName('right');
  if (counter?.type !== 'identifier' || bound?.type !== 'identifier') return undefined;
  const i = counter.text;
  const n = bound.text;
  const steps = update !== null && new RegExp(`^(\\+\\+${i}|${i}\\+\\+|${i}\\s*\\+=\\s*1)$`).test(update.text.trim());
  const fromZero = init !== null && new RegExp(`^(\\w+\\s+)?${i}\\s*=\\s*0;?$`).test(init.text.trim());
  const compared = new RegExp(`\\b(${i}\\s*[!=]=\\s*${n}|${n}\\s*[!=]=\\s*${i})\\b`).test(functionText);
  return steps && fromZero && compared ? { counter: i, bound: n } : undefined;
}
