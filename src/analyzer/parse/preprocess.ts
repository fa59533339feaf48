import { applyEdits, type Edit } from './edits.js';
import { macroTableEdits } from './macro-table.js';
import { maskNonCode, nonCodeRegions } from './mask.js';
import { statementMacroEdits } from './statement-macros.js';
import { typeArgumentEdits } from './type-arguments.js';

export { MACRO_RULES } from './macro-table.js';

/**
 * Spaces over `[start, end)`, but a `\` ending a line stays with its line break. A block comment inside
 * a `#define` may run over several lines, each ending in `\` so the macro goes on past it; blanking that
 * `\` would end the macro at the comment, and the rest of its body would be read as the code around it
 * (in a function body: statements, and a `} while (0)` closing the function).
 */
function blankKeepingContinuations(source: string, start: number, end: number): Edit {
  const text = source.slice(start, end).replace(/(\\\r?)(?=\n)|[^\n]/g, (_c, continuation?: string) => continuation ?? ' ');
  return { start, end, text };
}

/**
 * Block comments inside a `#define` end tree-sitter's reading of the macro body, and the rest of the
 * body then spills into the code around it: blank them (line breaks and continuations stay).
 */
function directiveCommentEdits(source: string): Edit[] {
  return nonCodeRegions(source)
    .filter((region) => region.kind === 'directive-comment')
    .map((region) => blankKeepingContinuations(source, region.start, region.end));
}

/**
 * Rewrite `source` so tree-sitter reads CPython's statement-like and attribute-like macros as the
 * C they stand for. Same length, same line breaks: every position in the tree is a position in `source`.
 * Comments, strings and directives are never rewritten, except comments inside a `#define`.
 */
export function preprocess(source: string): string {
  const masked = maskNonCode(source);
  const table = macroTableEdits(masked);
  // The later passes read the text with table macros rewritten: a line after `Py_BEGIN_ALLOW_THREADS` follows a `{`.
  const rewritten = applyEdits(masked, table);
  const edits = [...table, ...statementMacroEdits(rewritten), ...typeArgumentEdits(rewritten), ...directiveCommentEdits(source)];
  return applyEdits(source, edits);
}
