import type { Fix, LineEdit } from '../../src/analyzer/findings.js';

export interface AppliedFixes {
  readonly text: string;
  /** Fixes left out because one of their edits overlapped an edit already taken. */
  readonly skipped: readonly Fix[];
}

function overlaps(a: LineEdit, b: LineEdit): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

function firstLine(fix: Fix): number {
  return Math.min(...fix.edits.map((edit) => edit.startLine));
}

/**
 * Applies whole-line edits the way a reviewer accepting every suggestion would.
 * A fix is taken whole or not at all: half of a two-edit fix (replace the pair, delete the
 * release) would leave code that neither version of the author wrote. Fixes are considered
 * bottom-up, and one that overlaps a fix already taken is skipped, as ESLint does.
 */
export function applyFixes(source: string, fixes: readonly Fix[]): AppliedFixes {
  const lines = source.split('\n');
  const taken: LineEdit[] = [];
  const skipped: Fix[] = [];
  const bottomUp = [...fixes].sort((a, b) => firstLine(b) - firstLine(a));
  for (const fix of bottomUp) {
    for (const edit of fix.edits) {
      if (edit.startLine < 1 || edit.endLine < edit.startLine || edit.endLine > lines.length) {
        throw new RangeError(`edit ${edit.startLine}..${edit.endLine} is outside the ${lines.length} lines of the source`);
      }
    }
    const clashes = fix.edits.some((edit, i) =>
      taken.some((other) => overlaps(edit, other)) || fix.edits.some((mine, j) => j !== i && overlaps(edit, mine)),
    );
    if (clashes) {
      skipped.push(fix);
      continue;
    }
    taken.push(...fix.edits);
  }
  for (const edit of taken.sort((a, b) => b.startLine - a.startLine)) {
    lines.splice(edit.startLine - 1, edit.endLine - edit.startLine + 1, ...edit.lines);
  }
  return { text: lines.join('\n'), skipped };
}
