import type { SyntaxNode } from 'tree-sitter';
import type { ApiEntry, ArgEffect } from '../capi/types.js';
import type { OwnershipEvent, ReleaseMacro } from './events.js';
import {
  CALLER_MISUSE,
  INTERNAL_ERROR,
  type PathState,
  type RefFacts,
  type Value,
  NONNEGATIVE,
  NULL_VALUE,
  TRUTHY,
  UNKNOWN,
  UNTRACKED_RELEASE,
  holders,
  refOf,
  sharedKey,
  storedAnew,
  updateRef,
  withDangling,
  withHolding,
  withRef,
  withStep,
  withVar,
} from './state.js';
import {
  ACCESSOR,
  CONTAINER_GETTERS,
  INCREFS,
  INSERTS,
  NEW_REF_OF_ARGUMENT,
  OPAQUE_RESULTS,
  RELEASES,
  SETREFS,
  SINGLETONS,
  SLOT_WRITERS,
  cachedResult,
  cannotFailOn,
  MEMORY_FREE,
  NON_NULL_POINTERS,
  raisesInternalError,
  readsThroughFirstArgument,
} from './known-calls.js';
import { CAPITALS_NAME, argumentNodes, calleeName, declaratorName, foldText, lineOf, statementInBlock, stringContent, unwrap } from './syntax.js';
import { forgetFieldsThrough, isSlotOfMany, keepEarlier, takeOver } from './identity.js';

/** What expression evaluation needs from the function and the file. */
export interface EvalContext {
  readonly lookup: (name: string) => ApiEntry | undefined;
  /** Effects of the variadic arguments after a format string. */
  readonly formatEffects: (format: string, style: 'build' | 'parse') => readonly ArgEffect[];
  /** Names each macro of the file mentions in its body. */
  readonly macroMentions: ReadonlyMap<string, ReadonlySet<string>>;
  /** Index of the first variadic argument a format string describes. */
  readonly firstVariadic: (entry: ApiEntry) => number;
  /** Local variables and parameters: an assignment to any other plain name stores into a global. */
  readonly locals: ReadonlySet<string>;
  /** Locals and parameters declared as object pointers: only reads into these are taken as references. */
  readonly objectLocals: ReadonlySet<string>;
  /** The function returns an object pointer, so its return value is a reference. */
  readonly returnsObject: boolean;
  /** Declared types of locals and parameters, pointer and qualifiers stripped: `cwrobject`, `Graph`. */
  readonly typeOf: ReadonlyMap<string, string>;
  /** The class a member function belongs to, whose members it names without `this->`. */
  readonly className: string | undefined;
  readonly params: ReadonlySet<string>;
  /** Pointers whose struct the function copies whole (`saved = *pc`): their fields have a second holder it does not track. */
  readonly copiedStructs: ReadonlySet<string>;
  /** Local structs whose fields the function assigns (`collect.list = ...`): only these have members to let go. */
  readonly structLocals: ReadonlySet<string>;
  /** Tuples the function fills with borrowed items and pays for before releasing them: their SET_ITEM takes nothing. */
  readonly borrowingTuples: ReadonlySet<string>;
  /** `t = PyTuple_Pack(3, a, b, c)`: which item each slot of a packed tuple already holds a reference to, as `t[0]=a`. */
  readonly packedSlots: ReadonlySet<string>;
  /** Predicates and fields the function tests more than once (folded text): only their answers are worth remembering on a path. */
  readonly repeatedTests: ReadonlySet<string>;
  /** Locals stepped in place (`i++`, `n += k`): what they start as says nothing a few steps on, and would split every loop's paths. */
  readonly steppedLocals: ReadonlySet<string>;
  /** Locals compared with integer constants more than once (`n > 1`, later `n == 1`): only their answers are worth remembering. */
  readonly comparedLocals: ReadonlySet<string>;
  readonly emit: (event: OwnershipEvent) => void;
}

const SLOT_READERS: ReadonlySet<string> = new Set([...SLOT_WRITERS.values()].flat());

/**
 * Calls that cannot fail for what they are given: `Py_BuildValue("N", x)` with `x` not NULL returns `x` itself, and
 * `PyType_GetName` / `PyType_GetQualName` of a heap type (made by `PyType_FromSpec`) return the name it keeps.
 */
function succeedsFor(state: PathState, name: string, n: SyntaxNode, args: readonly Value[]): boolean {
  const given = (i: number): RefFacts | undefined => (args[i] ? refOf(state, args[i]) : undefined);
  if (name === 'Py_BuildValue' && /^"[NOS]"$/.test(argumentNodes(n)[0]?.text ?? '')) return args[1]?.kind === 'truthy' || given(1)?.nullness === 'nonnull';
  if (name === 'PyType_GetName' || name === 'PyType_GetQualName') {
    const type = given(0);
    return type !== undefined && type.nullness === 'nonnull' && /^PyType_From\w*Spec\w*$/.test(type.source);
  }
  return false;
}

function isCast(node: SyntaxNode | null): boolean {
  let n = node;
  while (n?.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
  return n?.type === 'cast_expression';
}

/** A format string the walk cannot read hands its arguments to code it cannot see. */
type Effect = ArgEffect | 'escapes';

interface Result {
  readonly state: PathState;
  readonly value: Value;
}

/** `SIGCHECK({ Py_DECREF(x); return -1; })`: a block handed to a macro runs when the macro says, not in line. */
function insideArgument(node: SyntaxNode): boolean {
  for (let p = node.parent; p && p.type !== 'function_definition'; p = p.parent) if (p.type === 'argument_list') return true;
  return false;
}

/** A field filled with a reference the walk cannot follow: rules stay silent about it. */
function untrackedField(key: string, field: SyntaxNode, at: SyntaxNode): RefFacts {
  return { id: `field:${key}`, origin: 'field', source: field.text, line: lineOf(at), owned: 0, nullness: 'maybe', escaped: false, uncertain: true };
}

/** A field or global the function stores into or releases: `self->x`, `GraphRef.Model`, `module_state`. */
function isStorage(node: SyntaxNode, ctx: EvalContext): boolean {
  const n = unwrap(node);
  if (n.type === 'field_expression' || n.type === 'subscript_expression') return true;
  if (n.type === 'pointer_expression' && n.child(0)?.type === '*') return true;
  return n.type === 'identifier' && !ctx.locals.has(n.text) && !SINGLETONS.has(n.text);
}

/**
 * A release frees the object only when it may drop the last reference: the function's own new reference, never
 * handed to code that could keep one (an unknown call, an insert) nor known to be a singleton. A parameter or a
 * borrowed reference has an owner outside, whose release is the borrowed-release rule's to judge.
 */
function mayHaveFreed(ref: RefFacts): boolean {
  return ref.ended?.how === 'released' && ref.origin === 'new' && !ref.escaped && ref.sharedWith === undefined;
}

export class Evaluator {
  constructor(private readonly ctx: EvalContext) {}

  /** Out-parameters filled since the last `takeOutBindings`, with what each variable held before. */
  private outBindings: Array<{ readonly name: string; readonly previous: Value }> = [];

  /** Inside the arguments of a macro the file does not define: what they do may never run, so uses there are not judged. */
  private unjudged = 0;

  /** A call that fails leaves its out-parameters as they were: the branch that sees it fail undoes these. */
  takeOutBindings(): Array<{ readonly name: string; readonly previous: Value }> {
    const taken = this.outBindings;
    this.outBindings = [];
    return taken;
  }

  /** Evaluates an expression or declaration for its effects; returns the value it produces. */
  eval(state: PathState, node: SyntaxNode): Result {
    const n = unwrap(node);
    switch (n.type) {
      case 'identifier':
        return this.identifier(state, n);
      case 'null':
        return { state, value: NULL_VALUE };
      case 'number_literal':
        return { state, value: /^0+[uUlL]*$/.test(n.text) ? NULL_VALUE : /^[0-9]/.test(n.text) ? TRUTHY : UNKNOWN };
      case 'call_expression':
        return this.call(state, n);
      case 'assignment_expression':
        return this.assignment(state, n);
      case 'declaration':
        return { state: this.declaration(state, n), value: UNKNOWN };
      case 'comma_expression': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const afterLeft = left ? this.eval(state, left).state : state;
        return right ? this.eval(afterLeft, right) : { state: afterLeft, value: UNKNOWN };
      }
      case 'field_expression': {
        const arg = n.childForFieldName('argument');
        const operator = n.child(1)?.type;
        if (!arg) return { state, value: UNKNOWN };
        if (this.inLocalStruct(n)) return { state, value: state.vars.get(foldText(n)) ?? UNKNOWN };
        const r = this.eval(state, arg);
        const after = operator === '->' ? this.dereference(r.state, arg, r.value, n) : r.state;
        const known = `field:${foldText(n)}`;
        return { state: after, value: after.refs.has(known) ? { kind: 'ref', ref: known } : UNKNOWN };
      }
      case 'subscript_expression': {
        const arg = n.childForFieldName('argument');
        const index = n.childForFieldName('index') ?? n.childForFieldName('indices');
        let s = state;
        if (arg) {
          const r = this.eval(s, arg);
          s = this.dereference(r.state, arg, r.value, n);
        }
        if (index) s = this.eval(s, index).state;
        return { state: s, value: UNKNOWN };
      }
      case 'pointer_expression': {
        const arg = n.childForFieldName('argument');
        if (!arg) return { state, value: UNKNOWN };
        if (n.child(0)?.type === '&') return { state: this.escapeAddressOf(state, arg), value: UNKNOWN };
        const r = this.eval(state, arg);
        return { state: this.dereference(r.state, arg, r.value, n), value: UNKNOWN };
      }
      case 'conditional_expression':
        return this.conditional(state, n);
      case 'update_expression': {
        const arg = n.childForFieldName('argument');
        const r = arg ? this.eval(state, arg) : { state, value: UNKNOWN };
        return { state: arg?.type === 'identifier' ? this.changedInPlace(r.state, arg.text) : r.state, value: UNKNOWN };
      }
      case 'lambda_expression':
        return { state: this.escapeMentioned(state, n), value: UNKNOWN };
      case 'initializer_list':
      case 'compound_literal_expression':
        return { state: this.escapeEach(state, n.namedChildren), value: UNKNOWN };
      case 'sizeof_expression':
      case 'alignof_expression':
      case 'string_literal':
      case 'concatenated_string':
      case 'char_literal':
      case 'true':
      case 'false':
        return { state, value: UNKNOWN };
      default: {
        let s = state;
        for (const child of n.namedChildren) if (child.type !== 'comment') s = this.eval(s, child).state;
        return { state: s, value: UNKNOWN };
      }
    }
  }

  /**
   * Evaluates an expression whose value is kept (initialiser, assigned value, return value). A field read there
   * becomes a reference the field's object owns, so returning it or taking it over can be judged.
   */
  valueOf(state: PathState, node: SyntaxNode, isObject: boolean): Result {
    const r = this.eval(state, node);
    const n = unwrap(node);
    if (!isObject || r.value.kind !== 'unknown' || !this.isFieldOrGlobal(n) || this.inLocalStruct(n)) return r;
    const key = foldText(n);
    const id = `field:${key}`;
    if (r.state.refs.has(id)) return { state: r.state, value: { kind: 'ref', ref: id } };
    const arrow = key.indexOf('->');
    const copied = arrow > 0 && this.ctx.copiedStructs.has(key.slice(0, arrow));
    // Stored on this path (`self->x = tmp; return self->x;`): the field names the object stored there.
    const held = copied ? undefined : r.state.holdsIn.get(key);
    if (held !== undefined && r.state.refs.has(held)) return { state: r.state, value: { kind: 'ref', ref: held } };
    const ref: RefFacts = { id, origin: 'field', source: n.text, line: lineOf(n), owned: 0, nullness: 'maybe', escaped: false, uncertain: copied };
    return { state: withRef(r.state, ref), value: { kind: 'ref', ref: id } };
  }

  /** A test the function asks again later: the path keeps its answer. */
  testsAgain(n: SyntaxNode): boolean {
    return this.ctx.repeatedTests.has(foldText(n));
  }

  isLocal(name: string): boolean {
    return this.ctx.locals.has(name);
  }

  /** A local the function compares with constants again later: the path keeps what each comparison answered. */
  comparesAgain(name: string): boolean {
    return this.ctx.comparedLocals.has(name);
  }

  /** The value a function returns. */
  returnValue(state: PathState, node: SyntaxNode): Result {
    return this.valueOf(state, node, this.ctx.returnsObject);
  }

  private isFieldOrGlobal(n: SyntaxNode): boolean {
    return n.type === 'field_expression' || (n.type === 'identifier' && !this.ctx.locals.has(n.text) && !SINGLETONS.has(n.text) && !/^[A-Z0-9_]+$/.test(n.text));
  }

  private identifier(state: PathState, n: SyntaxNode): Result {
    const name = n.text;
    const value = state.vars.get(name);
    if (value) return { state, value };
    // The whole struct copied, returned or passed on: the references its fields hold go with it.
    if (this.ctx.structLocals.has(name)) return { state: this.escapeMembers(state, name), value: UNKNOWN };
    const mentioned = this.ctx.macroMentions.get(name);
    if (mentioned) return { state: this.escapeNames(state, mentioned), value: UNKNOWN };
    if (!this.ctx.locals.has(name) && state.refs.has(`field:${name}`)) return { state, value: { kind: 'ref', ref: `field:${name}` } };
    if (SINGLETONS.has(name)) {
      const id = `global:${name}`;
      if (state.refs.has(id)) return { state, value: { kind: 'ref', ref: id } };
      const ref: RefFacts = { id, origin: 'borrowed', source: name, line: lineOf(n), owned: 0, nullness: 'nonnull', escaped: false, uncertain: false };
      return { state: withRef(state, ref), value: { kind: 'ref', ref: id } };
    }
    return { state, value: UNKNOWN };
  }

  private declaration(state: PathState, n: SyntaxNode): PathState {
    let s = state;
    for (const d of n.childrenForFieldName('declarator')) {
      if (d.type === 'init_declarator') {
        const name = declaratorName(d.childForFieldName('declarator'));
        const init = d.childForFieldName('value');
        if (!init) continue;
        if (init.type === 'argument_list' || init.type === 'initializer_list') {
          s = this.constructorArguments(s, init);
          continue;
        }
        const r = this.valueOf(s, init, name !== undefined && this.ctx.objectLocals.has(name));
        s = name ? this.bind(r.state, name, r.value) : this.escapeValue(r.state, r.value);
      } else {
        const name = declaratorName(d);
        if (name) s = withVar(s, name, UNKNOWN);
      }
    }
    const value = n.childForFieldName('value');
    if (value) {
      const name = declaratorName(n.childForFieldName('declarator'));
      const r = this.eval(s, value);
      s = name ? this.bind(r.state, name, r.value) : r.state;
    }
    return s;
  }

  /** `T x(args)` or `T x{args}`: a constructor may keep what it is given (an RAII owner), so the arguments escape. */
  private constructorArguments(state: PathState, list: SyntaxNode): PathState {
    return this.escapeEach(state, list.namedChildren.filter((c) => c.type !== 'comment'));
  }

  private assignment(state: PathState, n: SyntaxNode): Result {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const op = n.childForFieldName('operator')?.type ?? n.child(1)?.type;
    if (!left || !right) return { state, value: UNKNOWN };
    const target = unwrap(left);
    const r = this.valueOf(state, right, target.type === 'identifier' && this.ctx.objectLocals.has(target.text));
    if (op !== '=') {
      const l = this.eval(r.state, left);
      return { state: target.type === 'identifier' ? this.changedInPlace(l.state, target.text) : l.state, value: UNKNOWN };
    }
    if (target.type === 'identifier' && this.ctx.locals.has(target.text)) {
      return { state: this.bind(r.state, target.text, r.value), value: r.value };
    }
    // `collect.list = PyList_New(0)`: a field of the function's own struct is one more local variable.
    if (this.inLocalStruct(target)) return { state: this.bind(r.state, foldText(target), r.value), value: r.value };
    return { state: this.store(r.state, target, r.value, n), value: r.value };
  }

  /** `i++`, `len += n`: a number is no longer what the path knew (zero, not zero); a pointer stepped along keeps its reference. */
  private changedInPlace(state: PathState, name: string): PathState {
    const s = forgetFieldsThrough(state, name);
    return s.vars.get(name)?.kind === 'ref' ? s : withVar(s, name, UNKNOWN);
  }

  /** A local variable now points at `value`; what it pointed at before may be left unreachable. */
  bind(state: PathState, name: string, value: Value): PathState {
    const counted = this.ctx.steppedLocals.has(name) && value.kind !== 'ref' && value.kind !== 'status';
    return withVar(forgetFieldsThrough(state, name), name, counted ? UNKNOWN : value);
  }

  /** Storing into a field, a global, an array or through an out-parameter hands the reference off. */
  private store(state: PathState, target: SyntaxNode, value: Value, at: SyntaxNode): PathState {
    let s = state;
    if (target.type === 'field_expression') {
      const arg = target.childForFieldName('argument');
      if (arg && target.child(1)?.type === '->') {
        const r = this.eval(s, arg);
        s = this.dereference(r.state, arg, r.value, target);
      }
    } else if (target.type === 'subscript_expression' || target.type === 'pointer_expression') {
      s = this.eval(s, target).state;
      // `*(PyObject **)ptr = value`: raw memory of the caller's, whose rules for holding references the walk cannot see.
      if (target.type === 'pointer_expression' && isCast(target.childForFieldName('argument'))) return this.escapeValue(s, value);
      // `*pc = saved`: a whole struct is written, every field through `pc` with it.
      const base = target.type === 'pointer_expression' ? target.childForFieldName('argument') : undefined;
      if (base?.type === 'identifier') s = forgetFieldsThrough(s, base.text);
    }
    const key = foldText(target);
    s = storedAnew(s, key);
    // `self->subarray = NULL`: fields read through it before belong to the struct it pointed at.
    if (target.type === 'field_expression') s = forgetFieldsThrough(s, key);
    // The field gives back the reference it held: `self->x = old; Py_DECREF(tmp)` after `self->x = tmp`.
    // Not an array slot or `*--sp`: the same text names another slot each time round a loop.
    const previous = isSlotOfMany(key) ? undefined : s.holdsIn.get(key);
    if (previous && !(value.kind === 'ref' && value.ref === previous)) {
      // Unless another field took it over unpaid in between (`*p = x; Py_XSETREF(self->f, x); *p = NULL`): that field keeps it.
      s = updateRef(s, previous, ({ ended, unpaidStores, ...r }) =>
        unpaidStores
          ? { ...r, ...(ended ? { ended } : {}), ...(unpaidStores > 1 ? { unpaidStores: unpaidStores - 1 } : {}) }
          : { ...r, owned: r.owned + 1, ...(ended && ended.how !== 'handed-off' ? { ended } : {}) },
      );
    }
    const stored = refOf(s, value);
    // Stored unpaid, the field names the object too: a Py_INCREF right after pays for it, and overwriting it gives that back.
    s = withHolding(s, key, stored && (stored.owned > 0 || !stored.id.startsWith('global:')) && !isSlotOfMany(key) ? stored.id : undefined);
    // Storing the field's own object back (`f = Py_NewRef(f)`) takes nothing over.
    // A field given a reference nobody paid for (`Py_DECREF(ste); st->st_cur = ste;`) borrows: its old value was not its own either.
    const borrowing = stored !== undefined && stored.owned <= 0 && !stored.id.startsWith('global:');
    if (!(value.kind === 'ref' && value.ref === `field:${key}`) && !borrowing) s = takeOver(s, key, at);
    const ref = refOf(s, value);
    // What the field now holds came from something the walk does not follow: reading it back is not judged.
    if (!ref) return (value.kind === 'unknown' || value.kind === 'truthy') && !isSlotOfMany(key) ? withRef(s, untrackedField(key, target, at)) : s;
    if (ref.owned <= 0) return updateRef(s, ref.id, (r) => ({ ...r, unpaidStores: (r.unpaidStores ?? 0) + 1 }));
    return updateRef(s, ref.id, (r) => ({
      ...r,
      owned: r.owned - 1,
      ...(r.owned - 1 === 0 ? { ended: { how: 'handed-off' as const, line: lineOf(at), by: target.text } } : {}),
    }));
  }

  /** The struct is gone: what its fields held is reached through it no more, so none of them is left dangling. */
  private freeMemory(state: PathState, arg: SyntaxNode): Result {
    const r = this.eval(state, arg);
    const target = unwrap(arg);
    const freed = target.type === 'identifier' || target.type === 'field_expression' ? forgetFieldsThrough(r.state, foldText(target)) : r.state;
    return { state: this.escapeValue(freed, r.value), value: UNKNOWN };
  }

  private conditional(state: PathState, n: SyntaxNode): Result {
    const cond = n.childForFieldName('condition');
    let s = cond ? this.eval(state, cond).state : state;
    const branches = [n.childForFieldName('consequence'), n.childForFieldName('alternative')];
    const values: Value[] = [];
    for (const b of branches) {
      if (!b) continue;
      const r = this.eval(s, b);
      s = r.state;
      values.push(r.value);
    }
    // Both arms ran in one state, so what either produced is uncertain: keep it out of every report.
    for (const v of values) if (v.kind === 'ref') s = updateRef(s, v.ref, (r) => ({ ...r, uncertain: true }));
    return { state: s, value: values.length === 2 && values[0]!.kind === 'ref' && sameValue(values[0]!, values[1]!) ? values[0]! : UNKNOWN };
  }

  private call(given: PathState, n: SyntaxNode): Result {
    const name = calleeName(n);
    const args = argumentNodes(n);
    // A path that raises SystemError found an invariant broken: summaries of helpers leave it out.
    const raised = name ? raisesInternalError(name, args) : undefined;
    const marked = raised ? withVar(given, INTERNAL_ERROR, TRUTHY) : given;
    const state = raised === 'misuse' ? withVar(marked, CALLER_MISUSE, TRUTHY) : marked;
    if (name && MEMORY_FREE.test(name) && args[0]) return this.freeMemory(state, args[0]);
    if (name && RELEASES[name]) return { state: this.releaseArgs(state, args, RELEASES[name]!, name, n), value: UNKNOWN };
    if (name && SETREFS.has(name)) return { state: this.setref(state, args, name as 'Py_SETREF' | 'Py_XSETREF', n), value: UNKNOWN };
    if (name && INCREFS.has(name)) return this.incref(state, args, name, n, UNKNOWN);
    if (name && NEW_REF_OF_ARGUMENT.has(name)) {
      const r = args[0] ? this.valueOf(state, args[0], true) : { state, value: UNKNOWN };
      return this.incref(r.state, [], name, n, r.value, args[0]);
    }
    const entry = name && !OPAQUE_RESULTS.has(name) ? this.ctx.lookup(name) : undefined;
    if (!entry) return this.unknownCall(state, n, args);
    const returned = entry.returnsArgument === undefined ? undefined : args[entry.returnsArgument];
    if (returned) {
      let s = state;
      for (const arg of args) if (arg !== returned) s = this.eval(s, arg).state;
      const r = this.valueOf(s, returned, true);
      return this.incref(r.state, [], name!, n, r.value, returned);
    }
    return this.apiCall(state, n, name!, entry, args);
  }

  private unknownCall(state: PathState, n: SyntaxNode, args: readonly SyntaxNode[]): Result {
    const mentioned = this.ctx.macroMentions.get(calleeName(n) ?? '');
    // A macro of the file may do anything with its arguments, including what they create (`assertRaises(f(x) == NULL, E)`).
    if (mentioned) return { state: this.escapeEach(this.escapeNames(state, mentioned), args), value: UNKNOWN };
    let s = state;
    const fn = n.childForFieldName('function');
    if (fn && fn.type !== 'identifier') s = this.eval(s, fn).state;
    const name = calleeName(n);
    const reads = name !== undefined && readsThroughFirstArgument(name);
    // `TRACE(("%s", PyBytes_AsString(PyObject_Str(v))))` with TRACE defined in a header, perhaps as nothing: what its
    // arguments make may never be made, or may be kept, and what they read may never be read. None of it is judged.
    const opaque = name !== undefined && CAPITALS_NAME.test(name);
    if (opaque) this.unjudged++;
    try {
      for (const [i, arg] of args.entries()) {
        const r = this.eval(s, arg);
        const ref = refOf(r.state, r.value);
        // A macro that only reads through its argument keeps it; anything else may take it.
        if (reads && i === 0) s = ref ? this.dereference(r.state, arg, r.value, n, name) : r.state;
        else s = ref ? this.used(this.escapeValue(r.state, r.value), ref, 'argument', arg, name) : r.state;
      }
    } finally {
      if (opaque) this.unjudged--;
    }
    if (opaque) for (const ref of s.refs.values()) if (!state.refs.has(ref.id)) s = updateRef(s, ref.id, (r) => ({ ...r, escaped: true }));
    return { state: s, value: UNKNOWN };
  }

  private apiCall(state: PathState, n: SyntaxNode, name: string, entry: ApiEntry, args: readonly SyntaxNode[]): Result {
    let s = state;
    const values: Value[] = [];
    const texts: string[] = [];
    const variadic = entry.format ? this.variadicEffects(args, entry.format.index, this.ctx.firstVariadic(entry), entry.format.style) : [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const effect: Effect = entry.args[i] ?? variadic[i] ?? 'borrows';
      if (effect === 'out-new' || effect === 'out-borrowed' || effect === 'in-place') {
        values.push(UNKNOWN);
        texts.push(arg.text);
        continue;
      }
      const r = this.eval(s, arg);
      s = r.state;
      values.push(r.value);
      texts.push(arg.text);
    }
    this.ctx.emit({ kind: 'call', line: lineOf(n), trace: s.trace, callee: name, args: values, argTexts: texts, state: s });
    // PyTuple_SET_ITEM overwrites a slot without releasing it: an item read from that slot now belongs to the caller.
    const getters = SLOT_WRITERS.get(name);
    if (getters && args[0]) s = this.forgetItemsOf(s, values[0], getters, foldText(args[0]));
    // A container or attribute now holds its own reference: the object outlives this function's release of it.
    if (INSERTS.has(name)) {
      for (const v of values.slice(1)) if (v.kind === 'ref') s = updateRef(s, v.ref, (r) => ({ ...r, sharedWith: name }));
    }

    let pending: Value = UNKNOWN;
    const borrowing = SLOT_WRITERS.has(name) && args[0] !== undefined && this.ctx.borrowingTuples.has(foldText(args[0]));
    // `PyTuple_SET_ITEM(t, 0, a)` over the slot PyTuple_Pack filled with `a`: the slot's own reference is dropped for the
    // stolen one, so the caller keeps as many as it had.
    const refill = name === 'PyTuple_SET_ITEM' && args.length === 3 && this.ctx.packedSlots.has(`${foldText(args[0]!)}[${foldText(args[1]!)}]=${foldText(args[2]!)}`);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const value = values[i]!;
      const declared: Effect = entry.args[i] ?? variadic[i] ?? 'borrows';
      const effect: Effect = refill && declared === 'steals' ? 'borrows' : borrowing && declared === 'steals' ? 'escapes' : declared;
      const ref = refOf(s, value);
      const mustNotBeNull = entry.nonNullArgs?.includes(i) || (i === 0 && readsThroughFirstArgument(name));
      if (ref && mustNotBeNull) s = this.dereference(s, arg, value, n, name, 'argument');
      else if (ref && effect === 'borrows') s = this.used(s, ref, 'argument', arg, name);
      switch (effect) {
        case 'steals':
        case 'steals-on-success':
          if (ref) {
            const r = this.steal(s, ref, arg, name, n, effect === 'steals-on-success');
            s = r.state;
            if (r.pending) pending = r.pending;
          }
          break;
        case 'releases':
        case 'xreleases':
        case 'clears':
          s = this.release(s, arg, effect === 'releases' ? 'Py_DECREF' : effect === 'clears' ? 'Py_CLEAR' : 'call', name, n);
          break;
        case 'increfs':
        case 'xincrefs':
          if (ref) s = updateRef(s, ref.id, (r) => ({ ...r, owned: r.owned + 1 }));
          break;
        case 'out-new':
        case 'out-borrowed':
          s = this.outParameter(s, arg, effect, name, n);
          break;
        case 'escapes':
          s = this.escapeValue(s, value);
          break;
        case 'in-place': {
          const resized = this.inPlaceTarget(s, arg);
          if (resized) pending = { kind: 'status', pending: { ref: resized, call: name, line: lineOf(n), resize: true } };
          break;
        }
        case 'borrows':
          break;
      }
    }
    return pending.kind === 'status' ? { state: s, value: pending } : this.result(s, entry, name, n, values);
  }

  private variadicEffects(args: readonly SyntaxNode[], index: number, first: number, style: 'build' | 'parse'): Effect[] {
    const format = args[index];
    // A format pieced together with a macro (`F_HANDLE "N(ii)"`) cannot be read unit by unit.
    const readable = format?.type === 'string_literal' || (format?.type === 'concatenated_string' && format.namedChildren.every((c) => c.type === 'string_literal'));
    if (!format || !readable) {
      // A format string built at run time: any argument after it may be stolen or filled in.
      return args.map((_, i) => (i >= first ? 'escapes' : 'borrows'));
    }
    const text = format.type === 'string_literal' ? stringContent(format) : format.namedChildren.filter((c) => c.type === 'string_literal').map(stringContent).join('');
    const effects: Effect[] = args.map(() => 'borrows');
    const tail = this.ctx.formatEffects(text, style);
    tail.forEach((e, k) => {
      if (first + k < effects.length) effects[first + k] = e;
    });
    return effects;
  }

  /** The call's result: a new or borrowed reference gets facts of its own, keyed by the call site. */
  private result(state: PathState, entry: ApiEntry, name: string, n: SyntaxNode, args: readonly Value[]): Result {
    if (entry.returns === 'null') return { state, value: NULL_VALUE };
    if (entry.returns === 'none') {
      const first = args[0] ? refOf(state, args[0]) : undefined;
      if (first?.nullness === 'nonnull' && first.origin === 'new' && cannotFailOn(name, first.source)) return { state, value: NONNEGATIVE };
      return { state, value: entry.returnsNonNull || NON_NULL_POINTERS.has(name) ? TRUTHY : UNKNOWN };
    }
    // An item read back from a tuple of borrowed items is the function's own bookkeeping, paid for as it sees fit.
    if (SLOT_READERS.has(name) && this.ctx.borrowingTuples.has(foldText(argumentNodes(n)[0] ?? n))) return { state, value: UNKNOWN };
    const id = `call@${n.startIndex}`;
    const ref: RefFacts = {
      id,
      // Accessor macros (PyInstanceMethod_GET_FUNCTION) read a field of their argument: the object owns it.
      origin: entry.returns === 'new' ? 'new' : ACCESSOR.test(name) && !CONTAINER_GETTERS.has(name) ? 'field' : 'borrowed',
      source: name,
      line: lineOf(n),
      owned: entry.returns === 'new' ? 1 : 0,
      nullness: (entry.canFail || entry.nullIsAnswer) && !cachedResult(name, n) && !succeedsFor(state, name, n, args) ? 'maybe' : 'nonnull',
      ...(entry.nullIsAnswer ? { nullIsAnswer: true } : {}),
      escaped: false,
      uncertain: false,
      call: foldText(n),
      ...(CONTAINER_GETTERS.has(name) && args[0]?.kind === 'ref' ? { borrowedFrom: args[0].ref } : {}),
      ...(entry.returnsShared ? { sharedWith: `what ${name} keeps` } : {}),
    };
    // The same call site again (a loop): what it returned last time keeps its facts under an id of its own.
    const old = state.refs.get(id);
    let s = old ? (holders(state, id).length > 0 ? keepEarlier(state, old) : this.reportIfOwned(state, old, 'overwritten', n)) : state;
    s = withRef(s, ref);
    s = withStep(s, { line: ref.line, note: `${ref.origin === 'new' ? 'new' : 'borrowed'} reference from ${name}`, ref: id });
    return { state: s, value: { kind: 'ref', ref: id } };
  }

  private incref(state: PathState, args: readonly SyntaxNode[], name: string, n: SyntaxNode, given: Value, givenNode?: SyntaxNode): Result {
    let s = state;
    let value = given;
    let node = givenNode;
    if (args[0]) {
      const r = this.valueOf(s, args[0], true);
      s = r.state;
      value = r.value;
      node = args[0];
    }
    const ref = refOf(s, value);
    if (!ref || !node) return { state: s, value };
    const nullable = name.startsWith('Py_X') || name === 'Py_IncRef';
    s = nullable ? this.used(s, ref, 'argument', node, name) : this.dereference(s, node, value, n, name, 'argument');
    // A new reference of one's own: what a steal or hand-off ended before no longer applies to it.
    s = updateRef(s, ref.id, ({ ended, unpaidStores, ...r }) =>
      unpaidStores
        ? { ...r, ...(ended ? { ended } : {}), unpaidStores: unpaidStores - 1 }
        : { ...r, owned: r.owned + 1, ...(ended?.how === 'released' ? { ended } : {}) },
    );
    return { state: withStep(s, { line: lineOf(n), note: `${name}(${node.text})`, ref: ref.id }), value };
  }

  private releaseArgs(state: PathState, args: readonly SyntaxNode[], macro: ReleaseMacro, callee: string, n: SyntaxNode): PathState {
    return args[0] ? this.release(state, args[0], macro, callee, n) : state;
  }

  /** Py_DECREF, Py_XDECREF, Py_CLEAR, or a call that releases an argument. */
  release(state: PathState, arg: SyntaxNode, macro: ReleaseMacro, callee: string, n: SyntaxNode): PathState {
    const target = unwrap(arg);
    const line = lineOf(n);
    const held = state.refs.get(`field:${foldText(target)}`);
    if (isStorage(target, this.ctx) && state.vars.get(foldText(target))?.kind !== 'ref' && !(held && held.owned > 0)) {
      const key = foldText(target);
      // A local read the field before: the reference it names is the one released here.
      if (held) state = updateRef(state, held.id, (r) => ({ ...r, owned: r.owned - 1 }));
      const earlier = state.dangling.get(key);
      if (earlier && macro !== 'Py_SETREF' && macro !== 'Py_XSETREF' && !isSlotOfMany(key)) {
        this.ctx.emit({ kind: 'field-double-release', line, trace: state.trace, macro, expr: target.text, firstLine: earlier.line });
      }
      const s = this.eval(state, target).state;
      // Array elements differ by index: one text names many slots, so no claim is made about them.
      const leaves = (macro === 'Py_DECREF' || macro === 'Py_XDECREF' || macro === 'call') && !isSlotOfMany(key) && !this.inLocalStruct(target) && !state.vars.has(sharedKey(key));
      // Under `if (Py_REFCNT(G) > 1)` the release gives up one share of several: the object stays for the others.
      const field = leaves ? { line, macro: callee, expr: target.text, owner: this.ownerOf(target), storedHere: state.holdsIn.has(key) } : undefined;
      return withStep(withDangling(s, key, field), { line, note: `${callee}(${target.text})` });
    }
    const r = held ? { state, value: { kind: 'ref', ref: held.id } as Value } : this.eval(state, target);
    let s = r.state;
    let ref = refOf(s, r.value);
    if (
      !ref &&
      macro === 'Py_DECREF' &&
      (r.value.kind === 'unknown' || r.value.kind === 'truthy') &&
      target.type === 'identifier' &&
      this.ctx.locals.has(target.text) &&
      !insideArgument(n)
    ) {
      return this.releasedUntracked(s, target.text, callee, n);
    }
    if (!ref) return macro === 'Py_CLEAR' && this.isVariable(target) ? withVar(s, foldText(target), NULL_VALUE) : s;
    if (macro === 'Py_DECREF' && ref.nullness !== 'nonnull') {
      this.ctx.emit({ kind: 'null-use', line, trace: s.trace, how: 'argument', callee, expr: target.text, ref });
      // Py_DECREF(NULL) crashes: past it, the path goes on only where it was not NULL, so later uses are not reported again.
      if (ref.nullness === 'maybe') {
        s = updateRef(s, ref.id, (f) => ({ ...f, nullness: 'nonnull' }));
        ref = s.refs.get(ref.id) ?? ref;
      }
    }
    // On a path where it is NULL there is nothing to release: Py_XDECREF(NULL) is fine, Py_DECREF(NULL) was reported above.
    if (ref.nullness === 'null') return macro === 'Py_CLEAR' && this.isVariable(target) ? withVar(s, foldText(target), NULL_VALUE) : s;
    this.ctx.emit({ kind: 'release', line, trace: s.trace, macro, expr: target.text, before: ref, callee, inBlock: statementInBlock(n) });
    s = updateRef(s, ref.id, (f) => {
      // Releasing what a field holds before clearing the field (`tmp = self->x; Py_DECREF(tmp); self->x = NULL`).
      if (f.origin === 'field') return { ...f, owned: f.owned - 1 };
      // A parameter released without a reference of its own: the function consumed what its caller passed.
      if (f.owned <= 0 && f.origin === 'borrowed' && f.id.startsWith('param:') && !f.ended) return { ...f, ended: { how: 'released', line, by: callee } };
      if (f.owned <= 0 && f.origin !== 'parameter') return f;
      const owned = f.owned - 1;
      const ends = (owned === 0 && f.origin === 'new') || (owned < 0 && f.origin === 'parameter');
      return ends ? { ...f, owned, ended: { how: 'released', line, by: callee } } : { ...f, owned };
    });
    s = withStep(s, { line, note: `${callee}(${target.text})`, ref: ref.id });
    if (macro === 'Py_CLEAR' && this.isVariable(target)) s = withVar(s, foldText(target), NULL_VALUE);
    return s;
  }

  /** Items read from the container, known by its reference or, for a field, by its text (`lz->ittuple`). */
  private forgetItemsOf(state: PathState, container: Value | undefined, getters: readonly string[], text: string): PathState {
    const id = container?.kind === 'ref' ? container.ref : undefined;
    const readFrom = (ref: RefFacts): boolean =>
      (id !== undefined && ref.borrowedFrom === id) ||
      (getters.includes(ref.source) && ref.call !== undefined && (ref.call.startsWith(`${ref.source}(${text},`) || ref.call === `${ref.source}(${text})`));
    let s = state;
    for (const ref of state.refs.values()) if (readFrom(ref)) s = withRef(s, { ...ref, uncertain: true });
    return s;
  }

  /** `rec.rest` where `rec` is a struct local to the function: it dies with the call, so nothing dangles. */
  private inLocalStruct(target: SyntaxNode): boolean {
    if (target.type !== 'field_expression' || target.child(1)?.type !== '.') return false;
    const base = target.childForFieldName('argument');
    return base?.type === 'identifier' && this.ctx.locals.has(base.text) && !this.ctx.params.has(base.text);
  }

  /** The type whose field `target` names: the base variable's declared type, or the class of a bare member. */
  private ownerOf(target: SyntaxNode): string {
    if (target.type === 'identifier') return this.ctx.className ?? 'global';
    const base = target.type === 'field_expression' ? target.childForFieldName('argument') : null;
    const b = base ? unwrap(base) : null;
    if (b?.type === 'identifier') return this.ctx.typeOf.get(b.text) ?? '?';
    if (b?.type === 'this') return this.ctx.className ?? '?';
    return '?';
  }

  private setref(state: PathState, args: readonly SyntaxNode[], macro: 'Py_SETREF' | 'Py_XSETREF', n: SyntaxNode): PathState {
    const [dst, src] = args;
    if (!dst || !src) return state;
    const r = this.eval(state, src);
    let s = this.release(r.state, dst, macro, macro, n);
    const target = unwrap(dst);
    if (target.type === 'identifier' && this.ctx.locals.has(target.text)) return withVar(s, target.text, r.value);
    // The macro released what the field held: overwriting it gives nothing back to the function.
    s = this.store(withHolding(s, foldText(target), undefined), target, r.value, n);
    return s;
  }

  private steal(state: PathState, ref: RefFacts, arg: SyntaxNode, callee: string, n: SyntaxNode, onSuccessOnly: boolean): { state: PathState; pending?: Value } {
    const line = lineOf(n);
    this.ctx.emit({ kind: 'steal', line, trace: state.trace, callee, expr: arg.text, before: ref, onSuccessOnly });
    if (onSuccessOnly) return { state, pending: { kind: 'status', pending: { ref: ref.id, call: callee, line } } };
    return { state: this.applySteal(state, ref.id, callee, line) };
  }

  applySteal(state: PathState, id: string, callee: string, line: number): PathState {
    return withStep(
      updateRef(state, id, (f) => {
        // What a field holds, handed over before the field is cleared (`PyObject_Free(f)` on a free list, `self->x = NULL`).
        if (f.origin === 'field') return { ...f, owned: f.owned - 1 };
        if (f.owned <= 0 && f.origin !== 'parameter') return f;
        const owned = f.owned - 1;
        return owned <= 0 ? { ...f, owned, ended: { how: 'stolen', line, by: callee } } : { ...f, owned };
      }),
      { line, note: `${callee} steals the reference`, ref: id },
    );
  }

  /** `&x` where x holds a reference: the call may replace it in place. */
  private inPlaceTarget(state: PathState, arg: SyntaxNode): string | undefined {
    const target = unwrap(arg);
    if (target.type !== 'pointer_expression' || target.child(0)?.type !== '&') return undefined;
    const inner = target.childForFieldName('argument');
    const value = inner?.type === 'identifier' ? state.vars.get(inner.text) : undefined;
    return value?.kind === 'ref' ? value.ref : undefined;
  }

  private outParameter(state: PathState, arg: SyntaxNode, effect: 'out-new' | 'out-borrowed', callee: string, n: SyntaxNode): PathState {
    const target = unwrap(arg);
    if (target.type !== 'pointer_expression' || target.child(0)?.type !== '&') return state;
    const inner = target.childForFieldName('argument');
    if (inner?.type === 'field_expression') return this.outField(state, inner, n);
    if (!inner || inner.type !== 'identifier') return state;
    const id = `out@${n.startIndex}:${inner.text}`;
    const ref: RefFacts = {
      id,
      origin: effect === 'out-new' ? 'new' : 'borrowed',
      source: callee,
      line: lineOf(n),
      owned: effect === 'out-new' ? 1 : 0,
      nullness: 'maybe',
      escaped: false,
      // Whether the call filled it in depends on its result, which the walk does not tie to the variable.
      uncertain: effect === 'out-new',
    };
    let s = withRef(state, ref);
    s = withStep(s, { line: ref.line, note: `${effect === 'out-new' ? 'new' : 'borrowed'} reference from ${callee} in ${inner.text}`, ref: id });
    this.outBindings.push({ name: inner.text, previous: state.vars.get(inner.text) ?? UNKNOWN });
    return this.bind(s, inner.text, { kind: 'ref', ref: id });
  }

  /**
   * `PyArg_ParseTuple(args, "O", &self->x)`: the field was filled by the call, with a reference it may or may not
   * own, so what later code does with it (`Py_INCREF(self->x)`, `Py_XSETREF(self->x, y)`) is not judged.
   */
  private outField(state: PathState, field: SyntaxNode, n: SyntaxNode): PathState {
    const key = foldText(field);
    return withRef(storedAnew(state, key), untrackedField(key, field, n));
  }

  /** A reference read through: `x->f`, `*x`, `x[i]`, Py_TYPE(x), or an argument that must not be NULL. */
  private dereference(state: PathState, node: SyntaxNode, value: Value, at: SyntaxNode, callee?: string, how: 'dereference' | 'argument' = 'dereference'): PathState {
    const ref = refOf(state, value);
    if (!ref) return state;
    const s = this.used(state, ref, how === 'argument' ? 'argument' : 'dereference', node, callee);
    if (ref.nullness !== 'nonnull' && this.unjudged === 0) {
      this.ctx.emit({ kind: 'null-use', line: lineOf(at), trace: s.trace, how, ...(callee ? { callee } : {}), expr: node.text, ref });
    }
    // Once read through, the path goes on only where it was not NULL.
    return updateRef(s, ref.id, (r) => (r.nullness === 'maybe' ? { ...r, nullness: 'nonnull' } : r));
  }

  /** Reads of a reference after its release, or of an item after its container's release. */
  used(state: PathState, ref: RefFacts, how: 'dereference' | 'argument' | 'return', node: SyntaxNode, callee?: string): PathState {
    if (ref.nullness === 'null') return state;
    const container = ref.borrowedFrom ? state.refs.get(ref.borrowedFrom) : undefined;
    const ended = mayHaveFreed(ref);
    const containerGone = container !== undefined && mayHaveFreed(container) && ref.owned <= 0;
    if ((ended || containerGone) && this.unjudged === 0) {
      this.ctx.emit({
        kind: 'use',
        line: lineOf(node),
        trace: state.trace,
        how,
        ...(callee ? { callee } : {}),
        expr: node.text,
        ref,
        ...(containerGone && container ? { container } : {}),
      });
    }
    return state;
  }

  /** The value reaches code the analyzer cannot see: whatever happens to it there is not judged. */
  escapeValue(state: PathState, value: Value): PathState {
    const ref = refOf(state, value);
    return ref && !ref.escaped ? withRef(state, { ...ref, escaped: true }) : state;
  }

  /** Each node's value, and every reference made while evaluating it (`{ .set = PyFrozenSet_New(NULL) }`), is kept by what is built. */
  private escapeEach(state: PathState, nodes: readonly SyntaxNode[]): PathState {
    let s = state;
    for (const node of nodes) {
      const before = s.refs;
      const r = this.eval(s, node);
      s = this.escapeValue(r.state, r.value);
      for (const ref of s.refs.values()) if (!before.has(ref.id) && !ref.escaped) s = withRef(s, { ...ref, escaped: true });
    }
    return s;
  }

  /** A macro body the walk cannot read may do anything with the variables it names. */
  private escapeNames(state: PathState, names: ReadonlySet<string>): PathState {
    let s = state;
    for (const name of names) {
      const v = s.vars.get(name);
      if (v) s = this.escapeValue(s, v);
    }
    return s;
  }

  private escapeAddressOf(state: PathState, arg: SyntaxNode): PathState {
    const target = unwrap(arg);
    if (target.type !== 'identifier') return this.eval(state, arg).state;
    const value = state.vars.get(target.text);
    // Its address lets other code change it: forget the variable and keep out of judging what it held.
    const s = this.escapeMembers(value ? this.escapeValue(state, value) : state, target.text);
    return this.ctx.locals.has(target.text) ? withVar(s, target.text, UNKNOWN) : s;
  }

  /**
   * `Py_DECREF(x)` on a value the walk could not follow (from a private API, a macro): whatever x held, this
   * path no longer owns it, so a second release before x is reassigned is one too many. Uses are not judged:
   * another owner the walk cannot see may keep the object alive.
   */
  private releasedUntracked(state: PathState, name: string, callee: string, n: SyntaxNode): PathState {
    const line = lineOf(n);
    const ref: RefFacts = {
      id: `${UNTRACKED_RELEASE}${n.startIndex}:${name}`,
      origin: 'borrowed',
      source: name,
      line,
      owned: 0,
      nullness: 'nonnull',
      ended: { how: 'released', line, by: callee },
      escaped: false,
      uncertain: false,
      sharedWith: 'an owner the walk does not follow',
    };
    return withStep(this.bind(withRef(state, ref), name, { kind: 'ref', ref: ref.id }), { line, note: `${callee}(${name})`, ref: ref.id });
  }

  /** A local, or a field of a local struct: what Py_CLEAR sets to NULL is then known to be NULL. */
  private isVariable(target: SyntaxNode): boolean {
    return target.type === 'identifier' || this.inLocalStruct(target);
  }

  /** What the fields of a local struct hold leaves the function's hands with the struct. */
  private escapeMembers(state: PathState, name: string): PathState {
    let s = state;
    for (const [key, value] of state.vars) {
      if (!key.startsWith(`${name}.`)) continue;
      s = withVar(this.escapeValue(s, value), key, UNKNOWN);
    }
    return s;
  }

  private escapeMentioned(state: PathState, n: SyntaxNode): PathState {
    let s = state;
    const stack = [n];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'identifier') {
        const v = s.vars.get(node.text);
        if (v) s = this.escapeValue(s, v);
      }
      stack.push(...node.namedChildren);
    }
    return s;
  }

  /** A reference about to lose its last name: if owned, it leaks here. */
  private reportIfOwned(state: PathState, ref: RefFacts, cause: 'temporary' | 'overwritten', at: SyntaxNode): PathState {
    if (ref.owned > 0 && ref.origin === 'new' && !ref.escaped && !ref.uncertain && ref.nullness !== 'null') {
      this.ctx.emit({ kind: 'unreachable', line: lineOf(at), trace: state.trace, ref, cause });
    }
    const refs = new Map(state.refs);
    refs.delete(ref.id);
    return { ...state, refs };
  }
}

function sameValue(a: Value, b: Value): boolean {
  return a.kind === 'ref' && b.kind === 'ref' && a.ref === b.ref;
}
