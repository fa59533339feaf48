import type { ParsedFunction, SyntaxNode } from '../parse/types.js';

/**
 * What a function is to its callers decides what its parameters and its result mean:
 * CPython calls slots and methods with borrowed arguments and expects a new reference back.
 */
export type FunctionRole = 'slot' | 'dealloc' | 'clear' | 'destructor' | 'helper';

/** Names a type or method table hands to CPython, with the slot they fill when the table says so. */
export type TableEntries = ReadonlyMap<string, string | undefined>;

/** Functions named in initializer lists: PyMethodDef, PyGetSetDef, PyType_Slot arrays, PyTypeObject. */
export function collectTableEntries(root: SyntaxNode): TableEntries {
  const entries = new Map<string, string | undefined>();
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'function_definition') continue;
    if (node.type === 'initializer_list') readInitializer(node, entries);
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  return entries;
}

function readInitializer(list: SyntaxNode, entries: Map<string, string | undefined>): void {
  const items = list.namedChildren.filter((c) => c.type !== 'comment');
  // {Py_tp_dealloc, foo_dealloc}: the slot id names the slot.
  const first = items[0];
  if (items.length === 2 && first?.type === 'identifier' && /^Py_(tp|nb|sq|mp|am|bf)_\w+$/.test(first.text)) {
    const name = functionName(items[1]!);
    if (name) entries.set(name, first.text.replace(/^Py_/, ''));
    return;
  }
  for (const item of items) {
    if (item.type === 'initializer_pair') {
      const designator = item.childForFieldName('designator') ?? item.namedChildren[0];
      const value = item.childForFieldName('value');
      const name = value ? functionName(value) : undefined;
      if (name) entries.set(name, designator?.text.replace(/^\./, ''));
      continue;
    }
    const name = functionName(item);
    if (name && !entries.has(name)) entries.set(name, undefined);
  }
}

function functionName(node: SyntaxNode): string | undefined {
  let n = node;
  while (n.type === 'cast_expression' || n.type === 'parenthesized_expression' || (n.type === 'pointer_expression' && n.child(0)?.type === '&')) {
    const inner = n.childForFieldName('value') ?? n.childForFieldName('argument') ?? n.namedChildren[n.namedChildCount - 1];
    if (!inner) return undefined;
    n = inner;
  }
  return n.type === 'identifier' ? n.text : undefined;
}

// Names CPython's own slots and Argument Clinic give the object or module they are called on.
const SELF_NAMES = new Set(['self', 'module', 'mod']);

export function roleOf(fn: ParsedFunction, tables: TableEntries): FunctionRole {
  if (fn.kind === 'destructor') return 'destructor';
  if (fn.kind === 'lambda') return 'helper';
  const base = fn.name.slice(fn.name.lastIndexOf(':') + 1);
  const slot = tables.get(base);
  if (slot === 'tp_dealloc' || /dealloc$/i.test(base)) return 'dealloc';
  // `_free` alone names too many plain C structs' destructors (assemble_free); only the slot tables say m_free.
  if (slot === 'tp_clear' || slot === 'm_clear' || slot === 'm_free' || /_clear$/.test(base)) return 'clear';
  if (tables.has(base)) return 'slot';
  // A method's shape (self plus its arguments), or Argument Clinic's `_impl` whose table is in the clinic file;
  // a one-parameter `f(self)` is as often a plain helper (get_tzinfo_member) as a slot, so it needs a table.
  const first = fn.parameters[0];
  const selfFirst = first?.name !== undefined && SELF_NAMES.has(first.name) && isObjectPointer(first.type);
  if (selfFirst && (fn.parameters.length >= 2 || base.endsWith('_impl'))) return 'slot';
  return 'helper';
}

/** `PyObject *`, `PyTypeObject *`, `FooObject *`: pointers to Python objects by CPython's naming. */
export function isObjectPointer(type: string): boolean {
  return /^(const\s+)?\w*Object\s*\*$/.test(type.trim());
}
