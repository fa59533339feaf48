import type { SyntaxNode } from '../parse/types.js';
import type { ClassDefinition } from './class-definitions.js';
import { simpleName } from './names.js';

/** `PyObject`, `PyTypeObject`, `PyArrayObject`: the object structs a member may point at. */
const OBJECT_TYPE = /Object$/;

function isStatic(field: SyntaxNode): boolean {
  return field.namedChildren.some((child) => child.type === 'storage_class_specifier' && child.text === 'static');
}

/** `*name`, one pointer level: `PyObject **` is an out-parameter slot, not a reference the object holds. */
function pointerMemberName(declarator: SyntaxNode): string | undefined {
  if (declarator.type !== 'pointer_declarator') return undefined;
  const inner = declarator.childForFieldName('declarator');
  return inner?.type === 'field_identifier' ? inner.text : undefined;
}

/** Non-static members declared as pointers to an object struct, in declaration order. */
export function objectPointerMembers(definition: ClassDefinition): string[] {
  const names: string[] = [];
  for (const { node } of definition.members) {
    if (node.type !== 'field_declaration' || isStatic(node)) continue;
    const type = node.childForFieldName('type');
    if (!type || !OBJECT_TYPE.test(simpleName(type.text))) continue;
    for (const declarator of node.childrenForFieldName('declarator')) {
      const name = pointerMemberName(declarator);
      if (name) names.push(name);
    }
  }
  return names;
}

/** Types as written of the non-static members held by value, not through a pointer or reference: `std::unique_ptr<Foo>`. */
export function valueMemberTypes(definition: ClassDefinition): string[] {
  const types: string[] = [];
  for (const { node } of definition.members) {
    if (node.type !== 'field_declaration' || isStatic(node)) continue;
    const type = node.childForFieldName('type');
    if (!type) continue;
    const byValue = node
      .childrenForFieldName('declarator')
      .some((declarator) => declarator.type === 'field_identifier' || declarator.type === 'array_declarator');
    if (byValue) types.push(type.text);
  }
  return types;
}
