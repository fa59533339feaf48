import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { RULE_IDS, type Finding, type LineEdit } from '../analyzer/findings.js';
import { findingsOf, sourceLines, type RunReport } from './report.js';
import { RULES } from '../analyzer/rules/index.js';
import { INFORMATION_URI, ruleDocsUrl } from './rules.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const FINGERPRINT_KEY = 'refcheck/v1';

export interface SarifOptions {
  /** Absolute directory that relative artifact URIs are resolved against (%SRCROOT%). */
  readonly root: string;
}

/** A path as SARIF wants it: relative to %SRCROOT% with forward slashes and escaped segments, or a file: URI outside it. */
export function artifactLocation(path: string, root: string): Sarif.ArtifactLocation {
  const absolute = resolve(root, path);
  const fromRoot = relative(root, absolute);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) return { uri: pathToFileURL(absolute).href };
  return { uri: fromRoot.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/**
 * A whole-line edit as a SARIF replacement. Columns are given explicitly because a region without
 * them stops before the last line's newline: lines are deleted together with their newline by ending
 * the region at column 1 of the next line; at the end of the file, where no next line exists, the
 * region ends after the last character and the newline that goes is the one before the first line.
 */
export function lineReplacement(edit: LineEdit, source: string): Sarif.Replacement {
  const lines = sourceLines(source);
  // The file's own line ending, so inserted lines match their neighbours.
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const inserted = edit.lines.map((line) => line + eol).join('');
  if (edit.endLine < lines.length) {
    return {
      deletedRegion: { startLine: edit.startLine, startColumn: 1, endLine: edit.endLine + 1, endColumn: 1 },
      insertedContent: { text: inserted },
    };
  }
  const lastColumn = (lines[edit.endLine - 1] ?? '').length + 1;
  if (edit.lines.length > 0 || edit.startLine === 1) {
    return {
      deletedRegion: { startLine: edit.startLine, startColumn: 1, endLine: edit.endLine, endColumn: lastColumn },
      insertedContent: { text: inserted.slice(0, inserted.length - (edit.lines.length > 0 ? eol.length : 0)) },
    };
  }
  const previousEnd = (lines[edit.startLine - 2] ?? '').length + 1;
  return {
    deletedRegion: { startLine: edit.startLine - 1, startColumn: previousEnd, endLine: edit.endLine, endColumn: lastColumn },
    insertedContent: { text: '' },
  };
}

function toResult(finding: Finding, source: string, root: string): Sarif.Result {
  const artifact = artifactLocation(finding.file, root);
  const result: Sarif.Result = {
    ruleId: finding.rule,
    ruleIndex: RULE_IDS.indexOf(finding.rule),
    level: finding.severity,
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: { artifactLocation: artifact, region: { startLine: finding.line, endLine: finding.endLine } },
        logicalLocations: [{ name: finding.function, kind: 'function' }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
  if (finding.trace.length > 0) {
    result.codeFlows = [
      {
        threadFlows: [
          {
            locations: finding.trace.map((step) => ({
              location: {
                physicalLocation: { artifactLocation: artifact, region: { startLine: step.line } },
                message: { text: step.note },
              },
            })),
          },
        ],
      },
    ];
  }
  if (finding.fix !== undefined && finding.fix.edits.length > 0) {
    result.fixes = [
      {
        description: { text: finding.fix.description },
        artifactChanges: [
          { artifactLocation: artifact, replacements: finding.fix.edits.map((edit) => lineReplacement(edit, source)) },
        ],
      },
    ];
  }
  return result;
}

function notifications(report: RunReport, root: string): Sarif.Notification[] {
  return report.files.flatMap((file): Sarif.Notification[] => {
    const where = (line?: number): Sarif.Location[] => [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(file.path, root),
          ...(line === undefined ? {} : { region: { startLine: line } }),
        },
      },
    ];
    if (file.kind === 'skipped') {
      return [{ level: 'warning', message: { text: `Skipped ${file.path}: ${file.reason}` }, locations: where() }];
    }
    return file.result.diagnostics.map((diagnostic) => ({
      level: diagnostic.severity === 'warning' ? 'warning' : 'note',
      message: { text: diagnostic.message },
      locations: where(diagnostic.line),
    }));
  });
}

export function toSarif(report: RunReport, options: SarifOptions): Sarif.Log {
  const sources = new Map(report.files.flatMap((file) => (file.kind === 'analysed' ? [[file.path, file.source] as const] : [])));
  const results = findingsOf(report).map((finding) => toResult(finding, sources.get(finding.file) ?? '', options.root));
  const rootUri = pathToFileURL(options.root.endsWith(sep) ? options.root : options.root + sep).href;
  const toolNotifications = notifications(report, options.root);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'refcheck',
            version: report.toolVersion,
            informationUri: INFORMATION_URI,
            rules: RULE_IDS.map((id) => ({
              id,
              name: RULES[id].meta.name,
              shortDescription: { text: RULES[id].meta.description },
              helpUri: ruleDocsUrl(id),
              defaultConfiguration: { level: RULES[id].meta.defaultSeverity },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
        invocations: [
          {
            executionSuccessful: true,
            ...(toolNotifications.length > 0 ? { toolExecutionNotifications: toolNotifications } : {}),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(report: RunReport, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}
