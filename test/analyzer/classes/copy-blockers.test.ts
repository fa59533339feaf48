import { describe, expect, it } from 'vitest';
import { classDefinitions } from '../../../src/analyzer/classes/class-definitions.js';
import { copyBlocker, nonCopyableClasses } from '../../../src/analyzer/classes/copy-blockers.js';
import { findFunctions } from '../../../src/analyzer/parse/functions.js';

function definitionsIn(lines: readonly string[]) {
  return classDefinitions(findFunctions(lines.join('\n'), 'cpp').tree.rootNode);
}

describe('nonCopyableClasses', () => {
  it('collects classes with a deleted, private or move-suppressed copy constructor, and what derives from or holds them', () => {
    const definitions = definitionsIn([
      'class Holder : Deleted { };', // before its base: settled on a later pass
      'class Deleted { Deleted(const Deleted &) = delete; };',
      'class Private { Private(const Private &); };',
      'struct Protected { protected: Protected(const Protected &); };',
      'struct MoveOnly { MoveOnly(MoveOnly &&); };',
      'struct Wrapper { Private inner; };',
      'struct Plain { int x; };',
      'struct Pointing { Private *inner; };',
    ]);
    expect([...nonCopyableClasses(definitions)].sort()).toEqual(['Deleted', 'Holder', 'MoveOnly', 'Private', 'Wrapper']);
  });
});

describe('copyBlocker', () => {
  it('names a non-copyable base or member', () => {
    const [viaBase, viaMember, viaVector, shared] = definitionsIn([
      'class A : public boost::noncopyable { };',
      'class B { std::mutex lock_; };',
      'class C { std::vector<std::unique_ptr<int>> items_; };',
      'class D : public Base { std::shared_ptr<std::mutex> lock_; std::unique_ptr<int> *p; };',
    ]);
    expect(viaBase && copyBlocker(viaBase, new Set())).toEqual({ kind: 'base', base: 'boost::noncopyable' });
    expect(viaMember && copyBlocker(viaMember, new Set())).toEqual({ kind: 'member', type: 'std::mutex' });
    expect(viaVector && copyBlocker(viaVector, new Set())).toEqual({ kind: 'member', type: 'std::vector<std::unique_ptr<int>>' });
    expect(shared && copyBlocker(shared, new Set())).toBeUndefined();
    expect(shared && copyBlocker(shared, new Set(['Base']))).toEqual({ kind: 'base', base: 'Base' });
  });
});
