import type { LineEdit } from '../findings.js';

/** Whole-line edits: each replaces lines startLine..endLine, so it maps onto one suggestion block. */

export function indentOf(line: string): string {
  return /^\s*/.exec(line)![0];
}

/**
 * A new statement on its own line before `line`, indented like that line, or before a closing brace
 * like the statement above it.
 */
export function insertBefore(lines: readonly string[], line: number, statement: string): LineEdit | undefined {
  const original = lines[line - 1];
  if (original === undefined) return undefined;
  let indent = indentOf(original);
  if (original.trim().startsWith('}')) {
    const above = lines.slice(0, line - 1).reverse().find((l) => l.trim() !== '');
    indent = above !== undefined && !above.trim().endsWith('{') ? indentOf(above) : `${indent}    `;
  }
  return { startLine: line, endLine: line, lines: [indent + statement, original] };
}

export function deleteLine(line: number): LineEdit {
  return { startLine: line, endLine: line, lines: [] };
}

export function replaceLine(lines: readonly string[], line: number, text: string): LineEdit | undefined {
  return lines[line - 1] === undefined ? undefined : { startLine: line, endLine: line, lines: [text] };
}

/** The statements that release a reference; a fix that deletes or rewrites one checks the line holds only that. */
export const RELEASE_CALLS: readonly string[] = ['Py_DECREF', 'Py_XDECREF', 'Py_CLEAR', 'Py_DecRef'];

/** The line holds exactly one call statement to one of `callees`, with nothing else but a trailing comment. */
export function isLoneCall(lineText: string | undefined, callees: readonly string[]): boolean {
  if (lineText === undefined) return false;
  const m = /^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*;\s*(\/\/.*|\/\*.*\*\/)?\s*$/.exec(lineText);
  return m !== null && callees.includes(m[1]!) && balanced(m[2]!);
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The closing brace or `return ...;` alone on its line: something can be inserted before it. */
export function isLoneExit(lineText: string | undefined): boolean {
  if (lineText === undefined) return false;
  return /^\s*(return\b[^;]*;|\})\s*(\/\/.*|\/\*.*\*\/)?\s*$/.test(lineText);
}
