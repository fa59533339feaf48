import type { SyntaxNode } from '../parse/types.js';

/** `ns::Holder<T>` → `Holder`: the spelling a class is known by in the same file, whatever scope wrote it. */
export function simpleName(written: string): string {
  const withoutTemplate = written.replace(/<.*>/s, '').trim();
  const separator = withoutTemplate.lastIndexOf('::');
  return separator === -1 ? withoutTemplate : withoutTemplate.slice(separator + 2).trim();
}

/** `Outer<T>::Inner` → `['Outer', 'Inner']`. */
export function scopeSegments(written: string): string[] {
  let withoutTemplates = written;
  for (let previous = ''; previous !== withoutTemplates; ) {
    previous = withoutTemplates;
    withoutTemplates = withoutTemplates.replace(/<[^<>]*>/g, '');
  }
  return withoutTemplates
    .split('::')
    .map((segment) => segment.trim())
    .filter((segment) => segment.length > 0);
}

export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

export function endLineOf(node: SyntaxNode): number {
  return node.endPosition.row + 1;
}
