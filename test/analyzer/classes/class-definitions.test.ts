import { describe, expect, it } from 'vitest';
import { classDefinitions } from '../../../src/analyzer/classes/class-definitions.js';
import { findFunctions } from '../../../src/analyzer/parse/functions.js';

describe('classDefinitions', () => {
  it('lists named classes and structs with bodies, with their nesting, bases and members with access', () => {
    const root = findFunctions(
      [
        'class Fwd;',
        'namespace ns {',
        'template <class T> class Outer : public Base<T>, virtual protected ns::Mixin {',
        '  int a;',
        ' public:',
        '#ifdef X',
        '  int b;',
        ' protected:',
        '#endif',
        '  struct Inner { int c; };',
        '};',
        '}',
        'union U { int i; };',
        'struct { int d; } anonymous;',
      ].join('\n'),
      'cpp',
    ).tree.rootNode;
    const summary = classDefinitions(root).map((definition) => ({
      name: definition.name,
      path: definition.path,
      bases: definition.bases,
      members: definition.members.map((member) => `${member.access} ${member.node.text}`),
    }));
    expect(summary).toEqual([
      {
        name: 'Outer',
        path: ['Outer'],
        bases: ['Base<T>', 'ns::Mixin'],
        members: ['private int a;', 'public int b;', 'protected struct Inner { int c; };'],
      },
      { name: 'Inner', path: ['Outer', 'Inner'], bases: [], members: ['public int c;'] },
    ]);
  });
});
