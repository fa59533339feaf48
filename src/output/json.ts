import type { Diagnostic, Finding } from '../analyzer/findings.js';
import { findingsOf, type RunReport } from './report.js';

/** Bumped when a consumer of the JSON output would need to change. */
export const JSON_FORMAT_VERSION = 1;

interface SkippedFunction {
  readonly name: string;
  readonly line: number;
  readonly reason: string;
}

type JsonFile =
  | {
      readonly path: string;
      readonly status: 'analysed';
      readonly functions: { readonly analysed: number; readonly notTouched: number; readonly skipped: readonly SkippedFunction[] };
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly path: string; readonly status: 'skipped'; readonly reason: string };

export interface JsonReport {
  readonly version: number;
  readonly tool: { readonly name: 'refcheck'; readonly version: string };
  readonly findings: readonly Finding[];
  readonly files: readonly JsonFile[];
}

export function toJsonReport(report: RunReport): JsonReport {
  const files = report.files.map((file): JsonFile => {
    if (file.kind === 'skipped') return { path: file.path, status: 'skipped', reason: file.reason };
    const functions = file.result.functions;
    return {
      path: file.path,
      status: 'analysed',
      functions: {
        analysed: functions.filter((fn) => fn.status.kind === 'analysed').length,
        notTouched: functions.filter((fn) => fn.status.kind === 'not-touched').length,
        skipped: functions.flatMap((fn) =>
          fn.status.kind === 'skipped' ? [{ name: fn.name, line: fn.startLine, reason: fn.status.reason }] : [],
        ),
      },
      diagnostics: file.result.diagnostics,
    };
  });
  return { version: JSON_FORMAT_VERSION, tool: { name: 'refcheck', version: report.toolVersion }, findings: findingsOf(report), files };
}

export function formatJson(report: RunReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
