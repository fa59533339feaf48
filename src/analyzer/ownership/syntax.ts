import type { SyntaxNode } from 'tree-sitter';

/** Reading tree-sitter nodes the way the ownership walk needs them: names, lines, the shape around a statement. */

/** `TRACE`, `DCTSIZE2`: a name in capitals, the spelling of macros and of constants from headers. */
export const CAPITALS_NAME = /^[A-Z][A-Z0-9_]*$/;

export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

/** Strips parentheses and casts: `(PyObject *)(x)` is `x` as far as references go. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression') {
      const inner = n.namedChildren.find((c) => c.type !== 'comment');
      if (!inner) return n;
      n = inner;
    } else if (n.type === 'cast_expression') {
      const inner = n.childForFieldName('value');
      if (!inner) return n;
      n = inner;
    } else {
      return n;
    }
  }
}

export function calleeName(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'qualified_identifier' && fn.text.startsWith('::')) return fn.text.slice(2);
  return undefined;
}

export function argumentNodes(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
}

export function foldText(node: SyntaxNode): string {
  return node.text.replace(/\s+/g, '');
}

/** The last name of a field chain: `self->state->dict` and `dict` release the same field of their class. */
export function fieldName(expr: string): string {
  const m = /(\w+)\s*$/.exec(expr);
  return m ? m[1]! : expr;
}

/** The node is a whole statement, or the whole expression of one, that sits directly in a block. */
export function statementInBlock(node: SyntaxNode): boolean {
  const statement = node.parent?.type === 'expression_statement' ? node.parent : node;
  let parent = statement.parent;
  if (parent?.type === 'labeled_statement') parent = parent.parent;
  return parent?.type === 'compound_statement' || parent?.type === 'case_statement';
}

/** The text that names a field in `holdsIn` and `dangling`. */
export function fieldKey(node: SyntaxNode): string {
  return foldText(unwrap(node));
}

export function declaratorName(node: SyntaxNode | null): string | undefined {
  let d = node;
  while (d) {
    if (d.type === 'identifier') return d.text;
    if (d.type === 'field_identifier') return d.text;
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c.type === 'identifier' || c.type.endsWith('declarator')) ?? null;
  }
  return undefined;
}

export function stringContent(node: SyntaxNode): string {
  return node.namedChildren
    .filter((c) => c.type === 'string_content' || c.type === 'escape_sequence')
    .map((c) => c.text)
    .join('');
}
