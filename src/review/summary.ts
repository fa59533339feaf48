import { RULE_IDS, SEVERITY_RANK, type Finding, type Severity } from '../analyzer/index.js';
import type { Config } from '../config/schema.js';
import type { Annotation, AnnotationLevel, CheckConclusion, CheckRunOutput } from '../github/client.js';
import type { FileAnalysis } from './analysis.js';
import type { SkippedFile } from './files.js';
import { RULES } from '../analyzer/rules/index.js';
import { ruleDocsUrl } from '../output/rules.js';
import type { ReviewMode } from './request.js';
import type { Labelled, SummaryReason } from './select.js';

/** GitHub's limit on a check run's `output.summary` and `output.text`. */
export const OUTPUT_LIMIT = 65535;
/** GitHub's limit on annotations per check-run request. */
export const ANNOTATION_BATCH = 50;

export interface RunReport {
  readonly headSha: string;
  readonly mode: ReviewMode;
  readonly configErrors: readonly string[];
  /** The list stopped at GitHub's 3000 files. */
  readonly fileListTruncated: boolean;
  readonly analyses: readonly FileAnalysis[];
  readonly skipped: readonly SkippedFile[];
  readonly labelled: readonly Labelled[];
}

const REASONS: Readonly<Record<SummaryReason, string>> = {
  'outside-diff': 'outside the diff',
  'no-patch': 'GitHub sent no patch for this file',
  'over-cap': 'over the max_comments cap',
  refused: 'GitHub refused the comment',
};

const LEVELS: Readonly<Record<Severity, AnnotationLevel>> = { error: 'failure', warning: 'warning', note: 'notice' };

function isNew(entry: Labelled): boolean {
  return entry.placement.kind !== 'pre-existing';
}

export function conclusionFor(labelled: readonly Labelled[], failOn: Config['fail_on']): CheckConclusion {
  const found = labelled.filter(isNew);
  if (found.length === 0) return 'success';
  if (failOn !== 'never' && found.some((entry) => SEVERITY_RANK[entry.finding.severity] >= SEVERITY_RANK[failOn])) return 'failure';
  return 'neutral';
}

export function annotationsFor(labelled: readonly Labelled[]): Annotation[] {
  return labelled.filter(isNew).map(({ finding }) => ({
    path: finding.file,
    start_line: finding.line,
    end_line: Math.max(finding.line, finding.endLine),
    annotation_level: LEVELS[finding.severity],
    title: `${finding.rule}: ${RULES[finding.rule].meta.title}`,
    message: finding.message,
  }));
}

export function batches<T>(items: readonly T[], size: number = ANNOTATION_BATCH): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Cuts Markdown to GitHub's limit, saying so, at a line boundary. */
export function withinLimit(markdown: string, limit: number = OUTPUT_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const note = '\n\n_The rest is cut: GitHub limits this text to 65535 characters. See the annotations._';
  const cut = markdown.slice(0, limit - note.length);
  return cut.slice(0, Math.max(0, cut.lastIndexOf('\n'))) + note;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function findingLine(finding: Finding, extra = ''): string {
  return `- \`${finding.file}:${finding.line}\` [\`${finding.rule}\`](${ruleDocsUrl(finding.rule)}) ${finding.message}${extra}`;
}

export function checkRunTitle(report: RunReport): string {
  const found = report.labelled.filter(isNew).length;
  const preExisting = report.labelled.length - found;
  const title = found === 0 ? 'No new reference-count problems' : `${plural(found, 'new finding')}`;
  const extras = [
    ...(preExisting > 0 ? [`${preExisting} pre-existing`] : []),
    ...(report.configErrors.length > 0 ? ['invalid config, defaults used'] : []),
  ];
  return extras.length === 0 ? title : `${title} (${extras.join('; ')})`;
}

function ruleTable(labelled: readonly Labelled[]): string[] {
  const count = (rule: string, pre: boolean) =>
    labelled.filter((entry) => entry.finding.rule === rule && (entry.placement.kind === 'pre-existing') === pre).length;
  return [
    '| Rule | New | Pre-existing |',
    '|---|---:|---:|',
    ...RULE_IDS.map((rule) => `| [\`${rule}\`](${ruleDocsUrl(rule)}) | ${count(rule, false)} | ${count(rule, true)} |`),
  ];
}

export function checkRunSummary(report: RunReport): string {
  const functions = report.analyses.reduce((sum, analysis) => sum + analysis.analysedFunctions, 0);
  const scope = report.mode === 'full' ? 'all functions' : 'the touched functions';
  const sections: string[][] = [];

  if (report.configErrors.length > 0) {
    sections.push([
      '### Configuration error',
      '`.github/refcheck.yml` is invalid, so the defaults were used:',
      ...report.configErrors.map((error) => `- ${error}`),
    ]);
  }
  sections.push([
    `Analysed ${scope} of ${plural(report.analyses.length, 'C/C++ file')} at ${report.headSha.slice(0, 7)} (${plural(functions, 'function')}).`,
    ...(report.fileListTruncated ? ['', 'GitHub lists only the first 3000 files of a pull request; later files were not analysed.'] : []),
  ]);
  sections.push(ruleTable(report.labelled));

  const notInline = report.labelled.flatMap((entry) =>
    entry.placement.kind === 'summary' ? [findingLine(entry.finding, ` (${REASONS[entry.placement.reason]})`)] : [],
  );
  if (notInline.length > 0) sections.push([`### Not placed inline (${notInline.length})`, ...notInline]);

  const preExisting = report.labelled.filter((entry) => entry.placement.kind === 'pre-existing');
  if (preExisting.length > 0) {
    sections.push([
      `<details><summary>Pre-existing findings (${preExisting.length}): already in the base version</summary>`,
      '',
      ...preExisting.map((entry) => findingLine(entry.finding)),
      '',
      '</details>',
    ]);
  }

  const notes = [
    ...report.skipped.map((file) => `- \`${file.path}\`: skipped, ${file.reason}`),
    ...report.analyses.flatMap((analysis) =>
      analysis.diagnostics
        .filter((diagnostic) => diagnostic.severity === 'warning')
        .map((diagnostic) => `- \`${analysis.path}${diagnostic.line === undefined ? '' : `:${diagnostic.line}`}\`: ${diagnostic.message}`),
    ),
  ];
  if (notes.length > 0) sections.push([`### Files not fully analysed`, ...notes]);

  return withinLimit(sections.map((lines) => lines.join('\n')).join('\n\n'));
}

export function checkRunOutput(report: RunReport): CheckRunOutput {
  return { title: checkRunTitle(report), summary: checkRunSummary(report) };
}
