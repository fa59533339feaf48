import { overwrite, type Edit } from './edits.js';
import { closingParen, looksLikeMacro } from './macro-syntax.js';

/**
 * API functions and macros whose arguments include a type name, which no expression grammar accepts.
 * Not `offsetof`: the C grammar reads it, and needs the type there.
 */
const TAKES_TYPE = new Set([
  'PyMem_New', 'PyMem_NEW', 'PyMem_Resize', 'PyMem_RESIZE', 'PyObject_New', 'PyObject_NewVar', 'PyObject_GC_New',
  'PyObject_GC_NewVar', 'PyObject_GC_Resize', 'Py_SAFE_DOWNCAST', '_Py_CAST', 'va_arg',
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
  if (before === undefined || before === '\n') return i < start - 1;
  if ('=(,;{}:?!&|+-*/<>'.includes(before)) return true;
  return /\breturn$/.test(masked.slice(Math.max(0, i - 6), i + 1));
}

/**
 * `PyMem_New(struct iovec, cnt)`, `SWAP_2(long, x, val, size)`: a type where the grammar wants an expression.
 * Write `0` over the type, which keeps the call, its other arguments and their positions.
 */
export function typeArgumentEdits(masked: string): Edit[] {
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
      edits.push(overwrite(masked, first, end, '0'));
    }
  }
  return edits;
}

