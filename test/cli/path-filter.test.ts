import { describe, expect, it } from 'vitest';
import { pathFilter } from '../../src/cli/path-filter.js';

describe('pathFilter', () => {
  it('keeps what include matches and exclude does not, dot folders included', () => {
    const wanted = pathFilter(['src/**', '.ci/**'], ['**/third_party/**']);
    expect(wanted('src/a.c')).toBe(true);
    expect(wanted('.ci/check.c')).toBe(true);
    expect(wanted('src/third_party/b.c')).toBe(false);
    expect(wanted('tests/c.c')).toBe(false);
  });

  it('keeps everything with the default include', () => {
    expect(pathFilter(['**/*'], [])('deep/er/x.h')).toBe(true);
  });
});
