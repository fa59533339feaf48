import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintFromBody, fingerprintMarker, gitHub } from '../../src/github/client.js';
import { API, TestOctokit } from '../fixtures/github/harness.js';

const ref = { owner: 'o', repo: 'r', pull: 5 };
const client = () => gitHub(new TestOctokit({ auth: { token: 'test-token' } }));
const fileJson = (content: string, size = Buffer.byteLength(content)) => ({
  type: 'file',
  size,
  encoding: 'base64',
  content: Buffer.from(content).toString('base64'),
});

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('fingerprint markers', () => {
  it('round-trip any fingerprint through a hidden HTML comment', () => {
    for (const fingerprint of ['0f3a9c', 'leak|src/a.c|f|return NULL;|0', 'a --> b <!-- c']) {
      const marker = fingerprintMarker(fingerprint);
      expect(marker).toMatch(/^<!-- refcheck:fp=[^\s>]+ -->$/);
      expect(fingerprintFromBody(`text\n\n${marker}`)).toBe(fingerprint);
    }
    expect(fingerprintFromBody('no marker')).toBeUndefined();
  });
});

describe('getFileContent', () => {
  it('decodes base64 content', async () => {
    nock(API).get('/repos/o/r/contents/src%2Fa.c').query({ ref: 'sha' }).reply(200, fileJson('int x;\n'));
    expect(await client().getFileContent(ref, 'src/a.c', 'sha', 1000)).toEqual({ kind: 'text', text: 'int x;\n' });
  });

  it('skips binary content', async () => {
    nock(API).get('/repos/o/r/contents/a.c').query(true).reply(200, fileJson('\u0000\u0001ELF'));
    expect(await client().getFileContent(ref, 'a.c', 'sha', 1000)).toEqual({ kind: 'skipped', reason: 'binary' });
  });

  it('skips a file over the cap without downloading it', async () => {
    nock(API).get('/repos/o/r/contents/a.c').query(true).reply(200, { type: 'file', size: 5000, encoding: 'none', content: '' });
    expect(await client().getFileContent(ref, 'a.c', 'sha', 1000)).toEqual({
      kind: 'skipped',
      reason: '5000 bytes, over the 1000-byte limit (max_file_bytes)',
    });
  });

  it('reads a file over 1 MB with the raw media type', async () => {
    const size = 2 * 1024 * 1024;
    nock(API).get('/repos/o/r/contents/a.c').query(true).reply(200, { type: 'file', size, encoding: 'none', content: '' });
    nock(API, { reqheaders: { accept: /raw/ } })
      .get('/repos/o/r/contents/a.c')
      .query(true)
      .reply(200, 'int big;\n', { 'content-type': 'text/plain; charset=utf-8' });
    expect(await client().getFileContent(ref, 'a.c', 'sha', 3 * 1024 * 1024)).toEqual({ kind: 'text', text: 'int big;\n' });
  });

  it('says so when the file is missing at the head or GitHub fails', async () => {
    nock(API).get('/repos/o/r/contents/a.c').query(true).reply(404, { message: 'Not Found' });
    nock(API).get('/repos/o/r/contents/b.c').query(true).reply(503, { message: 'Unavailable' });
    expect(await client().getFileContent(ref, 'a.c', 'sha', 1000)).toEqual({ kind: 'skipped', reason: 'not found at the head commit' });
    expect(await client().getFileContent(ref, 'b.c', 'sha', 1000)).toEqual({ kind: 'skipped', reason: 'GitHub answered 503 when fetching it' });
  });
});

describe('listPostedComments', () => {
  it("keeps bots' comments with a marker, paginated, with original_line for outdated ones", async () => {
    const comment = (id: number, line: number | null, type: string, body: string) => ({
      id,
      path: 'a.c',
      line,
      original_line: 9,
      body,
      user: { login: type === 'Bot' ? 'refcheck[bot]' : 'mallory', type },
    });
    nock(API)
      .get('/repos/o/r/pulls/5/comments')
      .query({ per_page: 100 })
      .reply(200, [comment(1, 3, 'Bot', `x ${fingerprintMarker('fp1')}`), comment(2, 4, 'User', fingerprintMarker('fp2'))], {
        link: `<${API}/repos/o/r/pulls/5/comments?per_page=100&page=2>; rel="next"`,
      });
    nock(API)
      .get('/repos/o/r/pulls/5/comments')
      .query({ per_page: 100, page: 2 })
      .reply(200, [comment(3, null, 'Bot', fingerprintMarker('fp3')), comment(4, 5, 'Bot', 'no marker')]);
    expect(await client().listPostedComments(ref)).toEqual([
      { fingerprint: 'fp1', path: 'a.c', line: 3 },
      { fingerprint: 'fp3', path: 'a.c', line: 9 },
    ]);
  });
});

describe('reviews', () => {
  const review = { commitId: 'sha', event: 'COMMENT' as const, body: 'b', comments: [{ path: 'a.c', line: 2, side: 'RIGHT' as const, body: 'c' }] };

  it('turns a 422 into a refusal and lets other errors through', async () => {
    nock(API).post('/repos/o/r/pulls/5/reviews').reply(422, { message: 'Unprocessable Entity' });
    expect((await client().createReview(ref, review)).kind).toBe('refused');
    nock(API).post('/repos/o/r/pulls/5/reviews').reply(500, { message: 'boom' });
    await expect(client().createReview(ref, review)).rejects.toThrow();
  });

  it('probes with a pending review that it deletes again', async () => {
    nock(API)
      .post('/repos/o/r/pulls/5/reviews', (body: Record<string, unknown>) => body['event'] === undefined)
      .reply(200, { id: 99 });
    nock(API).delete('/repos/o/r/pulls/5/reviews/99').reply(200, { id: 99 });
    expect(await client().acceptsComments(ref, 'sha', review.comments)).toBe(true);
  });

  it('counts its requests', async () => {
    const github = client();
    nock(API).get('/repos/o/r/pulls/5').reply(200, { state: 'open', draft: false, user: { login: 'a' }, head: { sha: 'h' } });
    expect(await github.getPull(ref)).toEqual({ headSha: 'h', state: 'open', draft: false, author: 'a' });
    expect(github.requestCount()).toBe(1);
  });
});
