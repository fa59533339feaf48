import type { SyntaxNode } from 'tree-sitter';
import { type PathState, type RefFacts, UNKNOWN, holders, isCounterKeyOf, isPredicateKeyOf, updateRef, withDangling, withHolding, withVar } from './state.js';

/** Which id names which object as variables move and fields are overwritten: the walk's bookkeeping of identity. */

/** `a[i]`, `*sp`: one text names a different slot each time the index or pointer moves. */
export function isSlotOfMany(key: string): boolean {
  return key.includes('[') || key.startsWith('*');
}

/** `entry` now points elsewhere: what was said about `entry->key` was about another object. */
export function forgetFieldsThrough(state: PathState, name: string): PathState {
  let s = state;
  const through = (key: string): boolean => key.startsWith(`${name}->`) || key.startsWith(`${name}.`);
  for (const key of state.dangling.keys()) if (through(key)) s = withDangling(s, key, undefined);
  for (const key of state.holdsIn.keys()) if (through(key)) s = withHolding(s, key, undefined);
  for (const key of state.vars.keys()) if (through(key) || isCounterKeyOf(key, name) || isPredicateKeyOf(key, name)) s = withVar(s, key, UNKNOWN);
  // `obj = nextlink`: a later read of `obj->nextlink` is another object's field, so the old read keeps an id of its own.
  for (const ref of state.refs.values()) if (ref.id.startsWith('field:') && through(ref.id.slice('field:'.length))) s = keepEarlier(s, ref);
  return s;
}

/**
 * Before a call site makes its next reference, the one it made last time moves to an id of its own.
 * One already released is forgotten (its variables only dangle); a few generations are told apart, and past
 * that they are marked uncertain rather than confused with each other.
 */
export function keepEarlier(state: PathState, old: RefFacts): PathState {
  if (old.owned <= 0) {
    let s = state;
    for (const name of holders(state, old.id)) s = withVar(s, name, UNKNOWN);
    const refs = new Map(s.refs);
    refs.delete(old.id);
    return { ...s, refs };
  }
  for (const suffix of ["'", "''", "'''"]) {
    if (!state.refs.has(old.id + suffix)) return rekey(state, old.id, old.id + suffix);
  }
  return updateRef(rekey(state, old.id, `${old.id}'''`), `${old.id}'''`, (r) => ({ ...r, uncertain: true }));
}

export function rekey(state: PathState, from: string, to: string): PathState {
  const old = state.refs.get(from);
  if (!old) return state;
  const refs = new Map(state.refs);
  refs.delete(from);
  refs.set(to, { ...old, id: to });
  const vars = new Map(state.vars);
  for (const [name, v] of vars) if (v.kind === 'ref' && v.ref === from) vars.set(name, { kind: 'ref', ref: to });
  return { ...state, refs, vars };
}

/**
 * Overwriting a field takes over the reference it held: whoever read it now owns it, under an id of its own,
 * since later reads of the field see the new value.
 */
export function takeOver(state: PathState, key: string, at: SyntaxNode): PathState {
  const old = state.refs.get(`field:${key}`);
  if (!old) return state;
  const id = `taken:${key}@${at.startIndex}`;
  const earlier = state.refs.get(id);
  if (earlier) state = keepEarlier(state, earlier);
  const refs = new Map(state.refs);
  refs.delete(old.id);
  // Only a field this path never touched is known to hold exactly one reference of its own.
  const clean = old.origin === 'field' && old.owned <= 0 && !old.ended;
  refs.set(id, { ...old, id, origin: old.origin === 'field' ? 'new' : old.origin, owned: old.owned + 1, source: `the reference held by ${old.source}`, uncertain: old.uncertain || !clean });
  const vars = new Map(state.vars);
  for (const [name, v] of vars) if (v.kind === 'ref' && v.ref === old.id) vars.set(name, { kind: 'ref', ref: id });
  return { ...state, refs, vars };
}
