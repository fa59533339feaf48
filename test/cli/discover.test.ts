import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverSourceFiles } from '../../src/cli/discover.js';
import { projectWith, removeProjects } from './fake-deps.js';

afterAll(removeProjects);

describe('discoverSourceFiles', () => {
  it('picks C and C++ files by extension, in a stable order, skipping dependency and build folders', async () => {
    const root = projectWith({
      'src/z.c': '',
      'src/a.cpp': '',
      'src/inc/m.h': '',
      'src/readme.md': '',
      'src/.git/hook.c': '',
      'node_modules/x/y.c': '',
      'build/gen.c': '',
      'dist/out.c': '',
      '.tox/py/t.c': '',
      '.venv/lib/v.c': '',
      '__pycache__/p.c': '',
    });
    const found = await discoverSourceFiles(['.'], root);
    expect(found.files.map((file) => file.path)).toEqual(['src/a.cpp', 'src/inc/m.h', 'src/z.c']);
    expect(found.files[0]?.absolutePath).toBe(join(root, 'src/a.cpp'));
    expect(found).toMatchObject({ skipped: [], missing: [] });
  });

  it('walks a skipped folder when the user names it', async () => {
    const root = projectWith({ 'build/gen.c': '' });
    expect((await discoverSourceFiles(['build'], root)).files.map((file) => file.path)).toEqual(['build/gen.c']);
  });

  it('follows symbolic links without looping and lists each real file once', async () => {
    const root = projectWith({ 'src/a.c': '' });
    symlinkSync(join(root, 'src'), join(root, 'src/loop'));
    symlinkSync(join(root, 'src/a.c'), join(root, 'src/alias.c'));
    const found = await discoverSourceFiles(['.', 'src/a.c'], root);
    expect(found.files.map((file) => file.path)).toEqual(['src/a.c']);
  });

  it('reports a broken link to a C file as skipped', async () => {
    const root = projectWith({});
    symlinkSync(join(root, 'gone.c'), join(root, 'dangling.c'));
    const found = await discoverSourceFiles(['.'], root);
    expect(found.files).toEqual([]);
    expect(found.skipped).toEqual([{ path: 'dangling.c', reason: 'no such file or directory (a broken symbolic link?)' }]);
  });

  it('reports an explicit file that is not C or C++, and paths that do not exist', async () => {
    const root = projectWith({ 'notes.txt': '' });
    mkdirSync(join(root, 'empty'));
    const found = await discoverSourceFiles(['notes.txt', 'nope', 'empty'], root);
    expect(found.skipped).toEqual([{ path: 'notes.txt', reason: 'not a C or C++ source file (by its extension)' }]);
    expect(found.missing).toEqual(['nope']);
  });

  it('keeps absolute paths outside the working directory absolute', async () => {
    const root = projectWith({ 'a.c': '' });
    const elsewhere = projectWith({});
    const found = await discoverSourceFiles([join(root, 'a.c')], elsewhere);
    expect(found.files.map((file) => file.path)).toEqual([join(root, 'a.c')]);
  });
});
