import type { AnalysisResult, AnalyzeOptions, Diagnostic, Finding } from '../analyzer/index.js';
import type { Config } from '../config/schema.js';
import { addedLines, parsePatch, reconstructBase, type Hunk } from '../diff/index.js';
import type { SourceFile } from './files.js';
import type { ReviewMode } from './request.js';

export type Analyzer = (source: string, options: AnalyzeOptions) => AnalysisResult;

export interface FileAnalysis {
  readonly path: string;
  /** The patch's hunks; absent when GitHub sent no patch, so nothing can be placed inline. */
  readonly hunks?: readonly Hunk[];
  /** Findings at the head that the base version does not have. */
  readonly newFindings: readonly Finding[];
  /** Findings whose fingerprint the base version has too: legacy code, reported collapsed. */
  readonly preExisting: readonly Finding[];
  readonly analysedFunctions: number;
  readonly diagnostics: readonly Diagnostic[];
}

type AnalyzerSettings = Pick<Config, 'python' | 'rules' | 'api'>;

/**
 * Old-side lines of the hunks that add something: the base version's counterpart of the touched
 * functions (a function that only gained lines still has its context lines there).
 */
function baseLinesNearChanges(hunks: readonly Hunk[]): Set<number> {
  const lines = new Set<number>();
  for (const hunk of hunks) {
    if (!hunk.lines.some((line) => line.kind === 'add')) continue;
    for (const line of hunk.lines) if (line.kind !== 'add') lines.add(line.oldLine);
  }
  return lines;
}

/**
 * Analyses the head version (the touched functions, or all of them in full mode or without a patch)
 * and, when the patch lets us rebuild it, the base version, to set pre-existing findings apart.
 */
export function analyzeFile(file: SourceFile, mode: ReviewMode, settings: AnalyzerSettings, analyzer: Analyzer): FileAnalysis {
  const hunks = file.patch === undefined ? undefined : parsePatch(file.patch);
  const common = { path: file.path, python: settings.python, rules: settings.rules, api: settings.api };
  const whole = mode === 'full' || hunks === undefined;

  const head = analyzer(file.text, whole ? common : { ...common, touchedLines: addedLines(hunks) });
  const baseText = hunks === undefined ? undefined : reconstructBase(file.text, hunks);
  const baseFingerprints = new Set(
    baseText === undefined || hunks === undefined
      ? []
      : analyzer(baseText, whole ? common : { ...common, touchedLines: baseLinesNearChanges(hunks) }).findings.map(
          (finding) => finding.fingerprint,
        ),
  );

  return {
    path: file.path,
    ...(hunks === undefined ? {} : { hunks }),
    newFindings: head.findings.filter((finding) => !baseFingerprints.has(finding.fingerprint)),
    preExisting: head.findings.filter((finding) => baseFingerprints.has(finding.fingerprint)),
    analysedFunctions: head.functions.filter((fn) => fn.status.kind === 'analysed').length,
    diagnostics: head.diagnostics,
  };
}
