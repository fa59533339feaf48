import { SEVERITY_RANK, type Finding, type Severity } from '../analyzer/findings.js';

export const FAIL_LEVELS = ['error', 'warning', 'note', 'never'] as const;
export type FailLevel = (typeof FAIL_LEVELS)[number];

/** A CI job should fail on errors unless told otherwise. */
export const DEFAULT_FAIL_LEVEL: FailLevel = 'error';

export function failsAt(severity: Severity, level: FailLevel): boolean {
  return level !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[level];
}

/** 1 when some finding is at or above the fail level, else 0. */
export function exitCodeFor(findings: readonly Finding[], level: FailLevel): 0 | 1 {
  return findings.some((finding) => failsAt(finding.severity, level)) ? 1 : 0;
}
