import type { ClassDefinition } from './class-definitions.js';
import { valueMemberTypes } from './owned-members.js';
import { simpleName } from './names.js';
import { specialMembers, type CopyOperation, type SpecialMembers } from './special-members.js';

/** Library types whose copy constructor is deleted: a class holding one by value cannot be copied. */
const NON_COPYABLE_TYPES = new Set([
  'unique_ptr', 'mutex', 'recursive_mutex', 'timed_mutex', 'recursive_timed_mutex', 'shared_mutex', 'shared_timed_mutex',
  'thread', 'jthread', 'atomic', 'atomic_flag', 'condition_variable', 'condition_variable_any', 'once_flag',
  'promise', 'future', 'packaged_task', 'ifstream', 'ofstream', 'fstream', 'stringstream', 'istringstream', 'ostringstream',
]);

/** Holding a non-copyable type through these still copies: they share or refer instead. */
const SHARING_WRAPPERS = /\b(shared_ptr|weak_ptr|reference_wrapper)\b|\*/;

const NON_COPYABLE_BASE = /^non_?copyable$/i;

/** Why a class cannot be copied even though it declares no copy operation of its own. */
export type CopyBlocker =
  | { readonly kind: 'base'; readonly base: string }
  | { readonly kind: 'member'; readonly type: string };

function mentionsNonCopyable(typeText: string): boolean {
  if (SHARING_WRAPPERS.test(typeText)) return false;
  return (typeText.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).some((word) => NON_COPYABLE_TYPES.has(word));
}

/** Whether a derived class, or a class holding this one, can call this copy constructor. */
function usableCopy(operation: CopyOperation): boolean {
  switch (operation.kind) {
    case 'implicit':
    case 'defaulted':
      return true;
    case 'user':
      return operation.access !== 'private';
    case 'deleted':
    case 'macro':
      return false;
  }
}

/**
 * Classes of the file that cannot be copy-constructed: the copy constructor is deleted, private, or implicitly
 * deleted by a move operation, by a non-copyable base or by a non-copyable member. Settled by repeating passes
 * until nothing changes, since a class may come before the base or member type that blocks it.
 */
export function nonCopyableClasses(definitions: readonly ClassDefinition[]): Set<string> {
  const members = new Map<ClassDefinition, SpecialMembers>(definitions.map((definition) => [definition, specialMembers(definition)]));
  const blocked = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const definition of definitions) {
      if (blocked.has(definition.name)) continue;
      const special = members.get(definition);
      if (!special) continue;
      const ownCopyUnusable = !usableCopy(special.copyConstructor) || (special.copyConstructor.kind === 'implicit' && special.moveDeclared);
      if (ownCopyUnusable || copyBlocker(definition, blocked)) {
        blocked.add(definition.name);
        changed = true;
      }
    }
  }
  return blocked;
}

/** A base or member that deletes the class's implicit or defaulted copy, given the file's non-copyable classes. */
export function copyBlocker(definition: ClassDefinition, nonCopyable: ReadonlySet<string>): CopyBlocker | undefined {
  for (const base of definition.bases) {
    const name = simpleName(base);
    if (NON_COPYABLE_BASE.test(name) || nonCopyable.has(name)) return { kind: 'base', base };
  }
  for (const type of valueMemberTypes(definition)) {
    if (mentionsNonCopyable(type) || nonCopyable.has(simpleName(type))) return { kind: 'member', type };
  }
  return undefined;
}
