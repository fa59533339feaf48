import type { ApiEntry, ArgEffect } from '../capi/types.js';
import type { SyntaxNode } from '../parse/types.js';

/** What a `#define` of the file does to control flow, when it is simple enough to say. */
export type MacroFlow = { readonly kind: 'return' | 'goto'; readonly label?: string; /** The body tests something first: it may not leave. */ readonly conditional: boolean };

export interface FileMacros {
  /** Statement macros that leave the function: `_Py_RETURN_UNICODE_EMPTY()`, `CHECK(x)` with a `goto error`. */
  readonly flow: ReadonlyMap<string, MacroFlow>;
  /** Function-like macros that release or add a reference to an argument: `ERROR_DECREF(p)`. */
  readonly calls: ReadonlyMap<string, ApiEntry>;
  /** Names each macro's body mentions: a statement macro may read, release or reassign any of them. */
  readonly mentions: ReadonlyMap<string, ReadonlySet<string>>;
  /** Macros defined to nothing (a compiled-out TRACE(...)): a statement calling one does nothing. */
  readonly empty: ReadonlySet<string>;
}

const RELEASE = /\b(Py_XDECREF|Py_DECREF|Py_CLEAR|Py_XINCREF|Py_INCREF)\s*\(\s*(?:\(\s*PyObject\s*\*\s*\)\s*)?\(?\s*(\w+)\s*\)?\s*\)/g;

const EFFECTS: Readonly<Record<string, ArgEffect>> = {
  Py_DECREF: 'xreleases',
  Py_XDECREF: 'xreleases',
  Py_CLEAR: 'clears',
  Py_INCREF: 'xincrefs',
  Py_XINCREF: 'xincrefs',
};

/**
 * Reads the file's own `#define`s, including those written inside a function body (CPython's CLEANUP). A macro whose body returns or jumps is a statement that ends the path;
 * one whose body releases a parameter is a call that releases that argument (as Py_XDECREF: the body may test it).
 * Anything more involved is left unknown, so calls to it stay opaque and nothing is claimed about them.
 */
export function readFileMacros(root: SyntaxNode): FileMacros {
  const flow = new Map<string, MacroFlow>();
  const calls = new Map<string, ApiEntry>();
  const mentions = new Map<string, ReadonlySet<string>>();
  const empty = new Set<string>();
  const bodies = new Map<string, string>();
  // `#if PY3 / #define RETVAL m / #else / #define RETVAL / #endif`: which one applies is not known, so neither is trusted.
  const conflicting = new Set<string>();
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'preproc_function_def' || node.type === 'preproc_def') {
      const name = node.childForFieldName('name')?.text;
      const body = node.childForFieldName('value')?.text ?? '';
      if (name) {
        const code = body.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim();
        if (bodies.has(name) && bodies.get(name) !== code) conflicting.add(name);
        bodies.set(name, code);
        if (code === '') empty.add(name);
        describe(name, node, body, flow, calls);
        mentions.set(name, new Set([...(mentions.get(name) ?? []), ...(body.match(/[A-Za-z_]\w*/g) ?? [])]));
      }
      continue;
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  for (const name of conflicting) {
    flow.delete(name);
    calls.delete(name);
    empty.delete(name);
  }
  return { flow, calls, mentions, empty };
}

function describe(name: string, node: SyntaxNode, body: string, flow: Map<string, MacroFlow>, calls: Map<string, ApiEntry>): void {
  const conditional = /\bif\b|\?/.test(body);
  const jump = /\bgoto\s+(\w+)/.exec(body);
  if (jump) {
    flow.set(name, { kind: 'goto', label: jump[1]!, conditional });
    return;
  }
  if (/\breturn\b/.test(body)) {
    flow.set(name, { kind: 'return', conditional });
    return;
  }
  const params = node.childForFieldName('parameters')?.namedChildren.map((p) => p.text) ?? [];
  // A body that also assigns (`x = call`) does more than release: it stays opaque.
  if (params.length === 0 || /[^=!<>]=[^=]/.test(body)) return;
  const args: Record<number, ArgEffect> = {};
  for (const m of body.matchAll(RELEASE)) {
    const index = params.indexOf(m[2]!);
    if (index >= 0 && args[index] === undefined) args[index] = EFFECTS[m[1]!]!;
  }
  if (Object.keys(args).length > 0) calls.set(name, { name, returns: 'none', canFail: false, args, source: 'summary' });
}
