import type { Hunk } from './types.js';

/** New-side line numbers of the lines a diff added. */
export function addedLines(hunks: readonly Hunk[]): Set<number> {
  const added = new Set<number>();
  for (const hunk of hunks) {
    for (const line of hunk.lines) if (line.kind === 'add') added.add(line.newLine);
  }
  return added;
}

/**
 * New-side line → index of its hunk, for added and context lines. GitHub accepts review comments
 * only on these lines, and both ends of a multi-line comment must lie in the same hunk.
 */
export function commentableLines(hunks: readonly Hunk[]): Map<number, number> {
  const commentable = new Map<number, number>();
  hunks.forEach((hunk, index) => {
    for (const line of hunk.lines) if (line.kind !== 'del') commentable.set(line.newLine, index);
  });
  return commentable;
}
