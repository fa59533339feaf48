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
/** A member that is a macro alone: `NAME(args);`, or `NAME;` once preprocessing blanked the arguments of one with no `;`. */
const MACRO_MEMBER = /^([A-Z][A-Z0-9_]*)\s*(?:\(([^()]*)\))?\s*;?$/s;
const COPY_MACRO_NAME = /COPY|ASSIGN/;

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

/** `Holder::operator=` → `operator=`: the last name of a qualified one. */
function unqualified(name: SyntaxNode | null): SyntaxNode | null {
  let node = name;
  while (node?.type === 'qualified_identifier') node = node.childForFieldName('name');
  return node;
}

/** A constructor or `operator=` whose first parameter is the class itself, and whose other parameters have defaults. */
function signatureOf(declarator: SyntaxNode, className: string): Signature | undefined {
  const name = unqualified(declarator.childForFieldName('declarator'));
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

/** A macro whose name speaks of copies, or that names the class: either may declare the copy operations. */
function copyMacro(member: Member, className: string): CopyOperation | undefined {
  const match = MACRO_MEMBER.exec(member.node.text.trim());
  const macro = match?.[1];
  if (!macro) return undefined;
  const namesClass = match[2]?.split(',').some((argument) => argument.trim() === className) ?? false;
  return namesClass || COPY_MACRO_NAME.test(macro) ? { kind: 'macro', line: lineOf(member.node), macro } : undefined;
}

/** A copy operation declared in the class and defaulted where it is defined: `Holder::Holder(const Holder &) = default;`. */
export interface OutOfClassDefault {
  /** The class as the definition names it, by its simple name. */
  readonly className: string;
  readonly role: Signature['role'];
  readonly line: number;
}

/** The grammar reads `Holder &Holder::operator=(const Holder &) = default;` as a variable initialised with `default`. */
function isDefaultedOutOfClass(node: SyntaxNode): boolean {
  if (node.type === 'function_definition') return node.namedChildren.some((child) => child.type === 'default_method_clause');
  return node.childrenForFieldName('declarator').some((declarator) => declarator.childForFieldName('value')?.text === 'default');
}

function qualifiedScope(declarator: SyntaxNode): string | undefined {
  const name = declarator.childForFieldName('declarator');
  return name?.type === 'qualified_identifier' ? name.childForFieldName('scope')?.text : undefined;
}

/** Copy operations defaulted outside their class, anywhere in the file. */
export function outOfClassDefaults(root: SyntaxNode): OutOfClassDefault[] {
  const found: OutOfClassDefault[] = [];
  for (const node of root.descendantsOfType(['function_definition', 'declaration'])) {
    if (node.parent?.type === 'field_declaration_list' || !isDefaultedOutOfClass(node)) continue;
    const declarators = node.type === 'declaration' ? node.childrenForFieldName('declarator') : [node];
    for (const declarator of declarators.flatMap((holder) => functionDeclarators(holder))) {
      const scope = qualifiedScope(declarator);
      const className = scope === undefined ? undefined : simpleName(scope);
      const signature = className === undefined ? undefined : signatureOf(declarator, className);
      if (className === undefined || !signature || signature.passing === 'other' || signature.passing === 'rvalue-reference') continue;
      found.push({ className, role: signature.role, line: lineOf(node) });
    }
  }
  return found;
}

/** An in-class declaration whose definition is `= default` elsewhere copies like one defaulted in the class. */
function withDefinition(operation: CopyOperation, definitions: readonly OutOfClassDefault[]): CopyOperation {
  const defaulted = definitions[0];
  return operation.kind === 'user' && defaulted ? { kind: 'defaulted', line: defaulted.line } : operation;
}

/**
 * The copy and move operations a class declares. Member templates never count: a template constructor
 * is not a copy constructor, and the implicit one is still generated beside it.
 */
export function specialMembers(definition: ClassDefinition, defaults: readonly OutOfClassDefault[] = []): SpecialMembers {
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
  const own = defaults.filter((defaulted) => defaulted.className === definition.name);
  return {
    copyConstructor: withDefinition(copyConstructor, own.filter((defaulted) => defaulted.role === 'constructor')),
    copyAssignment: withDefinition(copyAssignment, own.filter((defaulted) => defaulted.role === 'assignment')),
    moveDeclared,
  };
}
