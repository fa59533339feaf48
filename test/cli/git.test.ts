import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitDiffAgainst } from '../../src/cli/git.js';
import { parseUnifiedDiff } from '../../src/diff/parse.js';
import { projectWith, removeProjects } from './fake-deps.js';

afterAll(removeProjects);

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'pipe' });
}

describe('gitDiffAgainst', () => {
  it('diffs the working tree against a revision, with paths relative to the working directory', async () => {
    const root = projectWith({ 'ext/a.c': 'x\n', 'top.c': 'y\n' });
    git(root, 'init', '-q');
    git(root, 'config', 'diff.noprefix', 'true');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    writeFileSync(join(root, 'ext/a.c'), 'x\nz\n');
    writeFileSync(join(root, 'top.c'), 'y\nw\n');
    mkdirSync(join(root, 'ext/new'));
    const files = parseUnifiedDiff(await gitDiffAgainst('HEAD', join(root, 'ext')));
    expect(files.map((file) => [file.newPath, file.hunks[0]?.newStart])).toEqual([['a.c', 1]]);
  });

  it('rejects with git’s own message for an unknown revision', async () => {
    const root = projectWith({ 'a.c': '' });
    git(root, 'init', '-q');
    await expect(gitDiffAgainst('no-such-rev', root)).rejects.toThrow(/no-such-rev/);
  });
});
