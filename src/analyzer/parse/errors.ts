import type { ParseError, SyntaxNode } from './types.js';

const SNIPPET_LENGTH = 80;

function snippet(source: string, start: number): string {
  const lineEnd = source.indexOf('\n', start);
  const end = Math.min(lineEnd === -1 ? source.length : lineEnd, start + SNIPPET_LENGTH);
  return source.slice(start, end).trim();
}

/**
 * The outermost ERROR nodes and every MISSING node under `root`, in source order.
 * Subtrees without errors are skipped whole, so a clean tree costs one check.
 */
export function collectParseErrors(root: SyntaxNode, source: string): ParseError[] {
  const errors: ParseError[] = [];
  if (!root.hasError) return errors;
  const cursor = root.walk();
  for (;;) {
    const node = cursor.currentNode;
    const isError = node.isError || node.type === 'ERROR';
    if (isError || node.isMissing) {
      errors.push({
        line: node.startPosition.row + 1,
        column: node.startPosition.column,
        kind: isError ? 'error' : 'missing',
        text: isError ? snippet(source, node.startIndex) : node.type,
      });
    }
    if (!isError && node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return errors;
    }
  }
}
