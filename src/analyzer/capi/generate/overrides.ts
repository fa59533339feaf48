import { z } from 'zod';
import { ARG_EFFECTS, type ArgEffect, type FormatStyle, type Returns } from '../types.js';
import type { PythonVersion } from './stable-abi.js';

/**
 * Schema of src/analyzer/capi/overrides.json: the hand-written corrections and additions to what
 * refcounts.dat, stable_abi.toml and steals.json say. Every entry must say why it exists.
 */

const returns = z.enum(['new', 'borrowed', 'none', 'null']);

const argEffect = z.enum(ARG_EFFECTS);

const argIndex = z.number().int().min(0);

const overrideEntrySchema = z
  .object({
    why: z.string().min(1),
    returns: returns.optional(),
    canFail: z.boolean().optional(),
    nullIsAnswer: z.literal(true).optional(),
    args: z.record(z.string().regex(/^\d+$/), argEffect).optional(),
    format: z.object({ index: argIndex, style: z.enum(['build', 'parse']) }).strict().optional(),
    /** Added to the arguments the prefix rule marks as non-NULL. */
    nonNullArgs: z.array(argIndex).optional(),
    /** Removed from them: the documentation allows NULL there. */
    allowNull: z.array(argIndex).optional(),
    /** `null` drops the stable-ABI version when it is later than the function itself. */
    since: z
      .string()
      .regex(/^\d+\.\d+$/)
      .nullable()
      .optional(),
  })
  .strict()
  .refine((e) => !e.nullIsAnswer || e.canFail === false, { message: 'a call whose NULL is an answer does not fail: give "canFail": false' });

const overridesFileSchema = z
  .object({
    about: z.string(),
    nonNull: z.object({ about: z.string(), prefixes: z.array(z.string().min(1)) }).strict(),
    entries: z.record(z.string().regex(/^[A-Za-z_]\w*$/), overrideEntrySchema),
  })
  .strict();

export interface Override {
  readonly why: string;
  readonly returns?: Returns;
  readonly canFail?: boolean;
  readonly nullIsAnswer?: boolean;
  readonly args: Readonly<Record<number, ArgEffect>>;
  readonly format?: { readonly index: number; readonly style: FormatStyle };
  readonly nonNullArgs: readonly number[];
  readonly allowNull: readonly number[];
  /** Absent: keep what stable_abi.toml says; null: long-standing despite it. */
  readonly since?: PythonVersion | null;
}

export interface Overrides {
  /** Name prefixes whose `PyObject*` parameters must not be NULL unless an entry allows it. */
  readonly nonNullPrefixes: readonly string[];
  readonly entries: ReadonlyMap<string, Override>;
}

function toVersion(text: string): PythonVersion {
  const [major, minor] = text.split('.').map(Number) as [number, number];
  return [major, minor];
}

export function parseOverrides(json: unknown): Overrides {
  const file = overridesFileSchema.parse(json);
  const entries = new Map<string, Override>();
  for (const [name, entry] of Object.entries(file.entries)) {
    const args: Record<number, ArgEffect> = {};
    for (const [index, effect] of Object.entries(entry.args ?? {})) args[Number(index)] = effect;
    entries.set(name, {
      why: entry.why,
      ...(entry.returns !== undefined && { returns: entry.returns }),
      ...(entry.canFail !== undefined && { canFail: entry.canFail }),
      ...(entry.nullIsAnswer && { nullIsAnswer: true }),
      args,
      ...(entry.format !== undefined && { format: entry.format }),
      nonNullArgs: entry.nonNullArgs ?? [],
      allowNull: entry.allowNull ?? [],
      ...(entry.since !== undefined && { since: entry.since === null ? null : toVersion(entry.since) }),
    });
  }
  return { nonNullPrefixes: file.nonNull.prefixes, entries };
}
