import { describe, expect, it } from 'vitest';
import { copySites } from '../../../src/analyzer/classes/copy-sites.js';
import { findFunctions } from '../../../src/analyzer/parse/functions.js';

function sitesIn(lines: readonly string[], names: readonly string[]) {
  return copySites(findFunctions(lines.join('\n'), 'cpp').tree.rootNode, new Set(names));
}

describe('copySites', () => {
  it('finds containers holding the class by value and by-value parameters, in line order', () => {
    const sites = sitesIn(
      [
        'void take(ns::H h, int n);', // 1
        'std::map<int, H> by_id;', // 2
        'void keep(H);', // 3
        'std::vector<H> all;', // 4
        'std::vector<Other> others;', // 5
      ],
      ['H'],
    );
    expect(sites).toEqual(new Map([['H', [1, 2, 3, 4]]]));
  });

  it('ignores pointers, references, smart pointers and classes not asked about', () => {
    const sites = sitesIn(
      [
        'void f(const H &a, H *b, H &&c);',
        'std::vector<H *> pointers;',
        'std::shared_ptr<H> shared;',
        'std::optional<H> maybe;',
        'std::vector<Other> others;',
      ],
      ['H'],
    );
    expect(sites).toEqual(new Map());
  });
});
