import type { RuleId } from '../analyzer/findings.js';

export const INFORMATION_URI = 'https://github.com/refcheck/refcheck';

/** One place for the documentation address, so every output (CLI, SARIF, review comments) links the same page. */
export function ruleDocsUrl(rule: RuleId): string {
  return `${INFORMATION_URI}/blob/main/docs/rules/${rule}.md`;
}
