import type { Finding, LineEdit } from '../analyzer/index.js';

/** Where a comment goes on the new side: `startLine..line` (GitHub wants `start_line < line`). */
export interface Anchor {
  readonly line: number;
  readonly startLine?: number;
  /** The replacement for exactly `startLine..line`; empty deletes them. */
  readonly suggestion?: readonly string[];
}

/** New-side line → index of its hunk, as `commentableLines` gives it. */
export type Commentable = ReadonlyMap<number, number>;

function range(start: number, end: number): Anchor {
  return start < end ? { line: end, startLine: start } : { line: end };
}

/** Every line of start..end is commentable, all in one hunk. */
function inOneHunk(start: number, end: number, commentable: Commentable): boolean {
  const hunk = commentable.get(start);
  if (hunk === undefined || end < start) return false;
  for (let line = start + 1; line <= end; line += 1) if (commentable.get(line) !== hunk) return false;
  return true;
}

/** A fix becomes a suggestion only when it is one edit whose lines all lie in one hunk. */
function suggestionFor(finding: Finding, commentable: Commentable): Anchor | undefined {
  const edits: readonly LineEdit[] = finding.fix?.edits ?? [];
  const [edit] = edits;
  if (edits.length !== 1 || edit === undefined || !inOneHunk(edit.startLine, edit.endLine, commentable)) return undefined;
  return { ...range(edit.startLine, edit.endLine), suggestion: edit.lines };
}

/**
 * Places a finding on the diff: its fix's lines when that can be a suggestion, else its own lines,
 * else the nearest step of its trace that lies in the diff. Undefined: it belongs in the summary.
 */
export function anchorFinding(finding: Finding, commentable: Commentable): Anchor | undefined {
  const suggestion = suggestionFor(finding, commentable);
  if (suggestion !== undefined) return suggestion;
  if (inOneHunk(finding.line, finding.endLine, commentable)) return range(finding.line, finding.endLine);
  if (commentable.has(finding.line)) return { line: finding.line };
  const nearest = finding.trace
    .filter((step) => commentable.has(step.line))
    .sort((a, b) => Math.abs(a.line - finding.line) - Math.abs(b.line - finding.line))[0];
  return nearest === undefined ? undefined : { line: nearest.line };
}
