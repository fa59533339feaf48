import { collectParseErrors } from './errors.js';
import type { Language } from './language.js';
import { keepOneBranch, type LineRange } from './conditionals.js';
import { parseBest, type ChosenTree } from './parser.js';
import { preprocess } from './preprocess.js';
import { definitionsQuery } from './queries.js';
import type { FunctionKind, LambdaFunction, Parameter, ParsedFile, ParsedFunction, SyntaxNode } from './types.js';

export interface FindFunctionsOptions {
  /** A header read as C++ whose tree has errors is parsed again as C, keeping the better tree. */
  readonly retryWithC?: boolean;
}

/** Declarators that wrap the one naming the function: `*f(...)`, `&f(...)`, `(f)(...)`. */
const WRAPPING_DECLARATORS = new Set([
  'pointer_declarator',
  'reference_declarator',
  'parenthesized_declarator',
  'attributed_declarator',
]);

const CLASS_SPECIFIERS = new Set(['class_specifier', 'struct_specifier', 'union_specifier']);

/** A direct child read through a cursor: reading `node.children` builds every child node in JS, which is slow. */
interface ChildSummary {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
}

function childSummaries(node: SyntaxNode): ChildSummary[] {
  const cursor = node.walk();
  const summaries: ChildSummary[] = [];
  if (!cursor.gotoFirstChild()) return summaries;
  do {
    summaries.push({
      type: cursor.nodeType,
      startIndex: cursor.startIndex,
      endIndex: cursor.endIndex,
    });
  } while (cursor.gotoNextSibling());
  return summaries;
}

function fold(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ ([),])/g, '$1')
    .trim();
}

/** The declarator one level in: a field where the grammar names it, otherwise the child that holds the rest. */
function innerDeclarator(node: SyntaxNode): SyntaxNode | null {
  const field = node.childForFieldName('declarator');
  if (field) return field;
  return node.type === 'attributed_declarator' ? node.firstNamedChild : node.lastNamedChild;
}

interface Declarator {
  readonly functionDeclarator: SyntaxNode;
  readonly name: SyntaxNode;
  /** `*`, `* const`, `&` marks between the type and the name, outermost first. */
  readonly marks: readonly string[];
}

/**
 * Follow declarators down to the name. The function's own `function_declarator` is the innermost:
 * in `int (*getfn(void))(int)` the outer one belongs to the returned pointer's type.
 */
function resolveDeclarator(declarator: SyntaxNode | null, text: string): Declarator | undefined {
  let functionDeclarator: SyntaxNode | undefined;
  const marks: string[] = [];
  let node = declarator;
  while (node) {
    if (node.type === 'function_declarator') {
      functionDeclarator = node;
      node = node.childForFieldName('declarator');
    } else if (WRAPPING_DECLARATORS.has(node.type)) {
      if (node.type === 'pointer_declarator') marks.push(pointerMark(node, text));
      if (node.type === 'reference_declarator') marks.push(node.firstChild?.type ?? '&');
      node = innerDeclarator(node);
    } else {
      return functionDeclarator && { functionDeclarator, name: node, marks };
    }
  }
  return undefined;
}

function pointerMark(pointer: SyntaxNode, text: string): string {
  const qualifiers = pointer.namedChildren
    .filter((child) => child.type === 'type_qualifier')
    .map((child) => text.slice(child.startIndex, child.endIndex));
  return ['*', ...qualifiers].join(' ');
}

/** The name node of a parameter's declarator, through pointers, arrays and function-pointer parentheses. */
function declaredName(declarator: SyntaxNode | null): SyntaxNode | undefined {
  let node = declarator;
  while (node) {
    if (node.type === 'identifier' || node.type === 'field_identifier') return node;
    if (node.type === 'function_declarator' || node.type === 'array_declarator') {
      node = node.childForFieldName('declarator');
    } else if (WRAPPING_DECLARATORS.has(node.type)) {
      node = innerDeclarator(node);
    } else {
      return undefined;
    }
  }
  return undefined;
}

function parametersOf(list: SyntaxNode | null, text: string): Parameter[] {
  if (!list) return [];
  const parameters: Parameter[] = [];
  const cursor = list.walk();
  if (cursor.gotoFirstChild()) {
    do {
      const type = cursor.nodeType;
      // C++ writes a variadic `...` as a bare token, C as a `variadic_parameter` node.
      if (type === '...' || type === 'variadic_parameter') parameters.push({ type: '...' });
      else if (cursor.nodeIsNamed && type !== 'comment') parameters.push(parameterOf(cursor.currentNode, text));
    } while (cursor.gotoNextSibling());
  }
  // `f(void)` declares no parameters.
  const only = parameters[0];
  if (parameters.length === 1 && only?.name === undefined && only?.type === 'void') return [];
  return parameters;
}

function parameterOf(declaration: SyntaxNode, text: string): Parameter {
  const declarator = declaration.childForFieldName('declarator');
  const hasDefault = declaration.type === 'optional_parameter_declaration';
  const end = hasDefault && declarator ? declarator.endIndex : declaration.endIndex;
  const name = declaredName(declarator);
  if (!name) return { type: fold(text.slice(declaration.startIndex, end)) };
  const type = fold(text.slice(declaration.startIndex, name.startIndex) + text.slice(name.endIndex, end));
  return { name: text.slice(name.startIndex, name.endIndex), type };
}

/** Enclosing class names, outermost first, for a definition written inside class bodies. */
function enclosingClasses(node: SyntaxNode, text: string): string[] {
  const names: string[] = [];
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type !== 'field_declaration_list') continue;
    const owner = parent.parent;
    const name = owner && CLASS_SPECIFIERS.has(owner.type) ? owner.childForFieldName('name') : null;
    names.unshift(name ? fold(text.slice(name.startIndex, name.endIndex)) : '<anonymous>');
  }
  return names;
}

/** `Foo<T>` → `Foo`, `ns::Foo` → `Foo`: the spelling a constructor repeats. */
function simpleName(name: string): string {
  const withoutTemplate = name.replace(/<.*>$/s, '');
  const separator = withoutTemplate.lastIndexOf('::');
  return separator === -1 ? withoutTemplate : withoutTemplate.slice(separator + 2);
}

type Naming =
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: Exclude<FunctionKind, 'lambda' | 'function'>; readonly name: string; readonly className: string };

function nameFunction(nameNode: SyntaxNode, definition: SyntaxNode, text: string, namespaces: ReadonlySet<string>): Naming {
  const written = fold(text.slice(nameNode.startIndex, nameNode.endIndex));
  const classes = enclosingClasses(definition, text);
  if (classes.length > 0) {
    const className = classes.join('::');
    const name = `${className}::${written}`;
    if (nameNode.type === 'destructor_name') return { kind: 'destructor', name, className };
    const isConstructor = written === simpleName(classes[classes.length - 1] ?? '');
    return { kind: isConstructor ? 'constructor' : 'method', name, className };
  }
  if (nameNode.type === 'destructor_name') return { kind: 'destructor', name: written, className: written.slice(1) };
  if (nameNode.type !== 'qualified_identifier') return { kind: 'function', name: written };
  const separator = written.lastIndexOf('::');
  const scope = written.slice(0, separator);
  const last = written.slice(separator + 2);
  if (last.startsWith('~')) return { kind: 'destructor', name: written, className: scope };
  if (last === simpleName(scope)) return { kind: 'constructor', name: written, className: scope };
  if (namespaces.has(scope) || namespaces.has(simpleName(scope))) return { kind: 'function', name: written };
  return { kind: 'method', name: written, className: scope };
}

function returnTypeOf(definition: SyntaxNode, children: readonly ChildSummary[], marks: readonly string[], text: string): string {
  const type = definition.childForFieldName('type');
  if (!type) return '';
  const parts = children
    .filter((child) => child.type === 'type_qualifier')
    .map((child) => text.slice(child.startIndex, child.endIndex));
  parts.push(text.slice(type.startIndex, type.endIndex));
  if (marks.length > 0) parts.push(marks.join(''));
  return fold(parts.join(' '));
}

function isStatic(children: readonly ChildSummary[], text: string): boolean {
  return children.some(
    (child) => child.type === 'storage_class_specifier' && text.slice(child.startIndex, child.endIndex) === 'static',
  );
}

function bodyHasErrors(body: SyntaxNode): boolean {
  return body.hasError || body.isMissing;
}

/** `else if (x) { ... }` cut off from its `if` by an `#if` reads to error recovery as a definition of a function `if`. */
const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else']);

function namedFunction(definition: SyntaxNode, text: string, namespaces: ReadonlySet<string>): ParsedFunction | undefined {
  const body = definition.childForFieldName('body');
  const declarator = resolveDeclarator(definition.childForFieldName('declarator'), text);
  if (!body || !declarator || STATEMENT_KEYWORDS.has(declarator.name.text)) return undefined;
  const naming = nameFunction(declarator.name, definition, text, namespaces);
  const children = childSummaries(definition);
  const common = {
    name: naming.name,
    startLine: definition.startPosition.row + 1,
    endLine: definition.endPosition.row + 1,
    node: definition,
    body,
    parameters: parametersOf(declarator.functionDeclarator.childForFieldName('parameters'), text),
    hasErrors: bodyHasErrors(body),
    returnType: returnTypeOf(definition, children, declarator.marks, text),
    isStatic: isStatic(children, text),
  };
  if (naming.kind === 'function') return { ...common, kind: 'function' };
  return { ...common, kind: naming.kind, className: naming.className };
}

function lambdaFunction(lambda: SyntaxNode, text: string): LambdaFunction | undefined {
  const body = lambda.childForFieldName('body');
  if (!body) return undefined;
  const declarator = lambda.childForFieldName('declarator');
  const trailing = declarator?.namedChildren.find((child) => child.type === 'trailing_return_type');
  const line = lambda.startPosition.row + 1;
  return {
    kind: 'lambda',
    name: `<lambda at ${line}>`,
    startLine: line,
    endLine: lambda.endPosition.row + 1,
    node: lambda,
    body,
    parameters: parametersOf(declarator?.childForFieldName('parameters') ?? null, text),
    hasErrors: bodyHasErrors(body),
    returnType: trailing ? fold(text.slice(trailing.startIndex, trailing.endIndex).replace(/^->/, '')) : '',
  };
}

interface Candidates {
  readonly definitions: SyntaxNode[];
  readonly namespaces: Set<string>;
}

/** Definitions may sit in namespaces, classes, `#if` blocks or ERROR nodes: the query finds them all. */
function collectCandidates(root: SyntaxNode, language: Language, text: string): Candidates {
  const definitions: SyntaxNode[] = [];
  const namespaces = new Set<string>();
  for (const capture of definitionsQuery(language).captures(root)) {
    if (capture.name === 'definition') definitions.push(capture.node);
    else namespaces.add(fold(text.slice(capture.node.startIndex, capture.node.endIndex)));
  }
  return { definitions, namespaces };
}

interface Reading {
  readonly text: string;
  readonly chosen: ChosenTree;
  readonly functions: readonly ParsedFunction[];
}

function read(text: string, language: Language, retryWithC: boolean): Reading {
  const chosen = parseBest(text, language, retryWithC);
  const { definitions, namespaces } = collectCandidates(chosen.tree.rootNode, chosen.language, text);
  const functions: ParsedFunction[] = [];
  for (const node of definitions) {
    const found = node.type === 'lambda_expression' ? lambdaFunction(node, text) : namedFunction(node, text, namespaces);
    if (found) functions.push(found);
  }
  return { text, chosen, functions };
}

function cleanCount(reading: Reading): number {
  return reading.functions.filter((fn) => !fn.hasErrors).length;
}

/** Lines where the first reading went wrong: broken function bodies and top-level constructs holding errors. */
function troubleRanges(reading: Reading): LineRange[] {
  const ranges: LineRange[] = reading.functions.filter((fn) => fn.hasErrors);
  // A header cut off by `#ifdef` before its body (`f(...)\n#ifdef X\n{ ... }\n#else\n{ ... }\n#endif`)
  // breaks the node before the `#if`, so the range runs on over the next top-level node.
  const children = reading.chosen.tree.rootNode.children;
  children.forEach((child, index) => {
    if (!child.hasError) return;
    const last = children[index + 1] ?? child;
    ranges.push({ startLine: child.startPosition.row + 1, endLine: last.endPosition.row + 1 });
  });
  return ranges;
}

/**
 * Every function body in `source`: free functions, methods in and out of class, constructors, destructors, lambdas.
 * Where the first reading has errors, `#if` groups there are read one branch at a time, and that second
 * reading is kept when it yields more error-free functions.
 */
export function findFunctions(source: string, language: Language, options: FindFunctionsOptions = {}): ParsedFile {
  const retryWithC = options.retryWithC ?? false;
  const preprocessed = preprocess(source);
  let reading = read(preprocessed, language, retryWithC);
  const ranges = troubleRanges(reading);
  const narrowed = keepOneBranch(preprocessed, ranges);
  if (narrowed !== preprocessed) {
    const second = read(narrowed, language, retryWithC);
    if (cleanCount(second) > cleanCount(reading)) reading = second;
  }
  return {
    language: reading.chosen.language,
    source,
    parsedText: reading.text,
    tree: reading.chosen.tree,
    functions: reading.functions,
    errors: collectParseErrors(reading.chosen.tree.rootNode, source),
  };
}
