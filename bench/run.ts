/**
 * npm run bench -- [--touched] [--fraction F] [--seed S] [dirs...]
 *
 * One run over a corpus (default: CPython 3.11's Modules, Objects and Python): a plain tree-sitter
 * parse of every file, then analyze() on every file, and with --touched analyze() again limited to
 * a simulated pull request (a share F of the lines, default 0.05, in runs). Prints wall times,
 * throughput, the analyzer's cost as a multiple of parsing, the slowest files and memory peaks.
 * The numbers are one run's: compare them, never assert them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { analyze, languageFor, type AnalysisResult, type Language } from '../src/analyzer/index.js';
import { CPYTHON_PARTS, CPYTHON_TREE, FETCH_SCRIPT, corpusRoot, listSourceFiles } from './corpus.js';
import { countFunctions, parsePlain } from './parse.js';
import { seededRandom, simulatedTouchedLines } from './random.js';
import { formatNumber, formatTable, type Cell } from './table.js';

interface SourceFile {
  readonly path: string;
  readonly source: string;
  readonly language: Language;
  readonly lines: number;
}

interface FileTiming {
  readonly path: string;
  readonly lines: number;
  readonly ms: number;
}

interface Phase {
  readonly name: string;
  readonly ms: number;
  readonly peakRss: number;
  /** Heap used above what was live when the phase began (mostly the loaded sources). */
  readonly peakHeap: number;
  readonly files: readonly FileTiming[];
}

interface Tally {
  functions: number;
  analysed: number;
  notTouched: number;
  skipped: number;
  findings: number;
  threw: number;
}

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function lineCount(source: string): number {
  if (source.length === 0) return 0;
  const newlines = source.split('\n').length - 1;
  return source.endsWith('\n') ? newlines : newlines + 1;
}

function defaultDirs(): string[] {
  const tree = join(corpusRoot(), CPYTHON_TREE);
  if (!existsSync(tree)) {
    console.error(`${tree} is missing; fetching python3.11 with scripts/fetch-corpus.sh`);
    execFileSync('bash', [FETCH_SCRIPT, 'python3.11'], { stdio: 'inherit' });
  }
  return CPYTHON_PARTS.map((part) => join(tree, part));
}

function loadFiles(dirs: readonly string[]): SourceFile[] {
  return dirs.flatMap((dir) =>
    listSourceFiles(dir).map((path) => {
      const source = readFileSync(path, 'utf8');
      return { path, source, language: languageFor(path) as Language, lines: lineCount(source) };
    }),
  );
}

/** Runs `work` on every file, timing each, sampling memory after each. */
function measure(name: string, files: readonly SourceFile[], work: (file: SourceFile) => void): Phase {
  collectGarbage();
  const heapBase = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage.rss();
  let peakHeap = 0;
  const timings: FileTiming[] = [];
  const start = performance.now();
  for (const file of files) {
    const fileStart = performance.now();
    work(file);
    timings.push({ path: file.path, lines: file.lines, ms: performance.now() - fileStart });
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed - heapBase);
  }
  return { name, ms: performance.now() - start, peakRss, peakHeap, files: timings };
}

function tallyResult(tally: Tally, result: AnalysisResult): void {
  tally.functions += result.functions.length;
  tally.findings += result.findings.length;
  for (const fn of result.functions) {
    if (fn.status.kind === 'analysed') tally.analysed++;
    else if (fn.status.kind === 'skipped') tally.skipped++;
    else tally.notTouched++;
  }
}

function emptyTally(): Tally {
  return { functions: 0, analysed: 0, notTouched: 0, skipped: 0, findings: 0, threw: 0 };
}

function analysePhase(name: string, files: readonly SourceFile[], touched?: ReadonlyMap<string, Set<number>>) {
  const tally = emptyTally();
  const phase = measure(name, files, (file) => {
    try {
      tallyResult(tally, analyze(file.source, { path: file.path, touchedLines: touched?.get(file.path) }));
    } catch (error) {
      tally.threw++;
      console.error(`analyze threw on ${file.path}: ${String(error)}`);
    }
  });
  return { phase, tally };
}

const MB = 1024 * 1024;

function phaseRow(phase: Phase, totalLines: number, baseline: Phase): Cell[] {
  const ratio = (value: number, base: number) => (base > 0 ? `${formatNumber(value / base)}×` : '-');
  return [
    phase.name,
    formatNumber(Math.round(phase.ms)),
    formatNumber(Math.round(totalLines / (phase.ms / 1000))),
    ratio(phase.ms, baseline.ms),
    formatNumber(Math.round(phase.peakRss / MB)),
    ratio(phase.peakRss, baseline.peakRss),
    formatNumber(Math.round(phase.peakHeap / MB)),
    ratio(phase.peakHeap, baseline.peakHeap),
  ];
}

function slowest(phase: Phase, count: number): Cell[][] {
  return [...phase.files]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((file) => [relative(process.cwd(), file.path), file.lines, formatNumber(Math.round(file.ms)), formatNumber(Math.round(file.lines / (file.ms / 1000)))]);
}

function tallyRow(name: string, tally: Tally): Cell[] {
  return [name, tally.functions, tally.analysed, tally.notTouched, tally.skipped, tally.findings, tally.threw];
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      touched: { type: 'boolean', default: false },
      fraction: { type: 'string', default: '0.05' },
      seed: { type: 'string', default: '1' },
    },
  });
  const dirs = positionals.length > 0 ? positionals.map((dir) => resolve(dir)) : defaultDirs();
  const files = loadFiles(dirs);
  const totalLines = files.reduce((sum, file) => sum + file.lines, 0);

  let treeSitterFunctions = 0;
  const parse = measure('tree-sitter parse', files, (file) => {
    treeSitterFunctions += countFunctions(parsePlain(file.source, file.language));
  });
  const full = analysePhase('analyze (every function)', files);
  const phases: Phase[] = [parse, full.phase];
  const tallies: Cell[][] = [tallyRow(full.phase.name, full.tally)];

  if (values.touched) {
    const fraction = Number(values.fraction);
    const random = seededRandom(Number(values.seed));
    const touched = new Map(files.map((file) => [file.path, simulatedTouchedLines(file.lines, fraction, random)]));
    const pr = analysePhase(`analyze (${formatNumber(fraction * 100)}% touched)`, files, touched);
    phases.push(pr.phase);
    tallies.push(tallyRow(pr.phase.name, pr.tally));
  }

  console.log(`corpus: ${dirs.map((dir) => relative(process.cwd(), dir) || '.').join(', ')}`);
  console.log(
    `${formatNumber(files.length)} files, ${formatNumber(totalLines)} lines, ` +
      `${formatNumber(treeSitterFunctions)} function bodies (tree-sitter), node ${process.version}\n`,
  );
  console.log(
    formatTable(
      ['phase', 'wall ms', 'lines/s', '×parse', 'peak RSS MB', '×parse', 'peak heap MB', '×parse'],
      phases.map((phase) => phaseRow(phase, totalLines, parse)),
    ),
  );
  console.log('');
  console.log(formatTable(['run', 'functions', 'analysed', 'not touched', 'skipped', 'findings', 'threw'], tallies));
  for (const phase of [parse, full.phase]) {
    console.log(`\nslowest files under ${phase.name}:`);
    console.log(formatTable(['file', 'lines', 'ms', 'lines/s'], slowest(phase, 10)));
  }
}

main();
