import { z } from 'zod';
import { ARG_EFFECTS, type ApiEntry } from './types.js';

/**
 * The on-disk shape of table.generated.json, shared by the generator (which writes it) and the
 * loader (which checks it), so the two cannot drift apart. An entry is stored without its name
 * (the key) and without empty fields, one entry per line, so diffs of the table stay readable.
 */

const argEffect = z.enum(ARG_EFFECTS);

const storedEntrySchema = z
  .object({
    args: z.record(z.string().regex(/^\d+$/), argEffect).optional(),
    canFail: z.boolean(),
    format: z.object({ index: z.number().int().min(0), style: z.enum(['build', 'parse']) }).strict().optional(),
    nonNullArgs: z.array(z.number().int().min(0)).optional(),
    nullIsAnswer: z.literal(true).optional(),
    returns: z.enum(['new', 'borrowed', 'none', 'null']),
    since: z.tuple([z.number().int(), z.number().int()]).optional(),
    source: z.enum(['refcounts.dat', 'override']),
  })
  .strict();

const sourceSchema = z.object({ file: z.string(), origin: z.string(), sha256: z.string() }).strict();

export const storedTableSchema = z
  .object({
    generated: z.string(),
    sources: z.array(sourceSchema),
    entries: z.record(z.string(), storedEntrySchema),
  })
  .strict();

export type StoredTable = z.infer<typeof storedTableSchema>;
export type StoredEntry = z.infer<typeof storedEntrySchema>;
export type TableSource = z.infer<typeof sourceSchema>;

export function toStoredEntry(entry: ApiEntry): StoredEntry {
  if (entry.source !== 'refcounts.dat' && entry.source !== 'override') {
    throw new Error(`${entry.name}: only built-in entries belong in the generated table, not ${entry.source} ones`);
  }
  const args = Object.fromEntries(Object.entries(entry.args).map(([index, effect]) => [index, effect]));
  return {
    ...(Object.keys(args).length > 0 && { args }),
    canFail: entry.canFail,
    ...(entry.format && { format: { index: entry.format.index, style: entry.format.style } }),
    ...(entry.nonNullArgs && entry.nonNullArgs.length > 0 && { nonNullArgs: [...entry.nonNullArgs] }),
    ...(entry.nullIsAnswer && { nullIsAnswer: true as const }),
    returns: entry.returns,
    ...(entry.since && { since: [entry.since[0], entry.since[1]] }),
    source: entry.source,
  };
}

export function fromStoredEntry(name: string, stored: StoredEntry): ApiEntry {
  const args: Record<number, NonNullable<StoredEntry['args']>[string]> = {};
  for (const [index, effect] of Object.entries(stored.args ?? {})) args[Number(index)] = effect;
  return {
    name,
    returns: stored.returns,
    canFail: stored.canFail,
    args,
    ...(stored.format && { format: stored.format }),
    ...(stored.nonNullArgs && { nonNullArgs: stored.nonNullArgs }),
    ...(stored.nullIsAnswer && { nullIsAnswer: true }),
    ...(stored.since && { since: stored.since }),
    source: stored.source,
  };
}

/**
 * Deterministic text: header fields first, then one entry per line sorted by name, with each
 * entry's keys in a fixed order (argument indices are integer keys, which JSON keeps ascending).
 */
export function renderStoredTable(table: StoredTable): string {
  const names = Object.keys(table.entries).sort();
  const entryLines = names.map((name) => `    ${JSON.stringify(name)}: ${JSON.stringify(table.entries[name])}`);
  const sourceLines = table.sources.map((source) => `    ${JSON.stringify(source)}`);
  return [
    '{',
    `  "generated": ${JSON.stringify(table.generated)},`,
    '  "sources": [',
    sourceLines.join(',\n'),
    '  ],',
    '  "entries": {',
    entryLines.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}
