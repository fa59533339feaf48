import { describe, expect, it } from 'vitest';
import { formatArgumentEffects, type FormatArgumentEffect } from '../../../src/analyzer/capi/format.js';

type Case = readonly [format: string, effects: readonly FormatArgumentEffect[]];

describe('formatArgumentEffects, build style (Py_BuildValue, PyObject_CallFunction)', () => {
  const cases: readonly Case[] = [
    ['', []],
    ['N', ['steals']],
    ['O', ['borrows']],
    ['S', ['borrows']],
    ['(OiN)', ['borrows', 'other', 'steals']],
    ['[N, N]', ['steals', 'steals']],
    ['{s:O,s:N}', ['other', 'borrows', 'other', 'steals']],
    ['O&N', ['other', 'other', 'steals']],
    ['s#N', ['other', 'other', 'steals']],
    ['y#z#u#U#O', ['other', 'other', 'other', 'other', 'other', 'other', 'other', 'other', 'borrows']],
    ['sszyuU', ['other', 'other', 'other', 'other', 'other', 'other']],
    ['bBhHiIlkLKncCfdDp', Array(17).fill('other')],
    ['i\tN', ['other', 'steals']],
  ];
  it.each(cases)('%j', (format, effects) => {
    expect(formatArgumentEffects(format, 'build')).toEqual(effects);
  });

  it('stops at a unit it does not know rather than guess how many arguments it takes', () => {
    expect(formatArgumentEffects('OqN', 'build')).toEqual(['borrows']);
    expect(formatArgumentEffects('O!N', 'build')).toEqual(['borrows']);
  });
});

describe('formatArgumentEffects, parse style (PyArg_ParseTuple and family)', () => {
  const cases: readonly Case[] = [
    ['O', ['out-borrowed']],
    ['O!', ['other', 'out-borrowed']],
    ['O&', ['other', 'other']],
    ['SUY', ['out-borrowed', 'out-borrowed', 'out-borrowed']],
    ['O|O:func', ['out-borrowed', 'out-borrowed']],
    ['O;error message with O in it', ['out-borrowed']],
    ['s#O', ['other', 'other', 'out-borrowed']],
    ['s*y*z*w*O', ['other', 'other', 'other', 'other', 'out-borrowed']],
    ['esO', ['other', 'other', 'out-borrowed']],
    ['et#O', ['other', 'other', 'other', 'out-borrowed']],
    ['es#O', ['other', 'other', 'other', 'out-borrowed']],
    ['(ii)O', ['other', 'other', 'out-borrowed']],
    ['O|$pn', ['out-borrowed', 'other', 'other']],
    ['u#Z#ZO', ['other', 'other', 'other', 'other', 'other', 'out-borrowed']],
  ];
  it.each(cases)('%j', (format, effects) => {
    expect(formatArgumentEffects(format, 'parse')).toEqual(effects);
  });

  it('stops at a unit it does not know', () => {
    expect(formatArgumentEffects('OwO', 'parse')).toEqual(['out-borrowed']);
    expect(formatArgumentEffects('Oe', 'parse')).toEqual(['out-borrowed']);
  });

  it('reads N as unknown: it only steals when building', () => {
    expect(formatArgumentEffects('ON', 'parse')).toEqual(['out-borrowed']);
  });
});
