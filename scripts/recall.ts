/**
 * npm run recall -- [--per-kind N] [--seed S] [--json out.json] <dirs...>
 *
 * Measures refcheck's recall on real code: seeds one defect that is a bug by construction into a
 * real function (a deleted release, a second release, ...), analyses the mutated file, and counts the
 * mutant as detected when the function gains a finding of the rule that defect should raise.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { analyze, type Finding, type FunctionReport, type RuleId } from '../src/analyzer/index.js';
import { builtinApi } from '../src/analyzer/capi/index.js';
import { listSourceFiles } from '../bench/corpus.js';
import { sample, seededRandom } from '../bench/random.js';
import { formatNumber, formatTable, type Cell } from '../bench/table.js';
import { applySite, findSites, MUTATION_KINDS, type MutationKind, type Site } from './recall/sites.js';

/** The rules that report each seeded defect; a second release may first show as a use of the released object. */
export const EXPECTED_RULES: Readonly<Record<MutationKind, readonly RuleId[]>> = {
  leak: ['leak'],
  'double-release': ['double-release', 'use-after-release'],
  'borrowed-release': ['borrowed-release'],
  'steal-misuse': ['steal-misuse'],
  'return-borrowed': ['return-borrowed'],
  'unchecked-null': ['unchecked-null'],
};

type Span = Pick<FunctionReport, 'startLine' | 'endLine'>;

function findingsIn(findings: readonly Finding[], fn: Span, rules: readonly RuleId[]): number {
  return findings.filter((f) => rules.includes(f.rule) && fn.startLine <= f.line && f.line <= fn.endLine).length;
}

/** Detected: the function has more findings of the expected rules after the edit than before it. */
export function isDetected(kind: MutationKind, fn: Span, original: readonly Finding[], mutated: readonly Finding[]): boolean {
  const rules = EXPECTED_RULES[kind];
  return findingsIn(mutated, fn, rules) > findingsIn(original, fn, rules);
}

/** Functions a defect can be seeded into: analysed completely, with no finding, so any new finding is the defect's. */
export function seedableFunctions(functions: readonly FunctionReport[], findings: readonly Finding[]): FunctionReport[] {
  return functions.filter(
    (fn) => fn.status.kind === 'analysed' && !findings.some((f) => fn.startLine <= f.line && f.line <= fn.endLine),
  );
}

export interface Candidate {
  readonly path: string;
  readonly function: FunctionReport;
  readonly site: Site;
}

/** The sites of every seedable function of one file. */
export function candidatesOf(path: string, source: string, functions: readonly FunctionReport[], findings: readonly Finding[]): Candidate[] {
  const lines = source.split(/\r?\n/);
  return seedableFunctions(functions, findings).flatMap((fn) =>
    findSites({ lines, startLine: fn.startLine, endLine: fn.endLine }, builtinApi).map((site) => ({ path, function: fn, site })),
  );
}

export interface Outcome extends Candidate {
  readonly detected: boolean;
  /** The mutant's findings in the function, whatever their rule: a miss with other findings is a near miss. */
  readonly found: readonly Finding[];
  /** The function's status in the mutant, when the edit made it no longer analysed completely. */
  readonly status?: string;
}

/**
 * Analyses one mutant. Only the mutated function is touched, which analyses it and its callees (for
 * their summaries) as a full run would, without walking the rest of a large file again for each mutant.
 */
export function runMutant(candidate: Candidate, source: string): Outcome {
  const { function: fn, site } = candidate;
  const touched = new Set<number>();
  for (let line = fn.startLine; line <= fn.endLine; line++) touched.add(line);
  const result = analyze(applySite(source, site), { path: candidate.path, touchedLines: touched });
  const found = result.findings.filter((f) => fn.startLine <= f.line && f.line <= fn.endLine);
  const report = result.functions.find((f) => f.startLine === fn.startLine && f.endLine === fn.endLine);
  const status = report?.status.kind === 'analysed' ? undefined : report?.status.kind === 'skipped' ? `skipped: ${report.status.reason}` : 'not found';
  // A seedable function had no finding in the original, so every finding in it is new.
  return { ...candidate, detected: isDetected(site.kind, fn, [], found), found, ...(status ? { status } : {}) };
}

export interface KindSummary {
  readonly kind: MutationKind;
  readonly sites: number;
  readonly tried: number;
  readonly detected: number;
}

export function summariseKinds(candidates: readonly Candidate[], outcomes: readonly Outcome[]): KindSummary[] {
  return MUTATION_KINDS.map((kind) => ({
    kind,
    sites: candidates.filter((c) => c.site.kind === kind).length,
    tried: outcomes.filter((o) => o.site.kind === kind).length,
    detected: outcomes.filter((o) => o.site.kind === kind && o.detected).length,
  }));
}

function percent(detected: number, tried: number): string {
  return tried > 0 ? `${formatNumber((detected * 100) / tried)}%` : '-';
}

export function formatRecallTable(summaries: readonly KindSummary[]): string {
  const sum = (key: 'sites' | 'tried' | 'detected') => summaries.reduce((total, s) => total + s[key], 0);
  const rows: Cell[][] = summaries.map((s) => [s.kind, s.sites, s.tried, s.detected, percent(s.detected, s.tried)]);
  rows.push(['total', sum('sites'), sum('tried'), sum('detected'), percent(sum('detected'), sum('tried'))]);
  return formatTable(['kind', 'sites', 'mutants', 'detected', 'recall'], rows);
}

const MISSED_SHOWN = 5;

export function formatMissed(outcomes: readonly Outcome[], where: (path: string) => string): string {
  const out: string[] = [];
  for (const kind of MUTATION_KINDS) {
    const missed = outcomes.filter((o) => o.site.kind === kind && !o.detected);
    if (missed.length === 0) continue;
    out.push(`missed ${kind} (${missed.length}):`);
    for (const o of missed.slice(0, MISSED_SHOWN)) {
      const other = o.found.length > 0 ? `; found instead: ${[...new Set(o.found.map((f) => f.rule))].join(', ')}` : '';
      const status = o.status ? `; ${o.status}` : '';
      out.push(`  ${where(o.path)}:${o.site.line} in ${o.function.name}: ${o.site.description}${other}${status}`);
    }
  }
  return out.join('\n');
}

/** Every site of every file under the dirs, with the sources of the files that have one. */
function collectCandidates(dirs: readonly string[]): { candidates: Candidate[]; sources: Map<string, string> } {
  const candidates: Candidate[] = [];
  const sources = new Map<string, string>();
  for (const path of dirs.flatMap((dir) => listSourceFiles(dir))) {
    const source = readFileSync(path, 'utf8');
    const result = analyze(source, { path });
    const found = candidatesOf(path, source, result.functions, result.findings);
    if (found.length === 0) continue;
    candidates.push(...found);
    sources.set(path, source);
  }
  return { candidates, sources };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'per-kind': { type: 'string', default: '40' },
      seed: { type: 'string', default: '1' },
      json: { type: 'string' },
    },
  });
  if (positionals.length === 0) {
    console.error('usage: npm run recall -- [--per-kind N] [--seed S] [--json out.json] <dirs...>');
    process.exitCode = 2;
    return;
  }
  const dirs = positionals.map((d) => resolve(d));
  const random = seededRandom(Number(values.seed));
  const perKind = Number(values['per-kind']);
  const { candidates, sources } = collectCandidates(dirs);
  const picked = MUTATION_KINDS.flatMap((kind) => sample(candidates.filter((c) => c.site.kind === kind), perKind, random));
  const outcomes = picked.map((c) => runMutant(c, sources.get(c.path) ?? ''));
  const where = (path: string) => relative(process.cwd(), path) || path;

  const summaries = summariseKinds(candidates, outcomes);
  console.log(`recall on seeded defects (seed ${values.seed}, at most ${perKind} per kind)\n`);
  console.log(formatRecallTable(summaries));
  const missed = formatMissed(outcomes, where);
  if (missed) console.log(`\n${missed}`);

  if (values.json) {
    const mutants = outcomes.map((o) => ({
      kind: o.site.kind,
      file: where(o.path),
      line: o.site.line,
      function: o.function.name,
      edit: o.site.description,
      detected: o.detected,
      found: o.found.map((f) => ({ rule: f.rule, line: f.line, message: f.message })),
      ...(o.status ? { status: o.status } : {}),
    }));
    writeFileSync(values.json, `${JSON.stringify({ seed: Number(values.seed), perKind, kinds: summaries, mutants }, null, 2)}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
