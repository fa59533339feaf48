import { describe, expect, it } from 'vitest';
import { diffTargets } from '../../src/cli/diff-targets.js';
import { parseUnifiedDiff } from '../../src/diff/parse.js';

const diff = parseUnifiedDiff(
  [
    'diff --git a/src/a.c b/src/a.c',
    '--- a/src/a.c',
    '+++ b/src/a.c',
    '@@ -1,2 +1,4 @@',
    ' x',
    '+y',
    '+z',
    ' w',
    'diff --git a/src/gone.c b/src/gone.c',
    'deleted file mode 100644',
    '--- a/src/gone.c',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-x',
    'diff --git a/src/trim.c b/src/trim.c',
    '--- a/src/trim.c',
    '+++ b/src/trim.c',
    '@@ -1,2 +1,1 @@',
    ' x',
    '-y',
    'diff --git a/doc.md b/doc.md',
    '--- a/doc.md',
    '+++ b/doc.md',
    '@@ -1 +1 @@',
    '-a',
    '+b',
    'diff --git a/lib/b.h b/lib/b.h',
    '--- a/lib/b.h',
    '+++ b/lib/b.h',
    '@@ -1 +1 @@',
    '-a',
    '+b',
  ].join('\n'),
);

describe('diffTargets', () => {
  it('keeps C and C++ files that gain lines, with those lines', () => {
    const targets = diffTargets(diff, '/repo', []);
    expect(targets.map((target) => [target.path, target.absolutePath, [...target.touchedLines]])).toEqual([
      ['src/a.c', '/repo/src/a.c', [2, 3]],
      ['lib/b.h', '/repo/lib/b.h', [1]],
    ]);
  });

  it('keeps only files under the given paths', () => {
    expect(diffTargets(diff, '/repo', ['lib']).map((target) => target.path)).toEqual(['lib/b.h']);
    expect(diffTargets(diff, '/repo', ['src/a.c']).map((target) => target.path)).toEqual(['src/a.c']);
    expect(diffTargets(diff, '/repo', ['sr'])).toEqual([]);
  });
});
