/**
 * Where a defect can be seeded into a function so that the result is a bug by construction, found
 * from the text line by line. Every pattern is deliberately narrow: a site that is not certainly a
 * bug after the edit would count a correct silence of refcheck as a miss.
 */
import type { ApiTable } from '../../src/analyzer/capi/index.js';

export const MUTATION_KINDS = ['leak', 'double-release', 'borrowed-release', 'steal-misuse', 'return-borrowed', 'unchecked-null'] as const;

export type MutationKind = (typeof MUTATION_KINDS)[number];

/** Replace line `line` (1-based) by `text`, which holds no newline, so every other line keeps its number. */
export interface LineReplacement {
  readonly line: number;
  readonly text: string;
}

export interface Site {
  readonly kind: MutationKind;
  /** The line the defect is seeded on (the first one edited). */
  readonly line: number;
  readonly variable: string;
  readonly edits: readonly LineReplacement[];
  /** What the edit does, for a person reading a missed mutant. */
  readonly description: string;
}

/** A function's place in its file: `lines` is the whole file, line n at index n - 1. */
export interface FunctionText {
  readonly lines: readonly string[];
  readonly startLine: number;
  readonly endLine: number;
}

/** Getters that return a reference borrowed from their container. */
export const BORROWED_GETTERS = [
  'PyList_GetItem',
  'PyList_GET_ITEM',
  'PyTuple_GetItem',
  'PyTuple_GET_ITEM',
  'PyDict_GetItem',
  'PyDict_GetItemString',
  'PyDict_GetItemWithError',
] as const;

const STEALING_SETTERS = ['PyTuple_SET_ITEM', 'PyList_SET_ITEM', 'PyTuple_SetItem', 'PyList_SetItem'] as const;

const IDENT = '[A-Za-z_]\\w*';
/** An optional declaration in front of an assignment: `PyObject *`, `const char *`, `PyObject*`. */
const DECLARATION = '(?:(?:const\\s+)?\\w+\\s*\\*+\\s*)?';
/** An optional cast in front of a call: `(PyObject *)`. */
const CAST = '(?:\\(\\s*\\w+\\s*\\*+\\s*\\)\\s*)?';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lineAt(fn: FunctionText, line: number): string {
  return fn.lines[line - 1] ?? '';
}

/** Lines from the one holding the body's `{` to the end: the header's parameters are not statements. */
function bodyLines(fn: FunctionText): number[] {
  let first = fn.startLine;
  while (first <= fn.endLine && !lineAt(fn, first).includes('{')) first++;
  return linesAfter(fn, first);
}

function headerText(fn: FunctionText): string {
  const out: string[] = [];
  for (let line = fn.startLine; line <= fn.endLine; line++) {
    const text = lineAt(fn, line);
    const brace = text.indexOf('{');
    out.push(brace >= 0 ? text.slice(0, brace) : text);
    if (brace >= 0) break;
  }
  return out.join('\n');
}

function functionText(fn: FunctionText): string {
  return fn.lines.slice(fn.startLine - 1, fn.endLine).join('\n');
}

function withoutComments(text: string): string {
  return text.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '').trim();
}

/**
 * Whether the line before `line` ends a statement, so that blanking `line` or appending to it leaves
 * the control flow alone: after `if (c)` without braces the appended statement would become unconditional.
 */
function startsStatement(fn: FunctionText, line: number): boolean {
  for (let n = line - 1; n >= fn.startLine; n--) {
    const text = withoutComments(lineAt(fn, n));
    if (text === '' || text.startsWith('/*') || text.startsWith('*')) continue;
    return text.startsWith('#') || /[;{}:]$/.test(text);
  }
  return false;
}

function linesAfter(fn: FunctionText, line: number): number[] {
  const out: number[] = [];
  for (let n = line + 1; n <= fn.endLine; n++) out.push(n);
  return out;
}

function nextNonBlank(fn: FunctionText, line: number): number | undefined {
  return linesAfter(fn, line).find((n) => lineAt(fn, n).trim() !== '');
}

/** `x` is declared as a pointer in the function, as a parameter or a local: not a global, a field or a macro. */
function isDeclaredPointer(fn: FunctionText, x: string): boolean {
  return new RegExp(`\\*\\s*${escape(x)}\\s*(?:[,;=)]|$)`, 'm').test(functionText(fn));
}

function isParameter(fn: FunctionText, x: string): boolean {
  return new RegExp(`\\*\\s*${escape(x)}\\s*[,)]`).test(headerText(fn));
}

/** Lines that assign `x` (declarations with an initialiser included); `x` after `.`, `->` or a letter is someone else. */
function assignmentLines(fn: FunctionText, x: string): number[] {
  const pattern = new RegExp(`(?<![\\w.>])${escape(x)}\\s*=(?!=)`);
  return bodyLines(fn).filter((line) => pattern.test(lineAt(fn, line)));
}

function addressTaken(fn: FunctionText, x: string): boolean {
  return new RegExp(`&\\s*${escape(x)}\\b`).test(functionText(fn));
}

/** The function called on the right of `x = Call(...)`, or undefined. */
function assignedCallee(text: string, x: string): string | undefined {
  return new RegExp(`(?<![\\w.>])${escape(x)}\\s*=\\s*${CAST}(${IDENT})\\s*\\(`).exec(text)?.[1];
}

/** `x` is assigned in the function, every time from one of the borrowed getters, and never through `&x`. */
function onlyFromBorrowedGetters(fn: FunctionText, x: string): boolean {
  const assigned = assignmentLines(fn, x);
  const getters: readonly string[] = BORROWED_GETTERS;
  return (
    assigned.length > 0 &&
    !addressTaken(fn, x) &&
    assigned.every((line) => getters.includes(assignedCallee(lineAt(fn, line), x) ?? ''))
  );
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** `Py_DECREF(x);` alone on its line, x an identifier: its name, else undefined. */
function decrefAlone(text: string): string | undefined {
  return new RegExp(`^\\s*Py_DECREF\\(\\s*(${IDENT})\\s*\\);\\s*$`).exec(text)?.[1];
}

function increfAlone(text: string): string | undefined {
  return new RegExp(`^\\s*Py_INCREF\\(\\s*(${IDENT})\\s*\\);\\s*$`).exec(text)?.[1];
}

function releases(text: string, x: string): boolean {
  return new RegExp(`\\bPy_(?:X?DECREF|CLEAR|X?SETREF)\\s*\\(\\s*${escape(x)}\\b`).test(text);
}

/** Whether some call on this line could take over `x`'s reference: a stealing argument or a format string (`N`). */
function mayHandOver(text: string, x: string, api: ApiTable): boolean {
  if (!new RegExp(`\\b${escape(x)}\\b`).test(text)) return false;
  for (const [, callee] of text.matchAll(new RegExp(`(${IDENT})\\s*\\(`, 'g'))) {
    const entry = api.lookup(callee ?? '');
    if (entry && (entry.format || Object.values(entry.args).some((e) => e === 'steals' || e === 'steals-on-success'))) return true;
  }
  return false;
}

/** `x` leaves the function or is stored elsewhere: `return x`, `... = x;`, `(T)x;`. */
function escapes(text: string, x: string): boolean {
  const name = escape(x);
  return new RegExp(`\\breturn\\s+(?:\\(\\s*\\w+\\s*\\*\\s*\\)\\s*)?${name}\\s*;|=\\s*${CAST}${name}\\s*[;,]`).test(text);
}

function blank(line: number): LineReplacement {
  return { line, text: '' };
}

function append(fn: FunctionText, line: number, statement: string): LineReplacement {
  return { line, text: `${lineAt(fn, line)} ${statement}` };
}

/**
 * Blank `Py_DECREF(x);` where x holds the only new reference of the function, assigned once and released
 * only here, never handed over: the path through the release now ends with the reference held.
 */
export function leakSites(fn: FunctionText, api: ApiTable): Site[] {
  const body = bodyLines(fn);
  const sites: Site[] = [];
  for (const line of body) {
    const x = decrefAlone(lineAt(fn, line));
    if (!x || !isDeclaredPointer(fn, x) || isParameter(fn, x) || addressTaken(fn, x) || !startsStatement(fn, line)) continue;
    const assigned = assignmentLines(fn, x);
    const [from] = assigned;
    if (assigned.length !== 1 || from === undefined || from >= line) continue;
    const callee = assignedCallee(lineAt(fn, from), x);
    if (!callee || api.lookup(callee)?.returns !== 'new') continue;
    // The assignment's own call (`x = Py_BuildValue(...)`) does not take x, so only the other lines can hand it over.
    const others = body.filter((n) => n !== line && n !== from);
    if (others.some((n) => releases(lineAt(fn, n), x) || escapes(lineAt(fn, n), x) || mayHandOver(lineAt(fn, n), x, api))) continue;
    sites.push({ kind: 'leak', line, variable: x, edits: [blank(line)], description: `delete \`Py_DECREF(${x});\`` });
  }
  return sites;
}

/** Append a second `Py_DECREF(x);` to a `Py_DECREF(x);` line: the same reference is released twice. */
export function doubleReleaseSites(fn: FunctionText): Site[] {
  return bodyLines(fn).flatMap((line): Site[] => {
    const x = decrefAlone(lineAt(fn, line));
    if (!x || !isDeclaredPointer(fn, x) || !startsStatement(fn, line)) return [];
    const statement = `Py_DECREF(${x});`;
    return [{ kind: 'double-release', line, variable: x, edits: [append(fn, line, statement)], description: `append \`${statement}\`` }];
  });
}

/** `x = PyDict_GetItem(...);` (or another borrowed getter) as one whole line, then `Py_XDECREF(x);` appended to it. */
export function borrowedReleaseSites(fn: FunctionText): Site[] {
  const pattern = new RegExp(`^\\s*${DECLARATION}(${IDENT})\\s*=\\s*${CAST}(?:${BORROWED_GETTERS.join('|')})\\s*(\\(.*\\))\\s*;\\s*$`);
  return bodyLines(fn).flatMap((line): Site[] => {
    const m = pattern.exec(lineAt(fn, line));
    const x = m?.[1];
    if (!m || !x || !balanced(m[2] ?? '') || !isDeclaredPointer(fn, x) || !startsStatement(fn, line)) return [];
    const statement = `Py_XDECREF(${x});`;
    return [{ kind: 'borrowed-release', line, variable: x, edits: [append(fn, line, statement)], description: `append \`${statement}\`` }];
  });
}

/** Borrowed from a getter or a parameter never reassigned: the caller owns no reference of x to give away. */
function isBorrowed(fn: FunctionText, x: string): boolean {
  if (isParameter(fn, x)) return assignmentLines(fn, x).length === 0 && !addressTaken(fn, x);
  return onlyFromBorrowedGetters(fn, x);
}

/** Blank the `Py_INCREF(x);` before `PyTuple_SET_ITEM(t, i, x);` (and kin), x borrowed: the setter steals a reference nobody owns. */
export function stealMisuseSites(fn: FunctionText): Site[] {
  const setter = (x: string) => new RegExp(`^\\s*(?:${STEALING_SETTERS.join('|')})\\s*\\([^,]+,[^,]+,\\s*${escape(x)}\\s*\\)\\s*;\\s*$`);
  return bodyLines(fn).flatMap((line): Site[] => {
    const x = increfAlone(lineAt(fn, line));
    const next = nextNonBlank(fn, line);
    if (!x || next === undefined || !setter(x).test(lineAt(fn, next))) return [];
    if (!isDeclaredPointer(fn, x) || !isBorrowed(fn, x) || !startsStatement(fn, line)) return [];
    return [{ kind: 'steal-misuse', line, variable: x, edits: [blank(line)], description: `delete \`Py_INCREF(${x});\`` }];
  });
}

function returnsPyObject(fn: FunctionText): boolean {
  const header = headerText(fn);
  return /\bPyObject\s*\*/.test(header.slice(0, header.indexOf('(')));
}

/** Blank the `Py_INCREF(x);` of `Py_INCREF(x); return x;`, x from a borrowed getter: the caller receives a borrowed reference as new. */
export function returnBorrowedSites(fn: FunctionText): Site[] {
  if (!returnsPyObject(fn)) return [];
  return bodyLines(fn).flatMap((line): Site[] => {
    const x = increfAlone(lineAt(fn, line));
    const next = nextNonBlank(fn, line);
    if (!x || next === undefined || lineAt(fn, next).trim() !== `return ${x};`) return [];
    if (!isDeclaredPointer(fn, x) || !onlyFromBorrowedGetters(fn, x) || !startsStatement(fn, line)) return [];
    return [{ kind: 'return-borrowed', line, variable: x, edits: [blank(line)], description: `delete \`Py_INCREF(${x});\`` }];
  });
}

const NULL_TEST = (x: string) => new RegExp(`^\\s*if\\s*\\(\\s*(?:${x}\\s*==\\s*NULL|NULL\\s*==\\s*${x}|!\\s*${x})\\s*\\)\\s*(.*)$`);
const BAILOUT = /^(?:return\s+NULL;|return\s+-1;|goto\s+\w+;)$/;

/**
 * The lines of `if (x == NULL)` and its body when the body is one bail-out statement: on the if's line,
 * on the next, or alone between braces. Undefined for any other shape.
 */
function nullCheckLines(fn: FunctionText, ifLine: number, x: string): number[] | undefined {
  const rest = NULL_TEST(escape(x)).exec(lineAt(fn, ifLine))?.[1]?.trim();
  if (rest === undefined) return undefined;
  const text = (n: number) => lineAt(fn, n).trim();
  if (BAILOUT.test(rest)) return [ifLine];
  if (rest.startsWith('{') && rest.endsWith('}') && BAILOUT.test(rest.slice(1, -1).trim())) return [ifLine];
  if (rest === '' && BAILOUT.test(text(ifLine + 1))) return [ifLine, ifLine + 1];
  if (rest === '{' && BAILOUT.test(text(ifLine + 1)) && text(ifLine + 2) === '}') return [ifLine, ifLine + 1, ifLine + 2];
  return undefined;
}

/**
 * Blank the NULL check right after `x = NewRefCall(...);` (a call that returns a new reference and can fail),
 * x assigned once and later passed to `Py_DECREF`, which does not accept NULL.
 */
export function uncheckedNullSites(fn: FunctionText, api: ApiTable): Site[] {
  const pattern = new RegExp(`^\\s*${DECLARATION}(${IDENT})\\s*=\\s*${CAST}(${IDENT})\\s*(\\(.*\\))\\s*;\\s*$`);
  return bodyLines(fn).flatMap((line): Site[] => {
    const m = pattern.exec(lineAt(fn, line));
    const x = m?.[1];
    const entry = api.lookup(m?.[2] ?? '');
    if (!m || !x || !entry || entry.returns !== 'new' || !entry.canFail || !balanced(m[3] ?? '')) return [];
    if (!isDeclaredPointer(fn, x) || assignmentLines(fn, x).length !== 1 || addressTaken(fn, x)) return [];
    const check = nullCheckLines(fn, line + 1, x);
    const last = check?.at(-1);
    if (!check || last === undefined) return [];
    const decref = new RegExp(`\\bPy_DECREF\\(\\s*${escape(x)}\\s*\\)`);
    if (!linesAfter(fn, last).some((n) => decref.test(lineAt(fn, n)))) return [];
    return [{ kind: 'unchecked-null', line: line + 1, variable: x, edits: check.map(blank), description: `delete the NULL check of \`${x}\` (${check.length} line${check.length > 1 ? 's' : ''})` }];
  });
}

/** Every site of every kind in one function. */
export function findSites(fn: FunctionText, api: ApiTable): Site[] {
  return [
    ...leakSites(fn, api),
    ...doubleReleaseSites(fn),
    ...borrowedReleaseSites(fn),
    ...stealMisuseSites(fn),
    ...returnBorrowedSites(fn),
    ...uncheckedNullSites(fn, api),
  ];
}

/** The source with the site's lines replaced; the line count is unchanged, so findings keep their lines. */
export function applySite(source: string, site: Site): string {
  const lines = source.split(/\r?\n/);
  for (const edit of site.edits) lines[edit.line - 1] = edit.text;
  return lines.join('\n');
}
