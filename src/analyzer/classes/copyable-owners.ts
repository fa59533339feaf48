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

/** What every class of the file is judged against. */
interface FileFacts {
  readonly destructors: readonly MemberFunction[];
  /** Simple names of the file's classes that cannot be copy-constructed: bases and members of these block copies. */
  readonly nonCopyable: ReadonlySet<string>;
  readonly defaults: readonly OutOfClassDefault[];
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

interface ReleasingDestructor {
  readonly destructor: MemberFunction;
  readonly releases: readonly MemberRelease[];
}

/** The class's destructor that releases some of `members`: one written in the class body comes first. */
function releasingDestructor(
  definition: ClassDefinition,
  destructors: readonly MemberFunction[],
  members: ReadonlySet<string>,
): ReleasingDestructor | undefined {
  const candidates = destructors
    .filter((fn) => samePath(fn.className, definition.path))
    .sort((a, b) => Number(within(b.node, definition.node)) - Number(within(a.node, definition.node)));
  for (const destructor of candidates) {
    const releases = destructorReleases(destructor.body, members);
    if (releases.length > 0) return { destructor, releases };
  }
  return undefined;
}

/** The `= default` line when a copy operation is explicitly defaulted; `null` when the class copies safely or not at all. */
function pointerCopy(definition: ClassDefinition, file: FileFacts): { defaultedAt?: number } | null {
  const special = specialMembers(definition, file.defaults);
  const copies = [special.copyConstructor, special.copyAssignment];
  if (copies.some((operation) => OWN_COPY_KINDS.has(operation.kind))) return null;
  const defaulted = copies.flatMap((operation) => (operation.kind === 'defaulted' ? [operation.line] : []));
  if (defaulted.length === 0 && special.moveDeclared) return null;
  if (copyBlocker(definition, file.nonCopyable)) return null;
  const defaultedAt = defaulted.length > 0 ? Math.min(...defaulted) : undefined;
  return defaultedAt === undefined ? {} : { defaultedAt };
}

function copyableOwner(definition: ClassDefinition, file: FileFacts): CopyableOwner | undefined {
  const pointers = objectPointerMembers(definition);
  if (pointers.length === 0) return undefined;
  const found = releasingDestructor(definition, file.destructors, new Set(pointers));
  if (!found) return undefined;
  const copy = pointerCopy(definition, file);
  if (!copy) return undefined;
  const released = new Set(found.releases.map((release) => release.member));
  return {
    className: definition.path.join('::'),
    line: lineOf(definition.node),
    endLine: endLineOf(definition.node),
    members: pointers.filter((member) => released.has(member)),
    destructorLine: found.destructor.startLine,
    releaseLines: found.releases.map((release) => release.line),
    ...copy,
  };
}

/**
 * Classes and structs that own references through `PyObject *` members, release them in the destructor, and can
 * still be copied with the compiler's member-wise copy. `root` is the tree `findFunctions` returned, `functions` its functions.
 */
export function copyableOwners(root: SyntaxNode, functions: readonly ParsedFunction[]): CopyableOwner[] {
  const destructors = functions.filter((fn): fn is MemberFunction => fn.kind === 'destructor');
  if (destructors.length === 0) return [];
  const definitions = classDefinitions(root);
  const file: FileFacts = { destructors, nonCopyable: nonCopyableClasses(definitions), defaults: outOfClassDefaults(root) };
  const found: Array<{ readonly name: string; readonly owner: CopyableOwner }> = [];
  for (const definition of definitions) {
    const owner = copyableOwner(definition, file);
    if (owner) found.push({ name: definition.name, owner });
  }
  const sites = copySites(root, new Set(found.map(({ name }) => name)));
  return found.map(({ name, owner }) => {
    const copiedAt = sites.get(name)?.[0];
    return copiedAt === undefined ? owner : { ...owner, copiedAt };
  });
}
