/**
 * npm run trial -- [--sample N] [--seed S] [--no-summaries | --compare-summaries] [--json out.json] <dirs...>
 *
 * Runs analyze() on every C/C++ file under each dir (one dir = one project), prints what was
 * analysed and found, then a reproducible sample of findings, each with its function's source,
 * so a person can judge each one a true or a false positive.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  analyze,
  RULE_IDS,
  type AnalysisResult,
  type Finding,
  type FunctionReport,
  type RuleId,
} from '../src/analyzer/index.js';
import { listSourceFiles } from '../bench/corpus.js';
import { sample, seededRandom } from '../bench/random.js';
import { formatNumber, formatTable, type Cell } from '../bench/table.js';

export interface AnalysedFile {
  readonly path: string;
  readonly source: string;
  readonly result: AnalysisResult;
}

export interface ProjectStats {
  readonly project: string;
  readonly files: number;
  readonly lines: number;
  readonly functions: number;
  readonly analysed: number;
  readonly notTouched: number;
  readonly skipped: number;
  /** Skip reasons, grouped by reasonGroup, with how often each occurred, most frequent first. */
  readonly skipReasons: readonly (readonly [string, number])[];
  readonly findingsByRule: Readonly<Record<RuleId, number>>;
  readonly findings: number;
  readonly diagnostics: { readonly info: number; readonly warning: number };
  /** Files on which analyze() threw, which it must never do. */
  readonly crashed: readonly string[];
}

export function lineCount(source: string): number {
  if (source.length === 0) return 0;
  const lines = source.split('\n').length;
  return source.endsWith('\n') ? lines - 1 : lines;
}

function zeroByRule(): Record<RuleId, number> {
  return Object.fromEntries(RULE_IDS.map((rule) => [rule, 0])) as Record<RuleId, number>;
}

export function findingsByRule(findings: readonly Finding[]): Record<RuleId, number> {
  const counts = zeroByRule();
  for (const finding of findings) counts[finding.rule]++;
  return counts;
}

/** Skip reasons differ only in their numbers ("93 paths dropped past 48 states"): group them without. */
export function reasonGroup(reason: string): string {
  return reason.replace(/\d+/g, 'N');
}

export function summariseProject(project: string, files: readonly AnalysedFile[], crashed: readonly string[] = []): ProjectStats {
  const reasons = new Map<string, number>();
  const functions = files.flatMap((file) => file.result.functions);
  for (const fn of functions) {
    if (fn.status.kind !== 'skipped') continue;
    const group = reasonGroup(fn.status.reason);
    reasons.set(group, (reasons.get(group) ?? 0) + 1);
  }
  const findings = files.flatMap((file) => file.result.findings);
  const diagnostics = files.flatMap((file) => file.result.diagnostics);
  const count = (kind: FunctionReport['status']['kind']) => functions.filter((fn) => fn.status.kind === kind).length;
  return {
    project,
    files: files.length + crashed.length,
    lines: files.reduce((sum, file) => sum + lineCount(file.source), 0),
    functions: functions.length,
    analysed: count('analysed'),
    notTouched: count('not-touched'),
    skipped: count('skipped'),
    skipReasons: [...reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    findingsByRule: findingsByRule(findings),
    findings: findings.length,
    diagnostics: {
      info: diagnostics.filter((d) => d.severity === 'info').length,
      warning: diagnostics.filter((d) => d.severity === 'warning').length,
    },
    crashed,
  };
}

function per10k(count: number, lines: number): string {
  return lines > 0 ? formatNumber((count * 10_000) / lines) : '-';
}

export function formatProjectStats(stats: ProjectStats): string {
  const out = [
    `== ${stats.project}`,
    `${formatNumber(stats.files)} files, ${formatNumber(stats.lines)} lines; functions: ${formatNumber(stats.functions)} found, ` +
      `${formatNumber(stats.analysed)} analysed, ${formatNumber(stats.notTouched)} not touched, ${formatNumber(stats.skipped)} skipped`,
    `diagnostics: ${stats.diagnostics.warning} warning, ${stats.diagnostics.info} info` +
      (stats.crashed.length > 0 ? `; analyze THREW on ${stats.crashed.length} files: ${stats.crashed.join(', ')}` : ''),
  ];
  if (stats.skipReasons.length > 0) {
    out.push('', formatTable(['skip reason', 'functions'], stats.skipReasons.map(([reason, n]) => [reason, n])));
  }
  const rows: Cell[][] = RULE_IDS.filter((rule) => stats.findingsByRule[rule] > 0).map((rule) => [
    rule,
    stats.findingsByRule[rule],
    per10k(stats.findingsByRule[rule], stats.lines),
  ]);
  rows.push(['total', stats.findings, per10k(stats.findings, stats.lines)]);
  out.push('', formatTable(['rule', 'findings', 'per 10k lines'], rows));
  return out.join('\n');
}

/** The function a finding belongs to: the innermost reported function around its line, preferring its name. */
export function enclosingFunction(finding: Finding, functions: readonly FunctionReport[]): FunctionReport | undefined {
  const around = functions.filter((fn) => fn.startLine <= finding.line && finding.line <= fn.endLine);
  const byName = around.filter((fn) => fn.name === finding.function);
  const candidates = byName.length > 0 ? byName : around;
  return candidates.sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine))[0];
}

/** Longest stretch of a function shown; past it, only the lines around the finding and its trace. */
const MAX_SHOWN = 120;
const CONTEXT = 4;

/**
 * The function's source with line numbers; `>` marks the finding's lines, `*` the lines of its trace.
 * A long function is cut to the neighbourhood of the marked lines, with `...` where lines are left out.
 */
export function renderFunctionSource(source: string, finding: Finding, fn: FunctionReport | undefined): string {
  const lines = source.split('\n');
  const primary = new Set<number>();
  for (let line = finding.line; line <= Math.max(finding.line, finding.endLine); line++) primary.add(line);
  const traced = new Set(finding.trace.map((step) => step.line));
  const first = Math.max(1, fn?.startLine ?? finding.line - CONTEXT);
  const last = Math.min(lines.length, fn?.endLine ?? finding.endLine + CONTEXT);
  const marked = [...primary, ...traced];
  const shown = (line: number) =>
    last - first < MAX_SHOWN || line === first || line === last || marked.some((m) => Math.abs(m - line) <= CONTEXT);
  const width = String(last).length;
  const out: string[] = [];
  for (let line = first; line <= last; line++) {
    if (!shown(line)) {
      if (out.at(-1) !== '...') out.push('...');
      continue;
    }
    const mark = primary.has(line) ? '>' : traced.has(line) ? '*' : ' ';
    out.push(`${mark} ${String(line).padStart(width)} | ${lines[line - 1] ?? ''}`);
  }
  return out.join('\n');
}

export function renderFinding(index: number, file: AnalysedFile, finding: Finding, root: string): string {
  const where = relative(root, file.path) || file.path;
  const trace = finding.trace.map((step) => `    line ${step.line}: ${step.note}`);
  const fix = finding.fix ? [`  fix: ${finding.fix.description}`] : [];
  return [
    `--- [${index}] ${where}:${finding.line} ${finding.rule} (${finding.severity}) in ${finding.function}`,
    `  ${finding.message}`,
    ...(trace.length > 0 ? ['  trace:', ...trace] : []),
    ...fix,
    renderFunctionSource(file.source, finding, enclosingFunction(finding, file.result.functions)),
    '  verdict: [ ] true positive  [ ] false positive',
  ].join('\n');
}

/** Per rule: findings with the file's helper summaries minus findings without them. */
export function summaryDifference(withSummaries: readonly Finding[], without: readonly Finding[]): Record<RuleId, number> {
  const a = findingsByRule(withSummaries);
  const b = findingsByRule(without);
  return Object.fromEntries(RULE_IDS.map((rule) => [rule, a[rule] - b[rule]])) as Record<RuleId, number>;
}

export function formatSummaryDifference(withSummaries: readonly Finding[], without: readonly Finding[]): string {
  const a = findingsByRule(withSummaries);
  const b = findingsByRule(without);
  const diff = summaryDifference(withSummaries, without);
  const rows: Cell[][] = RULE_IDS.filter((rule) => a[rule] + b[rule] > 0).map((rule) => [
    rule,
    a[rule],
    b[rule],
    diff[rule] > 0 ? `+${diff[rule]}` : String(diff[rule]),
  ]);
  const total = withSummaries.length - without.length;
  rows.push(['total', withSummaries.length, without.length, total > 0 ? `+${total}` : String(total)]);
  return formatTable(['rule', 'with summaries', 'without', 'difference'], rows);
}

/** Findings of `a` that `b` lacks, matched by file and fingerprint (which survive the other run's changes elsewhere). */
export function findingsOnlyIn(a: readonly Finding[], b: readonly Finding[]): Finding[] {
  const key = (f: Finding) => `${f.file}\u0000${f.fingerprint}`;
  const inB = new Set(b.map(key));
  return a.filter((f) => !inB.has(key(f)));
}

const LISTED = 10;

function listFindings(title: string, findings: readonly Finding[], root: string): string[] {
  if (findings.length === 0) return [];
  const shown = findings.slice(0, LISTED).map((f) => `  ${relative(root, f.file) || f.file}:${f.line} ${f.rule} in ${f.function}: ${f.message}`);
  const more = findings.length > LISTED ? [`  ... and ${findings.length - LISTED} more`] : [];
  return [`${title} (${findings.length}):`, ...shown, ...more];
}

interface Run {
  readonly files: AnalysedFile[];
  readonly crashed: string[];
}

function analyseDir(dir: string, summaries: boolean): Run {
  const files: AnalysedFile[] = [];
  const crashed: string[] = [];
  for (const path of listSourceFiles(dir)) {
    const source = readFileSync(path, 'utf8');
    try {
      files.push({ path, source, result: analyze(source, { path, summaries }) });
    } catch (error) {
      crashed.push(relative(dir, path));
      console.error(`analyze threw on ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  return { files, crashed };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      sample: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      'no-summaries': { type: 'boolean', default: false },
      'compare-summaries': { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  if (positionals.length === 0) {
    console.error('usage: npm run trial -- [--sample N] [--seed S] [--no-summaries | --compare-summaries] [--json out.json] <dirs...>');
    process.exitCode = 2;
    return;
  }
  const summaries = !values['no-summaries'];
  const random = seededRandom(Number(values.seed));
  const report: unknown[] = [];

  for (const dir of positionals.map((d) => resolve(d))) {
    const run = analyseDir(dir, summaries);
    const stats = summariseProject(basename(dir), run.files, run.crashed);
    console.log(formatProjectStats(stats));

    let difference: Record<RuleId, number> | undefined;
    if (values['compare-summaries']) {
      const without = analyseDir(dir, false);
      const withFindings = run.files.flatMap((f) => f.result.findings);
      const withoutFindings = without.files.flatMap((f) => f.result.findings);
      console.log('\nhelper summaries, findings per rule:');
      console.log(formatSummaryDifference(withFindings, withoutFindings));
      const lines = [
        ...listFindings('only with summaries', findingsOnlyIn(withFindings, withoutFindings), dir),
        ...listFindings('only without summaries', findingsOnlyIn(withoutFindings, withFindings), dir),
      ];
      if (lines.length > 0) console.log(lines.join('\n'));
      difference = summaryDifference(withFindings, withoutFindings);
    }

    const all = run.files.flatMap((file) => file.result.findings.map((finding) => ({ file, finding })));
    const picked = sample(all, Number(values.sample), random);
    if (picked.length > 0) console.log(`\nsample of ${picked.length} of ${all.length} findings (seed ${values.seed}):\n`);
    picked.forEach(({ file, finding }, i) => console.log(`${renderFinding(i + 1, file, finding, dir)}\n`));
    console.log('');

    report.push({
      stats,
      summaryDifference: difference,
      sample: picked.map(({ finding }) => ({ ...finding, file: relative(dir, finding.file) })),
      findings: all.map(({ finding }) => ({ ...finding, file: relative(dir, finding.file) })),
    });
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ seed: Number(values.seed), summaries, projects: report }, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
