import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, generateTableJson, TABLE_PATH } from '../../scripts/generate-capi.js';

// The CPython data lives next to the repository (../shared/python-c-api), not in it.
describe.skipIf(!existsSync(DEFAULT_DATA_DIR))('scripts/generate-capi.ts', () => {
  // Computed in the tests, not here: a skipped describe still runs its body.
  let generated = '';
  beforeAll(() => {
    generated = generateTableJson(DEFAULT_DATA_DIR);
  });

  it('reproduces the committed table exactly, so nobody edits it by hand', () => {
    expect(generated).toBe(readFileSync(TABLE_PATH, 'utf8'));
  });

  it('names its sources and the command that made it', () => {
    const table = JSON.parse(generated) as { generated: string; sources: { file: string; origin: string }[] };
    expect(table.generated).toContain('npm run generate:capi');
    expect(table.sources.map((source) => source.file)).toEqual([
      'refcounts.dat',
      'stable_abi.toml',
      'steals.json',
      'overrides.json',
    ]);
    expect(table.sources[0]?.origin).toContain('CPython 3.13.5');
  });

  it('is deterministic', () => {
    expect(generateTableJson(DEFAULT_DATA_DIR)).toBe(generated);
  });
});
