import { execFile } from 'node:child_process';

/** Diffs of big refactors are large; the default 1 MB buffer would cut them off. */
const MAX_DIFF_BYTES = 512 * 1024 * 1024;

/**
 * `git diff REV` of the working tree against REV, with paths relative to `cwd`. The prefixes are
 * given explicitly because a user's diff.noprefix or diff.mnemonicPrefix would change them.
 */
export function gitDiffAgainst(rev: string, cwd: string): Promise<string> {
  const args = [
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '--relative',
    '--end-of-options',
    rev,
    '--',
  ];
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: MAX_DIFF_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(stderr.trim() || error.message));
    });
  });
}
