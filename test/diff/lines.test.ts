import { describe, expect, it } from 'vitest';
import { addedLines, commentableLines } from '../../src/diff/lines.js';
import { parsePatch } from '../../src/diff/parse.js';

const hunks = parsePatch(
  ['@@ -1,3 +1,4 @@', ' a', '-b', '+B', '+C', ' d', '@@ -20,2 +21,2 @@', ' x', '-y', '+Y'].join('\n'),
);

describe('addedLines', () => {
  it('gives the new-side numbers of added lines only', () => {
    expect([...addedLines(hunks)].sort((a, b) => a - b)).toEqual([2, 3, 22]);
  });
});

describe('commentableLines', () => {
  it('maps added and context lines to their hunk, and leaves out lines outside hunks', () => {
    expect([...commentableLines(hunks)].sort(([a], [b]) => a - b)).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [21, 1],
      [22, 1],
    ]);
  });
});
