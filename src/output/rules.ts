import type { RuleId } from '../analyzer/findings.js';

/** One place for the documentation address, so every output links the same page. */
export const RULE_DOCS_BASE_URL = 'https://github.com/refcheck/refcheck/blob/main/docs/rules/';

export const INFORMATION_URI = 'https://github.com/refcheck/refcheck';

export function ruleHelpUri(rule: RuleId): string {
  return `${RULE_DOCS_BASE_URL}${rule}.md`;
}

/**
 * SARIF viewers show a PascalCase rule name next to the id; the validator wants it to differ from
 * the id, so it says what went wrong rather than repeating the id.
 */
export const SARIF_RULE_NAMES: Readonly<Record<RuleId, string>> = {
  leak: 'NewReferenceLeaked',
  'borrowed-release': 'BorrowedReferenceReleased',
  'double-release': 'ReferenceReleasedTwice',
  'dangling-field': 'FieldLeftDangling',
  'use-after-release': 'ReferenceUsedAfterRelease',
  'steal-misuse': 'StolenReferenceMisused',
  'return-borrowed': 'BorrowedReferenceReturned',
  'unchecked-null': 'UncheckedNullResult',
  'prefer-import-module': 'PreferImportModule',
};
