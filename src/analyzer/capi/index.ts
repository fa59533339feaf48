import type { ApiConfigEntry } from '../../config/schema.js';
import { fromStoredEntry, storedTableSchema } from './stored-table.js';
import generated from './table.generated.json' with { type: 'json' };
import type { ApiEntry, ArgEffect } from './types.js';

export type { ApiEntry, ArgEffect, FormatStyle, Returns } from './types.js';
export { formatArgumentEffects, type FormatArgumentEffect } from './format.js';

/** What the analyzer knows about calls, by name. */
export interface ApiTable {
  lookup(name: string): ApiEntry | undefined;
}

function loadBuiltins(): ReadonlyMap<string, ApiEntry> {
  // Checked once at load: a hand-edited or truncated table fails loudly here, not as odd findings later.
  const stored = storedTableSchema.parse(generated);
  return new Map(Object.entries(stored.entries).map(([name, entry]) => [name, fromStoredEntry(name, entry)]));
}

const BUILTINS = loadBuiltins();

/** The C API as CPython documents it, with the project's corrections (see overrides.json). */
export const builtinApi: ApiTable = { lookup: (name) => BUILTINS.get(name) };

export function lookupApi(name: string): ApiEntry | undefined {
  return builtinApi.lookup(name);
}

function fromConfig(entry: ApiConfigEntry): ApiEntry {
  const args: Record<number, ArgEffect> = {};
  for (const [index, effect] of Object.entries(entry.args)) {
    if (effect !== 'borrows') args[Number(index)] = effect;
  }
  return { name: entry.name, returns: entry.returns, canFail: entry.can_fail, args, source: 'config' };
}

/**
 * The base table plus the repository's own functions. Config entries win over the base (a project
 * may wrap or shadow an API name); file summaries only fill names nobody else describes, because a
 * summary is inferred while the other two are stated. Of two config entries for one name, the later wins.
 */
export function withExtraEntries(
  base: ApiTable,
  extra: readonly ApiConfigEntry[],
  summaries?: ReadonlyMap<string, ApiEntry>,
): ApiTable {
  const configured = new Map(extra.map((entry) => [entry.name, fromConfig(entry)]));
  return {
    lookup: (name) => configured.get(name) ?? base.lookup(name) ?? summaries?.get(name),
  };
}

// PyArg_ParseTupleAndKeywords(args, kw, format, keywords, ...): the keyword list sits between the
// format and the variadic pointers. ApiEntry.format cannot say so, hence this list.
const VARIADIC_GAP: ReadonlyMap<string, number> = new Map([
  ['PyArg_ParseTupleAndKeywords', 1],
  ['_PyArg_ParseTupleAndKeywords_SizeT', 1],
]);

/** 0-based index of the first argument the format string describes, or undefined without a format. */
export function firstFormatArgument(entry: ApiEntry): number | undefined {
  if (!entry.format) return undefined;
  return entry.format.index + 1 + (VARIADIC_GAP.get(entry.name) ?? 0);
}
