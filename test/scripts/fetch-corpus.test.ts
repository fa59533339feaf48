import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = resolve('scripts/fetch-corpus.sh');
const BASE_TOOLS = ['bash', 'tar', 'gzip', 'head', 'cut', 'sort', 'ls', 'grep', 'dirname', 'mkdir', 'id', 'sed', 'rmdir', 'basename', 'cat', 'cp', 'tail'];

function which(tool: string): string {
  return execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
}

/** A PATH holding only the listed tools, plus fakes written as bash scripts: the real apt never runs. */
function sandboxPath(fakes: Readonly<Record<string, string>>): string {
  const bin = mkdtempSync(join(tmpdir(), 'fetch-bin-'));
  for (const tool of BASE_TOOLS) symlinkSync(which(tool), join(bin, tool));
  for (const [name, body] of Object.entries(fakes)) {
    const path = join(bin, name);
    writeFileSync(path, `#!${which('bash')}\n${body}\n`);
    chmodSync(path, 0o755);
  }
  return bin;
}

/** An orig tarball whose single top-level folder holds one C file. */
function makeOrigTarball(where: string, pkg: string, version: string, root: string): void {
  const staging = mkdtempSync(join(tmpdir(), 'fetch-src-'));
  mkdirSync(join(staging, root));
  writeFileSync(join(staging, root, 'mod.c'), 'int f(void) { return 0; }\n');
  mkdirSync(where, { recursive: true });
  execFileSync('tar', ['-czf', join(where, `${pkg}_${version}.orig.tar.gz`), '-C', staging, root]);
}

function aptEtcWithDebSrc(): string {
  const etc = mkdtempSync(join(tmpdir(), 'fetch-apt-'));
  mkdirSync(join(etc, 'sources.list.d'));
  writeFileSync(join(etc, 'sources.list.d', 'debian-src.sources'), 'Types: deb-src\nURIs: http://example.invalid\n');
  return etc;
}

function run(args: readonly string[], env: Readonly<Record<string, string>>) {
  const result = spawnSync(which('bash'), [SCRIPT, ...args], { encoding: 'utf8', env: { ...env } });
  return { status: result.status, stderr: result.stderr };
}

describe('fetch-corpus.sh', () => {
  it('recognises trees unpacked by hand, by package folder or by tarball root, without needing apt', () => {
    const corpus = mkdtempSync(join(tmpdir(), 'corpus-'));
    mkdirSync(join(corpus, 'python-apt-2.6.0'));
    writeFileSync(join(corpus, 'python-apt-2.6.0', 'setup.py'), '');
    makeOrigTarball(corpus, 'python3.11', '3.11.2', 'Python-3.11.2');
    execFileSync('tar', ['-xzf', join(corpus, 'python3.11_3.11.2.orig.tar.gz'), '-C', corpus]);

    const { status, stderr } = run(['python3.11', 'python-apt'], { PATH: sandboxPath({}), CORPUS_DIR: corpus });

    expect(stderr).toContain(`present: python3.11 (${join(corpus, 'Python-3.11.2')})`);
    expect(stderr).toContain('present: python-apt');
    expect(stderr).toContain('nothing to fetch');
    expect(status).toBe(0);
  });

  it('does not count an empty package folder as present', () => {
    const corpus = mkdtempSync(join(tmpdir(), 'corpus-'));
    mkdirSync(join(corpus, 'pyyaml-6.0'));

    const { status, stderr } = run(['pyyaml'], { PATH: sandboxPath({}), CORPUS_DIR: corpus });

    expect(stderr).not.toContain('present: pyyaml');
    expect(status).toBe(2);
  });

  it('says apt is missing when something must be fetched and apt-get is not there', () => {
    const corpus = mkdtempSync(join(tmpdir(), 'corpus-'));

    const { status, stderr } = run(['numpy'], { PATH: sandboxPath({}), CORPUS_DIR: corpus });

    expect(stderr).toMatch(/error: apt-get is not available/);
    expect(status).toBe(2);
  });

  it('unpacks the orig tarball when the full source package cannot be assembled, and names what failed', () => {
    const corpus = mkdtempSync(join(tmpdir(), 'corpus-'));
    const served = mkdtempSync(join(tmpdir(), 'served-'));
    makeOrigTarball(join(served, 'lxml'), 'lxml', '4.9.2', 'lxml-4.9.2');
    writeFileSync(join(served, 'lxml', 'lxml_4.9.2-1.dsc'), 'Source: lxml\n');
    // Like the mirror: the orig tarball arrives, a Debian part 404s, apt-get exits non-zero.
    const aptGet = `pkg="\${@: -1}"; [ -d "${served}/$pkg" ] && cp "${served}/$pkg"/* . ; exit 100`;
    const path = sandboxPath({
      'apt-get': aptGet,
      'apt-cache': 'echo "Package: $2"',
      'dpkg-source': 'exit 25',
    });

    const { status, stderr } = run(['lxml', 'greenlet'], { PATH: path, CORPUS_DIR: corpus, APT_ETC: aptEtcWithDebSrc() });

    expect(existsSync(join(corpus, 'lxml-4.9.2', 'mod.c'))).toBe(true);
    expect(stderr).toContain('unpacking lxml_4.9.2.orig.tar.gz alone');
    expect(stderr).toContain(`unpacked: ${join(corpus, 'lxml-4.9.2')}`);
    expect(stderr).toContain('could not fetch: greenlet');
    expect(status).toBe(1);
  });

  it('tries a fallback suite for a package the default suite cannot deliver, adding its deb-src entry once', () => {
    const corpus = mkdtempSync(join(tmpdir(), 'corpus-'));
    const served = mkdtempSync(join(tmpdir(), 'served-'));
    makeOrigTarball(join(served, 'psycopg2-trixie'), 'psycopg2', '2.9.10', 'psycopg2-2.9.10');
    const etc = aptEtcWithDebSrc();
    writeFileSync(
      join(etc, 'sources.list.d', 'debian.sources'),
      'Types: deb\nURIs: http://deb.example\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://security.example\nSuites: bookworm-security\n',
    );
    // Only `apt-get source psycopg2/trixie` delivers anything, as on the mirror.
    const aptGet = `[ "$1" = update ] && exit 0; [ "\${@: -1}" = psycopg2/trixie ] && cp "${served}/psycopg2-trixie"/* . && exit 0; exit 100`;
    const path = sandboxPath({ 'apt-get': aptGet, 'apt-cache': 'echo "Package: $2"', 'dpkg-source': 'exit 25' });

    const none = run(['psycopg2'], { PATH: path, CORPUS_DIR: corpus, APT_ETC: etc, CORPUS_FALLBACK_SUITES: '' });
    expect(none.stderr).toContain('could not fetch: psycopg2');
    expect(none.status).toBe(1);

    const { status, stderr } = run(['psycopg2'], { PATH: path, CORPUS_DIR: corpus, APT_ETC: etc });
    expect(stderr).toContain('psycopg2: trying trixie');
    expect(existsSync(join(corpus, 'psycopg2-2.9.10', 'mod.c'))).toBe(true);
    expect(status).toBe(0);
    const added = execFileSync('cat', [join(etc, 'sources.list.d', 'refcheck-trixie-src.sources')], { encoding: 'utf8' });
    expect(added).toBe('Types: deb-src\nURIs: http://deb.example\nSuites: trixie\nComponents: main\n\n');
  });

  it('fetches nothing twice: a second run finds what the first unpacked', () => {
    const corpus = mkdtempSync(join(tmpdir(), 'corpus-'));
    const served = mkdtempSync(join(tmpdir(), 'served-'));
    makeOrigTarball(join(served, 'pillow'), 'pillow', '9.4.0', 'pillow-9.4.0');
    const path = sandboxPath({
      'apt-get': `cp "${served}/\${@: -1}"/* . ; echo fetched >> "${served}/log"`,
      'apt-cache': 'echo "Package: $2"',
      'dpkg-source': 'exit 25',
    });
    const env = { PATH: path, CORPUS_DIR: corpus, APT_ETC: aptEtcWithDebSrc() };

    expect(run(['pillow'], env).status).toBe(0);
    const second = run(['pillow'], env);

    expect(second.stderr).toContain('nothing to fetch');
    expect(execFileSync('cat', [join(served, 'log')], { encoding: 'utf8' })).toBe('fetched\n');
  });
});
