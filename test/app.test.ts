import { spawn } from 'node:child_process';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_HEAD, SAMPLE_PATCH, SAMPLE_PATH } from '../src/demo/sample.js';
import type { StandInFile, StandInPull } from '../src/demo/stand-in.js';
import { fakeAnalyzer, SEED_RULES, UNPARSABLE, type FakeRule } from './fixtures/github/fake-analyzer.js';
import { API, checkRunPayload, commentPayload, pullRequestPayload, startApp, takeViolations, TestOctokit, type Harness } from './fixtures/github/harness.js';

const HEAD = 'a'.repeat(40);
const NEWER = 'c'.repeat(40);

function seedPull(changes: Partial<StandInPull> = {}): StandInPull {
  return {
    owner: 'octo-org',
    repo: 'ext',
    number: 7,
    author: 'alice',
    headSha: HEAD,
    files: [
      { path: SAMPLE_PATH, status: 'modified', patch: SAMPLE_PATCH, content: SAMPLE_HEAD },
      { path: 'README.md', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b', content: 'b\n' },
    ],
    comments: [],
    ...changes,
  };
}

/** A new C file of `body` lines inside one function, as an added file's patch shows it. */
function addedFile(path: string, body: readonly string[]): StandInFile {
  const lines = ['static PyObject *', 'f(PyObject *self)', '{', ...body, '}'];
  return {
    path,
    status: 'added',
    content: `${lines.join('\n')}\n`,
    patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n'),
  };
}

const LEAK: FakeRule = { rule: 'leak', match: 'PyList_New(0);', severity: 'error' };

function commentLines(app: Harness): string[] {
  return app.standIn.reviews.flatMap((review) =>
    review.comments.map((comment) => `${comment.path}:${comment.start_line === undefined ? '' : `${comment.start_line}-`}${comment.line}`),
  );
}

function onlyCheckRun(app: Harness) {
  expect(app.standIn.checkRuns).toHaveLength(1);
  return app.standIn.checkRuns[0]!;
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  // Every request body the app sent, in every case, matches GitHub's OpenAPI description.
  expect(takeViolations()).toEqual([]);
});

describe('pull_request.opened with the seed bugs', () => {
  it('posts one review with the expected lines and suggestions, and keeps the pre-existing leak out of it', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull));

    expect(app.violations).toEqual([]);
    expect(app.standIn.reviews).toHaveLength(1);
    const [review] = app.standIn.reviews;
    expect(review).toMatchObject({ commit_id: HEAD, event: 'COMMENT' });
    expect(commentLines(app).sort()).toEqual(['src/plugin.cpp:24', 'src/plugin.cpp:39', 'src/plugin.cpp:57', 'src/plugin.cpp:65-70']);
    const bodyAt = (line: number) => review!.comments.find((comment) => comment.line === line)!.body;
    expect(bodyAt(24)).toContain('```suggestion\n    Py_CLEAR(self->cache);\n```');
    expect(bodyAt(39)).toContain('```suggestion\n```');
    expect(bodyAt(57)).toContain('```suggestion\n        Py_DECREF(list);\n        return NULL;\n```');
    expect(bodyAt(70)).toContain('```suggestion\n    PyObject *json = PyImport_ImportModule("json");\n```');
    for (const comment of review!.comments) {
      expect(comment.side).toBe('RIGHT');
      expect(comment.body).toMatch(/<!-- refcheck:fp=\S+ -->$/);
      expect(comment.body).toContain('https://github.com/refcheck/refcheck/blob/main/docs/rules/');
    }

    const run = onlyCheckRun(app);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral', external_id: '7' });
    expect(run.output.title).toBe('4 new findings (1 pre-existing)');
    expect(run.output.summary).toContain('Pre-existing findings (1)');
    expect(run.output.summary).toContain('`src/plugin.cpp:51`');
    expect(run.annotations).toHaveLength(4);
    // README.md is not C or C++: never fetched.
    expect(app.requests.filter((request) => request.url.includes('README'))).toEqual([]);
  });

  it('logs one line per run with the counts and no secrets', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull), 'delivery-42');
    const runs = app.logs.filter((record) => record['msg'] === 'refcheck run');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      delivery: 'delivery-42',
      repository: 'octo-org/ext',
      pull: 7,
      files: 2,
      analysedFiles: 1,
      touchedFunctions: 4,
      findings: { new: 4, preExisting: 1, inline: 4, alreadyPosted: 0, summary: 0 },
    });
    expect(runs[0]!['requests']).toBeGreaterThan(0);
    expect(typeof runs[0]!['ms']).toBe('number');
    const everything = JSON.stringify(app.logs);
    expect(everything).not.toContain('ghs_standin');
    expect(everything).not.toContain('PRIVATE KEY');
  });
});

describe('idempotence', () => {
  it('posts nothing new on a synchronize that brings nothing new', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    pull.headSha = NEWER;
    await app.receive('pull_request', pullRequestPayload('synchronize', pull), 'delivery-2');
    expect(app.standIn.reviews).toHaveLength(1);
    expect(app.standIn.checkRuns).toHaveLength(2);
    expect(app.standIn.checkRuns[1]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(app.violations).toEqual([]);
  });

  it('posts nothing new when the same webhook is delivered again', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    const payload = pullRequestPayload('opened', pull);
    await app.receive('pull_request', payload, 'delivery-1');
    await app.receive('pull_request', payload, 'delivery-1');
    expect(app.standIn.reviews).toHaveLength(1);
    const second = app.logs.filter((record) => record['msg'] === 'refcheck run')[1];
    expect(second).toMatchObject({ findings: { new: 4, alreadyPosted: 4, inline: 0 } });
  });

  it('recognises its outdated comments (line: null) too', async () => {
    const pull = seedPull();
    const first = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await first.receive('pull_request', pullRequestPayload('opened', pull));
    nock.cleanAll();
    const outdated = pull.comments!.map((comment) => ({ ...comment, line: null }));
    const again = seedPull({ comments: outdated });
    const app = await startApp(again, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('synchronize', again));
    expect(app.standIn.reviews).toEqual([]);
  });

  it('serialises two runs on one pull request, so they never post the same comment twice', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await Promise.all([
      app.receive('pull_request', pullRequestPayload('opened', pull), 'delivery-1'),
      app.receive('pull_request', pullRequestPayload('reopened', pull), 'delivery-2'),
    ]);
    expect(app.standIn.reviews).toHaveLength(1);
    expect(app.standIn.checkRuns).toHaveLength(2);
  });
});

describe('where the files come from', () => {
  it('reads a fork pull request through the base repository at the head sha', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull, { fork: 'mallory' }));
    const reads = app.requests.filter((request) => request.url.includes('plugin.cpp'));
    expect(reads.map((request) => request.url)).toEqual([`/repos/octo-org/ext/contents/src%2Fplugin.cpp?ref=${HEAD}`]);
    expect(app.standIn.reviews).toHaveLength(1);
    expect(app.requests.some((request) => request.url.includes('mallory'))).toBe(false);
  });

  it('pages through 120 files', async () => {
    const files = Array.from({ length: 120 }, (_, index) => addedFile(`src/m${index}.c`, ['    PyObject *list = PyList_New(0);']));
    const pull = seedPull({ files });
    const app = await startApp(pull, fakeAnalyzer([LEAK]));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    const listings = app.requests.filter((request) => request.operationId === 'pulls/list-files');
    expect(listings.map((request) => new URL(request.url, API).searchParams.get('page'))).toEqual([null, '2']);
    expect(app.requests.filter((request) => request.operationId === 'repos/get-content')).toHaveLength(120 + 2);
    expect(app.standIn.reviews[0]!.comments).toHaveLength(25);
    const run = onlyCheckRun(app);
    expect(run.output.summary).toContain('of 120 C/C++ files');
    expect(run.output.summary).toContain('Not placed inline (95)');
    expect(run.annotations).toHaveLength(120);
  });

  it('says so when the pull request has more files than the 3000 GitHub lists', async () => {
    const docs = Array.from({ length: 3000 }, (_, index): StandInFile => ({ path: `docs/${index}.md`, status: 'added', patch: '@@ -0,0 +1 @@\n+x', content: 'x\n' }));
    const pull = seedPull({ files: [...docs, addedFile('src/late.c', ['    PyObject *list = PyList_New(0);'])] });
    const app = await startApp(pull, fakeAnalyzer([LEAK]));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.requests.filter((request) => request.operationId === 'pulls/list-files')).toHaveLength(30);
    expect(app.requests.some((request) => request.url.includes('late.c'))).toBe(false);
    expect(onlyCheckRun(app).output.summary).toContain('GitHub lists only the first 3000 files of a pull request');
  });

  it('analyses a file without a patch whole and reports it in the check run only; skips a 3 MB file and says why', async () => {
    const noPatch = { ...addedFile('src/big_diff.c', ['    PyObject *list = PyList_New(0);']) };
    delete (noPatch as { patch?: string }).patch;
    const huge = addedFile('src/huge.c', ['    PyObject *list = PyList_New(0);', `    /* ${'x'.repeat(3 * 1024 * 1024)} */`]);
    const unparsable = addedFile('src/broken.c', [`    ${UNPARSABLE}`]);
    const pull = seedPull({ files: [noPatch, huge, unparsable] });
    const analyzer = fakeAnalyzer([LEAK]);
    const app = await startApp(pull, analyzer);
    await app.receive('pull_request', pullRequestPayload('opened', pull));

    expect(app.standIn.reviews).toEqual([]);
    expect(analyzer.calls.find((call) => call.path === 'src/big_diff.c')?.touched).toBeUndefined();
    const hugeReads = app.requests.filter((request) => request.url.includes('huge.c'));
    expect(hugeReads).toHaveLength(1);
    const run = onlyCheckRun(app);
    expect(run.conclusion).toBe('neutral');
    expect(run.output.summary).toContain('`src/big_diff.c:4` [`leak`]');
    expect(run.output.summary).toContain('GitHub sent no patch for this file');
    expect(run.output.summary).toMatch(/`src\/huge\.c`: skipped, \d+ bytes, over the 2097152-byte limit/);
    expect(run.output.summary).toContain('`src/broken.c:1`: parse error');
  });

  it('fetches a file over 1 MB with the raw media type', async () => {
    const large = addedFile('src/large.c', ['    PyObject *list = PyList_New(0);', `    /* ${'x'.repeat(1100 * 1024)} */`]);
    const pull = seedPull({ files: [large] });
    const app = await startApp(pull, fakeAnalyzer([LEAK]));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.requests.filter((request) => request.url.includes('large.c'))).toHaveLength(2);
    expect(commentLines(app)).toEqual(['src/large.c:4']);
  });

  it('skips a file whose contents GitHub keeps answering with 502, and says so', async () => {
    const pull = seedPull();
    nock(API).get(/\/contents\/src%2Fplugin\.cpp/).times(3).reply(502, { message: 'Bad Gateway' });
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.standIn.reviews).toEqual([]);
    const run = onlyCheckRun(app);
    expect(run.conclusion).toBe('success');
    expect(run.output.summary).toContain('`src/plugin.cpp`: skipped, GitHub answered 502 when fetching it');
  });

  it('retries a 502 on contents with backoff and then reviews', async () => {
    const pull = seedPull();
    nock(API).get(/\/contents\/src%2Fplugin\.cpp/).once().reply(502, { message: 'Bad Gateway' });
    const Octokit = TestOctokit.defaults({ retry: { enabled: true, retries: 2, retryAfterBaseValue: 10 } }) as typeof TestOctokit;
    const app = await startApp(pull, { ...fakeAnalyzer(SEED_RULES), Octokit });
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.standIn.reviews).toHaveLength(1);
    expect(app.standIn.reviews[0]!.comments).toHaveLength(4);
  });
});

describe('publishing', () => {
  it('on a 422 finds the one comment GitHub refuses, posts the rest and lists it in the summary', async () => {
    const pull = seedPull({ refusedLines: [{ path: SAMPLE_PATH, line: 39 }] });
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.standIn.reviews).toHaveLength(1);
    expect(commentLines(app).sort()).toEqual(['src/plugin.cpp:24', 'src/plugin.cpp:57', 'src/plugin.cpp:65-70']);
    const run = onlyCheckRun(app);
    expect(run.output.summary).toContain('`src/plugin.cpp:39` [`borrowed-release`]');
    expect(run.output.summary).toContain('GitHub refused the comment');
    const probes = app.requests.filter((request) => request.operationId === 'pulls/create-review' && (request.body as { event?: string }).event === undefined);
    const deletes = app.requests.filter((request) => request.operationId === 'pulls/delete-pending-review');
    expect(probes.length).toBeGreaterThan(0);
    expect(deletes.length).toBeGreaterThan(0);
    expect(app.violations).toEqual([]);
  });

  it('drops the result when the head moves during the run', async () => {
    const pull = seedPull({ movesTo: NEWER });
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.standIn.reviews).toEqual([]);
    expect(onlyCheckRun(app)).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
  });

  it('sends annotations 50 to a request', async () => {
    const body = Array.from({ length: 120 }, (_, index) => `    PyObject *list${index} = PyList_New(0);`);
    const pull = seedPull({ files: [addedFile('src/many.c', body)] });
    const app = await startApp(pull, fakeAnalyzer([LEAK]));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    const updates = app.requests.filter((request) => request.operationId === 'checks/update');
    const sizes = updates.map((request) => ((request.body as { output: { annotations?: unknown[] } }).output.annotations ?? []).length);
    expect(sizes).toEqual([50, 50, 20]);
    expect((updates.at(-1)!.body as { status: string }).status).toBe('completed');
    expect(updates.slice(0, -1).every((request) => (request.body as { status?: string }).status === undefined)).toBe(true);
    expect(app.violations).toEqual([]);
  });

  it('counts the API requests of a 10-file pull request', async () => {
    const files = Array.from({ length: 10 }, (_, index) => addedFile(`src/f${index}.c`, ['    PyObject *list = PyList_New(0);']));
    const pull = seedPull({ files });
    const app = await startApp(pull, fakeAnalyzer([LEAK]));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.operations()).toEqual([
      'POST apps/create-installation-access-token',
      'GET repos/get-content', // .github/refcheck.yml in the repository
      'GET repos/get-content', // .github/refcheck.yml in the owner's .github repository
      'GET pulls/list-files',
      'POST checks/create',
      ...Array.from({ length: 10 }, () => 'GET repos/get-content'),
      'GET pulls/list-review-comments',
      'GET pulls/get',
      'POST pulls/create-review',
      'PATCH checks/update',
    ]);
    expect(app.requests).toHaveLength(19);
    expect(app.logs.find((record) => record['msg'] === 'refcheck run')).toMatchObject({ requests: 19 });
  });
});

describe('the check run', () => {
  it('shows progress while it works', async () => {
    const files = Array.from({ length: 3 }, (_, index) => addedFile(`src/p${index}.c`, ['    PyObject *list = PyList_New(0);']));
    const pull = seedPull({ files });
    const app = await startApp(pull, { ...fakeAnalyzer([LEAK]), progressIntervalMs: 0 });
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    const create = app.requests.find((request) => request.operationId === 'checks/create')!.body as { status: string; output: { title: string } };
    expect(create).toMatchObject({ status: 'in_progress', output: { title: 'Analysing 3 C/C++ files' } });
    const titles = app.requests
      .filter((request) => request.operationId === 'checks/update')
      .map((request) => (request.body as { output: { title: string } }).output.title);
    expect(titles).toEqual(['Analysing 1 of 3 files', 'Analysing 2 of 3 files', 'Analysing 3 of 3 files', '3 new findings']);
  });

  it('is completed, not left in progress, when the run fails', async () => {
    const pull = seedPull();
    nock(API).get(/\/pulls\/7\/comments/).reply(500, { message: 'Server Error' });
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await expect(app.receive('pull_request', pullRequestPayload('opened', pull))).rejects.toThrow();
    expect(onlyCheckRun(app)).toMatchObject({ status: 'completed', conclusion: 'neutral', output: { title: 'refcheck could not finish' } });
    expect(app.standIn.reviews).toEqual([]);
  });
});

describe('through the real analyzer', () => {
  // These start asserting more as the ownership engine grows: they use no fake.
  it('reviews the sample plugin with comments on diff lines only, each with a fingerprint, and valid requests', async () => {
    const pull = seedPull();
    const app = await startApp(pull);
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.violations).toEqual([]);
    const comments = app.standIn.reviews.flatMap((review) => review.comments);
    const rules = comments.map((comment) => /\(`([a-z-]+)`\)/.exec(comment.body)?.[1]);
    expect(rules).toEqual(expect.arrayContaining(['borrowed-release', 'leak']));
    for (const comment of comments) expect(comment.body).toMatch(/<!-- refcheck:fp=\S+ -->$/);
    expect(onlyCheckRun(app).conclusion).toBe('neutral');
  });

  it('posts nothing new when the same push is reviewed again', async () => {
    const pull = seedPull();
    const app = await startApp(pull);
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    await app.receive('pull_request', pullRequestPayload('synchronize', pull), 'delivery-2');
    expect(app.standIn.reviews).toHaveLength(1);
  });
});

describe('which pull requests', () => {
  it('skips a draft by default', async () => {
    const pull = seedPull({ draft: true });
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull, { draft: true }));
    expect(app.standIn.checkRuns).toEqual([]);
    expect(app.standIn.reviews).toEqual([]);
  });

  it('reviews a draft when the config says drafts: true', async () => {
    const pull = seedPull({ draft: true, config: 'drafts: true\n' });
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull, { draft: true }));
    expect(app.standIn.reviews).toHaveLength(1);
  });

  it('reviews a pull request when it becomes ready for review', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('ready_for_review', pull));
    expect(app.standIn.reviews).toHaveLength(1);
  });

  it('skips a closed pull request without a request', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('reopened', pull, { state: 'closed' }));
    expect(app.requests).toEqual([]);
  });

  it('runs with the defaults on an invalid config and says what is wrong', async () => {
    const pull = seedPull({ config: 'max_comments: lots\nunknown_key: 1\n' });
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.standIn.reviews).toHaveLength(1);
    const run = onlyCheckRun(app);
    expect(run.output.title).toContain('invalid config, defaults used');
    expect(run.output.summary).toContain('### Configuration error');
    expect(run.output.summary).toContain('max_comments');
  });

  it('runs with the defaults when the config is not even YAML', async () => {
    const pull = seedPull({ config: 'rules: [unclosed\n' });
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(onlyCheckRun(app).output.summary).toContain('### Configuration error');
    expect(app.standIn.reviews).toHaveLength(1);
  });

  it('applies config: fail_on, review_event, max_comments, paths', async () => {
    const config = 'fail_on: error\nreview_event: REQUEST_CHANGES\nmax_comments: 1\npaths:\n  exclude: ["vendor/**"]\n';
    const vendored = addedFile('vendor/lib.c', ['    PyObject *list = PyList_New(0);']);
    const pull = seedPull({ config, files: [...seedPull().files, vendored] });
    const app = await startApp(pull, fakeAnalyzer([...SEED_RULES, LEAK]));
    await app.receive('pull_request', pullRequestPayload('opened', pull));
    expect(app.standIn.reviews[0]).toMatchObject({ event: 'REQUEST_CHANGES' });
    expect(app.standIn.reviews[0]!.comments).toHaveLength(1);
    const run = onlyCheckRun(app);
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toContain('`vendor/lib.c`: skipped, excluded by the paths setting');
    expect(run.output.summary).toContain('Not placed inline (3)');
  });
});

describe('/refcheck commands', () => {
  it('re-runs on the current head for a collaborator, with eyes then rocket', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('issue_comment', commentPayload(pull, '/refcheck', { login: 'bob', association: 'COLLABORATOR' }));
    expect(app.standIn.reactions.map((reaction) => reaction.content)).toEqual(['eyes', 'rocket']);
    expect(app.standIn.reactions.every((reaction) => reaction.commentId === 777)).toBe(true);
    expect(app.standIn.reviews).toHaveLength(1);
    expect(app.standIn.reviews[0]!.commit_id).toBe(HEAD);
    expect(app.violations).toEqual([]);
  });

  it('lets the pull request author run it', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('issue_comment', commentPayload(pull, '/refcheck', { login: 'alice', association: 'CONTRIBUTOR' }));
    expect(app.standIn.reviews).toHaveLength(1);
  });

  it('ignores an outsider', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('issue_comment', commentPayload(pull, '/refcheck', { login: 'eve', association: 'NONE' }));
    expect(app.standIn.reactions).toEqual([]);
    expect(app.standIn.checkRuns).toEqual([]);
    expect(app.operations().filter((operation) => !operation.includes('get-content') && !operation.includes('access-token'))).toEqual([]);
  });

  it('ignores bots, itself included, and comments that are not commands or not on pull requests', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('issue_comment', commentPayload(pull, '/refcheck', { login: 'refcheck[bot]', association: 'NONE', type: 'Bot' }));
    await app.receive('issue_comment', commentPayload(pull, 'looks good /refcheck', { login: 'bob', association: 'OWNER' }));
    await app.receive('issue_comment', commentPayload(pull, '/refcheck', { login: 'bob', association: 'OWNER' }, false));
    expect(app.requests).toEqual([]);
  });

  it('/refcheck full analyses every function of the changed files and reports the rest in the check run', async () => {
    const pull = seedPull();
    const untouched: FakeRule = { rule: 'unchecked-null', match: 'self->cache = PyDict_New();' };
    const analyzer = fakeAnalyzer([...SEED_RULES, untouched]);
    const app = await startApp(pull, analyzer);
    await app.receive('issue_comment', commentPayload(pull, '/refcheck full', { login: 'bob', association: 'MEMBER' }));
    expect(analyzer.calls.every((call) => call.touched === undefined)).toBe(true);
    const run = onlyCheckRun(app);
    expect(run.output.summary).toContain('Analysed all functions');
    // An untouched function is the same in the base: its findings are pre-existing.
    expect(run.output.summary).toMatch(/Pre-existing findings \(2\)[^]*`src\/plugin\.cpp:14` \[`unchecked-null`\]/);
    expect(commentLines(app)).toHaveLength(4);
  });

  it('/refcheck help and an unknown subcommand reply with the usage', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('issue_comment', commentPayload(pull, '/refcheck help', { login: 'bob', association: 'OWNER' }));
    await app.receive('issue_comment', commentPayload(pull, '/refcheck frobnicate', { login: 'bob', association: 'OWNER' }));
    expect(app.standIn.issueComments).toHaveLength(2);
    expect(app.standIn.issueComments[0]).toContain('`/refcheck full`');
    expect(app.standIn.issueComments[1]).toBe(app.standIn.issueComments[0]);
    expect(app.standIn.checkRuns).toEqual([]);
  });

  it('replies briefly when nothing was found', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer([]));
    await app.receive('issue_comment', commentPayload(pull, '/refcheck', { login: 'bob', association: 'OWNER' }));
    expect(app.standIn.reactions.map((reaction) => reaction.content)).toEqual(['eyes']);
    expect(app.standIn.issueComments).toEqual(['refcheck found no new reference-count problems at aaaaaaa.']);
  });
});

describe('check_run.rerequested', () => {
  it('re-runs for the pull request named in external_id (fork check runs carry no pull_requests)', async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('check_run', checkRunPayload(pull));
    expect(app.standIn.reviews).toHaveLength(1);
    expect(onlyCheckRun(app)).toMatchObject({ status: 'completed', external_id: '7' });
  });

  it("ignores other apps' check runs", async () => {
    const pull = seedPull();
    const app = await startApp(pull, fakeAnalyzer(SEED_RULES));
    await app.receive('check_run', checkRunPayload(pull, 'ci'));
    expect(app.requests).toEqual([]);
  });
});

describe('npm start without credentials', () => {
  it("serves Probot's manifest setup page, built from app.yml", async () => {
    const port = String(40000 + Math.floor(Math.random() * 20000));
    const env: Record<string, string | undefined> = { ...process.env, PORT: port, HOST: '127.0.0.1', NO_SMEE_SETUP: 'true', NODE_ENV: 'development', LOG_LEVEL: 'warn' };
    for (const name of ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH', 'WEBHOOK_PROXY_URL']) delete env[name];
    nock.enableNetConnect('127.0.0.1');
    const server = spawn('npx', ['tsx', 'src/server.ts'], { cwd: new URL('..', import.meta.url), env, detached: true });
    try {
      let page = '';
      for (let attempt = 0; attempt < 60 && page === ''; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        page = await fetch(`http://127.0.0.1:${port}/probot`).then((response) => response.text(), () => '');
      }
      expect(page).toContain('Register GitHub App');
      const manifest = /name="manifest" id="manifest" value='([^']+)'/.exec(page)?.[1] ?? '';
      const decoded = JSON.parse(manifest) as Record<string, unknown>;
      expect(decoded).toMatchObject({
        name: 'refcheck',
        default_events: ['pull_request', 'issue_comment', 'check_run'],
        default_permissions: { pull_requests: 'write', contents: 'read', checks: 'write', issues: 'read', metadata: 'read' },
      });
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
      nock.disableNetConnect();
    }
  });
});
