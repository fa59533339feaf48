import type { AnalysisResult, Finding } from '../analyzer/findings.js';

/** What one run of the CLI learned about one file; every writer reads this. */
export type FileOutcome =
  | { readonly kind: 'analysed'; readonly path: string; readonly source: string; readonly result: AnalysisResult }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string };

export interface RunReport {
  readonly toolVersion: string;
  readonly files: readonly FileOutcome[];
}

export function findingsOf(report: RunReport): Finding[] {
  return report.files.flatMap((file) => (file.kind === 'analysed' ? [...file.result.findings] : []));
}

/** A file's lines without their terminators, numbered from 1 at index 0. */
export function sourceLines(source: string): string[] {
  if (source === '') return [];
  const body = source.endsWith('\n') ? source.slice(0, -1) : source;
  return body.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}
