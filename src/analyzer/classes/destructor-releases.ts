import type { SyntaxNode } from '../parse/types.js';
import { lineOf } from './names.js';

/** The calls that release the reference their argument holds. */
const RELEASES = new Set(['Py_DECREF', 'Py_XDECREF', 'Py_CLEAR']);

const TRANSPARENT = new Set(['parenthesized_expression', 'cast_expression']);

export interface MemberRelease {
  readonly member: string;
  readonly line: number;
}

/** `(PyObject *)(m)` → `m`: casts and parentheses leave the released reference the same. */
function unwrap(argument: SyntaxNode): SyntaxNode {
  let node = argument;
  while (TRANSPARENT.has(node.type)) {
    const inner: SyntaxNode | null = node.type === 'cast_expression' ? node.childForFieldName('value') : node.namedChildren.at(-1) ?? null;
    if (!inner) break;
    node = inner;
  }
  return node;
}

/** Names the destructor declares itself: a release of one of those is not a release of the member it hides. */
function localNames(body: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const declaration of body.descendantsOfType('declaration')) {
    for (const declarator of declaration.childrenForFieldName('declarator')) {
      const stack = [declarator];
      for (let node = stack.pop(); node; node = stack.pop()) {
        if (node.type === 'identifier') names.add(node.text);
        const inner = node.childForFieldName('declarator');
        if (inner) stack.push(inner);
      }
    }
  }
  return names;
}

/** The member `m` or `this->m` names, when `members` holds it. */
function releasedMember(argument: SyntaxNode, members: ReadonlySet<string>, locals: ReadonlySet<string>): string | undefined {
  const node = unwrap(argument);
  if (node.type === 'identifier') return members.has(node.text) && !locals.has(node.text) ? node.text : undefined;
  if (node.type !== 'field_expression') return undefined;
  const object = node.childForFieldName('argument');
  const field = node.childForFieldName('field');
  const viaThis = object?.type === 'this' && node.childForFieldName('operator')?.text === '->';
  return viaThis && field && members.has(field.text) ? field.text : undefined;
}

/** Releases in a destructor's body of the given members, in source order. */
export function destructorReleases(body: SyntaxNode, members: ReadonlySet<string>): MemberRelease[] {
  const locals = localNames(body);
  const releases: MemberRelease[] = [];
  for (const call of body.descendantsOfType('call_expression')) {
    const callee = call.childForFieldName('function');
    const argument = call.childForFieldName('arguments')?.firstNamedChild;
    if (!callee || !argument || callee.type !== 'identifier' || !RELEASES.has(callee.text)) continue;
    const member = releasedMember(argument, members, locals);
    if (member) releases.push({ member, line: lineOf(call) });
  }
  return releases;
}
