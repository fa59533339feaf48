import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sample, seededRandom, simulatedTouchedLines } from '../../../bench/random.js';

describe('seededRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = seededRandom(seed);
        for (let i = 0; i < 50; i++) {
          const value = random();
          expect(value >= 0 && value < 1).toBe(true);
        }
      }),
    );
  });
});

describe('sample', () => {
  it('takes distinct items of the input, as many as asked or all there are', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer()), fc.nat({ max: 30 }), fc.integer(), (items, count, seed) => {
        const picked = sample(items, count, seededRandom(seed));
        expect(picked).toHaveLength(Math.min(count, items.length));
        expect(new Set(picked).size).toBe(picked.length);
        for (const item of picked) expect(items).toContain(item);
      }),
    );
  });

  it('is reproducible from the seed and leaves its input alone', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const copy = [...items];
    expect(sample(items, 10, seededRandom(3))).toEqual(sample(items, 10, seededRandom(3)));
    expect(items).toEqual(copy);
  });
});

describe('simulatedTouchedLines', () => {
  it('touches the requested share of lines, all within the file', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (lines, fraction, seed) => {
        const touched = simulatedTouchedLines(lines, fraction, seededRandom(seed));
        expect(touched.size).toBe(Math.round(lines * fraction));
        for (const line of touched) expect(line >= 1 && line <= lines).toBe(true);
      }),
    );
  });

  it('touches lines in runs, as a diff does, not scattered one by one', () => {
    const touched = [...simulatedTouchedLines(10_000, 0.05, seededRandom(1))].sort((a, b) => a - b);
    const runStarts = touched.filter((line, i) => i === 0 || touched[i - 1] !== line - 1).length;
    expect(runStarts).toBeLessThan(touched.length / 2);
  });
});
