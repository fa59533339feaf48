import { createHash } from 'node:crypto';
import type { Finding } from './findings.js';

/** A finding before its fingerprint, with the text that identifies it when that is not its line's (a leak's origin). */
export type Draft = Omit<Finding, 'fingerprint'> & { readonly subject?: string };

/**
 * A fingerprint that survives pushes which only move lines: the rule, file, function and the primary line's
 * text with whitespace folded, plus the index among findings that share all of those.
 */
export function fingerprintFindings(findings: readonly Draft[], lines: readonly string[]): Finding[] {
  const counts = new Map<string, number>();
  return findings.map(({ subject, ...f }) => {
    const text = (subject ?? lines[f.line - 1] ?? '').replace(/\s+/g, ' ').trim();
    const base = [f.rule, f.file, f.function, text].join('\u0000');
    const index = counts.get(base) ?? 0;
    counts.set(base, index + 1);
    const fingerprint = createHash('sha256').update(`${base}\u0000${index}`).digest('hex').slice(0, 20);
    return { ...f, fingerprint };
  });
}
