import type { SyntaxNode } from '../parse/types.js';
import type { Access, ClassDefinition, Member } from './class-definitions.js';
import { lineOf, simpleName } from './names.js';

/** How a class came by one copy operation. */
export type CopyOperation =
  | { readonly kind: 'implicit' }
  /** `= default`: copies each member, so a `PyObject *` member is copied without a new reference. */
  | { readonly kind: 'defaulted'; readonly line: number }
  | { readonly kind: 'deleted'; readonly line: number }
  /** Declared with a body here or elsewhere: the class copies its own way. */
  | { readonly kind: 'user'; readonly line: number; readonly access: Access }
  /** `DISALLOW_COPY_AND_ASSIGN(Holder)`, `Q_DISABLE_COPY(Holder)`: a macro naming the class declares it. */
  | { readonly kind: 'macro'; readonly line: number; readonly macro: string };

export interface SpecialMembers {
  readonly copyConstructor: CopyOperation;
  readonly copyAssignment: CopyOperation;
  /** A user-declared move constructor or move assignment: the implicit copy operations are then deleted. */
  readonly moveDeclared: boolean;
}

type ParameterPassing = 'lvalue-reference' | 'rvalue-reference' | 'value' | 'other';

interface Signature {
  readonly role: 'constructor' | 'assignment';
  readonly passing: ParameterPassing;
}

const WRAPPING_DECLARATORS = new Set(['reference_declarator', 'pointer_declarator', 'attributed_declarator']);
const PARAMETER_TYPES = new Set(['parameter_declaration', 'optional_parameter_declaration']);
const MACRO_CALL = /^([A-Z][A-Z0-9_]*)\s*\(([^()]*)\)\s*;?$/s;

/** The `function_declarator`s a member declares: `Holder &operator=(...)` wraps it in a reference. */
function functionDeclarators(member: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (const declarator of member.childrenForFieldName('declarator')) {
    let node: SyntaxNode | null = declarator;
    while (node && WRAPPING_DECLARATORS.has(node.type)) {
      node = node.childForFieldName('declarator') ?? node.lastNamedChild;
    }
    if (node?.type === 'function_declarator') found.push(node);
  }
  return found;
}

function passingOf(parameter: SyntaxNode, className: string): ParameterPassing {
  const type = parameter.childForFieldName('type');
  if (!type || simpleName(type.text) !== className) return 'other';
  const declarator = parameter.childForFieldName('declarator');
  if (!declarator || declarator.type === 'identifier') return 'value';
  if (declarator.type !== 'reference_declarator' && declarator.type !== 'abstract_reference_declarator') return 'other';
  return declarator.firstChild?.type === '&&' ? 'rvalue-reference' : 'lvalue-reference';
}

/** A constructor or `operator=` whose first parameter is the class itself, and whose other parameters have defaults. */
function signatureOf(declarator: SyntaxNode, className: string): Signature | undefined {
  const name = declarator.childForFieldName('declarator');
  const parameters = (declarator.childForFieldName('parameters')?.namedChildren ?? []).filter((node) => node.type !== 'comment');
  const [first, ...rest] = parameters;
  if (!name || !first || !PARAMETER_TYPES.has(first.type)) return undefined;
  if (rest.some((parameter) => parameter.type !== 'optional_parameter_declaration')) return undefined;
  const passing = passingOf(first, className);
  if (name.type === 'operator_name' && name.text.replace(/\s+/g, '') === 'operator=') {
    return rest.length === 0 ? { role: 'assignment', passing } : undefined;
  }
  if (simpleName(name.text) === className) return { role: 'constructor', passing };
  return undefined;
}

function declared(member: Member): CopyOperation {
  const line = lineOf(member.node);
  if (member.node.type === 'function_definition') {
    if (member.node.namedChildren.some((child) => child.type === 'delete_method_clause')) return { kind: 'deleted', line };
    if (member.node.namedChildren.some((child) => child.type === 'default_method_clause')) return { kind: 'defaulted', line };
  }
  return { kind: 'user', line, access: member.access };
}

function copyMacro(member: Member, className: string): CopyOperation | undefined {
  const match = MACRO_CALL.exec(member.node.text.trim());
  if (!match?.[1] || !match[2]?.split(',').some((argument) => argument.trim() === className)) return undefined;
  return { kind: 'macro', line: lineOf(member.node), macro: match[1] };
}

/**
 * The copy and move operations a class declares. Member templates never count: a template constructor
 * is not a copy constructor, and the implicit one is still generated beside it.
 */
export function specialMembers(definition: ClassDefinition): SpecialMembers {
  let copyConstructor: CopyOperation = { kind: 'implicit' };
  let copyAssignment: CopyOperation = { kind: 'implicit' };
  let moveDeclared = false;
  for (const member of definition.members) {
    const macro = copyMacro(member, definition.name);
    if (macro) {
      copyConstructor = macro;
      copyAssignment = macro;
      continue;
    }
    for (const declarator of functionDeclarators(member.node)) {
      const signature = signatureOf(declarator, definition.name);
      if (!signature || signature.passing === 'other') continue;
      if (signature.passing === 'rvalue-reference') moveDeclared = true;
      else if (signature.role === 'assignment') copyAssignment = declared(member);
      else if (signature.passing === 'lvalue-reference') copyConstructor = declared(member);
    }
  }
  return { copyConstructor, copyAssignment, moveDeclared };
}
