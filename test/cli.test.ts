import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSarif } from './output/sarif-validator.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'dist/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'refcheck-e2e-'));

beforeAll(() => {
  try {
    execFileSync(join(repo, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'pipe' });
  } catch (error) {
    // tsc still emits when files elsewhere in src/ have type errors; only a missing entry point stops these tests.
    if (!existsSync(cli)) throw error;
  }
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function refcheck(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? repo,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('refcheck (built)', () => {
  it('starts with a node shebang', () => {
    expect(execFileSync('head', ['-n1', cli], { encoding: 'utf8' })).toBe('#!/usr/bin/env node\n');
  });

  it('prints its version', () => {
    const { status, stdout } = refcheck(['--version']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 with usage on stderr when given nothing to check or a bad option', () => {
    for (const args of [[], ['--format', 'xml', 'examples'], ['--no-such-flag']]) {
      const { status, stderr, stdout } = refcheck(args);
      expect(status).toBe(2);
      expect(stderr).toContain('refcheck --help');
      expect(stdout).toBe('');
    }
  });

  it('prints on the plugin example exactly what the README shows', () => {
    const command = '$ node dist/cli.js examples/plugin.cpp\n';
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const start = readme.indexOf(command) + command.length;
    const shown = readme.slice(start, readme.indexOf('```', start));
    const { stdout, stderr } = refcheck(['examples/plugin.cpp']);
    expect(stdout + stderr).toBe(shown);
  });

  it('reports nothing on the clean example', () => {
    const { status, stdout, stderr } = refcheck(['examples/clean.c']);
    expect(status).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('refcheck: no findings in 1 file\n');
  });

  it('writes SARIF that the SARIF Multitool accepts, for the examples folder', () => {
    const { status, stdout } = refcheck(['--format', 'sarif', 'examples']);
    expect([0, 1]).toContain(status);
    expect(validateSarif(stdout)).toEqual([]);
  });

  it('skips a binary file with a message and goes on', () => {
    writeFileSync(join(scratch, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00]));
    writeFileSync(join(scratch, 'ok.c'), 'int f(void) { return 0; }\n');
    const { status, stderr } = refcheck(['.'], { cwd: scratch });
    expect(status).toBe(0);
    expect(stderr).toContain('refcheck: skipped blob.c: binary file (contains a NUL byte)\n');
    expect(stderr).toContain('in 1 file; 1 file skipped');
  });

  it('reads a diff from stdin', () => {
    const diff = ['--- a/examples/clean.c', '+++ b/examples/clean.c', '@@ -5,1 +5,2 @@', ' /* The shape', '+x', ''].join('\n');
    const { status, stderr } = refcheck(['--diff', '-', '--format', 'json'], { input: diff });
    expect(status).toBe(0);
    expect(stderr).toBe('refcheck: no findings in 1 file\n');
  });
});
