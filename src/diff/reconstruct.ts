import type { Hunk } from './types.js';

interface SplitText {
  readonly lines: readonly string[];
  readonly finalNewline: boolean;
}

/** Lines keep a trailing `\r`, as the diff's lines do, so CRLF files round-trip unchanged. */
function splitLines(text: string): SplitText {
  if (text === '') return { lines: [], finalNewline: false };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, finalNewline };
}

function joinLines({ lines, finalNewline }: SplitText): string {
  return lines.length === 0 ? '' : lines.join('\n') + (finalNewline ? '\n' : '');
}

/** 0-based index of a hunk's first line on one side; an empty side starts after the line its header names. */
function startIndex(start: number, count: number): number {
  return count === 0 ? start : start - 1;
}

/**
 * The old version of a file, rebuilt from its new content and the hunks of its patch;
 * undefined when the patch does not match the content (different lines, a truncated or partial patch).
 */
export function reconstructBase(head: string, hunks: readonly Hunk[]): string | undefined {
  const headText = splitLines(head);
  const base: string[] = [];
  let headIndex = 0;

  for (const [index, hunk] of hunks.entries()) {
    if (hunk.noNewlineAtEnd !== undefined && index !== hunks.length - 1) return undefined;
    const newStartIndex = startIndex(hunk.newStart, hunk.newLines);
    if (newStartIndex < headIndex || newStartIndex > headText.lines.length) return undefined;
    base.push(...headText.lines.slice(headIndex, newStartIndex));
    headIndex = newStartIndex;
    if (startIndex(hunk.oldStart, hunk.oldLines) !== base.length) return undefined;

    let newCount = 0;
    let oldCount = 0;
    for (const line of hunk.lines) {
      if (line.kind !== 'del') {
        if (headText.lines[headIndex] !== line.text) return undefined;
        headIndex += 1;
        newCount += 1;
      }
      if (line.kind !== 'add') {
        base.push(line.text);
        oldCount += 1;
      }
    }
    if (newCount !== hunk.newLines || oldCount !== hunk.oldLines) return undefined;
  }

  const marker = hunks.at(-1)?.noNewlineAtEnd;
  if (headIndex < headText.lines.length) {
    // The file's end lies outside the patch, so both versions end alike.
    if (marker !== undefined) return undefined;
    base.push(...headText.lines.slice(headIndex));
    return joinLines({ lines: base, finalNewline: headText.finalNewline });
  }
  const newMissingNewline = marker === 'new' || marker === 'both';
  if (headText.lines.length > 0 && headText.finalNewline === newMissingNewline) return undefined;
  return joinLines({ lines: base, finalNewline: !(marker === 'old' || marker === 'both') });
}
