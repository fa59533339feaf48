import { buildFlowGraph } from '../cfg/build.js';
import type { ApiEntry, ArgEffect } from '../capi/types.js';
import type { ParsedFunction, SyntaxNode } from '../parse/types.js';
import { Evaluator, type EvalContext } from './evaluate.js';
import { declaratorName, foldText, unwrap } from './syntax.js';
import { MEMORY_FREES, isPredicate } from './known-calls.js';
import type { MacroFlow } from './file-macros.js';
import type { EventOf, OwnershipEvent } from './events.js';
import { type FunctionRole, isObjectPointer } from './role.js';
import { EMPTY_STATE, INTERNAL_ERROR, type PathState, type RefFacts, refOf, withRef, withStep, withVar } from './state.js';
import { type WalkLimits, type WalkOutcome, walk } from './walk.js';

export interface FunctionWalk {
  readonly events: readonly OwnershipEvent[];
  readonly outcome: WalkOutcome;
  /** How callers should read a call to this function, when every path agrees. */
  readonly summary?: ApiEntry;
}

const FREES = new RegExp(`\\b(${[...MEMORY_FREES, 'tp_free', 'delete'].join('|')})\\b`);

export function freesItsObject(fn: ParsedFunction): boolean {
  return FREES.test(fn.body.text);
}

export function returnsObject(fn: ParsedFunction): boolean {
  return isObjectPointer(fn.returnType);
}

/** Names declared inside the body (lambdas excluded) plus the parameters, and which of them are object pointers. */
function localNames(fn: ParsedFunction): { names: Set<string>; objects: Set<string>; types: Map<string, string> } {
  const names = new Set<string>();
  const objects = new Set<string>();
  const types = new Map<string, string>();
  for (const p of fn.parameters) {
    if (!p.name) continue;
    names.add(p.name);
    types.set(p.name, bareType(p.type));
    if (isObjectPointer(p.type)) objects.add(p.name);
  }
  const stack: SyntaxNode[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'lambda_expression') continue;
    // A static local lives across calls like a global: storing into it hands the reference off.
    const isStatic = node.type === 'declaration' && node.namedChildren.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
    if ((node.type === 'declaration' && !isStatic) || node.type === 'condition_clause') {
      const type = node.childForFieldName('type')?.text ?? '';
      for (const d of node.childrenForFieldName('declarator')) {
        const name = declaratorName(d);
        if (!name) continue;
        names.add(name);
        types.set(name, bareType(type));
        const declarator = d.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
        if (declarator?.type === 'pointer_declarator' && declarator.childForFieldName('declarator')?.type === 'identifier' && isObjectPointer(`${type} *`)) objects.add(name);
      }
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  return { names, objects, types };
}

/** `const struct foo *` → `foo`, `Graph &` → `Graph`. */
function bareType(type: string): string {
  return type.replace(/\b(const|volatile|struct|class|union)\b/g, '').replace(/[*&\s]/g, '');
}

/**
 * Argument Clinic's `_impl` functions own a parameter whose converter makes a new reference
 * (`filename: object(converter='PyUnicode_FSDecoder')` in the clinic input just above): the generated
 * wrapper hands it over and never releases it.
 */
function clinicOwned(fn: ParsedFunction): ReadonlyMap<string, string> {
  const comment = fn.node.previousNamedSibling;
  if (!fn.name.endsWith('_impl') || comment?.type !== 'comment' || !comment.text.includes('[clinic start generated code]')) return new Map();
  const owned = new Map<string, string>();
  for (const m of comment.text.matchAll(/^\s*(\w+)\s*:\s*object\(\s*converter\s*=\s*['"](PyUnicode_FS(?:Decoder|Converter))['"]/gm)) owned.set(m[1]!, m[2]!);
  return owned;
}

function initialState(fn: ParsedFunction, role: FunctionRole, contract: ApiEntry | undefined): PathState {
  let state = EMPTY_STATE;
  const converted = clinicOwned(fn);
  for (const [i, p] of fn.parameters.entries()) {
    if (!p.name || !isObjectPointer(p.type)) continue;
    const converter = converted.get(p.name);
    if (converter) {
      const ref: RefFacts = { id: `clinic:${p.name}`, origin: 'new', source: converter, line: fn.startLine, owned: 1, nullness: 'nonnull', escaped: false, uncertain: false };
      state = withStep(withVar(withRef(state, ref), p.name, { kind: 'ref', ref: ref.id }), { line: fn.startLine, note: `${p.name}: a new reference from Argument Clinic's ${converter}`, ref: ref.id });
      continue;
    }
    // The definition of an API call that steals an argument owns it by contract.
    // So does a dealloc its object, and a function that says it takes a reference (`..._TakeRef`, `..._Steal`).
    const stolen =
      contract?.args[i] === 'steals' ||
      contract?.args[i] === 'steals-on-success' ||
      (i === 0 && (role === 'dealloc' || role === 'destructor')) ||
      /TakeRef|Steal/i.test(fn.name);
    const ref: RefFacts = {
      id: `param:${p.name}`,
      // A C helper may be written to steal its argument; a C++ method that does would be a surprise to its callers.
      origin: stolen || (role === 'helper' && fn.kind !== 'method') ? 'parameter' : 'borrowed',
      source: `parameter ${p.name}`,
      line: fn.startLine,
      owned: 0,
      // Callers may pass NULL (a setter's deletion, optional arguments): checks on it must stay meaningful.
      nullness: 'maybe',
      escaped: false,
      uncertain: false,
    };
    state = withVar(withRef(state, ref), p.name, { kind: 'ref', ref: ref.id });
  }
  return state;
}

export interface WalkEnvironment {
  readonly lookup: EvalContext['lookup'];
  readonly formatEffects: EvalContext['formatEffects'];
  readonly firstVariadic: EvalContext['firstVariadic'];
  readonly limits: WalkLimits;
  readonly macros: ReadonlyMap<string, MacroFlow>;
  readonly macroMentions: ReadonlyMap<string, ReadonlySet<string>>;
  readonly emptyMacros: ReadonlySet<string>;
}

export function walkFunction(fn: ParsedFunction, role: FunctionRole, env: WalkEnvironment): FunctionWalk {
  const events: OwnershipEvent[] = [];
  const emit = (e: OwnershipEvent): void => {
    events.push(e);
  };
  const { names, objects, types } = localNames(fn);
  const stepped = steppedLocals(fn.body.text, names);
  const evaluator = new Evaluator({
    lookup: env.lookup,
    formatEffects: env.formatEffects,
    firstVariadic: env.firstVariadic,
    macroMentions: env.macroMentions,
    locals: names,
    objectLocals: objects,
    returnsObject: returnsObject(fn),
    typeOf: types,
    params: new Set(fn.parameters.flatMap((p) => (p.name ? [p.name] : []))),
    className: 'className' in fn ? fn.className : undefined,
    copiedStructs: copiedStructs(fn.body.text),
    structLocals: structLocals(fn.body.text, names),
    borrowingTuples: borrowingTuples(fn.body.text),
    packedSlots: packedSlots(fn.body.text),
    repeatedTests: repeatedTests(fn.body),
    steppedLocals: stepped,
    comparedLocals: comparedLocals(fn.body.text, names, stepped),
    emit,
  });
  const graph = buildFlowGraph(fn.body, env.macros, env.emptyMacros);
  const outcome = walk(graph, initialState(fn, role, env.lookup(fn.name)), evaluator, emit, env.limits);
  const summary = outcome.complete && role === 'helper' && fn.kind !== 'lambda' ? summarise(fn, events) : undefined;
  return { events, outcome, ...(summary ? { summary } : {}) };
}

/** `saved = *pc;`: the pointers whose struct is copied whole. */
function copiedStructs(body: string): ReadonlySet<string> {
  return new Set([...body.matchAll(/[\w\]]\s*=\s*\*\s*(\w+)\s*;/g)].map((m) => m[1]!));
}

/** `i++`, `--n`, `len += k`: locals changed in place. */
function steppedLocals(body: string, locals: ReadonlySet<string>): ReadonlySet<string> {
  const stepped = [...body.matchAll(/\b(\w+)\s*(?:\+\+|--|(?:[-+*/%&|^]|<<|>>)=)|(?:\+\+|--)\s*(\w+)/g)].map((m) => (m[1] ?? m[2])!);
  return new Set(stepped.filter((name) => locals.has(name)));
}

/** `n > 1` here, `n == 1` there: locals compared with integer constants at least twice, and not stepped in place. */
function comparedLocals(body: string, locals: ReadonlySet<string>, stepped: ReadonlySet<string>): ReadonlySet<string> {
  const counts = new Map<string, number>();
  for (const m of body.matchAll(/(?<![\w.>])([A-Za-z_]\w*)\s*(?:[<>]=?|[=!]=)\s*-?\d+\b|\b-?\d+\s*(?:[<>]=?|[=!]=)\s*([A-Za-z_]\w*)\b(?!\s*(?:->|\.|\[|\())/g)) {
    const name = (m[1] ?? m[2])!;
    if (locals.has(name) && !stepped.has(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= 2).map(([name]) => name));
}

/** `collect.list = ...`: locals whose members are assigned, so the walk binds references to them. */
function structLocals(body: string, locals: ReadonlySet<string>): ReadonlySet<string> {
  return new Set([...body.matchAll(/\b(\w+)\.\w+\s*=(?!=)/g)].map((m) => m[1]!).filter((name) => locals.has(name)));
}

/**
 * Tests the function asks more than once (folded text): type checks and flag tests, and fields tested for
 * truth (`if (self->telling)`). Each remembered answer splits the paths it differs on, so only these are kept.
 */
function repeatedTests(body: SyntaxNode): ReadonlySet<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  const note = (node: SyntaxNode): void => {
    const text = foldText(node);
    if (seen.has(text)) repeated.add(text);
    seen.add(text);
  };
  for (const call of body.descendantsOfType('call_expression')) if (isPredicate(call)) note(call);
  for (const statement of body.descendantsOfType(['if_statement', 'while_statement'])) {
    const condition = statement.childForFieldName('condition');
    if (condition) for (const field of testedFields(condition)) note(field);
  }
  return repeated;
}

/** The fields a condition tests for truth: `self->telling` in `if (!self->telling || x)`. */
function testedFields(condition: SyntaxNode): SyntaxNode[] {
  const n = unwrap(condition);
  if (n.type === 'field_expression') return [n];
  if (n.type === 'unary_expression' && n.child(0)?.type === '!') {
    const operand = n.childForFieldName('argument');
    return operand ? testedFields(operand) : [];
  }
  if (n.type === 'binary_expression' && ['&&', '||'].includes(n.child(1)?.type ?? '')) {
    return [n.childForFieldName('left'), n.childForFieldName('right')].flatMap((side) => (side ? testedFields(side) : []));
  }
  return [];
}

/**
 * `PyTuple_SET_ITEM(args, j, NULL)` to empty a slot without releasing it, or `Py_XINCREF(PyTuple_GET_ITEM(args, i))`
 * before releasing the tuple: the function keeps borrowed items in that tuple on purpose and pays for them itself
 * (_testbuffer.c's argument tuples).
 */
function borrowingTuples(body: string): ReadonlySet<string> {
  const emptied = [...body.matchAll(/\bPy(?:Tuple|List)_SET_ITEM\s*\(\s*(\w+)\s*,[^;]*,\s*NULL\s*\)/g)].map((m) => m[1]!);
  const repaid = [...body.matchAll(/\bPy_X?INCREF\s*\(\s*Py(?:Tuple|List)_GET_ITEM\s*\(\s*(\w+)\s*,/g)].map((m) => m[1]!);
  const readBack = [...body.matchAll(/(\w+)\s*=\s*Py(?:Tuple|List)_GET_ITEM\s*\(\s*(\w+)\s*,[^;]*;\s*Py_X?INCREF\s*\(\s*(\w+)\s*\)/g)]
    .filter((m) => m[1] === m[3])
    .map((m) => m[2]!);
  // Reading items back and incrementing them is the usual way to borrow from any tuple; it marks only one this function fills.
  const filled = new Set([...body.matchAll(/\bPy(?:Tuple|List)_SET_ITEM\s*\(\s*(\w+)\s*,/g)].map((m) => m[1]!));
  return new Set([...emptied, ...[...repaid, ...readBack].filter((name) => filled.has(name))]);
}

/** `t = PyTuple_Pack(3, a, b, c)`: `t[0]=a`, `t[1]=b`, `t[2]=c`. */
function packedSlots(body: string): ReadonlySet<string> {
  const slots = new Set<string>();
  for (const m of body.matchAll(/\b(\w+)\s*=\s*PyTuple_Pack\s*\(\s*\d+\s*,([^;]*)\)\s*;/g)) {
    m[2]!.split(',').forEach((item, k) => slots.add(`${m[1]!}[${k}]=${item.replace(/\s+/g, '')}`));
  }
  return slots;
}

/** An exit that returns NULL, or an object another owner keeps alive too. */
function alsoHeld(exit: EventOf<'exit'>): boolean {
  if (!exit.returned || exit.returned.kind === 'null') return true;
  const ref = refOf(exit.state, exit.returned);
  if (!ref) return false;
  return ref.sharedWith !== undefined || ((ref.origin === 'borrowed' || ref.origin === 'field') && !ref.id.startsWith('global:'));
}

/** What every path of a helper does with its result and its parameters, or nothing when paths disagree. */
function summarise(fn: ParsedFunction, events: readonly OwnershipEvent[]): ApiEntry | undefined {
  // A path that raised SystemError is a broken invariant, which callers' tests of the result only guard against.
  const exits = events.filter((e): e is EventOf<'exit'> => e.kind === 'exit' && e.how !== 'throw' && !e.state.vars.has(INTERNAL_ERROR));
  if (exits.length === 0) return undefined;
  const args: Record<number, ArgEffect> = {};
  fn.parameters.forEach((p, i) => {
    if (!p.name || !isObjectPointer(p.type)) return;
    const id = `param:${p.name}`;
    // Where the parameter was NULL there was nothing to take: those paths say nothing about stealing.
    // A helper that also adds references to the parameter (a save-and-restore) is not read as taking one.
    if (new RegExp(`\\b(Py_X?INCREF|Py_X?NewRef)\\s*\\(\\s*(\\(\\s*PyObject\\s*\\*\\s*\\)\\s*)?${p.name}\\s*\\)`).test(fn.body.text)) return;
    const ends = exits.map((e) => e.state.refs.get(id)).filter((r) => r?.nullness !== 'null');
    if (ends.length === 0 || !ends.every((r) => (r?.owned ?? 0) < 0)) return;
    args[i] = ends.every((r) => r?.ended?.how === 'released') ? 'releases' : 'steals';
  });
  let returns: ApiEntry['returns'] = 'none';
  let canFail = false;
  let returnsArgument: number | undefined;
  if (returnsObject(fn)) {
    const kinds = new Set<string>();
    for (const e of exits) {
      if (e.macro) {
        kinds.add('new');
        continue;
      }
      const value = e.returned;
      if (!value || value.kind === 'null') {
        canFail = true;
        continue;
      }
      const ref = refOf(e.state, value);
      // `Py_INCREF(x); return x;`: the caller gets one more reference to what it passed.
      if (ref && ref.id.startsWith('param:') && ref.owned > 0 && !ref.uncertain && !ref.escaped) {
        kinds.add(ref.id);
        continue;
      }
      // A helper that returns its argument gives back whatever the caller passed: no fixed answer.
      // Stored and then returned: whether the store kept the reference (a back-pointer need not) is not known.
      if (!ref || ref.uncertain || ref.escaped || ref.id.startsWith('param:') || ref.ended?.how === 'handed-off') kinds.add('unknown');
      else kinds.add(ref.owned > 0 ? 'new' : 'borrowed');
    }
    const [only] = kinds;
    const param = kinds.size === 1 && only?.startsWith('param:') ? fn.parameters.findIndex((p) => `param:${p.name}` === only) : -1;
    if (param >= 0 && Object.keys(args).length === 0) {
      returns = 'new';
      returnsArgument = param;
    } else if (kinds.size !== 1 || kinds.has('unknown') || param >= 0) {
      if (Object.keys(args).length === 0) return undefined;
    } else {
      returns = kinds.has('new') ? 'new' : 'borrowed';
    }
  }
  // `Py_INCREF(v); return v;` of a cached entry, or a result stored in the cache before it is returned, on every path.
  const returnsShared = returns === 'new' && returnsArgument === undefined && exits.every((e) => alsoHeld(e));
  // `return (st *)PyModule_GetState(m);` on every path: callers need not test the pointer for NULL.
  const returnsNonNull = !returnsObject(fn) && fn.returnType.includes('*') && exits.every((e) => e.returned?.kind === 'truthy');
  if (returns === 'none' && Object.keys(args).length === 0 && !returnsNonNull) return undefined;
  return {
    name: fn.name,
    returns,
    canFail,
    args,
    ...(returnsArgument === undefined ? {} : { returnsArgument }),
    ...(returnsNonNull ? { returnsNonNull } : {}),
    ...(returnsShared ? { returnsShared } : {}),
    source: 'summary',
  };
}
