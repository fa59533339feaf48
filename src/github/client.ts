import type { ProbotOctokit } from 'probot';

/**
 * Everything the review pipeline asks of GitHub, and nothing else: tests replace GitHub at the
 * HTTP level, and the pipeline only ever sees these plain types.
 */

export type GitHubOctokit = InstanceType<typeof ProbotOctokit>;

export interface PullRef {
  readonly owner: string;
  readonly repo: string;
  readonly pull: number;
}

export interface PullHead {
  readonly headSha: string;
  readonly state: 'open' | 'closed';
  readonly draft: boolean;
  readonly author: string;
}

export type PullFileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface PullFile {
  readonly path: string;
  readonly status: PullFileStatus;
  /** Absent for binary files and diffs GitHub finds too large to show. */
  readonly patch?: string;
}

export type FileContent =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'skipped'; readonly reason: string };

/** A review comment this app posted earlier, reduced to what deduplication needs. */
export interface PostedComment {
  readonly fingerprint: string;
  readonly path: string;
  /** The current line, or for an outdated comment (GitHub's `line: null`) the line it was made on. */
  readonly line: number | null;
}

export interface ReviewComment {
  readonly path: string;
  readonly line: number;
  readonly side: 'RIGHT';
  readonly start_line?: number;
  readonly start_side?: 'RIGHT';
  readonly body: string;
}

export type ReviewEvent = 'COMMENT' | 'REQUEST_CHANGES';

export type ReviewResult = { readonly kind: 'posted'; readonly id: number } | { readonly kind: 'refused'; readonly message: string };

export type AnnotationLevel = 'notice' | 'warning' | 'failure';

export interface Annotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: AnnotationLevel;
  readonly title: string;
  readonly message: string;
}

export interface CheckRunOutput {
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly annotations?: readonly Annotation[];
}

export type CheckConclusion = 'success' | 'neutral' | 'failure' | 'cancelled';

export type Reaction = 'eyes' | 'rocket';

/** GitHub's `contents` API inlines base64 content up to 1 MB; larger files need the raw media type. */
const INLINE_CONTENT_LIMIT = 1024 * 1024;

const FINGERPRINT_MARKER = /<!-- refcheck:fp=([^\s>]+) -->/;

export const CHECK_RUN_NAME = 'refcheck';

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- refcheck:fp=${encodeURIComponent(fingerprint)} -->`;
}

export function fingerprintFromBody(body: string): string | undefined {
  const match = FINGERPRINT_MARKER.exec(body);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function decodeText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  return '';
}

/** Git's own heuristic: a NUL byte in the first 8000 characters makes a file binary. */
function looksBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

export interface GitHub {
  /** Requests sent so far through this client's Octokit, retries included. */
  requestCount(): number;
  getPull(ref: PullRef): Promise<PullHead>;
  listPullFiles(ref: PullRef): Promise<PullFile[]>;
  getFileContent(ref: PullRef, path: string, sha: string, maxBytes: number): Promise<FileContent>;
  listPostedComments(ref: PullRef): Promise<PostedComment[]>;
  createReview(ref: PullRef, review: { commitId: string; event: ReviewEvent; body: string; comments: readonly ReviewComment[] }): Promise<ReviewResult>;
  /** Creates a pending review and deletes it again: tells whether GitHub accepts these comments. */
  acceptsComments(ref: PullRef, commitId: string, comments: readonly ReviewComment[]): Promise<boolean>;
  createCheckRun(ref: PullRef, headSha: string, output: CheckRunOutput): Promise<number>;
  updateCheckRun(ref: PullRef, id: number, output: CheckRunOutput): Promise<void>;
  completeCheckRun(ref: PullRef, id: number, conclusion: CheckConclusion, output: CheckRunOutput): Promise<void>;
  react(ref: PullRef, commentId: number, content: Reaction): Promise<void>;
  reply(ref: PullRef, body: string): Promise<void>;
}

export function gitHub(octokit: GitHubOctokit): GitHub {
  let requests = 0;
  octokit.hook.before('request', () => {
    requests += 1;
  });
  const repoOf = (ref: PullRef) => ({ owner: ref.owner, repo: ref.repo });

  return {
    requestCount: () => requests,

    async getPull(ref) {
      const { data } = await octokit.rest.pulls.get({ ...repoOf(ref), pull_number: ref.pull });
      return {
        headSha: data.head.sha,
        state: data.state === 'closed' ? 'closed' : 'open',
        draft: data.draft === true,
        author: data.user.login,
      };
    },

    async listPullFiles(ref) {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        ...repoOf(ref),
        pull_number: ref.pull,
        per_page: 100,
      });
      return files.map((file) => ({
        path: file.filename,
        status: file.status,
        ...(file.patch === undefined ? {} : { patch: file.patch }),
      }));
    },

    async getFileContent(ref, path, sha, maxBytes) {
      // Through the base repository: a fork's commits are reachable there too.
      const params = { ...repoOf(ref), path, ref: sha };
      try {
        const { data } = await octokit.rest.repos.getContent(params);
        if (Array.isArray(data) || data.type !== 'file') return { kind: 'skipped', reason: 'not a regular file' };
        if (data.size > maxBytes) {
          return { kind: 'skipped', reason: `${data.size} bytes, over the ${maxBytes}-byte limit (max_file_bytes)` };
        }
        const text =
          data.size <= INLINE_CONTENT_LIMIT && data.encoding === 'base64'
            ? Buffer.from(data.content, 'base64').toString('utf8')
            : decodeText((await octokit.rest.repos.getContent({ ...params, mediaType: { format: 'raw' } })).data);
        return looksBinary(text) ? { kind: 'skipped', reason: 'binary' } : { kind: 'text', text };
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return { kind: 'skipped', reason: 'not found at the head commit' };
        if (status !== undefined && status >= 500) return { kind: 'skipped', reason: `GitHub answered ${status} when fetching it` };
        throw error;
      }
    },

    async listPostedComments(ref) {
      const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
        ...repoOf(ref),
        pull_number: ref.pull,
        per_page: 100,
      });
      return comments.flatMap((comment) => {
        const fingerprint = comment.user?.type === 'Bot' ? fingerprintFromBody(comment.body) : undefined;
        if (fingerprint === undefined) return [];
        return [{ fingerprint, path: comment.path, line: comment.line ?? comment.original_line ?? null }];
      });
    },

    async createReview(ref, review) {
      try {
        const { data } = await octokit.rest.pulls.createReview({
          ...repoOf(ref),
          pull_number: ref.pull,
          commit_id: review.commitId,
          event: review.event,
          body: review.body,
          comments: review.comments.map((comment) => ({ ...comment })),
        });
        return { kind: 'posted', id: data.id };
      } catch (error) {
        if (statusOf(error) === 422) return { kind: 'refused', message: messageOf(error) };
        throw error;
      }
    },

    async acceptsComments(ref, commitId, comments) {
      try {
        const { data } = await octokit.rest.pulls.createReview({
          ...repoOf(ref),
          pull_number: ref.pull,
          commit_id: commitId,
          comments: comments.map((comment) => ({ ...comment })),
        });
        await octokit.rest.pulls.deletePendingReview({ ...repoOf(ref), pull_number: ref.pull, review_id: data.id });
        return true;
      } catch (error) {
        if (statusOf(error) === 422) return false;
        throw error;
      }
    },

    async createCheckRun(ref, headSha, output) {
      const { data } = await octokit.rest.checks.create({
        ...repoOf(ref),
        name: CHECK_RUN_NAME,
        head_sha: headSha,
        status: 'in_progress',
        // Check runs of fork pull requests carry no `pull_requests`; this is how a re-request finds its PR.
        external_id: String(ref.pull),
        started_at: new Date().toISOString(),
        output: { title: output.title, summary: output.summary },
      });
      return data.id;
    },

    async updateCheckRun(ref, id, output) {
      await octokit.rest.checks.update({ ...repoOf(ref), check_run_id: id, output: toOutput(output) });
    },

    async completeCheckRun(ref, id, conclusion, output) {
      await octokit.rest.checks.update({
        ...repoOf(ref),
        check_run_id: id,
        status: 'completed',
        conclusion,
        completed_at: new Date().toISOString(),
        output: toOutput(output),
      });
    },

    async react(ref, commentId, content) {
      await octokit.rest.reactions.createForIssueComment({ ...repoOf(ref), comment_id: commentId, content });
    },

    async reply(ref, body) {
      await octokit.rest.issues.createComment({ ...repoOf(ref), issue_number: ref.pull, body });
    },
  };
}

function toOutput(output: CheckRunOutput) {
  return {
    title: output.title,
    summary: output.summary,
    ...(output.text === undefined ? {} : { text: output.text }),
    ...(output.annotations === undefined ? {} : { annotations: output.annotations.map((annotation) => ({ ...annotation })) }),
  };
}
