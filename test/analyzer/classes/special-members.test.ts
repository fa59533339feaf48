import { describe, expect, it } from 'vitest';
import { classDefinitions } from '../../../src/analyzer/classes/class-definitions.js';
import { outOfClassDefaults, specialMembers } from '../../../src/analyzer/classes/special-members.js';
import { findFunctions } from '../../../src/analyzer/parse/functions.js';

function specialOf(lines: readonly string[]) {
  const root = findFunctions(lines.join('\n'), 'cpp').tree.rootNode;
  const [definition] = classDefinitions(root);
  if (!definition) throw new Error('no class');
  return specialMembers(definition, outOfClassDefaults(root));
}

describe('specialMembers', () => {
  it('leaves both copies implicit when the class declares neither', () => {
    expect(specialOf(['class H {', '  H(PyObject *o);', '  H(const Other &);', '  H &operator=(PyObject *o);', '};'])).toEqual({
      copyConstructor: { kind: 'implicit' },
      copyAssignment: { kind: 'implicit' },
      moveDeclared: false,
    });
  });

  it('tells deleted, defaulted and user-declared copies apart, with their access', () => {
    expect(specialOf(['class H {', '  H(const H &) = delete;', ' public:', '  H &operator=(const H &o) = default;', '};'])).toMatchObject({
      copyConstructor: { kind: 'deleted', line: 2 },
      copyAssignment: { kind: 'defaulted', line: 4 },
    });
    expect(specialOf(['struct H {', '  H(H &other, int depth = 0);', ' private:', '  H &operator=(H other);', '};'])).toMatchObject({
      copyConstructor: { kind: 'user', line: 2, access: 'public' },
      copyAssignment: { kind: 'user', line: 4, access: 'private' },
    });
  });

  it('sees move operations, by constructor or by assignment', () => {
    expect(specialOf(['class H {', '  H(H &&) noexcept;', '};']).moveDeclared).toBe(true);
    expect(specialOf(['class H {', '  H &operator=(H &&o) = default;', '};'])).toMatchObject({
      copyAssignment: { kind: 'implicit' },
      moveDeclared: true,
    });
  });

  it('does not take a constructor template or a second required parameter for a copy constructor', () => {
    expect(specialOf(['template <class T> class H {', '  template <class U> H(const H<U> &);', '  H(const H &, int);', '};']).copyConstructor).toEqual({
      kind: 'implicit',
    });
  });

  it('takes a copy macro for both copies', () => {
    expect(specialOf(['class H {', '  DISALLOW_COPY_AND_ASSIGN(H);', '};'])).toMatchObject({
      copyConstructor: { kind: 'macro', line: 2, macro: 'DISALLOW_COPY_AND_ASSIGN' },
      copyAssignment: { kind: 'macro', line: 2 },
    });
    expect(specialOf(['class H {', '  Q_DECLARE_PRIVATE(Other);', '};']).copyConstructor).toEqual({ kind: 'implicit' });
  });

  it('turns a declaration defaulted out of class into a defaulted copy', () => {
    expect(
      specialOf(['class H {', '  H(const H &);', '  H &operator=(const H &);', '};', 'H::H(const H &) = default;', 'H &H::operator=(const H &) = default;']),
    ).toMatchObject({ copyConstructor: { kind: 'defaulted', line: 5 }, copyAssignment: { kind: 'defaulted', line: 6 } });
  });
});
