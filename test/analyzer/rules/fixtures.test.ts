/**
 * The rule fixtures are the analyzer's executable spec, semgrep style:
 * test/fixtures/c/<rule-id>/<name>.c|.cpp marks with `// ruleid: <id>` (or `/* ruleid: <id> *\/`)
 * every line where that rule must report (once per mention: `// ruleid: leak, leak` is two leaks on
 * one line), and with `// ok: <id>` lines where nothing may be reported.
 * A sibling <name>.fixed.c|.cpp is the file after every fix of that rule was applied; a fixture
 * without one must offer no fix for its rule.
 * An optional first-line directive sets the oldest supported Python: `// refcheck-test: python=3.12`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, RULE_IDS, type Finding, type RuleId } from '../../../src/analyzer/index.js';
import { applyFixes } from '../../helpers/apply-edits.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE_DIR = 'test/fixtures/c';
const SOURCE_PATTERN = /^(?<name>[^.]+)\.(?<ext>c|cpp)$/;
const ANNOTATION = /(?:\/\/|\/\*)\s*(?<kind>ruleid|ok):\s*(?<rules>[a-z][a-z-]*(?:\s*,\s*[a-z][a-z-]*)*)/g;
/** An annotation and the comment around it, so .fixed files compare on code alone. */
const TRAILING_ANNOTATION = /\s*(?:\/\/\s*(?:ruleid|ok):.*|\/\*\s*(?:ruleid|ok):.*?\*\/)\s*$/;
const DIRECTIVE = /^\s*(?:\/\/|\/\*)\s*refcheck-test:(?<settings>.*?)(?:\*\/)?\s*$/;

interface Annotation {
  readonly kind: 'ruleid' | 'ok';
  readonly rule: string;
  readonly line: number;
}

interface Fixture {
  readonly rule: RuleId;
  /** Relative to the repository, as a user would pass it to the CLI. */
  readonly path: string;
  readonly source: string;
  readonly annotations: readonly Annotation[];
  readonly python: string | undefined;
  readonly fixed: { readonly path: string; readonly source: string } | undefined;
}

function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

function parseAnnotations(source: string): Annotation[] {
  return source.split('\n').flatMap((text, index) =>
    [...text.matchAll(ANNOTATION)].flatMap((match) =>
      (match.groups?.rules ?? '').split(/\s*,\s*/).map((rule) => ({
        kind: match.groups?.kind === 'ruleid' ? ('ruleid' as const) : ('ok' as const),
        rule,
        line: index + 1,
      })),
    ),
  );
}

function parseDirective(source: string, path: string): { python: string | undefined } {
  const settings = DIRECTIVE.exec(source.split('\n')[0] ?? '')?.groups?.settings ?? '';
  let python: string | undefined;
  for (const setting of settings.trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = setting.split('=');
    if (key === 'python' && value !== undefined && /^3\.\d+$/.test(value)) python = value;
    else throw new Error(`${path}: unknown refcheck-test setting "${setting}"`);
  }
  return { python };
}

function loadFixtures(): Fixture[] {
  const root = join(REPO_ROOT, FIXTURE_DIR);
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) => {
      if (!isRuleId(dir.name)) throw new Error(`${FIXTURE_DIR}/${dir.name} is not a rule id`);
      const rule = dir.name;
      return readdirSync(join(root, rule))
        .sort()
        .flatMap((file): Fixture[] => {
          const match = SOURCE_PATTERN.exec(file);
          if (!match?.groups) return [];
          const path = `${FIXTURE_DIR}/${rule}/${file}`;
          const source = readRepoFile(path);
          const fixedPath = `${FIXTURE_DIR}/${rule}/${match.groups.name}.fixed.${match.groups.ext}`;
          const fixed = existsSync(join(REPO_ROOT, fixedPath))
            ? { path: fixedPath, source: readRepoFile(fixedPath) }
            : undefined;
          return [{ rule, path, source, annotations: parseAnnotations(source), ...parseDirective(source, path), fixed }];
        });
    });
}

function analyzeFixture(fixture: Fixture, source: string, path: string): readonly Finding[] {
  return analyze(source, { path, ...(fixture.python === undefined ? {} : { python: fixture.python }) }).findings;
}

/** Annotated lines, once per mention: a line that expects two findings appears twice. */
function linesOf(annotations: readonly Annotation[], kind: Annotation['kind']): number[] {
  return annotations
    .filter((a) => a.kind === kind)
    .map((a) => a.line)
    .sort((a, b) => a - b);
}

/** Reported lines, once per finding, so a duplicate report of one bug shows up. */
function findingLines(findings: readonly Finding[]): number[] {
  return findings.map((f) => f.line).sort((a, b) => a - b);
}

/** "rule@line: message" for every finding on an `ok:` line: the list a failing assertion prints. */
function findingsOnOkLines(findings: readonly Finding[], annotations: readonly Annotation[]): string[] {
  const ok = new Set(linesOf(annotations, 'ok'));
  return findings.filter((f) => ok.has(f.line)).map((f) => `${f.rule}@${f.line}: ${f.message}`);
}

function withoutAnnotations(source: string): string {
  return source
    .split('\n')
    .map((line) => line.replace(TRAILING_ANNOTATION, '').trimEnd())
    .join('\n');
}

const fixtures = loadFixtures();

describe('rule fixtures', () => {
  it('has a folder for every rule', () => {
    expect(new Set(fixtures.map((f) => f.rule))).toEqual(new Set(RULE_IDS));
  });

  it.each(RULE_IDS)('%s has at least five positive and five negative lines', (rule) => {
    const annotations = fixtures.filter((f) => f.rule === rule).flatMap((f) => f.annotations);
    expect(annotations.filter((a) => a.kind === 'ruleid').length).toBeGreaterThanOrEqual(5);
    expect(annotations.filter((a) => a.kind === 'ok').length).toBeGreaterThanOrEqual(5);
  });

  it.each(fixtures.map((f) => [f.path, f] as const))('%s annotates only its own rule', (_path, fixture) => {
    expect(fixture.annotations.length).toBeGreaterThan(0);
    expect(fixture.annotations.filter((a) => a.rule !== fixture.rule)).toEqual([]);
  });

  it.each(fixtures.filter((f) => f.fixed).map((f) => [f.path, f] as const))(
    '%s differs from its .fixed sibling, which expects no finding of the rule',
    (_path, fixture) => {
      const fixed = fixture.fixed?.source ?? '';
      expect(withoutAnnotations(fixed)).not.toBe(withoutAnnotations(fixture.source));
      expect(parseAnnotations(fixed).filter((a) => a.kind === 'ruleid')).toEqual([]);
    },
  );

  it('has no .fixed file without its original', () => {
    const originals = new Set(fixtures.flatMap((f) => (f.fixed ? [f.fixed.path] : [])));
    const orphans = RULE_IDS.flatMap((rule) =>
      readdirSync(join(REPO_ROOT, FIXTURE_DIR, rule))
        .filter((file) => /\.fixed\.(c|cpp)$/.test(file))
        .map((file) => `${FIXTURE_DIR}/${rule}/${file}`)
        .filter((path) => !originals.has(path)),
    );
    expect(orphans).toEqual([]);
  });
});

for (const rule of RULE_IDS) {
  describe(`rule ${rule}`, () => {
    for (const fixture of fixtures.filter((f) => f.rule === rule)) {
      describe(fixture.path, () => {
        const findings = () => analyzeFixture(fixture, fixture.source, fixture.path);
        const ofRule = () => findings().filter((f) => f.rule === rule);

        it('reports the rule on exactly the ruleid: lines, once per mention', () => {
          expect(findingLines(ofRule())).toEqual(linesOf(fixture.annotations, 'ruleid'));
        });

        it('reports nothing, of any rule, on the ok: lines', () => {
          expect(findingsOnOkLines(findings(), fixture.annotations)).toEqual([]);
        });

        const fixed = fixture.fixed;
        if (fixed) {
          it(`fixes every finding so that the file becomes ${fixed.path}`, () => {
            const reported = ofRule();
            expect(reported.length).toBeGreaterThan(0);
            expect(reported.filter((f) => !f.fix).map((f) => f.line)).toEqual([]);
            const result = applyFixes(
              fixture.source,
              reported.flatMap((f) => (f.fix ? [f.fix] : [])),
            );
            expect(result.skipped).toEqual([]);
            expect(withoutAnnotations(result.text)).toBe(withoutAnnotations(fixed.source));
          });

          it('reports nothing of the rule once fixed, and nothing on its ok: lines', () => {
            const after = analyzeFixture(fixture, fixed.source, fixed.path);
            expect(after.filter((f) => f.rule === rule).map((f) => `${f.line}: ${f.message}`)).toEqual([]);
            expect(findingsOnOkLines(after, parseAnnotations(fixed.source))).toEqual([]);
          });
        } else {
          it('offers no fix', () => {
            expect(ofRule().filter((f) => f.fix).map((f) => f.line)).toEqual([]);
          });
        }
      });
    }
  });
}
