import { resolve } from 'node:path';
import { parseUnifiedDiff } from '../diff/parse.js';
import { formatJson } from '../output/json.js';
import { findingsOf, type FileOutcome, type RunReport } from '../output/report.js';
import { formatDiagnostics, formatSummary, formatText } from '../output/text.js';
import { loadConfigText } from './config-file.js';
import { decodeSource } from './decode-source.js';
import type { CliDeps } from './deps.js';
import { diffTargets } from './diff-targets.js';
import { discoverSourceFiles } from './discover.js';
import { exitCodeFor } from './fail-level.js';
import { parseArgs, type CliOptions, type DiffSource } from './options.js';
import { pathFilter } from './path-filter.js';
import { resolveSettings, type FileConfig, type Settings } from './settings.js';
import { toolVersion } from './version.js';

/** The file the GitHub App reads, used by the CLI too when no --config is given. */
export const DEFAULT_CONFIG_PATH = '.github/refcheck.yml';

const USAGE_ERROR = 2;
const INTERNAL_ERROR = 2;

interface Target {
  readonly path: string;
  readonly absolutePath: string;
  readonly touchedLines?: ReadonlySet<number>;
}

/** A step that either gives its value or has already told the user why the run stops with exit code 2. */
type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function loadConfig(options: CliOptions, deps: CliDeps): Promise<Step<FileConfig | undefined>> {
  const path = options.config ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = Buffer.from(await deps.readFile(resolve(deps.cwd, path))).toString('utf8');
  } catch (error) {
    if (options.config === undefined && isMissingFile(error)) return { ok: true, value: undefined };
    deps.stderr(`refcheck: cannot read config ${path}: ${messageOf(error)}\n`);
    return { ok: false };
  }
  const loaded = loadConfigText(text);
  if (!loaded.ok) {
    deps.stderr(`refcheck: invalid config ${path}:\n${loaded.errors.map((line) => `  ${line}\n`).join('')}`);
    return { ok: false };
  }
  return { ok: true, value: loaded };
}

async function readDiff(source: DiffSource, deps: CliDeps): Promise<Step<string>> {
  try {
    switch (source.kind) {
      case 'stdin':
        return { ok: true, value: await deps.readStdin() };
      case 'file':
        return { ok: true, value: Buffer.from(await deps.readFile(resolve(deps.cwd, source.path))).toString('utf8') };
      case 'git':
        return { ok: true, value: await deps.gitDiff(source.rev, deps.cwd) };
    }
  } catch (error) {
    const what = source.kind === 'git' ? `git diff ${source.rev}` : source.kind === 'file' ? source.path : 'the diff on stdin';
    deps.stderr(`refcheck: cannot read ${what}: ${messageOf(error)}\n`);
    return { ok: false };
  }
}

interface Targets {
  readonly targets: readonly Target[];
  readonly skipped: readonly FileOutcome[];
}

async function collectTargets(options: CliOptions, settings: Settings, deps: CliDeps): Promise<Step<Targets>> {
  const wanted = pathFilter(settings.include, settings.exclude);
  if (options.diff !== undefined) {
    const diff = await readDiff(options.diff, deps);
    if (!diff.ok) return diff;
    const targets = diffTargets(parseUnifiedDiff(diff.value), deps.cwd, options.paths).filter((target) => wanted(target.path));
    return { ok: true, value: { targets, skipped: [] } };
  }
  const discovery = await discoverSourceFiles(options.paths, deps.cwd);
  if (discovery.missing.length > 0) {
    for (const path of discovery.missing) deps.stderr(`refcheck: no such file or directory: ${path}\n`);
    return { ok: false };
  }
  const skipped = discovery.skipped.map((file): FileOutcome => ({ kind: 'skipped', ...file }));
  return { ok: true, value: { targets: discovery.files.filter((file) => wanted(file.path)), skipped } };
}

interface TargetOutcome {
  readonly outcome: FileOutcome;
  /** The analyzer threw: a bug in refcheck, which makes the exit status 2 once every other file is done. */
  readonly crashed: boolean;
}

/** Reads and analyses one file; whatever goes wrong with this file is reported for it alone. */
async function analyseTarget(target: Target, settings: Settings, deps: CliDeps): Promise<TargetOutcome> {
  const skip = (reason: string, crashed = false): TargetOutcome => ({
    outcome: { kind: 'skipped', path: target.path, reason },
    crashed,
  });
  let bytes: Uint8Array;
  try {
    bytes = await deps.readFile(target.absolutePath);
  } catch (error) {
    return skip(`cannot be read: ${messageOf(error)}`);
  }
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return skip(decoded.reason);
  try {
    const result = await deps.analyze(decoded.text, {
      path: target.path,
      python: settings.python,
      rules: settings.rules,
      api: settings.api,
      touchedLines: target.touchedLines,
    });
    return { outcome: { kind: 'analysed', path: target.path, source: decoded.text, result }, crashed: false };
  } catch (error) {
    return skip(`internal error in the analyzer: ${messageOf(error)}`, true);
  }
}

async function render(report: RunReport, options: CliOptions, deps: CliDeps): Promise<string> {
  switch (options.format) {
    case 'json':
      return formatJson(report);
    case 'sarif': {
      // Loaded here because it reads the rule catalogue, which brings in the analyzer.
      const { formatSarif } = await import('../output/sarif.js');
      return formatSarif(report, { root: deps.cwd });
    }
    case 'text': {
      const noColor = deps.env.NO_COLOR !== undefined && deps.env.NO_COLOR !== '';
      return formatText(report, { color: deps.stdoutIsTTY && !noColor });
    }
  }
}

async function run(argv: readonly string[], deps: CliDeps): Promise<number> {
  const version = toolVersion();
  const parsed = parseArgs(argv, version, { stdout: deps.stdout, stderr: deps.stderr });
  if (parsed.kind === 'exit') return parsed.code;
  const options = parsed.options;

  const config = await loadConfig(options, deps);
  if (!config.ok) return USAGE_ERROR;
  const settings = resolveSettings(options, config.value);

  const collected = await collectTargets(options, settings, deps);
  if (!collected.ok) return USAGE_ERROR;
  const { targets, skipped } = collected.value;

  const files: FileOutcome[] = [...skipped];
  let crashed = false;
  for (const target of targets) {
    const analysed = await analyseTarget(target, settings, deps);
    files.push(analysed.outcome);
    crashed ||= analysed.crashed;
  }
  const report: RunReport = { toolVersion: version, files };

  for (const file of files) if (file.kind === 'skipped') deps.stderr(`refcheck: skipped ${file.path}: ${file.reason}\n`);
  if (options.format === 'text') for (const line of formatDiagnostics(report)) deps.stderr(`${line}\n`);
  deps.stdout(await render(report, options, deps));
  deps.stderr(`${formatSummary(report)}\n`);
  return crashed ? INTERNAL_ERROR : exitCodeFor(findingsOf(report), settings.failOn);
}

/**
 * The whole command line: arguments in, exit code out (0 clean, 1 findings at or above --fail-on,
 * 2 usage or internal error). Never throws.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  try {
    return await run(argv, deps);
  } catch (error) {
    deps.stderr(`refcheck: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return INTERNAL_ERROR;
  }
}
