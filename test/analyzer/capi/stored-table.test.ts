import { describe, expect, it } from 'vitest';
import {
  fromStoredEntry,
  renderStoredTable,
  storedTableSchema,
  toStoredEntry,
} from '../../../src/analyzer/capi/stored-table.js';
import type { ApiEntry } from '../../../src/analyzer/capi/types.js';

const ENTRIES: readonly ApiEntry[] = [
  { name: 'PyList_New', returns: 'new', canFail: true, args: {}, source: 'refcounts.dat' },
  {
    name: 'PyArg_ParseTuple',
    returns: 'none',
    canFail: true,
    args: {},
    format: { index: 1, style: 'parse' },
    source: 'override',
  },
  {
    name: 'PyList_SetItem',
    returns: 'none',
    canFail: false,
    args: { 10: 'steals', 2: 'steals' },
    nonNullArgs: [0],
    since: [3, 10],
    source: 'override',
  },
];

describe('stored table', () => {
  it('round-trips entries', () => {
    for (const entry of ENTRIES) expect(fromStoredEntry(entry.name, toStoredEntry(entry))).toEqual(entry);
  });

  it('refuses config and summary entries: they never belong in the generated file', () => {
    expect(() => toStoredEntry({ ...ENTRIES[0]!, source: 'config' })).toThrow(/only built-in entries/);
  });

  it('renders one entry per line, sorted by name, with keys in a fixed order', () => {
    const text = renderStoredTable({
      generated: 'by a test',
      sources: [{ file: 'a', origin: 'b', sha256: 'c' }],
      entries: Object.fromEntries(ENTRIES.map((entry) => [entry.name, toStoredEntry(entry)])),
    });
    const lines = text.split('\n');
    expect(lines.filter((line) => line.startsWith('    "Py'))).toEqual([
      '    "PyArg_ParseTuple": {"canFail":true,"format":{"index":1,"style":"parse"},"returns":"none","source":"override"},',
      '    "PyList_New": {"canFail":true,"returns":"new","source":"refcounts.dat"},',
      '    "PyList_SetItem": {"args":{"2":"steals","10":"steals"},"canFail":false,"nonNullArgs":[0],"returns":"none","since":[3,10],"source":"override"}',
    ]);
    expect(storedTableSchema.parse(JSON.parse(text)).generated).toBe('by a test');
  });
});
