import type { Finding } from '../analyzer/index.js';
import { RULES } from '../analyzer/rules/index.js';
import { fingerprintMarker } from '../github/client.js';
import { ruleDocsUrl } from '../output/rules.js';
import type { Anchor } from './anchor.js';

/** A fence longer than any backtick run in the code, so the code cannot close it early. */
export function fenceFor(lines: readonly string[]): string {
  const longest = Math.max(0, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A GitHub suggestion block: it replaces the commented lines; an empty block deletes them. */
export function suggestionBlock(lines: readonly string[]): string {
  const fence = fenceFor(lines);
  return [`${fence}suggestion`, ...lines, fence].join('\n');
}

function traceDetails(finding: Finding): string | undefined {
  if (finding.trace.length === 0) return undefined;
  const steps = finding.trace.map((step) => `${step.line === 0 ? '-' : `- line ${step.line}:`} ${step.note}`);
  return ['<details><summary>Path</summary>', '', ...steps, '', '</details>'].join('\n');
}

function fixSection(finding: Finding, anchor: Anchor): string | undefined {
  if (finding.fix === undefined) return undefined;
  if (anchor.suggestion === undefined) return `Suggested fix: ${finding.fix.description}.`;
  return `${finding.fix.description}:\n\n${suggestionBlock(anchor.suggestion)}`;
}

/** The body of one inline comment: title, message, path, suggestion, docs link, hidden fingerprint. */
export function commentBody(finding: Finding, anchor: Anchor): string {
  return [
    `**${RULES[finding.rule].meta.title}** (\`${finding.rule}\`)`,
    finding.message,
    traceDetails(finding),
    fixSection(finding, anchor),
    `[Rule documentation](${ruleDocsUrl(finding.rule)})`,
    fingerprintMarker(finding.fingerprint),
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n\n');
}
