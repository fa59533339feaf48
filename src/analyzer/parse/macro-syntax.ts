/** Words that precede `(` without being a call. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'if', 'for', 'while', 'switch', 'return', 'sizeof', 'case', 'do', 'else', 'goto', 'defined',
]);

/**
 * Macro spelling: `CHECK_INITIALIZED`, `Py_VISIT`, `_Py_SOMETHING`, `ENSURE_Context`, `_odict_FOREACH`
 * (a part of three capitals or more); never a plain function name like `foo_bar` or `PyList_New`.
 */
export function looksLikeMacro(name: string): boolean {
  if (KEYWORDS.has(name)) return false;
  return (
    /^_*[A-Z][A-Z0-9_]*$/.test(name) ||
    /^_*Py[A-Za-z]*_[A-Z][A-Z0-9_]*$/.test(name) ||
    name.split('_').some((part) => /^[A-Z][A-Z0-9]{2,}$/.test(part))
  );
}

/** A macro standing for a loop header: `_odict_FOREACH(od, node) {`, `Py_FOR_EACH(...)`. */
export function looksLikeLoopMacro(name: string): boolean {
  return /FOR_?EACH|LOOP|ITER/i.test(name);
}

/** Stricter than looksLikeMacro: a bare name on its own line could be a type or a variable. */
export function looksLikeBareMacro(name: string): boolean {
  if (KEYWORDS.has(name)) return false;
  return /^_*[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(name) || /^_*Py[A-Za-z]*_[A-Z][A-Z0-9_]*$/.test(name);
}

/**
 * Index just past the `)` matching the `(` at `open`, in masked text (no comments or strings);
 * undefined when unbalanced or when a `;` or brace comes first, which no macro argument list holds.
 */
export function closingParen(masked: string, open: number): number | undefined {
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
