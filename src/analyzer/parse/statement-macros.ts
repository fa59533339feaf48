import { applyEdits, blank, overwrite, type Edit } from './edits.js';
import { closingParen, KEYWORDS, looksLikeBareMacro, looksLikeLoopMacro, looksLikeMacro } from './macro-syntax.js';

/** Edits are worked out on one line, then moved to where the line starts. */
function shifted(edit: Edit, lineStart: number): Edit {
  return { start: edit.start + lineStart, end: edit.end + lineStart, text: edit.text };
}

/** After these line endings a new statement begins; after anything else the line may continue an expression. */
function endsStatement(line: string): boolean {
  const trimmed = line.trim();
  if (/[;{}:]$/.test(trimmed) || /(^|\W)else$/.test(trimmed)) return true;
  return /^(}\s*else\s+)?(if|for|while)\b.*\)$/.test(trimmed);
}

/**
 * A following line that starts a statement: a name, a closing brace, a dereference, a call through a pointer.
 * Not `};`, which closes an enum or an initializer whose last element may be a macro.
 */
function startsStatement(line: string): boolean {
  return /^\s*([A-Za-z_}*(]|\+\+|--)/.test(line) && !/^\s*}\s*;/.test(line);
}

/**
 * Macro calls alone on a line with no `;`, which the grammar joins with the next line, losing both.
 * Indented, between statements (`    CHECK_INITIALIZED(self)`), the macro expands to whole statements:
 * keep the name where it stands as an expression statement (`CHECK_INITIALIZED;`) and blank the
 * arguments; a bare `    PyCbObj_END_ALLOW_THREADS` there is blanked. At column 0, see columnZeroMacro.
 */
export function statementMacroEdits(masked: string): Edit[] {
  const edits: Edit[] = [];
  const lines = masked.split('\n');
  let offset = 0;
  let previousCode = '';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const lineStart = offset;
    offset += line.length + 1;
    if (line.trim() === '') continue;
    const edit = statementMacroEdit(line, previousCode, nextCodeLine(lines, index));
    if (edit) edits.push(shifted(edit, lineStart));
    // A rewritten line ends as the grammar now reads it, so a run of macro lines is rewritten whole.
    previousCode = edit ? applyEdits(line, [edit]) : line;
  }
  return edits;
}

function nextCodeLine(lines: readonly string[], index: number): string {
  for (let next = index + 1; next < lines.length; next += 1) {
    const line = lines[next] ?? '';
    if (line.trim() !== '') return line;
  }
  return '';
}

/** Index of the `(` matching the `)` at `close`, scanning backwards within one line. */
function openingParen(line: string, close: number): number | undefined {
  let depth = 0;
  for (let i = close; i >= 0; i -= 1) {
    if (line[i] === ')') depth += 1;
    else if (line[i] === '(') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return undefined;
}

/**
 * A macro call ending a line after other code, with no `;`: the body of an `if` or `else` on the
 * same line (`if (cond) __PYX_ERR(0, 74, L3_error)`), or a statement after another one
 * (`f(x); __PYX_ERR(...)`, `{ __PYX_ERR(...) }`). Keep the name as the statement, blank the arguments.
 */
function trailingMacroBody(line: string, next: string): Edit | undefined {
  const trimmed = line.trimEnd().replace(/}$/, '').trimEnd();
  const close = trimmed.length - 1;
  if (line[close] !== ')') return undefined;
  if (trimmed.length === line.trimEnd().length && !startsStatement(next)) return undefined;
  const open = openingParen(line, close);
  if (open === undefined) return undefined;
  const name = /([A-Za-z_][A-Za-z0-9_]*)[ \t]*$/.exec(line.slice(0, open));
  if (!name?.[1] || !looksLikeMacro(name[1])) return undefined;
  const before = line.slice(0, name.index).trimEnd();
  const afterHeader = (before.endsWith(')') && /\b(if|while|for)\s*\(/.test(before)) || /(^|\W)else$/.test(before);
  if (!afterHeader && !/[;{}]$/.test(before)) return undefined;
  return overwrite(line, name.index, close + 1, `${name[1]};`);
}

/** The edit for one line, in the line's own offsets. */
function statementMacroEdit(line: string, previous: string, next: string): Edit | undefined {
  const topLevel = columnZeroMacro(line, previous, next);
  if (topLevel) return topLevel;
  const trailing = trailingMacroBody(line, next);
  if (trailing) return trailing;
  if (!endsStatement(previous)) return undefined;
  if (!startsStatement(next) && !/^\s*{/.test(next)) return undefined;
  const bare = /^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)[ \t]*$/.exec(line);
  if (bare?.[1] && bare[2] && looksLikeBareMacro(bare[2])) {
    // No room for a `;` after a bare name, so the grammar is shown nothing at all.
    return blank(line, bare[1].length, bare[1].length + bare[2].length);
  }
  const match = /^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/.exec(line);
  if (!match?.[1] || !match[2] || !looksLikeMacro(match[2])) return undefined;
  const name = match[2];
  const nameStart = match[1].length;
  const open = match[0].length - 1;
  const after = closingParen(line, open);
  if (after === undefined) return undefined;
  const rest = line.slice(after).trim();
  if (rest === '{' || (rest === '' && /^\s*{/.test(next))) return controlHeader(line, name, nameStart, open);
  if (rest !== '') return undefined;
  return overwrite(line, nameStart, after, `${name};`);
}

/**
 * `    _odict_FOREACH(od, node) {`: a macro that heads a block. Write the keyword over the name and keep
 * the arguments as the condition, `while` for loops and `if` otherwise, so the block keeps its place
 * in the control flow. A name too short for the keyword stays as it is.
 */
function controlHeader(line: string, name: string, nameStart: number, open: number): Edit | undefined {
  const keyword = looksLikeLoopMacro(name) ? 'while' : 'if';
  if (open - nameStart < keyword.length) return undefined;
  return overwrite(line, nameStart, open, keyword);
}

/** A declarator alone on its line at column 0, `name(args)`: the header of a definition in CPython's layout. */
function isFunctionHeader(line: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*\s*\(.*\)\s*$/.test(line);
}

/**
 * A macro call alone on a line at column 0 without `;`. Right after a function header it is the body
 * (`NoArgReturnIntFunctionBody(baudrate)`): written as an empty body `{}`, so the function is kept.
 * After a complete declaration it generates definitions (`Dec_CONTEXT_GET_SSIZE(clamp)`): blanked,
 * so it does not swallow the function after it.
 */
function columnZeroMacro(line: string, previous: string, next: string): Edit | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/.exec(line);
  if (!match?.[1] || KEYWORDS.has(match[1]) || /^\s*{/.test(next)) return undefined;
  const after = closingParen(line, match[0].length - 1);
  if (after === undefined || line.slice(after).trim() !== '') return undefined;
  if (isFunctionHeader(previous)) return overwrite(line, 0, after, '{}');
  const trimmed = previous.trim();
  if (trimmed !== '' && !/[;}]$/.test(trimmed)) return undefined;
  const args = line.slice(match[0].length, after - 1);
  // Parameters (`int a`, `PyObject *self`) make it a declarator, written without its return type.
  if (/[A-Za-z0-9_*]\s*[\s*]\s*[A-Za-z_][A-Za-z0-9_]*\s*(,|$)/.test(args)) return undefined;
  // `LOCAL(PyObject*)` or `EXPORT(int)` before `name(...)` is the return type of the next definition.
  if (looksLikeType(args) && /^[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(next)) return undefined;
  return blank(line, 0, after);
}

const TYPE_WORDS = /^\s*(const\s+)?(void|char|short|int|long|float|double|unsigned|signed|_Bool|bool|struct|union|enum)\b/;

function looksLikeType(text: string): boolean {
  return text.includes('*') || TYPE_WORDS.test(text) || /^\s*[A-Z][A-Za-z0-9_]*\s*$/.test(text) || /_t\s*$/.test(text);
}

