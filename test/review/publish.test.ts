import { describe, expect, it } from 'vitest';
import type { GitHub, ReviewComment } from '../../src/github/client.js';
import { publishReview, toInlineComment } from '../../src/review/publish.js';
import { finding } from '../fixtures/github/finding.js';

const ref = { owner: 'o', repo: 'r', pull: 1 };

/** Only the two review calls matter here; GitHub refuses any review holding a comment on a bad line. */
function reviewsOnly(badLines: readonly number[]) {
  const reviews: ReviewComment[][] = [];
  let probes = 0;
  const refuses = (comments: readonly ReviewComment[]) => comments.some((comment) => badLines.includes(comment.line));
  const github = {
    async createReview(_ref, review) {
      if (refuses(review.comments)) return { kind: 'refused', message: 'Unprocessable Entity' } as const;
      reviews.push([...review.comments]);
      return { kind: 'posted', id: reviews.length } as const;
    },
    async acceptsComments(_ref, _commit, comments) {
      probes += 1;
      return !refuses(comments);
    },
  } as Pick<GitHub, 'createReview' | 'acceptsComments'> as GitHub;
  return { github, reviews, probes: () => probes };
}

const comments = (lines: readonly number[]) => lines.map((line) => toInlineComment(finding({ line, fingerprint: `fp${line}` }), { line }));

describe('publishReview', () => {
  it('posts one review with every comment when GitHub takes it', async () => {
    const fake = reviewsOnly([]);
    const result = await publishReview(fake.github, ref, 'sha', 'COMMENT', comments([1, 2, 3]));
    expect(fake.reviews.map((review) => review.map((comment) => comment.line))).toEqual([[1, 2, 3]]);
    expect(result.refused).toEqual([]);
    expect(fake.probes()).toBe(0);
  });

  it('posts nothing when there is nothing to say', async () => {
    const fake = reviewsOnly([]);
    expect(await publishReview(fake.github, ref, 'sha', 'COMMENT', [])).toEqual({ posted: [], refused: [] });
    expect(fake.reviews).toEqual([]);
  });

  it('finds the refused comments by bisection and posts the rest in one review', async () => {
    const fake = reviewsOnly([3, 7]);
    const result = await publishReview(fake.github, ref, 'sha', 'COMMENT', comments([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(result.refused.map((entry) => entry.comment.line)).toEqual([3, 7]);
    expect(fake.reviews.map((review) => review.map((comment) => comment.line))).toEqual([[1, 2, 4, 5, 6, 8]]);
  });

  it('needs few probes for one bad comment among many', async () => {
    const fake = reviewsOnly([13]);
    const result = await publishReview(fake.github, ref, 'sha', 'COMMENT', comments(Array.from({ length: 16 }, (_, index) => index + 1)));
    expect(result.refused.map((entry) => entry.comment.line)).toEqual([13]);
    expect(fake.probes()).toBeLessThanOrEqual(2 * Math.log2(16));
  });

  it('reports all as refused when GitHub refuses each one', async () => {
    const fake = reviewsOnly([1, 2]);
    const result = await publishReview(fake.github, ref, 'sha', 'COMMENT', comments([1, 2]));
    expect(result.posted).toEqual([]);
    expect(result.refused).toHaveLength(2);
    expect(fake.reviews).toEqual([]);
  });

  it('writes multi-line comments with start_line and start_side on the new side', () => {
    const { comment } = toInlineComment(finding({ line: 4, endLine: 6 }), { startLine: 4, line: 6 });
    expect(comment).toMatchObject({ path: 'src/a.c', line: 6, side: 'RIGHT', start_line: 4, start_side: 'RIGHT' });
  });
});
