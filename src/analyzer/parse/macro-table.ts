import { blank, overwrite, type Edit } from './edits.js';
import { closingParen } from './macro-syntax.js';

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
  { name: '__Pyx_RefNannyDeclarations', args: false, action: BLANK, why: "Cython's reference-nanny declaration, written without `;`" },
  { name: 'CYTHON_UNUSED', args: false, action: BLANK, why: "Cython's unused attribute, read as a type name before the real type" },
  { name: 'CYTHON_INLINE', args: false, action: BLANK, why: "Cython's inline specifier, read as a type name" },
  { name: 'CYTHON_NCP_UNUSED', args: false, action: BLANK, why: "Cython's unused attribute, read as a type name" },
  { name: 'NPY_NO_EXPORT', args: false, action: BLANK, why: "numpy's visibility attribute, read as a type name" },
];

const RULES_BY_NAME: ReadonlyMap<string, MacroRule> = new Map(MACRO_RULES.map((rule) => [rule.name, rule]));

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

function skipBlanks(masked: string, from: number): number {
  let i = from;
  while (masked[i] === ' ' || masked[i] === '\t' || masked[i] === '\r') i += 1;
  return i;
}

/** Edits for every use of a macro in MACRO_RULES, found in masked text (no comments, strings or directives). */
export function macroTableEdits(masked: string): Edit[] {
  const edits: Edit[] = [];
  for (const match of masked.matchAll(IDENTIFIER)) {
    const rule = RULES_BY_NAME.get(match[0]);
    if (!rule) continue;
    const start = match.index;
    const open = skipBlanks(masked, start + match[0].length);
    let end = start + match[0].length;
    let close: number | undefined;
    if (rule.args) {
      if (masked[open] !== '(') continue;
      close = closingParen(masked, open);
      if (close === undefined) continue;
      end = close;
    } else if (masked[open] === '(') {
      continue;
    }
    if (rule.eatSemicolon) {
      const semicolon = skipBlanks(masked, end);
      if (masked[semicolon] === ';') end = semicolon + 1;
    }
    const { action } = rule;
    if (action.kind === 'unwrap' && close !== undefined) {
      edits.push(overwrite(masked, start, open + 1, action.text), blank(masked, close - 1, close));
    } else {
      edits.push(action.kind === 'replace' ? overwrite(masked, start, end, action.text) : blank(masked, start, end));
    }
  }
  return edits;
}
