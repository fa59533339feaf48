import { describe, expect, it } from 'vitest';
import type { Fix, LineEdit } from '../../src/analyzer/findings.js';
import { applyFixes } from './apply-edits.js';

const SOURCE = ['a', 'b', 'c', 'd', 'e'].join('\n');

function fix(...edits: LineEdit[]): Fix {
  return { description: 'test', edits };
}

describe('applyFixes', () => {
  it('replaces, inserts (as a two-line replacement) and deletes whole lines', () => {
    const result = applyFixes(SOURCE, [
      fix({ startLine: 2, endLine: 2, lines: ['B'] }),
      fix({ startLine: 3, endLine: 3, lines: ['  new', 'c'] }),
      fix({ startLine: 5, endLine: 5, lines: [] }),
    ]);
    expect(result.text).toBe(['a', 'B', '  new', 'c', 'd'].join('\n'));
    expect(result.skipped).toEqual([]);
  });

  it('keeps line numbers of earlier edits valid by applying bottom-up', () => {
    const result = applyFixes(SOURCE, [
      fix({ startLine: 1, endLine: 1, lines: ['x', 'y', 'a'] }),
      fix({ startLine: 4, endLine: 4, lines: ['D'] }),
    ]);
    expect(result.text).toBe(['x', 'y', 'a', 'b', 'c', 'D', 'e'].join('\n'));
  });

  it('applies a fix of several edits as one', () => {
    const result = applyFixes(SOURCE, [
      fix({ startLine: 1, endLine: 2, lines: ['ab'] }, { startLine: 4, endLine: 4, lines: [] }),
    ]);
    expect(result.text).toBe(['ab', 'c', 'e'].join('\n'));
  });

  it('skips a whole fix when one of its edits overlaps a fix already taken', () => {
    const later = fix({ startLine: 4, endLine: 5, lines: ['DE'] });
    const clashing = fix({ startLine: 1, endLine: 1, lines: ['A'] }, { startLine: 5, endLine: 5, lines: ['E'] });
    const result = applyFixes(SOURCE, [clashing, later]);
    expect(result.text).toBe(['a', 'b', 'c', 'DE'].join('\n'));
    expect(result.skipped).toEqual([clashing]);
  });

  it('keeps a trailing newline', () => {
    expect(applyFixes('a\nb\n', [fix({ startLine: 2, endLine: 2, lines: ['B'] })]).text).toBe('a\nB\n');
  });

  it('rejects an edit outside the source', () => {
    expect(() => applyFixes(SOURCE, [fix({ startLine: 6, endLine: 6, lines: [] })])).toThrow(RangeError);
  });
});
