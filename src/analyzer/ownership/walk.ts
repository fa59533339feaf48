import type { SyntaxNode } from 'tree-sitter';
import type { FlowGraph, NodeId } from '../cfg/types.js';
import type { OwnershipEvent } from './events.js';
import type { Evaluator } from './evaluate.js';
import { TYPE_CHECK, exactTypeOf, isSingleton, neverSingleton, typeProvenBy } from './known-calls.js';
import { CAPITALS_NAME, argumentNodes, calleeName, fieldKey, foldText, lineOf, statementInBlock, unwrap } from './syntax.js';
import { type PathState, type RefFacts, type Value, NULL_VALUE, TRUTHY, UNKNOWN, counterKey, holders, isPredicateKey, pendingOn, predicateKey, refOf, sharedKey, stateKey, updateRef, withHolding, withRef, withStep, withVar } from './state.js';

export interface WalkLimits {
  /** Node visits in all, over all paths; past it the walk stops and says so. */
  readonly budget: number;
  /** Distinct states kept at one node; more are dropped (fewer paths, never a guess). */
  readonly statesPerNode: number;
}

export type WalkOutcome = { readonly complete: true; readonly steps: number } | { readonly complete: false; readonly steps: number; readonly reason: string };

/**
 * Explores the paths of one function, de-duplicating identical states at each node, and emits what happens
 * to each reference. Dropping paths can hide a finding but never invent one, so limits only cost recall.
 */
export function walk(graph: FlowGraph, initial: PathState, evaluator: Evaluator, emit: (e: OwnershipEvent) => void, limits: WalkLimits): WalkOutcome {
  const seen = new Map<NodeId, Set<string>>();
  const work: Array<{ node: NodeId; state: PathState }> = [{ node: graph.entry, state: initial }];
  let steps = 0;
  let dropped = 0;

  while (work.length > 0) {
    const next = work.pop()!;
    const id = next.node;
    let state = next.state;
    if (++steps > limits.budget) return { complete: false, steps, reason: `path budget of ${limits.budget} steps exhausted` };
    let key = stateKey(state);
    let keys = seen.get(id);
    if (!keys) seen.set(id, (keys = new Set()));
    if (keys.has(key)) continue;
    // Where paths pile up, answers remembered from repeated tests give way, so paths merge instead of being dropped.
    if (keys.size >= limits.statesPerNode / 2) {
      state = forgetTestAnswers(state);
      key = stateKey(state);
      if (keys.has(key)) continue;
    }
    if (keys.size >= limits.statesPerNode) {
      dropped++;
      continue;
    }
    keys.add(key);

    const node = graph.nodes[id]!;
    switch (node.kind) {
      case 'entry':
        work.push({ node: node.next, state });
        break;
      case 'effect': {
        const r = evaluator.eval(state, node.ast);
        work.push({ node: node.next, state: settle(evaluator, r.state, r.value, node.ast, emit) });
        break;
      }
      case 'jump': {
        const s = node.ast.type === 'goto_statement' ? withStep(state, { line: lineOf(node.ast), note: node.ast.text.replace(/\s+/g, ' ').replace(/;$/, '') }) : state;
        work.push({ node: node.next, state: s });
        break;
      }
      case 'choice': {
        const condition = node.build;
        if (!condition) {
          for (const target of node.targets) work.push({ node: target, state });
          break;
        }
        // One build compiles one side of each `#if X`: every `#if X` on a path takes the side the first one took.
        const [whenTrue, whenFalse] = node.targets;
        const known = state.vars.get(condition.key);
        for (const [target, side] of [[whenTrue, true], [whenFalse, false]] as const) {
          const holds = side !== condition.negated;
          if (target === undefined || (known && (known.kind === 'truthy') !== holds)) continue;
          work.push({ node: target, state: withVar(state, condition.key, holds ? TRUTHY : NULL_VALUE) });
        }
        break;
      }
      case 'branch': {
        const counted = node.counted;
        const entered = node.firstTest !== undefined && firstTestPasses(evaluator, state, node.cond, node.firstTest.counter);
        for (const edge of branch(evaluator, state, node.cond, emit, node.assertion === true)) {
          if (entered && !edge.truth) continue;
          // The loop goes on while `i < n` and leaves with `i == n`, unless a `break` leaves it first.
          const s = counted ? withVar(edge.state, counterKey(counted.counter, counted.bound), edge.truth ? NULL_VALUE : TRUTHY) : edge.state;
          work.push({ node: edge.truth ? node.whenTrue : node.whenFalse, state: s });
        }
        break;
      }
      case 'return': {
        let s = state;
        let returned: Value | undefined;
        if (node.value) {
          const r = evaluator.returnValue(s, node.value);
          s = r.state;
          returned = r.value;
          const ref = refOf(s, returned);
          if (ref) s = evaluator.used(s, ref, 'return', node.value);
        }
        emit({
          kind: 'exit',
          how: 'return',
          line: lineOf(node.ast),
          trace: s.trace,
          state: s,
          inBlock: statementInBlock(node.ast),
          ...(returned ? { returned } : {}),
          ...(node.macro ? { macro: node.macro } : {}),
          ...(node.opaque ? { opaque: true } : {}),
        });
        break;
      }
      case 'throw':
        emit({ kind: 'exit', how: 'throw', line: lineOf(node.ast), trace: state.trace, state, inBlock: statementInBlock(node.ast) });
        break;
      case 'end':
        emit({ kind: 'exit', how: 'end', line: lineOf(node.ast), trace: state.trace, state, inBlock: true });
        break;
      case 'noreturn':
        break;
    }
  }
  return dropped > 0 ? { complete: false, steps, reason: `${dropped} paths dropped past ${limits.statesPerNode} states at one point` } : { complete: true, steps };
}

/**
 * The end of a full expression: a status nobody tests means the stealing call is taken to have succeeded,
 * and an owned reference nothing points at any more has leaked on this line.
 */
function settle(evaluator: Evaluator, state: PathState, value: Value, at: SyntaxNode, emit: (e: OwnershipEvent) => void): PathState {
  let s = state;
  if (value.kind === 'status' && !value.pending.resize && !pendingOn(s, value.pending.ref)) {
    s = evaluator.applySteal(s, value.pending.ref, value.pending.call, value.pending.line);
  }
  return dropUnreachable(s, at, emit);
}

function dropUnreachable(state: PathState, at: SyntaxNode, emit: (e: OwnershipEvent) => void): PathState {
  let s = state;
  const line = lineOf(at);
  for (const ref of state.refs.values()) {
    // Fields and singletons stay reachable through their names, whoever points at them.
    if (ref.id.startsWith('global:') || ref.origin === 'field' || holders(s, ref.id).length > 0 || pendingOn(s, ref.id)) continue;
    if (ref.owned > 0 && ref.origin === 'new' && !ref.escaped && !ref.uncertain && ref.nullness !== 'null') {
      emit({ kind: 'unreachable', line, trace: s.trace, ref, cause: ref.line === line ? 'temporary' : 'overwritten' });
    }
    if (ref.owned > 0 || ref.origin === 'new') {
      const refs = new Map(s.refs);
      refs.delete(ref.id);
      s = { ...s, refs };
    }
  }
  return s;
}

interface Edge {
  readonly truth: boolean;
  readonly state: PathState;
}

/** What an atomic condition tests; `sense` false means the condition is true when the fact does not hold. */
type Test =
  /** The fact: the value is not NULL (or not zero); `name` is the local tested, to remember the answer. */
  | { readonly kind: 'nonnull'; readonly value: Value; readonly sense: boolean; readonly name?: string }
  /** The fact: the call that steals only on success failed. */
  | { readonly kind: 'failed'; readonly value: Value; readonly sense: boolean }
  /** PyErr_Occurred(): when true, the calls that can fail with an exception returned NULL. */
  | { readonly kind: 'error-set' }
  /** `PyNumber_InPlaceOr(a, b) == a`: when true, the new reference is one more reference to `a`'s object. */
  | { readonly kind: 'same-object'; readonly created: string; readonly existing: string }
  /** `result == Py_NotImplemented`: whether a tracked reference is that singleton. */
  | { readonly kind: 'is'; readonly ref: string; readonly singleton: string; readonly sense: boolean }
  /** `self->item[i] == Py_None`: when true, releasing the singleton releases what that expression holds. */
  | { readonly kind: 'names'; readonly singleton: string; readonly sense: boolean }
  /** `i == n` after a counted loop: whether the path left it by its condition is known, so the answer is too. */
  | { readonly kind: 'decided'; readonly value: boolean }
  /** `Py_REFCNT(x) >= 2`: when true, something else holds a reference too, so x outlives its release here. */
  | { readonly kind: 'shared'; readonly ref: string }
  /** `Py_REFCNT(self->x) > 1` of a field or global: when true, its release here gives up one share and leaves it set for the others. */
  | { readonly kind: 'shared-storage'; readonly key: string }
  /** `cls->tp_mro == new_mro`: when true, the field holds its own reference to that object. */
  | { readonly kind: 'holds'; readonly key: string; readonly ref: string }
  | { readonly kind: 'opaque' };

function knownEqual(state: PathState, a: string, b: string): boolean | undefined {
  const known = state.vars.get(counterKey(a, b)) ?? state.vars.get(counterKey(b, a));
  return known === undefined ? undefined : known.kind === 'truthy';
}

/** Evaluates an atomic condition and returns the feasible edges, each with what it teaches. */
function branch(evaluator: Evaluator, state: PathState, cond: SyntaxNode, emit: (e: OwnershipEvent) => void, assertion: boolean): Edge[] {
  evaluator.takeOutBindings();
  const { state: classified, test } = classify(evaluator, state, cond);
  const outs = evaluator.takeOutBindings();
  // What an assert computes only feeds the check (`assert(PyNumber_InPlaceOr(a, b) == a)`): it is not judged.
  const evaluated = assertion ? escapeNew(classified, state) : classified;
  const edges: Edge[] = [];
  for (const truth of [true, false]) {
    // Refined first: the test may say what a temporary is (`f(a) == a`) before it is judged unreachable.
    let refined = refine(evaluator, evaluated, test, truth, cond);
    // `if (PyArg_ParseTuple(..., &o))`, `while (PyDict_Next(..., &k, &v))`: when the call says no, it filled nothing.
    if (refined && !truth && unwrap(cond).type === 'call_expression') for (const o of outs) refined = withVar(refined, o.name, o.previous);
    if (refined) edges.push({ truth, state: dropUnreachable(refined, cond, emit) });
  }
  return edges;
}

const NULL_TEXT = /^(NULL|nullptr|0|\(\s*PyObject\s*\*\s*\)\s*NULL)$/;

function isNullLiteral(node: SyntaxNode): boolean {
  const n = unwrap(node);
  return n.type === 'null' || NULL_TEXT.test(n.text);
}

function classify(evaluator: Evaluator, state: PathState, cond: SyntaxNode): { state: PathState; test: Test } {
  const e = unwrap(cond);
  if (e.type === 'call_expression' && ERROR_TESTS.has(e.childForFieldName('function')?.text ?? '')) return { state, test: { kind: 'error-set' } };
  if (e.type === 'binary_expression') {
    const op = e.childForFieldName('operator')?.type ?? e.child(1)?.type ?? '';
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (left && right && (op === '==' || op === '!=')) {
      const equal = unwrap(left).type === 'identifier' && unwrap(right).type === 'identifier' ? knownEqual(state, unwrap(left).text, unwrap(right).text) : undefined;
      if (equal !== undefined) return { state, test: { kind: 'decided', value: equal === (op === '==') } };
      const nullOnRight = isNullLiteral(right);
      const nullOnLeft = isNullLiteral(left);
      const single = [left, right].find((side) => unwrap(side).type === 'identifier' && isSingleton(unwrap(side).text));
      if (single) {
        const other = single === left ? right : left;
        const o = evaluator.eval(state, other);
        if (o.value.kind === 'ref') return { state: o.state, test: { kind: 'is', ref: o.value.ref, singleton: `global:${unwrap(single).text}`, sense: op === '==' } };
        return { state: o.state, test: { kind: 'names', singleton: `global:${unwrap(single).text}`, sense: op === '==' } };
      }
      if (op === '==' && unwrap(left).type === 'call_expression' && unwrap(right).type === 'identifier') {
        const l = evaluator.eval(state, left);
        const r = evaluator.eval(l.state, right);
        const created = refOf(r.state, l.value);
        if (created && created.origin === 'new' && r.value.kind === 'ref' && r.value.ref !== created.id) {
          return { state: r.state, test: { kind: 'same-object', created: created.id, existing: r.value.ref } };
        }
        return { state: r.state, test: { kind: 'opaque' } };
      }
      const field = unwrap(left).type === 'field_expression' ? left : unwrap(right).type === 'field_expression' ? right : undefined;
      if (op === '==' && field && !nullOnRight && !nullOnLeft) {
        const other = field === left ? right : left;
        const l = evaluator.eval(state, field);
        const o = evaluator.eval(l.state, other);
        if (o.value.kind === 'ref') return { state: o.state, test: { kind: 'holds', key: fieldKey(field), ref: o.value.ref } };
        return { state: o.state, test: { kind: 'opaque' } };
      }
      if (nullOnRight || nullOnLeft) {
        const r = evaluator.eval(state, nullOnRight ? left : right);
        if (r.value.kind === 'status') return { state: r.state, test: { kind: 'failed', value: r.value, sense: op === '!=' } };
        const tested = unwrap(nullOnRight ? left : right);
        return { state: r.state, test: { kind: 'nonnull', value: r.value, sense: op === '!=', ...localName(evaluator, tested) } };
      }
    }
    if (left && right && (op === '>=' || op === '>') && isRefcountOf(left)) {
      const counted = unwrap(left).childForFieldName('arguments')?.namedChildren[0];
      const r = counted ? evaluator.eval(state, counted) : undefined;
      const threshold = Number.parseInt(right.text, 10) + (op === '>' ? 1 : 0);
      if (r && r.value.kind === 'ref' && threshold >= 2) return { state: r.state, test: { kind: 'shared', ref: r.value.ref } };
      const storage = counted ? unwrap(counted) : undefined;
      if (r && storage && threshold >= 2 && (storage.type === 'field_expression' || (storage.type === 'identifier' && !evaluator.isLocal(storage.text)))) {
        return { state: r.state, test: { kind: 'shared-storage', key: foldText(storage) } };
      }
      return { state: r?.state ?? state, test: { kind: 'opaque' } };
    }
    if (left && right && ['<', '==', '<=', '>=', '>', '!='].includes(op)) {
      const l = evaluator.eval(state, left);
      const r = evaluator.eval(l.state, right);
      // `status < 0`, or the same written the other way round: `0 > status`.
      const status = l.value.kind === 'status' ? l.value : r.value.kind === 'status' ? r.value : undefined;
      const failedWhenTrue = status && (l.value.kind === 'status' ? statusFailure(op, right.text) : statusFailure(MIRRORED[op] ?? op, left.text));
      if (status && failedWhenTrue !== undefined) return { state: r.state, test: { kind: 'failed', value: status, sense: failedWhenTrue } };
      // `n == -1` of a size that cannot be an error here.
      const negative = l.value.kind === 'nonnegative' ? isNegative(op, right.text) : r.value.kind === 'nonnegative' ? isNegative(MIRRORED[op] ?? op, left.text) : undefined;
      if (negative !== undefined) return { state: r.state, test: { kind: 'decided', value: negative } };
      // `len > 0` where this path set `len = 0`; `i < n` with `i` at 0 where it learned `n >= 1`: read as `other OP' 0`.
      const other = l.value.kind === 'null' ? right : r.value.kind === 'null' ? left : undefined;
      if (other) {
        const known = decide(factsAbout(evaluator, r.state, unwrap(other)), other === right ? (MIRRORED[op] ?? op) : op, 0);
        if (known !== undefined) return { state: r.state, test: { kind: 'decided', value: known } };
      }
      // `n == 1` where this path learned `n > 1`: decided by what the path's earlier comparisons said.
      const compared = constantComparison(evaluator, r.state, left, op, right);
      if (compared) {
        const known = decide(factsOf(r.state, compared.name), compared.op, compared.value);
        if (known !== undefined) return { state: r.state, test: { kind: 'decided', value: known } };
        return { state: r.state, test: { kind: 'nonnull', value: UNKNOWN, sense: true, name: predicateKey(`${compared.name}${compared.op}${compared.value}`) } };
      }
      return { state: r.state, test: { kind: 'opaque' } };
    }
  }
  const r = evaluator.eval(state, e);
  const checked = typeCheckOf(evaluator, r.state, e);
  if (checked !== undefined) return { state: r.state, test: { kind: 'decided', value: checked } };
  if (r.value.kind === 'unknown' && evaluator.testsAgain(e)) {
    // A field tested again before the function writes it answers the same (calls between are taken not to change it).
    const name = e.type === 'field_expression' ? fieldKey(e) : predicateKey(foldText(e));
    return { state: r.state, test: { kind: 'nonnull', value: r.value, sense: true, name } };
  }
  if (r.value.kind === 'status') return { state: r.state, test: { kind: 'failed', value: r.value, sense: true } };
  if (r.value.kind !== 'unknown' || e.type === 'identifier') return { state: r.state, test: { kind: 'nonnull', value: r.value, sense: true, ...localName(evaluator, e) } };
  return { state: r.state, test: { kind: 'opaque' } };
}

/** `PyBytes_Check(b)` where `b` came from `PyUnicode_AsASCIIString`: the answer is known (true), else undefined. */
function typeCheckOf(evaluator: Evaluator, state: PathState, e: SyntaxNode): boolean | undefined {
  if (e.type !== 'call_expression') return undefined;
  const check = TYPE_CHECK.exec(calleeName(e) ?? '');
  const asked = check?.[1];
  const [arg] = argumentNodes(e);
  if (!asked || !arg || unwrap(arg).type !== 'identifier') return undefined;
  const ref = refOf(state, evaluator.eval(state, arg).value);
  if (ref?.origin === 'new' && ref.nullness === 'nonnull' && exactTypeOf(ref.source) === asked) return true;
  // `PyDict_GetItem(d, k)` gave an object on this path: `d` is a dict, or a subclass of one.
  if (check?.[2] === undefined) {
    const name = unwrap(arg).text;
    for (const r of state.refs.values()) {
      const proven = r.nullness === 'nonnull' ? typeProvenBy(r.call) : undefined;
      if (proven?.type === asked && proven.container === name) return true;
    }
  }
  return undefined;
}

/** The path's memory of type checks, flag tests and field tests (`#pred ...`, `self->telling`), dropped. */
function forgetTestAnswers(state: PathState): PathState {
  let s = state;
  for (const [name, value] of state.vars) {
    if (isPredicateKey(name) || (name.includes('->') && (value.kind === 'truthy' || value.kind === 'null'))) s = withVar(s, name, UNKNOWN);
  }
  return s;
}

function isRefcountOf(node: SyntaxNode): boolean {
  const n = unwrap(node);
  return n.type === 'call_expression' && n.childForFieldName('function')?.text === 'Py_REFCNT';
}

const ERROR_TESTS: ReadonlySet<string> = new Set(['PyErr_Occurred', '_PyErr_Occurred']);

const MIRRORED: Readonly<Record<string, string>> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

/** For `value OP constant` with a value known not to be negative: the answer, when the comparison decides it. */
function isNegative(op: string, constant: string): boolean | undefined {
  const c = constant.replace(/\s+/g, '');
  if ((c === '0' && op === '<') || (c === '-1' && (op === '==' || op === '<='))) return false;
  if ((c === '0' && op === '>=') || (c === '-1' && (op === '!=' || op === '>'))) return true;
  return undefined;
}

/** `for (i = 0; i < n; ...)`: does the test pass with the counter at 0 (a bound positive on this path)? */
function firstTestPasses(evaluator: Evaluator, state: PathState, cond: SyntaxNode, counter: string): boolean {
  const bound = cond.childForFieldName('right');
  // `DCTSIZE2`, `MAX_DIMS`: a constant from a header, and as a loop's bound a positive one.
  if (bound?.type === 'identifier' && CAPITALS_NAME.test(bound.text) && !evaluator.isLocal(bound.text)) return true;
  const { test } = classify(evaluator, withVar(state, counter, NULL_VALUE), cond);
  return test.kind === 'decided' && test.value;
}

interface Comparison {
  readonly name: string;
  readonly op: string;
  readonly value: number;
}

/** `n OP 3` or `3 OP n`, read as `n OP' 3`, for a local the function compares with constants again. */
function constantComparison(evaluator: Evaluator, state: PathState, left: SyntaxNode, op: string, right: SyntaxNode): Comparison | undefined {
  const [l, r] = [unwrap(left), unwrap(right)];
  const [name, constant, cmp] = l.type === 'identifier' ? [l.text, r.text, op] : [r.text, l.text, MIRRORED[op] ?? op];
  if (!/^-?\d+$/.test(constant.replace(/\s+/g, '')) || !evaluator.comparesAgain(name)) return undefined;
  const known = state.vars.get(name);
  if (known && known.kind !== 'truthy') return undefined;
  return { name, op: cmp, value: Number.parseInt(constant.replace(/\s+/g, ''), 10) };
}

const NEGATED: Readonly<Record<string, string>> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };
const FACT_KEY = /^#pred (\w+)(<=|>=|==|!=|<|>)(-?\d+)$/;

/** What the path knows of a local's integer value: its remembered comparisons with constants, and a test of it for zero. */
function factsOf(state: PathState, name: string): Array<[string, number]> {
  const facts: Array<[string, number]> = state.vars.get(name)?.kind === 'truthy' ? [['!=', 0]] : [];
  for (const [key, value] of state.vars) {
    const m = FACT_KEY.exec(key);
    if (!m || m[1] !== name || (value.kind !== 'truthy' && value.kind !== 'null')) continue;
    facts.push([value.kind === 'truthy' ? m[2]! : NEGATED[m[2]!]!, Number.parseInt(m[3]!, 10)]);
  }
  return facts;
}

/** What is known of an operand's integer value: a literal is itself, a local compared again has its facts, anything else nothing. */
function factsAbout(evaluator: Evaluator, state: PathState, operand: SyntaxNode): Array<[string, number]> {
  const text = operand.text.replace(/\s+/g, '');
  if (/^-?\d+$/.test(text)) return [['==', Number.parseInt(text, 10)]];
  return operand.type === 'identifier' && evaluator.comparesAgain(operand.text) ? factsOf(state, operand.text) : [];
}

/** Whether every integer that satisfies `facts` (each `x OP c`) also satisfies `x op value` (true), none does (false), or some do. */
function decide(facts: ReadonlyArray<readonly [string, number]>, asked: string, value: number): boolean | undefined {
  let lo = -Infinity;
  let hi = Infinity;
  const excluded = new Set<number>();
  for (const [op, c] of facts) {
    if (op === '<') hi = Math.min(hi, c - 1);
    else if (op === '<=') hi = Math.min(hi, c);
    else if (op === '>') lo = Math.max(lo, c + 1);
    else if (op === '>=') lo = Math.max(lo, c);
    else if (op === '==') [lo, hi] = [Math.max(lo, c), Math.min(hi, c)];
    else excluded.add(c);
  }
  if (facts.length === 0 || lo > hi) return undefined;
  const c = value;
  const only = lo === hi ? lo : undefined;
  const outside = c < lo || c > hi || excluded.has(c);
  const always: Record<string, boolean> = { '<': hi < c, '<=': hi <= c, '>': lo > c, '>=': lo >= c, '==': only === c && !excluded.has(c), '!=': outside };
  const never: Record<string, boolean> = { '<': lo >= c, '<=': lo > c, '>': hi <= c, '>=': hi < c, '==': outside, '!=': only === c && !excluded.has(c) };
  if (always[asked]) return true;
  if (never[asked]) return false;
  return undefined;
}

/** For `status OP constant`: is the condition true exactly when the call failed (status -1)? */
function statusFailure(op: string, constant: string): boolean | undefined {
  const c = constant.replace(/\s+/g, '');
  if (c === '0' && (op === '<' || op === '!=')) return true;
  if (c === '0' && (op === '==' || op === '>=')) return false;
  if (c === '0' && op === '>') return false;
  if (c === '-1' && op === '==') return true;
  if (c === '-1' && op === '!=') return false;
  return undefined;
}

function refine(evaluator: Evaluator, state: PathState, test: Test, truth: boolean, cond: SyntaxNode): PathState | undefined {
  if (test.kind === 'opaque') return state;
  if (test.kind === 'decided') return test.value === truth ? state : undefined;
  if (test.kind === 'error-set') return truth ? assumeFailed(state) : state;
  if (test.kind === 'holds') return truth ? withHolding(state, test.key, test.ref) : state;
  if (test.kind === 'shared') return truth ? updateRef(state, test.ref, (r) => ({ ...r, sharedWith: r.sharedWith ?? 'another owner' })) : state;
  if (test.kind === 'shared-storage') return truth ? withVar(state, sharedKey(test.key), TRUTHY) : state;
  if (test.kind === 'same-object') {
    if (!truth) return state;
    const created = state.refs.get(test.created);
    if (!created) return state;
    const merged = updateRef(state, test.existing, (r) => ({ ...r, owned: r.owned + created.owned }));
    return updateRef(merged, test.created, (r) => ({ ...r, owned: 0, escaped: true }));
  }
  if (test.kind === 'names') return test.sense === truth ? aliasSingleton(state, test.singleton, lineOf(cond)) : state;
  if (test.kind === 'is') {
    const same = test.sense === truth;
    // A singleton is itself and no other singleton; any other reference might be it.
    if (test.ref === test.singleton) return same ? state : undefined;
    if (!same) return state;
    if (test.ref.startsWith('global:')) return undefined;
    const ref = state.refs.get(test.ref);
    if (ref?.origin === 'new' && neverSingleton(ref.source, ref.call)) return undefined;
    // Equal to a singleton: not NULL, never freed, and `Py_DECREF(Py_None)` now releases its reference.
    const aliased = aliasSingleton(state, test.singleton, lineOf(cond));
    const singleton = test.singleton.slice('global:'.length);
    return updateRef(aliased, test.ref, (r) => ({ ...r, nullness: r.nullness === 'maybe' ? 'nonnull' : r.nullness, sharedWith: r.sharedWith ?? singleton }));
  }
  // A field tested before on this path (`if (self->telling)` twice) answers the same way again.
  const remembered = test.kind === 'nonnull' && test.value.kind === 'unknown' && test.name ? state.vars.get(test.name) : undefined;
  const value = remembered && remembered.kind !== 'ref' ? remembered : test.value;
  const holds = test.sense === truth;
  const line = lineOf(cond);
  if (test.kind === 'nonnull') {
    if (value.kind === 'null') return holds ? undefined : state;
    if (value.kind === 'truthy') return holds ? state : undefined;
    const ref = refOf(state, value);
    // A plain local tested again later (a flag, a pointer) gets the same answer on this path.
    if (!ref) return test.name && value.kind === 'unknown' ? withVar(state, test.name, holds ? TRUTHY : NULL_VALUE) : state;
    const want = holds ? 'nonnull' : 'null';
    if (ref.nullness !== 'maybe' && ref.nullness !== want) return undefined;
    return withStep(updateRef(state, ref.id, (r) => ({ ...r, nullness: want })), { line, note: `${describe(ref)} is ${holds ? 'not NULL' : 'NULL'} here`, ref: ref.id });
  }
  if (value.kind !== 'status') return state;
  const { ref: id, call, line: callLine, resize } = value.pending;
  if (resize) {
    // Failed: the call released the object and set the variable to NULL. Succeeded: the variable holds the result.
    return holds ? updateRef(state, id, (r) => ({ ...r, owned: 0, nullness: 'null', ended: { how: 'released', line: callLine, by: call } })) : state;
  }
  if (holds) {
    return withStep(
      updateRef(state, id, (r: RefFacts) => ({ ...r, keptByFailedSteal: { callee: call, line: callLine } })),
      { line, note: `${call} failed: it did not steal the reference`, ref: id },
    );
  }
  return evaluator.applySteal(state, id, call, callLine);
}

/** The singleton has a second name on this path, so what a release of it by its own name means is not judged. */
function aliasSingleton(state: PathState, id: string, line: number): PathState {
  const known = state.refs.get(id);
  if (known) return known.uncertain ? state : updateRef(state, id, (r) => ({ ...r, uncertain: true }));
  const source = id.slice('global:'.length);
  return withRef(state, { id, origin: 'borrowed', source, line, owned: 0, nullness: 'nonnull', escaped: false, uncertain: true });
}

function escapeNew(state: PathState, before: PathState): PathState {
  let s = state;
  for (const ref of state.refs.values()) if (!before.refs.has(ref.id)) s = updateRef(s, ref.id, (r) => ({ ...r, escaped: true }));
  return s;
}

/** An exception is set: the call results this path still doubts about were in fact NULL. */
function assumeFailed(state: PathState): PathState {
  let s = state;
  for (const ref of state.refs.values()) {
    if (ref.nullness === 'maybe' && ref.id.startsWith('call@')) s = updateRef(s, ref.id, (r) => ({ ...r, nullness: 'null' }));
  }
  return s;
}

/** What to remember a tested truth under: a local, or a field (`self->telling`) until something stores into it. */
function localName(evaluator: Evaluator, node: SyntaxNode): { name?: string } {
  if (node.type === 'identifier' && evaluator.isLocal(node.text)) return { name: node.text };
  return node.type === 'field_expression' ? { name: fieldKey(node) } : {};
}

function describe(ref: RefFacts): string {
  return ref.origin === 'new' ? `the result of ${ref.source}` : ref.source;
}
