import type { Finding, LineEdit, Severity } from '../analyzer/findings.js';
import { findingsOf, sourceLines, type RunReport } from './report.js';
import { ruleDocsUrl } from './rules.js';

export interface TextOptions {
  readonly color: boolean;
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const ANSI: Readonly<Record<Style, string>> = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
};
const RESET = '\u001b[0m';

const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = { error: 'red', warning: 'yellow', note: 'cyan' };

type Paint = (style: Style, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, text) => `${ANSI[style]}${text}${RESET}` : (_style, text) => text;
}

/** Every finding as `file:line: severity rule: message`, its path trace, its fix as a small diff, and its rule's page. */
export function formatText(report: RunReport, options: TextOptions): string {
  const paint = painter(options.color);
  const blocks = report.files.flatMap((file) =>
    file.kind === 'analysed'
      ? file.result.findings.map((finding) => formatFinding(finding, sourceLines(file.source), paint))
      : [],
  );
  return blocks.map((block) => `${block}\n`).join('');
}

function formatFinding(finding: Finding, lines: readonly string[], paint: Paint): string {
  const head = `${paint('bold', `${finding.file}:${finding.line}:`)} ${paint(SEVERITY_STYLE[finding.severity], finding.severity)} ${paint('dim', finding.rule)}: ${finding.message}`;
  const trace = finding.trace.map((step) => `  line ${step.line}: ${step.note}`);
  const fix =
    finding.fix === undefined
      ? []
      : [`  fix: ${finding.fix.description}`, ...finding.fix.edits.flatMap((edit) => formatEdit(edit, lines, paint))];
  const docs = `  ${paint('dim', `see ${ruleDocsUrl(finding.rule)}`)}`;
  return [head, ...trace, ...fix, docs].join('\n');
}

function formatEdit(edit: LineEdit, lines: readonly string[], paint: Paint): string[] {
  const removed = lines.slice(edit.startLine - 1, edit.endLine);
  const header = `  @@ -${edit.startLine},${removed.length} +${edit.startLine},${edit.lines.length} @@`;
  return [
    paint('cyan', header),
    ...removed.map((line) => paint('red', `  -${line}`)),
    ...edit.lines.map((line) => paint('green', `  +${line}`)),
  ];
}

/** Analyser diagnostics worth a user's attention, one `file:line: warning: message` line each. */
export function formatDiagnostics(report: RunReport): string[] {
  return report.files.flatMap((file) =>
    file.kind === 'analysed'
      ? file.result.diagnostics
          .filter((diagnostic) => diagnostic.severity === 'warning')
          .map((diagnostic) => `${file.path}${diagnostic.line === undefined ? '' : `:${diagnostic.line}`}: warning: ${diagnostic.message}`)
      : [],
  );
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The one-line count that ends every run: "refcheck: 3 findings (2 errors, 1 warning) in 4 files; 1 file skipped". */
export function formatSummary(report: RunReport): string {
  const findings = findingsOf(report);
  const analysed = report.files.filter((file) => file.kind === 'analysed').length;
  const skipped = report.files.length - analysed;
  const bySeverity = (['error', 'warning', 'note'] as const)
    .map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => plural(count, severity));
  const counted = findings.length === 0 ? 'no findings' : `${plural(findings.length, 'finding')} (${bySeverity.join(', ')})`;
  const skippedPart = skipped === 0 ? '' : `; ${plural(skipped, 'file')} skipped`;
  return `refcheck: ${counted} in ${plural(analysed, 'file')}${skippedPart}`;
}
