import { commentableLines, parsePatch } from '../diff/index.js';

/**
 * A small in-process GitHub: just the endpoints the app calls, with GitHub's rules where they
 * matter (review comments must sit on new-side lines of a hunk; 100 files a page, 3000 at most).
 * The demo serves it over HTTP on 127.0.0.1; tests route nock interceptors to it.
 */

export interface StandInFile {
  readonly path: string;
  readonly status: 'added' | 'removed' | 'modified' | 'renamed';
  readonly previousPath?: string;
  /** Omitted: GitHub sent no patch (binary file or a diff too large). */
  readonly patch?: string;
  /** The content at the head commit; absent for removed files. */
  readonly content?: string;
}

export interface StandInComment {
  readonly id: number;
  readonly path: string;
  readonly line: number | null;
  readonly original_line: number;
  readonly start_line?: number | null;
  readonly body: string;
  readonly user: { readonly login: string; readonly type: 'Bot' | 'User' };
}

export interface StandInPull {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly author: string;
  headSha: string;
  readonly draft?: boolean;
  readonly files: readonly StandInFile[];
  /** `.github/refcheck.yml` on the default branch; absent: 404. */
  readonly config?: string;
  /** Review comments already on the pull request. */
  readonly comments?: StandInComment[];
  /** The head moves to this sha as soon as a file is read: another push arrived mid-run. */
  readonly movesTo?: string;
  /** Lines GitHub refuses although they are in the diff (it has reasons it does not give). */
  readonly refusedLines?: readonly { readonly path: string; readonly line: number }[];
}

export interface StandInRequest {
  readonly method: string;
  /** Path and query, as sent: `/repos/o/r/contents/src%2Fa.c?ref=...`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

export interface StandInResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PostedReview {
  readonly id: number;
  readonly commit_id: string;
  readonly event: string | undefined;
  readonly body: string;
  readonly comments: readonly {
    readonly path: string;
    readonly line: number;
    readonly start_line?: number;
    readonly side?: string;
    readonly body: string;
  }[];
}

export interface CheckRunState {
  readonly id: number;
  status: string;
  conclusion?: string;
  external_id?: string;
  output: { title: string; summary: string; text?: string };
  annotations: unknown[];
  updates: number;
}

const PAGE_LIMIT = 100;
const FILE_LIMIT = 3000;
const INLINE_LIMIT = 1024 * 1024;
export const STAND_IN_BOT = 'refcheck[bot]';

type ReviewBody = {
  commit_id?: string;
  event?: string;
  body?: string;
  comments?: { path: string; line: number; start_line?: number; side?: string; body: string }[];
};

export class GitHubStandIn {
  readonly reviews: PostedReview[] = [];
  readonly checkRuns: CheckRunState[] = [];
  readonly reactions: { commentId: number; content: string }[] = [];
  readonly issueComments: string[] = [];
  private nextId = 1000;
  private pending = new Set<number>();

  constructor(
    readonly pull: StandInPull,
    /** `https://api.github.com`, or the demo's local address: used in pagination links. */
    readonly origin: string,
  ) {}

  handle(request: StandInRequest): StandInResponse {
    const url = new URL(request.url, this.origin);
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const route = `${request.method} /${parts.map((part, index) => (index >= 3 && /^\d+$/.test(part) ? ':n' : part)).join('/')}`;
    const { owner, repo } = this.pull;
    const base = `/repos/${owner}/${repo}`;

    if (request.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(url.pathname)) {
      return { status: 201, body: { token: 'ghs_standin', expires_at: '2999-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' } };
    }
    if (!url.pathname.startsWith(`${base}/`) && !url.pathname.startsWith(`/repos/${owner}/.github/`)) {
      return { status: 404, body: { message: 'Not Found' } };
    }
    if (request.method === 'GET' && parts[3] === 'contents') return this.contents(parts.slice(4).join('/'), parts[2] ?? '', url, request);
    switch (route) {
      case `GET ${base}/pulls/:n`:
        return { status: 200, body: this.pullBody() };
      case `GET ${base}/pulls/:n/files`:
        return this.page(url, this.pull.files.slice(0, FILE_LIMIT).map((file) => this.fileBody(file)));
      case `GET ${base}/pulls/:n/comments`:
        return this.page(url, this.pull.comments ?? []);
      case `POST ${base}/pulls/:n/reviews`:
        return this.createReview(request.body as ReviewBody);
      case `DELETE ${base}/pulls/:n/reviews/:n`:
        this.pending.delete(Number(parts[6]));
        return { status: 200, body: { id: Number(parts[6]) } };
      case `POST ${base}/check-runs`:
        return this.createCheckRun(request.body as Record<string, unknown>);
      case `PATCH ${base}/check-runs/:n`:
        return this.updateCheckRun(Number(parts[4]), request.body as Record<string, unknown>);
      case `POST ${base}/issues/comments/:n/reactions`:
        this.reactions.push({ commentId: Number(parts[5]), content: String((request.body as { content: string }).content) });
        return { status: 201, body: { id: this.id(), content: (request.body as { content: string }).content } };
      case `POST ${base}/issues/:n/comments`:
        this.issueComments.push(String((request.body as { body: string }).body));
        return { status: 201, body: { id: this.id() } };
      default:
        return { status: 404, body: { message: `Not Found: ${route}` } };
    }
  }

  private id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  private pullBody() {
    return {
      number: this.pull.number,
      state: 'open',
      draft: this.pull.draft === true,
      user: { login: this.pull.author, type: 'User' },
      head: { sha: this.pull.headSha },
    };
  }

  private fileBody(file: StandInFile) {
    return {
      sha: 'f'.repeat(40),
      filename: file.path,
      status: file.status,
      ...(file.previousPath === undefined ? {} : { previous_filename: file.previousPath }),
      ...(file.patch === undefined ? {} : { patch: file.patch }),
    };
  }

  private page(url: URL, items: readonly unknown[]): StandInResponse {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), PAGE_LIMIT);
    const page = Number(url.searchParams.get('page') ?? 1);
    const body = items.slice((page - 1) * perPage, page * perPage);
    if (page * perPage >= items.length) return { status: 200, body };
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    return { status: 200, body, headers: { link: `<${next.href}>; rel="next"` } };
  }

  private contents(path: string, repo: string, url: URL, request: StandInRequest): StandInResponse {
    if (path === '.github/refcheck.yml') {
      if (repo !== this.pull.repo || this.pull.config === undefined) return { status: 404, body: { message: 'Not Found' } };
      return { status: 200, body: this.pull.config, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    const file = this.pull.files.find((candidate) => candidate.path === path && candidate.content !== undefined);
    if (file?.content === undefined || url.searchParams.get('ref') === null) return { status: 404, body: { message: 'Not Found' } };
    if (this.pull.movesTo !== undefined) this.pull.headSha = this.pull.movesTo;
    if ((request.headers['accept'] ?? '').includes('raw')) {
      return { status: 200, body: file.content, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    const size = Buffer.byteLength(file.content);
    const inline = size <= INLINE_LIMIT;
    return {
      status: 200,
      body: {
        type: 'file',
        name: path.slice(path.lastIndexOf('/') + 1),
        path,
        sha: 'b'.repeat(40),
        size,
        encoding: inline ? 'base64' : 'none',
        content: inline ? Buffer.from(file.content).toString('base64') : '',
      },
    };
  }

  /** GitHub's rule: every comment on new-side lines of one hunk, start_line < line. */
  private refuses(comment: NonNullable<ReviewBody['comments']>[number]): boolean {
    const file = this.pull.files.find((candidate) => candidate.path === comment.path);
    if (file?.patch === undefined) return true;
    if (this.pull.refusedLines?.some((refused) => refused.path === comment.path && refused.line === comment.line)) return true;
    const commentable = commentableLines(parsePatch(file.patch));
    const hunk = commentable.get(comment.line);
    if (hunk === undefined) return true;
    if (comment.start_line === undefined) return false;
    return comment.start_line >= comment.line || commentable.get(comment.start_line) !== hunk;
  }

  private createReview(body: ReviewBody): StandInResponse {
    const comments = body.comments ?? [];
    if (comments.some((comment) => this.refuses(comment))) {
      return {
        status: 422,
        body: { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] },
      };
    }
    const id = this.id();
    if (body.event === undefined) {
      this.pending.add(id);
      return { status: 200, body: { id, state: 'PENDING' } };
    }
    this.reviews.push({ id, commit_id: body.commit_id ?? '', event: body.event, body: body.body ?? '', comments });
    for (const comment of comments) {
      this.pull.comments?.push({
        id: this.id(),
        path: comment.path,
        line: comment.line,
        original_line: comment.line,
        body: comment.body,
        user: { login: STAND_IN_BOT, type: 'Bot' },
      });
    }
    return { status: 200, body: { id, state: 'COMMENTED' } };
  }

  private createCheckRun(body: Record<string, unknown>): StandInResponse {
    const output = (body['output'] ?? { title: '', summary: '' }) as CheckRunState['output'];
    const run: CheckRunState = {
      id: this.id(),
      status: String(body['status'] ?? 'queued'),
      ...(typeof body['external_id'] === 'string' ? { external_id: body['external_id'] } : {}),
      output,
      annotations: [],
      updates: 0,
    };
    this.checkRuns.push(run);
    return { status: 201, body: { id: run.id } };
  }

  private updateCheckRun(id: number, body: Record<string, unknown>): StandInResponse {
    const run = this.checkRuns.find((candidate) => candidate.id === id);
    if (run === undefined) return { status: 404, body: { message: 'Not Found' } };
    run.updates += 1;
    if (typeof body['status'] === 'string') run.status = body['status'];
    if (typeof body['conclusion'] === 'string') run.conclusion = body['conclusion'];
    const output = body['output'] as (CheckRunState['output'] & { annotations?: unknown[] }) | undefined;
    if (output !== undefined) {
      const { annotations, ...rest } = output;
      run.output = rest;
      run.annotations.push(...(annotations ?? []));
    }
    return { status: 200, body: { id } };
  }
}
