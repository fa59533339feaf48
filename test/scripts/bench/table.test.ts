import { describe, expect, it } from 'vitest';
import { formatNumber, formatTable } from '../../../bench/table.js';

describe('formatNumber', () => {
  it('separates thousands and keeps at most two decimals', () => {
    expect(formatNumber(1234567.891)).toBe('1,234,567.89');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});

describe('formatTable', () => {
  it('pads columns to the widest cell, right-aligns numbers and left-aligns text', () => {
    const table = formatTable(['file', 'ms'], [
      ['a.c', 5],
      ['longer.c', 1234],
    ]);
    expect(table.split('\n')).toEqual(['file      ms', '--------  -----', 'a.c           5', 'longer.c  1,234']);
  });

  it('keeps a first column of numbers-looking names left-aligned', () => {
    expect(formatTable(['x'], [['12']]).split('\n')[2]).toBe('12');
  });
});
