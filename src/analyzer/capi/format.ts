import type { FormatStyle } from './types.js';

/** What a format unit does with the variadic argument it consumes. */
export type FormatArgumentEffect = 'steals' | 'borrows' | 'out-borrowed' | 'other';

interface StyleGrammar {
  /** Unit spelling → effect on each argument it consumes, in order. */
  readonly units: ReadonlyMap<string, readonly FormatArgumentEffect[]>;
  /** Characters that group or separate units and consume nothing. */
  readonly skip: ReadonlySet<string>;
  /** Characters after which the rest of the format is not units (a name or an error message). */
  readonly stop: ReadonlySet<string>;
}

const ONE: readonly FormatArgumentEffect[] = ['other'];
const TWO: readonly FormatArgumentEffect[] = ['other', 'other'];
const THREE: readonly FormatArgumentEffect[] = ['other', 'other', 'other'];

// Units that take one plain C value in both directions: numbers, characters, booleans, Py_complex.
const SCALARS = 'bBhHiIlkLKncCfdDp'.split('');

function units(entries: ReadonlyArray<readonly [string, readonly FormatArgumentEffect[]]>): Map<string, readonly FormatArgumentEffect[]> {
  return new Map([...SCALARS.map((unit) => [unit, ONE] as const), ...entries]);
}

// Py_BuildValue: arguments are values. N hands over a reference (stolen even on error), O and S
// take their own, O& passes a converter and its argument.
const BUILD: StyleGrammar = {
  units: units([
    ['N', ['steals']],
    ['O', ['borrows']],
    ['S', ['borrows']],
    ['O&', TWO],
    ...['s', 'z', 'y', 'u', 'U'].flatMap((unit) => [
      [unit, ONE] as const,
      [`${unit}#`, TWO] as const,
    ]),
  ]),
  skip: new Set(['(', ')', '[', ']', '{', '}', ':', ',', ' ', '\t', '\n']),
  stop: new Set(),
};

// PyArg_Parse*: arguments are addresses. O, S, U and Y store borrowed references; O! takes the type
// first, O& a converter and its target (whatever the converter stores is its own business).
const PARSE: StyleGrammar = {
  units: units([
    ['O', ['out-borrowed']],
    ['S', ['out-borrowed']],
    ['U', ['out-borrowed']],
    ['Y', ['out-borrowed']],
    ['O!', ['other', 'out-borrowed']],
    ['O&', TWO],
    ...['s', 'z', 'y'].flatMap((unit) => [
      [unit, ONE] as const,
      [`${unit}*`, ONE] as const,
      [`${unit}#`, TWO] as const,
    ]),
    ['w*', ONE],
    ['es', TWO],
    ['et', TWO],
    ['es#', THREE],
    ['et#', THREE],
    // Py_UNICODE units, removed in 3.12 but still in older extensions.
    ['u', ONE],
    ['u#', TWO],
    ['Z', ONE],
    ['Z#', TWO],
  ]),
  skip: new Set(['(', ')', '|', '$', ' ', '\t', '\n']),
  stop: new Set([':', ';']),
};

const GRAMMARS: Readonly<Record<FormatStyle, StyleGrammar>> = { build: BUILD, parse: PARSE };
const LONGEST_UNIT = 3;

/**
 * The effect of a format string on the variadic arguments that follow it, one element per argument
 * in order. At a unit it does not know, it stops: the arguments from there on are unknown, and
 * guessing their count would shift every later steal or borrow onto the wrong argument.
 */
export function formatArgumentEffects(format: string, style: FormatStyle): FormatArgumentEffect[] {
  const grammar = GRAMMARS[style];
  const effects: FormatArgumentEffect[] = [];
  let at = 0;
  while (at < format.length) {
    const char = format.charAt(at);
    if (grammar.stop.has(char)) break;
    if (grammar.skip.has(char)) {
      at += 1;
      continue;
    }
    const unit = longestUnitAt(format, at, grammar);
    if (unit === undefined) break;
    effects.push(...(grammar.units.get(unit) ?? []));
    at += unit.length;
  }
  return effects;
}

function longestUnitAt(format: string, at: number, grammar: StyleGrammar): string | undefined {
  for (let length = LONGEST_UNIT; length >= 1; length -= 1) {
    const candidate = format.slice(at, at + length);
    if (candidate.length === length && grammar.units.has(candidate)) return candidate;
  }
  return undefined;
}
