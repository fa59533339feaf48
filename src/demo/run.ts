import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../app.js';
import type { Analyzer } from '../review/analysis.js';
import { SAMPLE_HEAD, SAMPLE_PATCH, SAMPLE_PATH } from './sample.js';
import { GitHubStandIn, type CheckRunState, type PostedReview, type StandInPull } from './stand-in.js';

const DEMO_HEAD = '5ca1ab1e'.repeat(5);

export function samplePull(): StandInPull {
  return {
    owner: 'octo-org',
    repo: 'spam-ext',
    number: 1,
    author: 'newcomer',
    headSha: DEMO_HEAD,
    files: [{ path: SAMPLE_PATH, status: 'modified', patch: SAMPLE_PATCH, content: SAMPLE_HEAD }],
    comments: [],
  };
}

/** The webhook GitHub would send when the sample pull request is opened: only the fields the app reads. */
function openedPayload(pull: StandInPull) {
  return {
    action: 'opened',
    number: pull.number,
    installation: { id: 1 },
    repository: { name: pull.repo, full_name: `${pull.owner}/${pull.repo}`, owner: { login: pull.owner } },
    pull_request: { number: pull.number, state: 'open', draft: false, head: { sha: pull.headSha }, user: { login: pull.author } },
  };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

async function listen(pull: StandInPull): Promise<{ server: Server; standIn: GitHubStandIn; origin: string }> {
  let standIn: GitHubStandIn | undefined;
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const reply = standIn!.handle({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers as Record<string, string>, body });
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn = new GitHubStandIn(pull, origin);
  return { server, standIn, origin };
}

/** No waiting in a demo: the stand-in has no rate limits. */
const DemoOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options['throttle'] as object | undefined), enabled: false },
})) as typeof ProbotOctokit;

export interface DemoResult {
  readonly pull: StandInPull;
  readonly reviews: readonly PostedReview[];
  readonly checkRuns: readonly CheckRunState[];
}

/** Opens the sample pull request against the stand-in and lets the app review it. */
export async function runDemo(analyzer?: Analyzer): Promise<DemoResult> {
  const pull = samplePull();
  const { server, standIn, origin } = await listen(pull);
  try {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    const probot = new Probot({ appId: 1, privateKey, baseUrl: origin, Octokit: DemoOctokit, log: pino({ level: 'silent' }) });
    await probot.load(createApp(analyzer === undefined ? {} : { analyzer }));
    await probot.receive({ id: 'demo', name: 'pull_request', payload: openedPayload(pull) } as unknown as Parameters<Probot['receive']>[0]);
    return { pull, reviews: standIn.reviews, checkRuns: standIn.checkRuns };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');
}

/** The review and the check run as GitHub would show them, comment bodies verbatim. */
export function formatDemo(result: DemoResult): string {
  const { pull } = result;
  const out: string[] = [
    `refcheck demo: pull request ${pull.owner}/${pull.repo}#${pull.number} changes ${pull.files.map((file) => file.path).join(', ')}`,
    'GitHub is played by an in-process stand-in on 127.0.0.1; nothing leaves this machine.',
    '',
  ];
  if (result.reviews.length === 0) out.push('Review: none posted (nothing new to say).', '');
  for (const review of result.reviews) {
    out.push(`Review: event ${review.event ?? '(pending)'} on commit ${review.commit_id.slice(0, 7)}, ${review.comments.length} comments`, indent(review.body), '');
    for (const comment of review.comments) {
      const lines = comment.start_line === undefined ? `line ${comment.line}` : `lines ${comment.start_line}-${comment.line}`;
      out.push(`── ${comment.path}, ${lines} ──`, indent(comment.body), '');
    }
  }
  for (const run of result.checkRuns) {
    out.push(`Check run "refcheck": ${run.status}${run.conclusion === undefined ? '' : `, ${run.conclusion}`}: ${run.output.title}`, indent(run.output.summary), '');
  }
  return out.join('\n');
}
