import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePatch, parseUnifiedDiff } from '../../src/diff/parse.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/diff/${name}`, import.meta.url), 'utf8');

describe('parseUnifiedDiff', () => {
  it('matches the golden parse of a real multi-file git diff', () => {
    const parsed = parseUnifiedDiff(fixture('multi-file.diff'));
    expect(parsed).toEqual(JSON.parse(fixture('multi-file.json')));
  });

  it('tells added, deleted, renamed and modified files apart, without a/ b/ prefixes', () => {
    const parsed = parseUnifiedDiff(fixture('multi-file.diff'));
    expect(parsed.map((file) => [file.status, file.oldPath, file.newPath])).toEqual([
      ['modified', 'include/helper.h', 'include/helper.h'],
      ['renamed', 'src/moved.h', 'lib/moved.h'],
      ['deleted', 'src/gone.c', null],
      ['modified', 'src/module.c', 'src/module.c'],
      ['added', null, 'src/new file.c'],
      ['renamed', 'src/old_name.cpp', 'src/new_name.cpp'],
    ]);
  });

  it('keeps the no-newline marker out of the lines and records its side', () => {
    const parsed = parseUnifiedDiff(fixture('multi-file.diff'));
    const helper = parsed[0]?.hunks[0];
    expect(helper?.noNewlineAtEnd).toBe('old');
    expect(helper?.lines.some((line) => line.text.includes('No newline'))).toBe(false);
    expect(parsed[4]?.hunks[0]?.noNewlineAtEnd).toBe('new');
    expect(parsed[3]?.hunks[0]?.noNewlineAtEnd).toBeUndefined();
  });

  it('decodes git-quoted paths and keeps carriage returns in line text', () => {
    const [file] = parseUnifiedDiff(fixture('quoted-crlf.diff'));
    expect(file?.newPath).toBe('café.c');
    expect(file?.oldPath).toBe('café.c');
    expect(file?.hunks[0]?.lines).toEqual([
      { kind: 'context', oldLine: 1, newLine: 1, text: 'a\r' },
      { kind: 'del', oldLine: 2, text: 'b\r' },
      { kind: 'add', newLine: 2, text: 'B\r' },
    ]);
  });

  it('marks both sides when neither version ends in a newline', () => {
    const text = [
      'diff --git a/x.c b/x.c',
      '--- a/x.c',
      '+++ b/x.c',
      '@@ -1 +1 @@',
      '-old',
      '\\ No newline at end of file',
      '+new',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    expect(parseUnifiedDiff(text)[0]?.hunks[0]?.noNewlineAtEnd).toBe('both');
  });

  it('returns nothing for empty input', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});

describe('parsePatch', () => {
  it('reads the hunks of a GitHub patch field, which has no file headers', () => {
    const patch = '@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -10 +11 @@ int f(void)\n-x\n+y';
    const hunks = parsePatch(patch);
    expect(hunks).toEqual([
      {
        oldStart: 1,
        oldLines: 2,
        newStart: 1,
        newLines: 3,
        lines: [
          { kind: 'context', oldLine: 1, newLine: 1, text: 'a' },
          { kind: 'add', newLine: 2, text: 'b' },
          { kind: 'context', oldLine: 2, newLine: 3, text: 'c' },
        ],
      },
      {
        oldStart: 10,
        oldLines: 1,
        newStart: 11,
        newLines: 1,
        lines: [
          { kind: 'del', oldLine: 10, text: 'x' },
          { kind: 'add', newLine: 11, text: 'y' },
        ],
      },
    ]);
  });

  it('does not invent a context line from the final newline of a truncated patch', () => {
    const hunks = parsePatch('@@ -1,5 +1,5 @@\n a\n-b\n+B\n');
    expect(hunks[0]?.lines).toHaveLength(3);
  });

  it('reads a line whose content starts with --- or +++ as a change, not a header', () => {
    const hunks = parsePatch('@@ -1,2 +1,2 @@\n--- x\n+++ y\n ctx');
    expect(hunks[0]?.lines.map((line) => line.kind)).toEqual(['del', 'add', 'context']);
  });
});
