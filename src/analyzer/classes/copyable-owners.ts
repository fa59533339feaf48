import type { MemberFunction, ParsedFunction, SyntaxNode } from '../parse/types.js';
import { classDefinitions, type ClassDefinition } from './class-definitions.js';
import { copyBlocker, nonCopyableClasses } from './copy-blockers.js';
import { copySites } from './copy-sites.js';
import { destructorReleases, type MemberRelease } from './destructor-releases.js';
import { endLineOf, lineOf, scopeSegments } from './names.js';
import { objectPointerMembers } from './owned-members.js';
import { outOfClassDefaults, specialMembers, type CopyOperation, type OutOfClassDefault } from './special-members.js';

/**
 * A class whose destructor releases a `PyObject *` member and whose copies share that reference without a new one:
 * the copy and the original each release it, one time too many.
 */
export interface CopyableOwner {
  /** As member functions spell it: `Holder`, `Outer::Inner`. */
  className: string;
  /** The class head line and the closing brace's line. */
  line: number;
  endLine: number;
  /** The members the destructor releases, in declaration order. */
  members: string[];
  /** First line of the destructor that releases them, in the class or out of it. */
  destructorLine: number;
  /** Lines of its `Py_DECREF`/`Py_XDECREF`/`Py_CLEAR` calls on those members. */
  releaseLines: number[];
  /** A line where the file copies an instance: `std::vector<Holder>`, a `Holder` parameter passed by value. */
  copiedAt?: number;
  /** Set when the copy is an explicit `= default`, which copies the pointer just as the implicit one does. */
  defaultedAt?: number;
}

/** What every class of the file is judged against when it copies. */
interface CopyFacts {
  /** Simple names of the file's classes that cannot be copy-constructed: bases and members of these block copies. */
  readonly nonCopyable: ReadonlySet<string>;
  readonly defaults: readonly OutOfClassDefault[];
}

/** A class whose destructor releases some of its object pointer members. */
interface ReleasingClass {
  readonly definition: ClassDefinition;
  readonly pointers: readonly string[];
  readonly destructor: MemberFunction;
  readonly releases: readonly MemberRelease[];
}

const OWN_COPY_KINDS = new Set<CopyOperation['kind']>(['deleted', 'user', 'macro']);

/** `Holder::~Holder` written in namespace `ns` has className `Holder`; a destructor in `Outer` has `Outer::Inner`. */
function samePath(className: string, path: readonly string[]): boolean {
  const segments = scopeSegments(className);
  const length = Math.min(segments.length, path.length);
  return length > 0 && segments.slice(-length).every((segment, index) => segment === path[path.length - length + index]);
}

function within(node: SyntaxNode, outer: SyntaxNode): boolean {
  return node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}

/** The class's destructor that releases some of `members`: one written in the class body comes first. */
function releasingDestructor(
  definition: ClassDefinition,
  destructors: ReadonlyMap<string, readonly MemberFunction[]>,
  members: ReadonlySet<string>,
): Pick<ReleasingClass, 'destructor' | 'releases'> | undefined {
  const candidates = (destructors.get(definition.name) ?? [])
    .filter((fn) => samePath(fn.className, definition.path))
    .sort((a, b) => Number(within(b.node, definition.node)) - Number(within(a.node, definition.node)));
  for (const destructor of candidates) {
    const releases = destructorReleases(destructor.body, members);
    if (releases.length > 0) return { destructor, releases };
  }
  return undefined;
}

/** How the class copies its pointers without taking new references. */
type PointerCopy = { readonly kind: 'implicit' } | { readonly kind: 'defaulted'; readonly line: number };

/** Undefined when the class copies its own way, or cannot be copied at all. */
function pointerCopy(definition: ClassDefinition, file: CopyFacts): PointerCopy | undefined {
  const special = specialMembers(definition, file.defaults);
  const copies = [special.copyConstructor, special.copyAssignment];
  if (copies.some((operation) => OWN_COPY_KINDS.has(operation.kind))) return undefined;
  const defaulted = copies.flatMap((operation) => (operation.kind === 'defaulted' ? [operation.line] : []));
  if (defaulted.length === 0 && special.moveDeclared) return undefined;
  if (copyBlocker(definition, file.nonCopyable)) return undefined;
  return defaulted.length > 0 ? { kind: 'defaulted', line: Math.min(...defaulted) } : { kind: 'implicit' };
}

function releasingClass(
  definition: ClassDefinition,
  destructors: ReadonlyMap<string, readonly MemberFunction[]>,
): ReleasingClass | undefined {
  const pointers = objectPointerMembers(definition);
  if (pointers.length === 0) return undefined;
  const found = releasingDestructor(definition, destructors, new Set(pointers));
  return found && { definition, pointers, ...found };
}

function ownerOf({ definition, pointers, destructor, releases }: ReleasingClass, copy: PointerCopy): CopyableOwner {
  const released = new Set(releases.map((release) => release.member));
  const owner: CopyableOwner = {
    className: definition.path.join('::'),
    line: lineOf(definition.node),
    endLine: endLineOf(definition.node),
    members: pointers.filter((member) => released.has(member)),
    destructorLine: destructor.startLine,
    releaseLines: releases.map((release) => release.line),
  };
  return copy.kind === 'defaulted' ? { ...owner, defaultedAt: copy.line } : owner;
}

function destructorsByClass(functions: readonly ParsedFunction[]): Map<string, MemberFunction[]> {
  const destructors = new Map<string, MemberFunction[]>();
  for (const fn of functions) {
    if (fn.kind !== 'destructor') continue;
    const name = scopeSegments(fn.className).at(-1) ?? fn.className;
    destructors.set(name, [...(destructors.get(name) ?? []), fn]);
  }
  return destructors;
}

/**
 * Classes and structs that own references through `PyObject *` members, release them in the destructor, and can
 * still be copied with the compiler's member-wise copy. `root` is the tree `findFunctions` returned, `functions` its functions.
 */
export function copyableOwners(root: SyntaxNode, functions: readonly ParsedFunction[]): CopyableOwner[] {
  const destructors = destructorsByClass(functions);
  if (destructors.size === 0) return [];
  const definitions = classDefinitions(root);
  const releasing = definitions.flatMap((definition) => releasingClass(definition, destructors) ?? []);
  if (releasing.length === 0) return [];
  const facts: CopyFacts = { nonCopyable: nonCopyableClasses(definitions), defaults: outOfClassDefaults(root) };
  const found = releasing.flatMap((candidate) => {
    const copy = pointerCopy(candidate.definition, facts);
    return copy ? [{ name: candidate.definition.name, owner: ownerOf(candidate, copy) }] : [];
  });
  const sites = copySites(root, new Set(found.map(({ name }) => name)));
  return found.map(({ name, owner }) => {
    const copiedAt = sites.get(name)?.[0];
    return copiedAt === undefined ? owner : { ...owner, copiedAt };
  });
}
