/** A same-length rewrite of `[start, end)`: `text` has exactly that length and the same line breaks. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * An edit writing `text` over the non-newline characters of `[start, end)` of `source`, then spaces.
 * Line breaks stay where they are, so lines and columns after the edit do not move.
 */
export function overwrite(source: string, start: number, end: number, text: string): Edit {
  const original = source.slice(start, end);
  if (!original.includes('\n')) return { start, end, text: text.slice(0, original.length).padEnd(original.length, ' ') };
  let k = 0;
  const written = original.replace(/[^\n]/g, () => {
    const c = k < text.length ? (text[k] ?? ' ') : ' ';
    k += 1;
    return c;
  });
  return { start, end, text: written };
}

/** Spaces over `[start, end)`, line breaks kept. */
export function blank(source: string, start: number, end: number): Edit {
  return overwrite(source, start, end, '');
}

/** Apply edits in source order; an edit overlapping one already applied is dropped. */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let copied = 0;
  for (const edit of sorted) {
    if (edit.start < copied) continue;
    pieces.push(source.slice(copied, edit.start), edit.text);
    copied = edit.end;
  }
  pieces.push(source.slice(copied));
  return pieces.join('');
}
