import type { SyntaxNode } from '../parse/types.js';
import { lineOf, simpleName } from './names.js';

/** Standard containers that copy their elements: on insertion of an lvalue, and `vector` on every reallocation. */
const COPYING_CONTAINERS = new Set([
  'vector', 'deque', 'list', 'forward_list', 'array', 'set', 'multiset', 'map', 'multimap',
  'unordered_set', 'unordered_multiset', 'unordered_map', 'unordered_multimap',
]);

const PARAMETER_TYPES = ['parameter_declaration', 'optional_parameter_declaration'];

/** `std::vector<Holder>` stores by value; `std::vector<Holder *>` and `std::vector<Holder &>` do not. */
function containerElements(templateType: SyntaxNode): string[] {
  const container = templateType.childForFieldName('name');
  if (!container || !COPYING_CONTAINERS.has(container.text)) return [];
  const argumentsNode = templateType.childForFieldName('arguments');
  const elements: string[] = [];
  for (const argument of argumentsNode?.namedChildren ?? []) {
    if (argument.type !== 'type_descriptor' || argument.childForFieldName('declarator')) continue;
    const type = argument.childForFieldName('type');
    if (type) elements.push(simpleName(type.text));
  }
  return elements;
}

/** `void f(Holder h)`, `void f(Holder)`: the argument is copied into the parameter. */
function byValueParameter(parameter: SyntaxNode): string | undefined {
  const type = parameter.childForFieldName('type');
  const declarator = parameter.childForFieldName('declarator');
  if (!type || (declarator && declarator.type !== 'identifier')) return undefined;
  return simpleName(type.text);
}

/**
 * For each of `classNames`, the lines where the file copies an instance or lets a container copy it, in source order.
 * A copy written as `Holder b = a;` is not found: the grammar cannot tell it from a conversion.
 */
export function copySites(root: SyntaxNode, classNames: ReadonlySet<string>): Map<string, number[]> {
  const sites = new Map<string, number[]>();
  const record = (name: string | undefined, node: SyntaxNode): void => {
    if (name === undefined || !classNames.has(name)) return;
    const lines = sites.get(name) ?? [];
    const line = lineOf(node);
    if (!lines.includes(line)) lines.push(line);
    sites.set(name, lines);
  };
  if (classNames.size === 0) return sites;
  for (const node of root.descendantsOfType(['template_type', ...PARAMETER_TYPES])) {
    if (node.type === 'template_type') {
      for (const element of containerElements(node)) record(element, node);
    } else {
      record(byValueParameter(node), node);
    }
  }
  for (const lines of sites.values()) lines.sort((a, b) => a - b);
  return sites;
}
