/** Seeded randomness, so a trial's sample and a bench's simulated diff can be reproduced from the seed. */

export type Random = () => number;

/** mulberry32: small, fast, and good enough to pick samples; returns numbers in [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, bound). */
export function randomIndex(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}

/** Up to `count` distinct items, in the order they were drawn (partial Fisher–Yates on a copy). */
export function sample<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = [...items];
  const taken = Math.min(Math.max(0, count), pool.length);
  for (let i = 0; i < taken; i++) {
    const j = i + randomIndex(random, pool.length - i);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, taken);
}

/**
 * About `fraction` of the lines 1..lineCount, chosen the way a pull request touches code: in runs
 * of 1 to `maxRun` consecutive lines at random places, rather than isolated lines, which would
 * touch nearly every function and hide what limiting analysis to the diff saves.
 */
export function simulatedTouchedLines(lineCount: number, fraction: number, random: Random, maxRun = 8): Set<number> {
  const target = Math.round(lineCount * Math.min(Math.max(fraction, 0), 1));
  const touched = new Set<number>();
  while (touched.size < target) {
    const start = 1 + randomIndex(random, lineCount);
    const run = 1 + randomIndex(random, maxRun);
    for (let line = start; line < start + run && line <= lineCount && touched.size < target; line++) touched.add(line);
  }
  return touched;
}
