import { describe, expect, it } from 'vitest';
import { scopeSegments, simpleName } from '../../../src/analyzer/classes/names.js';

describe('simpleName', () => {
  it('drops scopes and template arguments', () => {
    expect(simpleName('ns::Holder<T>')).toBe('Holder');
    expect(simpleName('std::vector<std::unique_ptr<int>>')).toBe('vector');
    expect(simpleName('Holder')).toBe('Holder');
  });
});

describe('scopeSegments', () => {
  it('splits a qualified class name, nested template arguments and all', () => {
    expect(scopeSegments('Outer<std::map<int, T>>::Inner')).toEqual(['Outer', 'Inner']);
    expect(scopeSegments('Holder')).toEqual(['Holder']);
  });
});
