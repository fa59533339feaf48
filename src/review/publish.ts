import type { Finding } from '../analyzer/index.js';
import type { GitHub, PullRef, ReviewComment, ReviewEvent } from '../github/client.js';
import type { Anchor } from './anchor.js';
import { commentBody } from './render.js';

export interface InlineComment {
  readonly finding: Finding;
  readonly comment: ReviewComment;
}

export interface PublishResult {
  readonly posted: readonly InlineComment[];
  /** Comments GitHub would not take (a line it does not consider part of the diff, say). */
  readonly refused: readonly InlineComment[];
}

export function toInlineComment(finding: Finding, anchor: Anchor): InlineComment {
  return {
    finding,
    comment: {
      path: finding.file,
      line: anchor.line,
      side: 'RIGHT',
      ...(anchor.startLine === undefined ? {} : { start_line: anchor.startLine, start_side: 'RIGHT' as const }),
      body: commentBody(finding, anchor),
    },
  };
}

export function reviewBody(count: number): string {
  const problems = count === 1 ? '1 new reference-count problem' : `${count} new reference-count problems`;
  return `refcheck found ${problems} in this pull request. The \`refcheck\` check run has the full report.`;
}

/**
 * GitHub refuses a whole review for one bad comment and does not say which: given a list it refuses,
 * bisect with pending reviews (created, then deleted) to find the comments it refuses on their own.
 */
async function refusedAmong(
  comments: readonly InlineComment[],
  accepts: (comments: readonly InlineComment[]) => Promise<boolean>,
): Promise<InlineComment[]> {
  if (comments.length <= 1) return [...comments];
  const middle = Math.ceil(comments.length / 2);
  const left = comments.slice(0, middle);
  const right = comments.slice(middle);
  const leftAccepted = await accepts(left);
  const leftRefused = leftAccepted ? [] : await refusedAmong(left, accepts);
  // When the left half passes, the right half must hold what GitHub refused: no need to ask.
  const rightRefused = !leftAccepted && (await accepts(right)) ? [] : await refusedAmong(right, accepts);
  return [...leftRefused, ...rightRefused];
}

/** Posts one review with these comments; on a 422, finds the refused ones and posts the rest. */
export async function publishReview(
  github: GitHub,
  ref: PullRef,
  commitId: string,
  event: ReviewEvent,
  comments: readonly InlineComment[],
): Promise<PublishResult> {
  if (comments.length === 0) return { posted: [], refused: [] };
  const post = (list: readonly InlineComment[]) =>
    github.createReview(ref, { commitId, event, body: reviewBody(list.length), comments: list.map((entry) => entry.comment) });

  if ((await post(comments)).kind === 'posted') return { posted: comments, refused: [] };
  const refused = await refusedAmong(comments, (list) =>
    github.acceptsComments(ref, commitId, list.map((entry) => entry.comment)),
  );
  const rest = comments.filter((entry) => !refused.includes(entry));
  if (rest.length === 0 || (await post(rest)).kind === 'refused') return { posted: [], refused: comments };
  return { posted: rest, refused };
}
