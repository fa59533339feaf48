/** What a stretch of non-code text is. A `directive-comment` lies inside a directive's span. */
export type RegionKind = 'directive' | 'directive-comment' | 'comment' | 'literal';

export interface Region {
  readonly kind: RegionKind;
  readonly start: number;
  readonly end: number;
}

/** Comments, string and character literals and preprocessor directives, in source order. */
export function nonCodeRegions(source: string): Region[] {
  const regions: Region[] = [];
  let i = 0;
  let atLineStart = true;
  while (i < source.length) {
    const c = source[i];
    if (c === '\n') {
      atLineStart = true;
      i += 1;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i += 1;
    } else if (c === '#' && atLineStart) {
      const end = directiveEnd(source, i, regions);
      i = end;
    } else {
      atLineStart = false;
      const end = skipLiteralOrComment(source, i);
      if (end > i) {
        regions.push({ kind: source[i] === '/' ? 'comment' : 'literal', start: i, end });
        i = end;
      } else {
        i += 1;
      }
    }
  }
  return regions;
}

/**
 * The source with comments, string and character literals and preprocessor directives turned into spaces,
 * same length and same line breaks, so macro rewriting looks only at code and never edits a `#define`.
 */
export function maskNonCode(source: string): string {
  const pieces: string[] = [];
  let copied = 0;
  for (const region of nonCodeRegions(source)) {
    if (region.kind === 'directive-comment') continue;
    pieces.push(source.slice(copied, region.start), blankOut(source.slice(region.start, region.end)));
    copied = region.end;
  }
  pieces.push(source.slice(copied));
  return pieces.join('');
}

/** Spaces for every character but line breaks. */
export function blankOut(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

/** End of a comment or literal starting at `i`, or `i` when none starts there. */
function skipLiteralOrComment(source: string, i: number): number {
  const c = source[i];
  const next = source[i + 1];
  if (c === '/' && next === '/') return lineEndHonouringContinuations(source, i);
  if (c === '/' && next === '*') {
    const close = source.indexOf('*/', i + 2);
    return close === -1 ? source.length : close + 2;
  }
  if (c === '"' || c === "'") return quotedEnd(source, i, c);
  return i;
}

function quotedEnd(source: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i; // unterminated: stop at the line's end rather than swallow the file
    else i += 1;
  }
  return source.length;
}

function lineEndHonouringContinuations(source: string, start: number): number {
  let i = start;
  for (;;) {
    const newline = source.indexOf('\n', i);
    if (newline === -1) return source.length;
    const beforeNewline = source[newline - 1] === '\r' ? newline - 2 : newline - 1;
    if (source[beforeNewline] !== '\\') return newline;
    i = newline + 1;
  }
}

/**
 * A directive runs to the end of its last continued line; a block comment inside it may carry it over
 * line breaks. Pushes the directive, then the block comments inside it.
 */
function directiveEnd(source: string, start: number, regions: Region[]): number {
  const comments: Region[] = [];
  let i = start;
  while (i < source.length && source[i] !== '\n') {
    const c = source[i];
    if (c === '\\' && (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n'))) {
      i += source[i + 1] === '\n' ? 2 : 3;
    } else if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      const end = close === -1 ? source.length : close + 2;
      comments.push({ kind: 'directive-comment', start: i, end });
      i = end;
    } else if (c === '"' || c === "'") {
      i = quotedEnd(source, i, c);
    } else {
      i += 1;
    }
  }
  regions.push({ kind: 'directive', start, end: i }, ...comments);
  return i;
}
