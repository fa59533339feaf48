import { maskNonCode } from './mask.js';

/**
 * What to do with a macro use. Every action keeps the text's length and line breaks, so each offset,
 * line and column the parser reports still points into the original source.
 * - `blank`: spaces; the grammar never sees the macro.
 * - `replace`: `text` at the macro's start, spaces after (`{` for a macro that opens a block).
 * - `unwrap`: `text` over the name and `(`, a space over `)`, the arguments kept (`Py_UNUSED(self)` → `self`).
 */
type MacroAction =
  | { readonly kind: 'blank' }
  | { readonly kind: 'replace'; readonly text: string }
  | { readonly kind: 'unwrap'; readonly text: string };

interface MacroRule {
  readonly name: string;
  /** Whether the macro takes a parenthesised argument list: the rule matches only when it matches this. */
  readonly args: boolean;
  readonly action: MacroAction;
  /** Also blank a `;` right after the use: the grammar rejects an empty member in a struct body. */
  readonly eatSemicolon?: true;
  readonly why: string;
}

const BLANK: MacroAction = { kind: 'blank' };
const OPEN_BLOCK: MacroAction = { kind: 'replace', text: '{' };
const CLOSE_BLOCK: MacroAction = { kind: 'replace', text: '}' };
const EMPTY_STATEMENT: MacroAction = { kind: 'replace', text: ';' };
const KEEP_ARGUMENT: MacroAction = { kind: 'unwrap', text: '' };

export const MACRO_RULES: readonly MacroRule[] = [
  { name: 'Py_BEGIN_ALLOW_THREADS', args: false, action: OPEN_BLOCK, why: 'expands to `{ PyThreadState *_save = ...;`, opening a block' },
  { name: 'Py_END_ALLOW_THREADS', args: false, action: CLOSE_BLOCK, why: 'expands to `PyEval_RestoreThread(_save); }`, closing the block' },
  { name: 'Py_BLOCK_THREADS', args: false, action: EMPTY_STATEMENT, why: 'a whole statement, usually written without `;`' },
  { name: 'Py_UNBLOCK_THREADS', args: false, action: EMPTY_STATEMENT, why: 'a whole statement, usually written without `;`' },
  { name: 'Py_BEGIN_CRITICAL_SECTION', args: true, action: OPEN_BLOCK, why: 'opens a block that Py_END_CRITICAL_SECTION closes' },
  { name: 'Py_BEGIN_CRITICAL_SECTION2', args: true, action: OPEN_BLOCK, why: 'opens a block that Py_END_CRITICAL_SECTION2 closes' },
  { name: 'Py_END_CRITICAL_SECTION', args: true, action: CLOSE_BLOCK, why: 'closes the critical-section block' },
  { name: 'Py_END_CRITICAL_SECTION2', args: true, action: CLOSE_BLOCK, why: 'closes the critical-section block' },
  { name: 'Py_TRASHCAN_BEGIN', args: true, action: OPEN_BLOCK, why: 'expands to `do { ... if (...) {`, opening a block' },
  { name: 'Py_TRASHCAN_END', args: false, action: CLOSE_BLOCK, why: 'closes the trashcan block (`} ... } while (0);`)' },
  { name: 'Py_TRASHCAN_SAFE_BEGIN', args: true, action: OPEN_BLOCK, why: 'older spelling of Py_TRASHCAN_BEGIN' },
  { name: 'Py_TRASHCAN_SAFE_END', args: true, action: CLOSE_BLOCK, why: 'older spelling of Py_TRASHCAN_END' },
  { name: '_Py_BEGIN_SUPPRESS_IPH', args: false, action: OPEN_BLOCK, why: 'opens a block on Windows, nothing elsewhere; written without `;`' },
  { name: '_Py_END_SUPPRESS_IPH', args: false, action: CLOSE_BLOCK, why: 'closes _Py_BEGIN_SUPPRESS_IPH' },
  { name: 'PyObject_HEAD', args: false, action: BLANK, eatSemicolon: true, why: 'a member declaration without `;` in struct bodies' },
  { name: 'PyObject_VAR_HEAD', args: false, action: BLANK, eatSemicolon: true, why: 'a member declaration without `;` in struct bodies' },
  { name: 'PyVarObject_HEAD_INIT', args: true, action: { kind: 'replace', text: '{0},' }, why: 'expands to `{ ... },` with its own comma, usually written without one' },
  { name: 'PyObject_HEAD_INIT', args: true, action: { kind: 'replace', text: '{0},' }, why: 'expands to `{ ... },` with its own comma, usually written without one' },
  { name: '_PyObject_HEAD_EXTRA', args: false, action: BLANK, why: 'members for debug builds, written without `;`' },
  { name: '_Py_COMP_DIAG_PUSH', args: false, action: BLANK, why: 'a pragma, written where a statement or declaration may stand' },
  { name: '_Py_COMP_DIAG_POP', args: false, action: BLANK, why: 'a pragma, written where a statement or declaration may stand' },
  { name: '_Py_COMP_DIAG_IGNORE_DEPR_DECLS', args: false, action: BLANK, why: 'a pragma, written where a statement or declaration may stand' },
  { name: 'Py_LOCAL_INLINE', args: true, action: { kind: 'unwrap', text: 'static inline' }, why: '`static inline type`: keeps the type and the linkage' },
  { name: 'Py_LOCAL', args: true, action: { kind: 'unwrap', text: 'static' }, why: '`static type`: keeps the type and the linkage' },
  { name: 'Py_UNUSED', args: true, action: KEEP_ARGUMENT, why: 'renames a parameter; read as a call it hides the name' },
  { name: 'PyAPI_FUNC', args: true, action: KEEP_ARGUMENT, why: 'export attribute around the return type' },
  { name: 'PyAPI_DATA', args: true, action: KEEP_ARGUMENT, why: 'export attribute around a variable type' },
  { name: 'PyMODINIT_FUNC', args: false, action: { kind: 'replace', text: 'PyObject *' }, why: 'the return type of a module init function, spelled out so callers see `PyObject *`' },
  { name: 'Py_GCC_ATTRIBUTE', args: true, action: BLANK, why: 'an attribute the grammar reads as a call' },
  { name: 'Py_DEPRECATED', args: true, action: BLANK, why: 'an attribute the grammar reads as a call' },
  { name: '_Py_NO_RETURN', args: false, action: BLANK, why: 'an attribute the grammar reads as a type name' },
  { name: 'Py_ALWAYS_INLINE', args: false, action: BLANK, why: 'an attribute the grammar reads as a type name' },
  { name: 'Py_NO_INLINE', args: false, action: BLANK, why: 'an attribute the grammar reads as a type name' },
  { name: '_Py_HOT_FUNCTION', args: false, action: BLANK, why: 'an attribute the grammar reads as a type name' },
  { name: 'Py_EXPORTED_SYMBOL', args: false, action: BLANK, why: 'a visibility attribute the grammar reads as a type name' },
  { name: 'Py_IMPORTED_SYMBOL', args: false, action: BLANK, why: 'a visibility attribute the grammar reads as a type name' },
  { name: 'Py_LOCAL_SYMBOL', args: false, action: BLANK, why: 'a visibility attribute the grammar reads as a type name' },
  { name: 'UNUSED', args: false, action: BLANK, why: 'a common name for `__attribute__((unused))` after a parameter name' },
  { name: 'NPY_NO_EXPORT', args: false, action: BLANK, why: "numpy's visibility attribute, read as a type name" },
];

const RULES_BY_NAME: ReadonlyMap<string, MacroRule> = new Map(MACRO_RULES.map((rule) => [rule.name, rule]));

/** A same-length rewrite of `source[start, end)`. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly action: MacroAction;
  /** Where the arguments' closing parenthesis stands, for `unwrap`. */
  readonly close?: number;
  /** Where the arguments start, for `unwrap`. */
  readonly argsStart?: number;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Index just past the `)` matching the `(` at `open`, in masked text; undefined when unbalanced. */
function closingParen(masked: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < masked.length; i += 1) {
    const c = masked[i];
    if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    } else if (c === ';' || c === '{' || c === '}') return undefined;
  }
  return undefined;
}

function skipBlanks(masked: string, from: number, crossLines: boolean): number {
  let i = from;
  while (i < masked.length) {
    const c = masked[i];
    if (c === ' ' || c === '\t' || c === '\r' || (crossLines && c === '\n')) i += 1;
    else break;
  }
  return i;
}

function tableEdits(masked: string): Edit[] {
  const edits: Edit[] = [];
  for (const match of masked.matchAll(IDENTIFIER)) {
    const rule = RULES_BY_NAME.get(match[0]);
    if (!rule) continue;
    const start = match.index;
    let end = start + match[0].length;
    let close: number | undefined;
    let argsStart: number | undefined;
    const open = skipBlanks(masked, end, false);
    if (rule.args) {
      if (masked[open] !== '(') continue;
      const after = closingParen(masked, open);
      if (after === undefined) continue;
      argsStart = open + 1;
      close = after - 1;
      end = after;
    } else if (masked[open] === '(') {
      continue;
    }
    if (rule.eatSemicolon) {
      const semicolon = skipBlanks(masked, end, false);
      if (masked[semicolon] === ';') end = semicolon + 1;
    }
    edits.push({ start, end, action: rule.action, close, argsStart });
  }
  return edits;
}

/** `text` written over the non-newline characters of `original`, then spaces: same length, same line breaks. */
function overwrite(original: string, text: string): string {
  if (!original.includes('\n')) return text.slice(0, original.length).padEnd(original.length, ' ');
  let k = 0;
  return original.replace(/[^\n]/g, () => {
    const c = k < text.length ? (text[k] ?? ' ') : ' ';
    k += 1;
    return c;
  });
}

function replacementsFor(edit: Edit, source: string): Array<{ start: number; end: number; text: string }> {
  const { action } = edit;
  if (action.kind === 'unwrap' && edit.argsStart !== undefined && edit.close !== undefined) {
    return [
      { start: edit.start, end: edit.argsStart, text: overwrite(source.slice(edit.start, edit.argsStart), action.text) },
      { start: edit.close, end: edit.end, text: overwrite(source.slice(edit.close, edit.end), '') },
    ];
  }
  const text = action.kind === 'blank' ? '' : action.text;
  return [{ start: edit.start, end: edit.end, text: overwrite(source.slice(edit.start, edit.end), text) }];
}

/** Apply non-overlapping edits, given in source order. */
function applyEdits(source: string, edits: readonly Edit[]): string {
  const pieces: string[] = [];
  let copied = 0;
  for (const edit of edits) {
    for (const replacement of replacementsFor(edit, source)) {
      if (replacement.start < copied) continue;
      pieces.push(source.slice(copied, replacement.start), replacement.text);
      copied = replacement.end;
    }
  }
  pieces.push(source.slice(copied));
  return pieces.join('');
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'case', 'do', 'else', 'goto', 'defined']);

/** Macro spelling: `CHECK_INITIALIZED`, `Py_VISIT`, `_Py_SOMETHING`; never a plain function name like `foo_bar`. */
function looksLikeMacro(name: string): boolean {
  if (KEYWORDS.has(name) || RULES_BY_NAME.has(name)) return false;
  return /^_*[A-Z][A-Z0-9_]*$/.test(name) || /^_*Py[A-Za-z]*_[A-Z][A-Z0-9_]*$/.test(name);
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

/** Stricter than looksLikeMacro: a bare name on its own line could be a type or a variable. */
function looksLikeBareMacro(name: string): boolean {
  if (KEYWORDS.has(name) || RULES_BY_NAME.has(name)) return false;
  return /^_*[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(name) || /^_*Py[A-Za-z]*_[A-Z][A-Z0-9_]*$/.test(name);
}

/**
 * `    CHECK_INITIALIZED(self)` alone on an indented line, between statements, with no `;`: the macro
 * expands to whole statements, but the grammar joins it with the next line and loses both. Keep the
 * name where it stands as an expression statement (`CHECK_INITIALIZED;`) and blank the arguments.
 * A bare `    PyCbObj_END_ALLOW_THREADS` in the same place is blanked.
 */
function bareMacroStatementEdits(masked: string): Edit[] {
  const edits: Edit[] = [];
  const lines = masked.split('\n');
  let offset = 0;
  let previousCode = '';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const lineStart = offset;
    offset += line.length + 1;
    if (line.trim() === '') continue;
    const edit = bareMacroStatement(line, lineStart, previousCode, nextCodeLine(lines, index));
    if (edit) edits.push(edit);
    previousCode = line;
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

function bareMacroStatement(line: string, lineStart: number, previous: string, next: string): Edit | undefined {
  const topLevel = columnZeroMacro(line, lineStart, previous, next);
  if (topLevel) return topLevel;
  if (!endsStatement(previous) || !startsStatement(next)) return undefined;
  const bare = /^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)[ \t]*$/.exec(line);
  if (bare?.[1] && bare[2] && looksLikeBareMacro(bare[2])) {
    // No room for a `;` after a bare name, so the grammar is shown nothing at all.
    const start = lineStart + bare[1].length;
    return { start, end: start + bare[2].length, action: BLANK };
  }
  const match = /^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/.exec(line);
  if (!match?.[1] || !match[2] || !looksLikeMacro(match[2])) return undefined;
  const open = match[0].length - 1;
  const after = closingParen(line, open);
  if (after === undefined || line.slice(after).trim() !== '') return undefined;
  const start = lineStart + match[1].length;
  return { start, end: lineStart + after, action: { kind: 'replace', text: `${match[2]};` } };
}

/** API functions and macros whose arguments include a type name, which no expression grammar accepts. */
const TAKES_TYPE = new Set([
  'PyMem_New', 'PyMem_NEW', 'PyMem_Resize', 'PyMem_RESIZE', 'PyObject_New', 'PyObject_NewVar', 'PyObject_GC_New',
  'PyObject_GC_NewVar', 'PyObject_GC_Resize', 'Py_SAFE_DOWNCAST', '_Py_CAST', 'va_arg', 'offsetof',
]);

const TYPE_KEYWORD = /^(const|volatile|unsigned|signed|struct|union|enum|char|short|int|long|float|double|void|_Bool)$/;

/** `unsigned long`, `struct iovec`, `PyObject *`, `char`: a type, never an expression. A lone name may be either. */
function isTypeArgument(argument: string): boolean {
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*)\s*((?:\*\s*(?:const\s*)?)*)$/.exec(argument);
  if (!match?.[1]) return false;
  const words = match[1].split(/\s+/);
  const stars = (match[2] ?? '').length > 0;
  return stars || words.length > 1 || words.some((word) => TYPE_KEYWORD.test(word));
}

/** Top-level arguments of the call whose `(` is at `open` and `)` at `close - 1`, as [start, end) pairs. */
function argumentSpans(masked: string, open: number, close: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < close - 1; i += 1) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') depth -= 1;
    else if (c === ',' && depth === 0) {
      spans.push([start, i]);
      start = i + 1;
    }
  }
  spans.push([start, close - 1]);
  return spans;
}

/**
 * Whether the name at `start` begins a call inside a statement, not a type macro in a declaration
 * (`LOCAL(PyObject *)` at column 0, `static EXPORT(int) f`): after an operator, a bracket, `;`, or
 * `return`, or first on an indented line.
 */
function standsInExpression(masked: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (masked[i] === ' ' || masked[i] === '\t')) i -= 1;
  const before = masked[i];
  if (before === undefined || before === '\n') return i >= 0 && i < start - 1;
  if ('=(,;{}:?!&|+-*/<>'.includes(before)) return true;
  return /\breturn$/.test(masked.slice(Math.max(0, i - 6), i + 1));
}

/**
 * `PyMem_New(struct iovec, cnt)`, `SWAP_2(long, x, val, size)`: a type where the grammar wants an expression.
 * Write `0` over the type, which keeps the call, its other arguments and their positions.
 */
function typeArgumentEdits(masked: string): Edit[] {
  const edits: Edit[] = [];
  for (const match of masked.matchAll(/([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/g)) {
    const name = match[1] ?? '';
    if (!TAKES_TYPE.has(name) && !looksLikeMacro(name)) continue;
    if (!standsInExpression(masked, match.index)) continue;
    const open = match.index + match[0].length - 1;
    const close = closingParen(masked, open);
    if (close === undefined) continue;
    for (const [start, end] of argumentSpans(masked, open, close)) {
      if (!isTypeArgument(masked.slice(start, end))) continue;
      const first = start + (masked.slice(start, end).length - masked.slice(start, end).trimStart().length);
      edits.push({ start: first, end, action: { kind: 'replace', text: '0' } });
    }
  }
  return edits;
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
function columnZeroMacro(line: string, lineStart: number, previous: string, next: string): Edit | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/.exec(line);
  if (!match?.[1] || KEYWORDS.has(match[1]) || /^\s*{/.test(next)) return undefined;
  const after = closingParen(line, match[0].length - 1);
  if (after === undefined || line.slice(after).trim() !== '') return undefined;
  const end = lineStart + after;
  if (isFunctionHeader(previous)) return { start: lineStart, end, action: { kind: 'replace', text: '{}' } };
  const trimmed = previous.trim();
  if (trimmed !== '' && !/[;}]$/.test(trimmed)) return undefined;
  // `LOCAL(PyObject*)` or `EXPORT(int)` before `name(...)` is the return type of the next definition.
  const args = line.slice(match[0].length, after - 1);
  if (looksLikeType(args) && /^[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(next)) return undefined;
  return { start: lineStart, end, action: BLANK };
}

const TYPE_WORDS = /^\s*(const\s+)?(void|char|short|int|long|float|double|unsigned|signed|_Bool|bool|struct|union|enum)\b/;

function looksLikeType(text: string): boolean {
  return text.includes('*') || TYPE_WORDS.test(text) || /^\s*[A-Z][A-Za-z0-9_]*\s*$/.test(text) || /_t\s*$/.test(text);
}

/**
 * Rewrite `source` so tree-sitter reads CPython's statement-like and attribute-like macros as the
 * C they stand for. Same length, same line breaks: every position in the tree is a position in `source`.
 */
export function preprocess(source: string): string {
  const masked = maskNonCode(source);
  const table = tableEdits(masked);
  // Runs on the rewritten text, so a line after `Py_BEGIN_ALLOW_THREADS` follows a `{`.
  const bare = bareMacroStatementEdits(applyEdits(masked, table));
  const typeArguments = typeArgumentEdits(masked);
  const edits = [...table, ...bare, ...typeArguments].sort((a, b) => a.start - b.start);
  return applyEdits(source, edits);
}
