import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { PullFile } from '../../src/github/client.js';
import { selectFiles } from '../../src/review/files.js';

const file = (path: string, status: PullFile['status'] = 'modified'): PullFile => ({ path, status, patch: '@@ -1 +1 @@\n-a\n+b' });

describe('selectFiles', () => {
  it('keeps C and C++ sources by extension and leaves other files out silently', () => {
    const { candidates, skipped } = selectFiles(
      [file('a.c'), file('b.cpp'), file('include/c.h'), file('d.hpp'), file('setup.py'), file('README.md')],
      DEFAULT_CONFIG.paths,
    );
    expect(candidates.map((candidate) => candidate.path)).toEqual(['a.c', 'b.cpp', 'include/c.h', 'd.hpp']);
    expect(skipped).toEqual([]);
  });

  it('skips deleted files and keeps the new path of renamed ones', () => {
    const { candidates } = selectFiles([file('gone.c', 'removed'), file('new_name.c', 'renamed')], DEFAULT_CONFIG.paths);
    expect(candidates.map((candidate) => candidate.path)).toEqual(['new_name.c']);
  });

  it('applies the include and exclude globs, and says which files they left out', () => {
    const paths = { include: ['src/**', '.hidden/**'], exclude: ['src/vendor/**'] };
    const { candidates, skipped } = selectFiles([file('src/a.c'), file('src/vendor/b.c'), file('tools/c.c'), file('.hidden/d.c')], paths);
    expect(candidates.map((candidate) => candidate.path)).toEqual(['src/a.c', '.hidden/d.c']);
    expect(skipped).toEqual([
      { path: 'src/vendor/b.c', reason: 'excluded by the paths setting' },
      { path: 'tools/c.c', reason: 'excluded by the paths setting' },
    ]);
  });
});
