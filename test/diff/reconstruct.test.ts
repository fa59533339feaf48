import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePatch, parseUnifiedDiff } from '../../src/diff/parse.js';
import { reconstructBase } from '../../src/diff/reconstruct.js';

const workDir = mkdtempSync(join(tmpdir(), 'refcheck-diff-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A real patch from git, as the CLI and GitHub would see it. */
function gitDiff(oldText: string, newText: string): string {
  const oldPath = join(workDir, 'old.c');
  const newPath = join(workDir, 'new.c');
  writeFileSync(oldPath, oldText);
  writeFileSync(newPath, newText);
  try {
    execFileSync('git', ['-c', 'core.autocrlf=false', 'diff', '--no-index', '--no-color', '--no-ext-diff', oldPath, newPath], {
      encoding: 'utf8',
    });
    return '';
  } catch (error) {
    // git diff --no-index exits 1 when the files differ; its output is the patch.
    const { status, stdout } = error as { status: number; stdout: string };
    if (status !== 1) throw error;
    return stdout;
  }
}

/** The hunks only, as in GitHub's `patch` field. */
function hunksOnly(diff: string): string {
  const start = diff.indexOf('\n@@');
  return start < 0 ? '' : diff.slice(start + 1);
}

const lineArb = fc.constantFrom('{', '}', '', 'a', 'b', 'Py_DECREF(x);', '    return NULL;');
const endingArb = fc.constantFrom('\n', '\r\n');
const textArb = fc
  .record({
    lines: fc.array(fc.tuple(lineArb, endingArb), { maxLength: 12 }),
    finalNewline: fc.boolean(),
  })
  .map(({ lines, finalNewline }) => {
    const text = lines.map(([line, ending]) => line + ending).join('');
    return finalNewline || text === '' ? text : text.replace(/\r?\n$/, '');
  });
const editArb = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 3 }),
  insert: fc.array(fc.tuple(lineArb, endingArb), { maxLength: 3 }),
});

function applyEdits(text: string, edits: readonly { at: number; remove: number; insert: [string, string][] }[]): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const edit of edits) {
    const at = lines.length === 0 ? 0 : edit.at % (lines.length + 1);
    lines.splice(at, edit.remove, ...edit.insert.map(([line, ending]) => line + ending));
  }
  return lines.join('');
}

describe('reconstructBase', () => {
  it('rebuilds the old file from the new one and a real git patch, endings included', () => {
    fc.assert(
      fc.property(textArb, fc.array(editArb, { maxLength: 4 }), fc.boolean(), (oldText, edits, dropFinalNewline) => {
        const edited = applyEdits(oldText, edits);
        const newText = dropFinalNewline ? edited.replace(/\n$/, '') : edited;
        const diff = gitDiff(oldText, newText);
        const fromDiff = parseUnifiedDiff(diff)[0]?.hunks ?? [];
        expect(reconstructBase(newText, fromDiff)).toBe(oldText);
        expect(reconstructBase(newText, parsePatch(hunksOnly(diff)))).toBe(oldText);
      }),
      { numRuns: 150 },
    );
  });

  it('returns the head unchanged when there are no hunks (a pure rename)', () => {
    expect(reconstructBase('a\nb\n', [])).toBe('a\nb\n');
  });

  it('refuses a patch whose context does not match the content', () => {
    const hunks = parsePatch('@@ -1,2 +1,2 @@\n a\n-b\n+B');
    expect(reconstructBase('a\nB\n', hunks)).toBe('a\nb\n');
    expect(reconstructBase('z\nB\n', hunks)).toBeUndefined();
  });

  it('refuses a truncated patch', () => {
    const hunks = parsePatch('@@ -1,4 +1,4 @@\n a\n-b\n+B');
    expect(reconstructBase('a\nB\nc\nd\n', hunks)).toBeUndefined();
  });

  it('refuses a patch whose old side does not line up with the lines before it', () => {
    const hunks = parsePatch('@@ -5,1 +2,1 @@\n-b\n+B');
    expect(reconstructBase('a\nB\n', hunks)).toBeUndefined();
  });

  it('refuses a no-newline marker that the content contradicts', () => {
    const hunks = parsePatch('@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file');
    expect(reconstructBase('b', hunks)).toBe('a\n');
    expect(reconstructBase('b\n', hunks)).toBeUndefined();
  });

  it('refuses a head that lost its final newline where the patch says nothing', () => {
    const hunks = parsePatch('@@ -1 +1 @@\n-a\n+b');
    expect(reconstructBase('b', hunks)).toBeUndefined();
  });
});
