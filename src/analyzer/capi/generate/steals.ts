import { z } from 'zod';

/**
 * Reader for steals.json: the arguments the C API documentation says are stolen, and the known
 * places where refcounts.dat's argument column is misleading.
 */

export type StealEffect = 'steals' | 'steals-on-success';

export interface Steal {
  readonly function: string;
  readonly indices: readonly number[];
  readonly effect: StealEffect;
}

export interface StealFacts {
  readonly steals: readonly Steal[];
  /** Functions with a `PyObject **` parameter that is replaced in place. */
  readonly inPlace: readonly string[];
  /** Functions whose `-1` in refcounts.dat is not a steal. */
  readonly minusOneNotASteal: readonly string[];
  /** Py_DECREF and friends: their `-1` is a release, which the table models separately. */
  readonly releaseMacros: readonly string[];
}

const stealsFileSchema = z.object({
  steals: z.array(
    z.object({
      function: z.string(),
      index: z.union([z.number().int().min(0), z.array(z.number().int().min(0)).min(1)]),
      when: z.string(),
    }),
  ),
  in_place_pointer_params: z.array(z.object({ function: z.string() })),
  dat_minus1_not_a_steal: z.array(z.string()),
  decref_macros_dat_minus1: z.array(z.string()),
});

const IDENTIFIER = /^[A-Za-z_]\w*/;

function effectOf(when: string, fn: string): StealEffect {
  // The file states the timing in prose; only two shapes occur, anything else is a new fact to model.
  if (/^only on success/i.test(when)) return 'steals-on-success';
  if (/^(always|macro)\b/i.test(when)) return 'steals';
  throw new Error(`steals.json: cannot tell when ${fn} steals from "${when}"`);
}

function leadingIdentifier(text: string): string {
  const match = IDENTIFIER.exec(text);
  if (!match) throw new Error(`steals.json: "${text}" does not start with a function name`);
  return match[0];
}

export function parseSteals(json: unknown): StealFacts {
  const file = stealsFileSchema.parse(json);
  return {
    steals: file.steals.map((entry) => ({
      function: entry.function,
      indices: typeof entry.index === 'number' ? [entry.index] : entry.index,
      effect: effectOf(entry.when, entry.function),
    })),
    // One entry groups several functions as "_PyBytes_Resize/_PyTuple_Resize/PyUnicode_Resize".
    inPlace: file.in_place_pointer_params.flatMap((entry) => entry.function.split('/').map((name) => name.trim())),
    minusOneNotASteal: file.dat_minus1_not_a_steal.map(leadingIdentifier),
    releaseMacros: file.decref_macros_dat_minus1,
  };
}
