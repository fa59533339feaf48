import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/options.js';

function parse(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const parsed = parseArgs(argv, '1.2.3', { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { parsed, stdout, stderr };
}

describe('parseArgs', () => {
  it('defaults to text output and leaves unset flags to the config file', () => {
    expect(parse(['src']).parsed).toEqual({
      kind: 'run',
      options: { paths: ['src'], format: 'text', diff: undefined, python: undefined, config: undefined, failOn: undefined },
    });
  });

  it('reads every option', () => {
    const { parsed } = parse(['-f', 'sarif', '--python', '3.11', '-c', 'r.yml', '--fail-on', 'note', 'a.c', 'b']);
    expect(parsed).toMatchObject({
      kind: 'run',
      options: { paths: ['a.c', 'b'], format: 'sarif', python: '3.11', config: 'r.yml', failOn: 'note' },
    });
  });

  it('tells a diff file, stdin and a git revision apart, and needs no paths with them', () => {
    expect(parse(['--diff', 'x.diff']).parsed).toMatchObject({ options: { diff: { kind: 'file', path: 'x.diff' }, paths: [] } });
    expect(parse(['--diff', '-']).parsed).toMatchObject({ options: { diff: { kind: 'stdin' } } });
    expect(parse(['--base', 'main']).parsed).toMatchObject({ options: { diff: { kind: 'git', rev: 'main' } } });
  });

  it('refuses a revision that looks like an option', () => {
    const { parsed, stderr } = parse(['--base', '--output=x']);
    expect(parsed).toEqual({ kind: 'exit', code: 2 });
    expect(stderr).toContain('--base expects a revision');
  });

  it('prints help and version on stdout with exit code 0', () => {
    expect(parse(['--version'])).toMatchObject({ parsed: { kind: 'exit', code: 0 }, stdout: '1.2.3\n' });
    expect(parse(['-h'])).toMatchObject({ parsed: { kind: 'exit', code: 0 } });
    expect(parse(['-h']).stdout).toContain('Exit status:');
  });
});
