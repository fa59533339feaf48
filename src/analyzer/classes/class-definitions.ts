import type { SyntaxNode } from '../parse/types.js';

export type Access = 'public' | 'protected' | 'private';

export interface Member {
  /** A direct child of the class body, or of an `#if` group in it: a field, method, constructor, macro call. */
  readonly node: SyntaxNode;
  readonly access: Access;
}

export interface ClassDefinition {
  /** The `class_specifier` or `struct_specifier` that has a body. */
  readonly node: SyntaxNode;
  readonly name: string;
  /** Enclosing classes, outermost first, then the class itself: the `className` spelling of its member functions. */
  readonly path: readonly string[];
  /** Base classes as written: `boost::noncopyable`, `Base<T>`. */
  readonly bases: readonly string[];
  readonly members: readonly Member[];
}

const CLASS_TYPES = ['class_specifier', 'struct_specifier'];
const ALL_RECORD_TYPES = new Set([...CLASS_TYPES, 'union_specifier']);
const PREPROCESSOR_GROUPS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);
const BASE_TYPES = new Set(['type_identifier', 'qualified_identifier', 'template_type']);
const ACCESS = new Set<string>(['public', 'protected', 'private']);

function isAccess(text: string): text is Access {
  return ACCESS.has(text);
}

/** Same spelling as `enclosingClasses` in parse/functions.ts, so paths compare with `className`. */
function pathOf(node: SyntaxNode, name: string): string[] {
  const path = [name];
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type !== 'field_declaration_list') continue;
    const owner = parent.parent;
    if (!owner || !ALL_RECORD_TYPES.has(owner.type)) continue;
    path.unshift(owner.childForFieldName('name')?.text ?? '<anonymous>');
  }
  return path;
}

function basesOf(node: SyntaxNode): string[] {
  const clause = node.namedChildren.find((child) => child.type === 'base_class_clause');
  if (!clause) return [];
  return clause.namedChildren.filter((child) => BASE_TYPES.has(child.type)).map((child) => child.text);
}

/** What an `#if` group holds, without its condition: `#ifdef X` names `X`, no member. */
function groupContents(group: SyntaxNode): SyntaxNode[] {
  const condition = group.childForFieldName('name') ?? group.childForFieldName('condition');
  return group.namedChildren.filter((child) => child.id !== condition?.id);
}

/** Members in source order; `#if` groups are opened, nested classes are members but not searched. */
function membersOf(body: SyntaxNode, defaultAccess: Access): Member[] {
  const members: Member[] = [];
  let access = defaultAccess;
  const stack = [...body.namedChildren].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (PREPROCESSOR_GROUPS.has(node.type)) {
      stack.push(...groupContents(node).reverse());
    } else if (node.type === 'access_specifier') {
      const text = node.text.trim();
      if (isAccess(text)) access = text;
    } else {
      members.push({ node, access });
    }
  }
  return members;
}

/** Every named class and struct with a body, in source order. Unions hold no owners worth copying checks. */
export function classDefinitions(root: SyntaxNode): ClassDefinition[] {
  const definitions: ClassDefinition[] = [];
  for (const node of root.descendantsOfType(CLASS_TYPES)) {
    const name = node.childForFieldName('name');
    const body = node.childForFieldName('body');
    if (!name || !body || name.type !== 'type_identifier') continue;
    definitions.push({
      node,
      name: name.text,
      path: pathOf(node, name.text),
      bases: basesOf(node),
      members: membersOf(body, node.type === 'struct_specifier' ? 'public' : 'private'),
    });
  }
  return definitions;
}
