import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSourceFiles } from '../../../bench/corpus.js';

describe('listSourceFiles', () => {
  it('finds C and C++ files at any depth, sorted, and nothing else', () => {
    const root = mkdtempSync(join(tmpdir(), 'corpus-list-'));
    mkdirSync(join(root, 'Modules', '_io'), { recursive: true });
    for (const path of ['Modules/_io/bytesio.c', 'Modules/a.h', 'apt.cc', 'setup.py', 'README', 'Modules/x.o']) {
      writeFileSync(join(root, path), '');
    }
    expect(listSourceFiles(root)).toEqual([join(root, 'Modules/_io/bytesio.c'), join(root, 'Modules/a.h'), join(root, 'apt.cc')]);
  });

  it('accepts a single source file as well as a folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'corpus-list-'));
    writeFileSync(join(root, 'one.c'), '');
    expect(listSourceFiles(join(root, 'one.c'))).toEqual([join(root, 'one.c')]);
  });
});
