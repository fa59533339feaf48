import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisResult, AnalyzeOptions, Finding } from '../../src/analyzer/index.js';
import { runCli } from '../../src/cli/run.js';
import { fakeFinding, resultWith } from '../output/fake-findings.js';
import { fakeRun, projectWith, removeProjects } from './fake-deps.js';

afterAll(removeProjects);

const MODULE = 'static PyObject *f(void)\n{\n    PyObject *list = PyList_New(0);\n    return NULL;\n}\n';

/** An analyzer that reports the given findings for every file, with the file's own path. */
function reporting(...findings: Partial<Finding>[]): (source: string, options: AnalyzeOptions) => AnalysisResult {
  return (_source, options) => resultWith(findings.map((finding) => fakeFinding({ file: options.path, line: 4, endLine: 4, ...finding })));
}

describe('runCli: files and folders', () => {
  it('finds C and C++ files under a folder and analyses each with the configured options', async () => {
    const root = projectWith({ 'src/a.c': MODULE, 'src/b.cpp': MODULE, 'src/notes.txt': 'x', 'build/gen.c': MODULE });
    const run = fakeRun(root);
    expect(await runCli(['--python', '3.10', 'src'], run.deps)).toBe(0);
    expect(run.calls.map((call) => call.options.path)).toEqual(['src/a.c', 'src/b.cpp']);
    expect(run.calls[0]?.source).toBe(MODULE);
    expect(run.calls[0]?.options).toMatchObject({ path: 'src/a.c', python: '3.10', rules: {}, api: [] });
    expect(run.calls[0]?.options.touchedLines).toBeUndefined();
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe('refcheck: no findings in 2 files\n');
  });

  it('prints findings as text and exits 1 on an error', async () => {
    const root = projectWith({ 'a.c': MODULE });
    const run = fakeRun(root, { analyze: reporting({}) });
    expect(await runCli(['a.c'], run.deps)).toBe(1);
    expect(run.stdout()).toContain('a.c:4: error leak: new reference from `PyList_New` is not released on this path\n');
    expect(run.stdout()).toContain('  +    Py_DECREF(list);\n');
    expect(run.stderr()).toBe('refcheck: 1 finding (1 error) in 1 file\n');
  });

  it('reports skipped files on stderr and still decides the exit code by findings', async () => {
    const root = projectWith({
      'bad/binary.c': new Uint8Array([0x69, 0x6e, 0x74, 0x00, 0x01]),
      'bad/latin1.c': new Uint8Array([0x2f, 0x2f, 0x20, 0xe9, 0x0a]),
      'good.c': MODULE,
    });
    const run = fakeRun(root, { analyze: reporting({ severity: 'warning' }) });
    expect(await runCli(['.'], run.deps)).toBe(0);
    expect(run.calls.map((call) => call.options.path)).toEqual(['good.c']);
    expect(run.stderr()).toContain('refcheck: skipped bad/binary.c: binary file (contains a NUL byte)\n');
    expect(run.stderr()).toContain('refcheck: skipped bad/latin1.c: not valid UTF-8\n');
    expect(run.stderr()).toContain('refcheck: 1 finding (1 warning) in 1 file; 2 files skipped\n');
  });

  it('skips a file it cannot read and goes on with the others', async () => {
    const root = projectWith({ 'a.c': MODULE, 'b.c': MODULE });
    const run = fakeRun(root, {
      readFile: async (path) => {
        if (path.endsWith('/a.c')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        return readFile(path);
      },
    });
    expect(await runCli(['.'], run.deps)).toBe(0);
    expect(run.stderr()).toContain('refcheck: skipped a.c: cannot be read: EACCES: permission denied\n');
    expect(run.calls.map((call) => call.options.path)).toEqual(['b.c']);
  });

  it('exits 2 when the analyzer throws, after analysing the other files', async () => {
    const root = projectWith({ 'a.c': MODULE, 'b.c': MODULE });
    const run = fakeRun(root, {
      analyze: (_source, options) => {
        if (options.path === 'a.c') throw new Error('boom');
        return resultWith([]);
      },
    });
    expect(await runCli(['.'], run.deps)).toBe(2);
    expect(run.calls.map((call) => call.options.path)).toEqual(['a.c', 'b.c']);
    expect(run.stderr()).toContain('refcheck: skipped a.c: internal error in the analyzer: boom\n');
  });

  it('analyses a file of several megabytes whole', async () => {
    const big = MODULE.repeat(80_000);
    const run = fakeRun(projectWith({ 'big.c': big }));
    expect(await runCli(['big.c'], run.deps)).toBe(0);
    expect(run.calls[0]?.source.length).toBe(big.length);
  });

  it('exits 2 for a path that does not exist', async () => {
    const run = fakeRun(projectWith({}));
    expect(await runCli(['missing.c'], run.deps)).toBe(2);
    expect(run.stderr()).toBe('refcheck: no such file or directory: missing.c\n');
  });
});

describe('runCli: fail level', () => {
  const cases: { args: string[]; config?: string; severity: 'error' | 'warning' | 'note'; exit: number }[] = [
    { args: [], severity: 'warning', exit: 0 },
    { args: ['--fail-on', 'warning'], severity: 'warning', exit: 1 },
    { args: ['--fail-on', 'never'], severity: 'error', exit: 0 },
    { args: [], config: 'fail_on: note\n', severity: 'note', exit: 1 },
    { args: [], config: 'fail_on: never\n', severity: 'error', exit: 0 },
    { args: [], config: 'python: "3.9"\n', severity: 'error', exit: 1 },
    { args: ['--fail-on', 'error'], config: 'fail_on: note\n', severity: 'warning', exit: 0 },
  ];
  for (const { args, config, severity, exit } of cases) {
    it(`exits ${exit} for a ${severity} with ${args.join(' ') || 'no flag'}${config === undefined ? '' : ` and config "${config.trim()}"`}`, async () => {
      const root = projectWith({ 'a.c': MODULE, ...(config === undefined ? {} : { '.github/refcheck.yml': config }) });
      const run = fakeRun(root, { analyze: reporting({ severity }) });
      expect(await runCli([...args, 'a.c'], run.deps)).toBe(exit);
    });
  }
});

describe('runCli: configuration', () => {
  it('reads .github/refcheck.yml by default and lets flags win over it', async () => {
    const root = projectWith({
      'a.c': MODULE,
      '.github/refcheck.yml': 'python: "3.9"\nrules:\n  leak: warning\napi:\n  - name: my_new\n    returns: new\n',
    });
    const run = fakeRun(root);
    await runCli(['a.c'], run.deps);
    expect(run.calls[0]?.options).toMatchObject({
      python: '3.9',
      rules: { leak: 'warning' },
      api: [{ name: 'my_new', returns: 'new', can_fail: true, args: {} }],
    });
    const flagged = fakeRun(root);
    await runCli(['--python', '3.12', 'a.c'], flagged.deps);
    expect(flagged.calls[0]?.options.python).toBe('3.12');
  });

  it('prints every problem in an invalid config and exits 2', async () => {
    const root = projectWith({ 'a.c': MODULE, 'refcheck.yml': 'python: "2.7"\nrules:\n  leak: loud\n' });
    const run = fakeRun(root);
    expect(await runCli(['--config', 'refcheck.yml', 'a.c'], run.deps)).toBe(2);
    expect(run.stderr()).toBe(
      'refcheck: invalid config refcheck.yml:\n  python: must look like "3.8"\n  rules.leak: Invalid option: expected one of "off"|"error"|"warning"|"note"\n',
    );
    expect(run.calls).toEqual([]);
  });

  it('exits 2 on YAML that does not parse', async () => {
    const root = projectWith({ 'a.c': MODULE, 'refcheck.yml': 'python: [3.8\n' });
    const run = fakeRun(root);
    expect(await runCli(['-c', 'refcheck.yml', 'a.c'], run.deps)).toBe(2);
    expect(run.stderr()).toMatch(/^refcheck: invalid config refcheck.yml:\n {2}.*line 2/);
  });

  it('exits 2 when the given config file does not exist', async () => {
    const run = fakeRun(projectWith({ 'a.c': MODULE }));
    expect(await runCli(['--config', 'nope.yml', 'a.c'], run.deps)).toBe(2);
    expect(run.stderr()).toMatch(/^refcheck: cannot read config nope.yml: /);
  });

  it('filters files with paths.include and paths.exclude', async () => {
    const root = projectWith({
      'src/a.c': MODULE,
      'src/vendor/b.c': MODULE,
      'tests/c.c': MODULE,
      '.github/refcheck.yml': 'paths:\n  include: ["src/**"]\n  exclude: ["**/vendor/**"]\n',
    });
    const run = fakeRun(root);
    await runCli(['.'], run.deps);
    expect(run.calls.map((call) => call.options.path)).toEqual(['src/a.c']);
  });
});

const DIFF = [
  'diff --git a/src/a.c b/src/a.c',
  '--- a/src/a.c',
  '+++ b/src/a.c',
  '@@ -2,3 +2,4 @@',
  ' {',
  '+    PyObject *list = PyList_New(0);',
  '     return NULL;',
  ' }',
  'diff --git a/README.md b/README.md',
  '--- a/README.md',
  '+++ b/README.md',
  '@@ -1 +1 @@',
  '-a',
  '+b',
  'diff --git a/lib/b.c b/lib/b.c',
  '--- a/lib/b.c',
  '+++ b/lib/b.c',
  '@@ -1,2 +1,2 @@',
  '-x',
  '+y',
  ' z',
  '',
].join('\n');

describe('runCli: changed lines only', () => {
  const files = { 'src/a.c': MODULE, 'lib/b.c': 'y\nz\n', 'other.c': MODULE };

  it('analyses the C files of a diff file, limited to the lines it adds', async () => {
    const root = projectWith({ ...files, 'change.diff': DIFF });
    const run = fakeRun(root);
    expect(await runCli(['--diff', 'change.diff'], run.deps)).toBe(0);
    expect(run.calls.map((call) => [call.options.path, [...(call.options.touchedLines ?? [])]])).toEqual([
      ['src/a.c', [3]],
      ['lib/b.c', [1]],
    ]);
  });

  it('reads the diff from stdin for -, and keeps only files under the given paths', async () => {
    const run = fakeRun(projectWith(files), { readStdin: () => Promise.resolve(DIFF) });
    await runCli(['--diff', '-', 'lib'], run.deps);
    expect(run.calls.map((call) => call.options.path)).toEqual(['lib/b.c']);
  });

  it('asks git for the diff against --base', async () => {
    const revs: string[] = [];
    const run = fakeRun(projectWith(files), {
      gitDiff: (rev) => {
        revs.push(rev);
        return Promise.resolve(DIFF);
      },
    });
    await runCli(['--base', 'origin/main'], run.deps);
    expect(revs).toEqual(['origin/main']);
    expect(run.calls.map((call) => call.options.path)).toEqual(['src/a.c', 'lib/b.c']);
  });

  it('exits 2 with git’s message when git fails', async () => {
    const run = fakeRun(projectWith(files), { gitDiff: () => Promise.reject(new Error("fatal: bad revision 'nope'")) });
    expect(await runCli(['--base', 'nope'], run.deps)).toBe(2);
    expect(run.stderr()).toBe("refcheck: cannot read git diff nope: fatal: bad revision 'nope'\n");
  });

  it('refuses --diff together with --base', async () => {
    const run = fakeRun(projectWith(files));
    expect(await runCli(['--diff', '-', '--base', 'HEAD'], run.deps)).toBe(2);
    expect(run.stderr()).toContain("cannot be used with option '--base <rev>'");
  });
});

describe('runCli: output formats', () => {
  it('writes JSON with the findings and the files', async () => {
    const run = fakeRun(projectWith({ 'a.c': MODULE }), { analyze: reporting({}) });
    await runCli(['--format', 'json', 'a.c'], run.deps);
    const json = JSON.parse(run.stdout()) as { findings: Finding[]; files: { path: string }[] };
    expect(json.findings.map((finding) => finding.file)).toEqual(['a.c']);
    expect(json.files.map((file) => file.path)).toEqual(['a.c']);
  });

  it('writes SARIF with artifact URIs relative to the working directory', async () => {
    const run = fakeRun(projectWith({ 'src/a.c': MODULE }), { analyze: reporting({}) });
    await runCli(['-f', 'sarif', 'src'], run.deps);
    const sarif = JSON.parse(run.stdout()) as { runs: { results: { locations: { physicalLocation: { artifactLocation: unknown } }[] }[] }[] };
    expect(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation).toEqual({
      uri: 'src/a.c',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('colours text only on a terminal without NO_COLOR', async () => {
    const root = projectWith({ 'a.c': MODULE });
    const outputOf = async (stdoutIsTTY: boolean, env: Record<string, string>): Promise<string> => {
      const run = fakeRun(root, { analyze: reporting({}), stdoutIsTTY, env });
      await runCli(['a.c'], run.deps);
      return run.stdout();
    };
    expect(await outputOf(true, {})).toContain('\u001b[');
    expect(await outputOf(true, { NO_COLOR: '1' })).not.toContain('\u001b[');
    expect(await outputOf(true, { NO_COLOR: '' })).toContain('\u001b[');
    expect(await outputOf(false, {})).not.toContain('\u001b[');
  });

  it('shows analyser warnings on stderr in text mode', async () => {
    const run = fakeRun(projectWith({ 'a.c': MODULE }), {
      analyze: () => resultWith([], { diagnostics: [{ severity: 'warning', line: 2, message: 'syntax error' }] }),
    });
    await runCli(['a.c'], run.deps);
    expect(run.stderr()).toContain('a.c:2: warning: syntax error\n');
  });
});

describe('runCli: usage', () => {
  it('prints help with examples on stdout and exits 0', async () => {
    const run = fakeRun(projectWith({}));
    expect(await runCli(['--help'], run.deps)).toBe(0);
    expect(run.stdout()).toContain('Usage: refcheck [options] [paths...]');
    expect(run.stdout()).toContain('refcheck --base origin/main');
  });

  it('prints the version and exits 0', async () => {
    const run = fakeRun(projectWith({}));
    expect(await runCli(['--version'], run.deps)).toBe(0);
    expect(run.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  for (const args of [[], ['--format', 'xml', 'a.c'], ['--python', '2.7', 'a.c'], ['--fail-on', 'sometimes', 'a.c'], ['--bogus', 'a.c']]) {
    it(`exits 2 for: refcheck ${args.join(' ')}`, async () => {
      const run = fakeRun(projectWith({ 'a.c': MODULE }));
      expect(await runCli(args, run.deps)).toBe(2);
      expect(run.stderr()).toMatch(/error/);
      expect(run.calls).toEqual([]);
    });
  }
});
