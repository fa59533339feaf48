import { SEVERITY_RANK, type Finding } from '../analyzer/index.js';
import { commentableLines } from '../diff/index.js';
import type { FileAnalysis } from './analysis.js';
import { anchorFinding, type Anchor } from './anchor.js';

export type SummaryReason = 'outside-diff' | 'no-patch' | 'over-cap' | 'refused';

/** What happens to a finding; every finding gets one, none is dropped. */
export type Placement =
  | { readonly kind: 'inline'; readonly anchor: Anchor }
  | { readonly kind: 'already-posted' }
  | { readonly kind: 'summary'; readonly reason: SummaryReason }
  | { readonly kind: 'pre-existing' };

export interface Labelled {
  readonly finding: Finding;
  readonly placement: Placement;
}

function byImportance(a: Labelled, b: Labelled): number {
  return (
    SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] ||
    a.finding.file.localeCompare(b.finding.file) ||
    a.finding.line - b.finding.line
  );
}

function placeNew(analysis: FileAnalysis, finding: Finding, posted: ReadonlySet<string>): Placement {
  if (posted.has(finding.fingerprint)) return { kind: 'already-posted' };
  if (analysis.hunks === undefined) return { kind: 'summary', reason: 'no-patch' };
  const anchor = anchorFinding(finding, commentableLines(analysis.hunks));
  return anchor === undefined ? { kind: 'summary', reason: 'outside-diff' } : { kind: 'inline', anchor };
}

/**
 * Labels every finding: inline (the most severe first, up to `maxComments`), already posted,
 * summary with the reason, or pre-existing.
 */
export function labelFindings(analyses: readonly FileAnalysis[], posted: ReadonlySet<string>, maxComments: number): Labelled[] {
  const labelled = analyses.flatMap((analysis) => [
    ...analysis.newFindings.map((finding) => ({ finding, placement: placeNew(analysis, finding, posted) })),
    ...analysis.preExisting.map((finding): Labelled => ({ finding, placement: { kind: 'pre-existing' } })),
  ]);
  let inline = 0;
  return labelled.sort(byImportance).map((entry) => {
    if (entry.placement.kind !== 'inline') return entry;
    inline += 1;
    return inline <= maxComments ? entry : { finding: entry.finding, placement: { kind: 'summary', reason: 'over-cap' } };
  });
}
