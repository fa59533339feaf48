import type { ApiEntry, ArgEffect, Returns } from '../types.js';
import type { Override, Overrides } from './overrides.js';
import type { DatFunction, DatParam } from './refcounts-dat.js';
import type { PythonVersion } from './stable-abi.js';
import type { StealFacts } from './steals.js';

/**
 * Merges the four sources into the analyzer's table. Precedence, lowest first: refcounts.dat (returns,
 * out-parameters; its argument column is not trusted for steals), stable_abi.toml (since), steals.json
 * (steals), overrides.json (everything). Inconsistencies between the sources throw, so a new release
 * of the data cannot silently change what the analyzer believes.
 */

export interface TableSources {
  readonly dat: readonly DatFunction[];
  readonly stableAbi: ReadonlyMap<string, PythonVersion>;
  readonly steals: StealFacts;
  readonly overrides: Overrides;
}

interface Draft {
  returns: Returns;
  args: Record<number, ArgEffect>;
  nonNullArgs: Set<number>;
  source: ApiEntry['source'];
  readonly dat?: DatFunction;
}

// Object pointers whose refcount column means something; PyModuleDef* and friends are plain structs.
const OBJECT_POINTER = /^(PyObject|Py\w*Object|TYPE)\s*\*$/;
const PYOBJECT_PARAM = /^PyObject\s*\*$/;
const OUT_PARAM = /^PyObject\s*\*\*$/;

// stable_abi.toml starts at 3.2: "added = '3.2'" means "in the limited API from the start", not new in 3.2.
const STABLE_ABI_BASELINE: PythonVersion = [3, 2];

// When these calls fail, ownership of an argument differs from the success path, so the analyzer
// needs the failure branch even though the result is an int.
const FAILURE_CHANGES_OWNERSHIP: ReadonlySet<ArgEffect> = new Set(['steals-on-success', 'out-new', 'in-place']);

function returnsFromDat(fn: DatFunction): Returns {
  if (fn.returnRefcount === '-1') throw new Error(`refcounts.dat: ${fn.name} cannot release its return value`);
  if (fn.returnRefcount === '' || !OBJECT_POINTER.test(fn.returnType)) return 'none';
  if (fn.returnRefcount === 'null') return 'null';
  return fn.returnRefcount === '+1' ? 'new' : 'borrowed';
}

function outParamEffect(param: DatParam): ArgEffect | undefined {
  if (!OUT_PARAM.test(param.type)) return undefined;
  if (param.refcount === '+1') return 'out-new';
  if (param.refcount === '0') return 'out-borrowed';
  return undefined;
}

function draftFromDat(fn: DatFunction, nonNullPrefixes: readonly string[]): Draft {
  const args: Record<number, ArgEffect> = {};
  fn.params.forEach((param, index) => {
    const effect = outParamEffect(param);
    if (effect) args[index] = effect;
  });
  const nonNullArgs = new Set<number>();
  if (nonNullPrefixes.some((prefix) => fn.name.startsWith(prefix))) {
    fn.params.forEach((param, index) => {
      if (PYOBJECT_PARAM.test(param.type)) nonNullArgs.add(index);
    });
  }
  return { returns: returnsFromDat(fn), args, nonNullArgs, source: 'refcounts.dat', dat: fn };
}

function applySteals(drafts: Map<string, Draft>, steals: StealFacts, overrides: Overrides): void {
  for (const steal of steals.steals) {
    const draft = drafts.get(steal.function);
    if (!draft) {
      if (overrides.entries.has(steal.function)) continue; // an override defines it, steals and all
      throw new Error(`steals.json names ${steal.function}, which neither refcounts.dat nor overrides.json define`);
    }
    for (const index of steal.indices) {
      const param = draft.dat?.params[index];
      if (draft.dat && (!param || !PYOBJECT_PARAM.test(param.type))) {
        throw new Error(`steals.json: argument ${index} of ${steal.function} is not a PyObject* in refcounts.dat`);
      }
      draft.args[index] = steal.effect;
    }
    draft.source = 'override';
  }
}

function applyOverride(name: string, override: Override, existing: Draft | undefined, steals: StealFacts): Draft {
  const returns = override.returns ?? existing?.returns;
  if (returns === undefined) throw new Error(`overrides.json: ${name} is not in refcounts.dat, so it must give "returns"`);
  const args = { ...existing?.args };
  // steals.json still applies to functions only the override file defines (PyModule_Add).
  if (!existing) {
    for (const steal of steals.steals.filter((s) => s.function === name)) {
      for (const index of steal.indices) args[index] = steal.effect;
    }
  }
  Object.assign(args, override.args);
  const nonNullArgs = new Set([...(existing?.nonNullArgs ?? []), ...override.nonNullArgs]);
  for (const index of override.allowNull) {
    if (!nonNullArgs.delete(index)) {
      throw new Error(`overrides.json: ${name} allows NULL in argument ${index}, which no rule marks as non-NULL`);
    }
  }
  return { returns, args, nonNullArgs, source: 'override', ...(existing?.dat && { dat: existing.dat }) };
}

function defaultCanFail(draft: Draft): boolean {
  if (draft.returns !== 'none') return true;
  return draft.dat?.returnType === 'int' && Object.values(draft.args).some((effect) => FAILURE_CHANGES_OWNERSHIP.has(effect));
}

function laterThanBaseline(version: PythonVersion): boolean {
  return version[0] > STABLE_ABI_BASELINE[0] || (version[0] === STABLE_ABI_BASELINE[0] && version[1] > STABLE_ABI_BASELINE[1]);
}

function sinceOf(name: string, sources: TableSources): PythonVersion | undefined {
  const override = sources.overrides.entries.get(name);
  if (override?.since !== undefined) return override.since ?? undefined;
  const added = sources.stableAbi.get(name);
  return added && laterThanBaseline(added) ? added : undefined;
}

function finish(name: string, draft: Draft, sources: TableSources): ApiEntry {
  const args: Record<number, ArgEffect> = {};
  for (const [index, effect] of Object.entries(draft.args)) {
    if (effect !== 'borrows') args[Number(index)] = effect;
  }
  const override = sources.overrides.entries.get(name);
  const since = sinceOf(name, sources);
  const nonNullArgs = [...draft.nonNullArgs].sort((a, b) => a - b);
  return {
    name,
    returns: draft.returns,
    canFail: override?.canFail ?? defaultCanFail({ ...draft, args }),
    ...(override?.nullIsAnswer && { nullIsAnswer: true }),
    args,
    ...(override?.format && { format: override.format }),
    ...(nonNullArgs.length > 0 && { nonNullArgs }),
    ...(since && { since }),
    source: draft.source,
  };
}

/** Every `-1` in refcounts.dat must be a known steal, a known non-steal or a release macro. */
function auditMinusOnes(sources: TableSources, table: ReadonlyMap<string, ApiEntry>): string[] {
  const problems: string[] = [];
  const notSteals = new Set(sources.steals.minusOneNotASteal);
  const releases = new Set(sources.steals.releaseMacros);
  for (const fn of sources.dat) {
    fn.params.forEach((param, index) => {
      if (param.refcount !== '-1' || notSteals.has(fn.name) || releases.has(fn.name)) return;
      const effect = table.get(fn.name)?.args[index];
      if (effect !== 'steals' && effect !== 'steals-on-success') {
        problems.push(`refcounts.dat marks argument ${index} of ${fn.name} -1, and nothing says whether it is stolen`);
      }
    });
  }
  return problems;
}

function auditFacts(sources: TableSources, table: ReadonlyMap<string, ApiEntry>): string[] {
  const problems: string[] = [];
  for (const name of sources.steals.inPlace) {
    const entry = table.get(name);
    if (!entry || !Object.values(entry.args).includes('in-place')) {
      problems.push(`steals.json says ${name} replaces a pointer in place; the table has no in-place argument for it`);
    }
  }
  for (const name of sources.steals.minusOneNotASteal) {
    const entry = table.get(name);
    if (entry && Object.values(entry.args).some((effect) => effect === 'steals' || effect === 'steals-on-success')) {
      problems.push(`steals.json says ${name} steals nothing; the table says it steals`);
    }
  }
  for (const name of sources.steals.releaseMacros) {
    const effect = table.get(name)?.args[0];
    if (effect !== 'releases' && effect !== 'xreleases' && effect !== 'clears') {
      problems.push(`${name} releases its argument; the table does not say so`);
    }
  }
  for (const entry of table.values()) {
    const fn = sources.dat.find((candidate) => candidate.name === entry.name);
    if (!fn || fn.variadic) continue;
    for (const index of Object.keys(entry.args).map(Number)) {
      if (index >= fn.params.length) problems.push(`${entry.name} has no argument ${index} in refcounts.dat`);
    }
  }
  return problems;
}

/** The table, sorted by name. Throws with every inconsistency found, not just the first. */
export function buildApiTable(sources: TableSources): ApiEntry[] {
  const drafts = new Map<string, Draft>();
  for (const fn of sources.dat) drafts.set(fn.name, draftFromDat(fn, sources.overrides.nonNullPrefixes));
  applySteals(drafts, sources.steals, sources.overrides);
  for (const [name, override] of sources.overrides.entries) {
    drafts.set(name, applyOverride(name, override, drafts.get(name), sources.steals));
  }
  const names = [...drafts.keys()].sort();
  const table = new Map(names.map((name) => [name, finish(name, drafts.get(name) as Draft, sources)] as const));
  const problems = [...auditMinusOnes(sources, table), ...auditFacts(sources, table)];
  if (problems.length > 0) throw new Error(`The C API sources disagree:\n- ${problems.join('\n- ')}`);
  return [...table.values()];
}
