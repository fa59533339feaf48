import { describe, expect, it } from 'vitest';
import { destructorReleases } from '../../../src/analyzer/classes/destructor-releases.js';
import { findFunctions } from '../../../src/analyzer/parse/functions.js';

function releasesIn(lines: readonly string[], members: readonly string[]) {
  const [destructor] = findFunctions(lines.join('\n'), 'cpp').functions;
  if (!destructor) throw new Error('no function');
  return destructorReleases(destructor.body, new Set(members));
}

describe('destructorReleases', () => {
  it('finds Py_DECREF, Py_XDECREF and Py_CLEAR of members, named bare, through this-> or under a cast', () => {
    const releases = releasesIn(
      [
        'H::~H() {', // 1
        '  Py_DECREF(a);', // 2
        '  if (b) Py_XDECREF(this->b);', // 3
        '  Py_CLEAR((PyObject *)(c));', // 4
        '  Py_INCREF(d);', // 5
        '  Py_DECREF(other);', // 6
        '}', // 7
      ],
      ['a', 'b', 'c', 'd'],
    );
    expect(releases).toEqual([
      { member: 'a', line: 2 },
      { member: 'b', line: 3 },
      { member: 'c', line: 4 },
    ]);
  });

  it('does not take a local of the same name, or another object\'s field, for the member', () => {
    const releases = releasesIn(['H::~H() {', '  PyObject *a = get();', '  Py_DECREF(a);', '  Py_DECREF(peer->b);', '  Py_DECREF(peer.b);', '}'], ['a', 'b']);
    expect(releases).toEqual([]);
  });
});
