import parseDiff from 'parse-diff';
import type { DiffLine, FileDiff, FileStatus, Hunk } from './types.js';

const NO_NEWLINE_MARKER = '\\ No newline at end of file';
const DEV_NULL = '/dev/null';

/** Parses `git diff` output (any number of files) into plain data. Paths lose their a/ b/ prefixes. */
export function parseUnifiedDiff(text: string): FileDiff[] {
  return parseDiff(withoutFinalNewline(text)).flatMap((file) => {
    const diff = toFileDiff(file);
    return diff === undefined ? [] : [diff];
  });
}

/** Parses the hunks of one file, as in the `patch` field of GitHub's pull request files (no file headers). */
export function parsePatch(patch: string): Hunk[] {
  return parseDiff(withoutFinalNewline(patch)).flatMap((file) => file.chunks.map(toHunk));
}

/**
 * parse-diff reads the empty string after a final newline as a context line when the last hunk is
 * shorter than its header says (a truncated patch), so the final newline is removed first.
 */
function withoutFinalNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function toFileDiff(file: parseDiff.File): FileDiff | undefined {
  const from = file.from === undefined ? undefined : unquoteGitPath(file.from);
  const to = file.to === undefined ? undefined : unquoteGitPath(file.to);
  const oldPath = file.new === true || from === DEV_NULL ? null : (from ?? to ?? null);
  const newPath = file.deleted === true || to === DEV_NULL ? null : (to ?? from ?? null);
  if (oldPath === null && newPath === null) return undefined;
  return { oldPath, newPath, status: statusOf(oldPath, newPath), hunks: file.chunks.map(toHunk) };
}

function statusOf(oldPath: string | null, newPath: string | null): FileStatus {
  if (oldPath === null) return 'added';
  if (newPath === null) return 'deleted';
  return oldPath === newPath ? 'modified' : 'renamed';
}

/**
 * parse-diff keeps the `\ No newline at end of file` marker as a copy of the change before it;
 * those copies are dropped here and turned into the hunk's `noNewlineAtEnd`.
 */
function toHunk(chunk: parseDiff.Chunk): Hunk {
  const lines: DiffLine[] = [];
  let oldMissing = false;
  let newMissing = false;
  for (const change of chunk.changes) {
    if (change.content === NO_NEWLINE_MARKER) {
      const previous = lines.at(-1);
      if (previous === undefined) continue;
      if (previous.kind !== 'add') oldMissing = true;
      if (previous.kind !== 'del') newMissing = true;
      continue;
    }
    lines.push(toDiffLine(change));
  }
  const hunk: Hunk = {
    oldStart: chunk.oldStart,
    oldLines: chunk.oldLines,
    newStart: chunk.newStart,
    newLines: chunk.newLines,
    lines,
  };
  const side = oldMissing && newMissing ? 'both' : oldMissing ? 'old' : newMissing ? 'new' : undefined;
  return side === undefined ? hunk : { ...hunk, noNewlineAtEnd: side };
}

function toDiffLine(change: parseDiff.Change): DiffLine {
  const text = change.content.slice(1);
  switch (change.type) {
    case 'add':
      return { kind: 'add', newLine: change.ln, text };
    case 'del':
      return { kind: 'del', oldLine: change.ln, text };
    case 'normal':
      return { kind: 'context', oldLine: change.ln1, newLine: change.ln2, text };
  }
}

/**
 * Git quotes paths with unusual characters C-style ("caf\303\251.c"); parse-diff removes the quotes
 * but keeps the escapes. Git always quotes a path holding a backslash, so decoding every escape is safe.
 */
function unquoteGitPath(path: string): string {
  if (!path.includes('\\')) return path;
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < path.length; i++) {
    const char = path[i] as string;
    const next = path[i + 1];
    if (char === '\\' && next !== undefined) {
      const octal = /^[0-7]{3}/.exec(path.slice(i + 1));
      if (octal !== null) {
        bytes.push(parseInt(octal[0], 8));
        i += 3;
        continue;
      }
      const code = simple[next];
      if (code !== undefined) {
        bytes.push(code);
        i += 1;
        continue;
      }
    }
    bytes.push(...Buffer.from(char, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
