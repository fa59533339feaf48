import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RATE_LIMIT_RETRIES, retryAfterLimit, RetryingOctokit } from '../../src/github/octokit.js';
import { API } from '../fixtures/github/harness.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe('retryAfterLimit', () => {
  it(`retries ${MAX_RATE_LIMIT_RETRIES} times, then gives up`, () => {
    const warnings: string[] = [];
    const octokit = { log: { warn: (message: string) => warnings.push(message) } };
    const request = { method: 'POST', url: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews' };
    expect([0, 1, 2, 3].map((count) => retryAfterLimit(7, request, octokit, count))).toEqual([true, true, true, false]);
    expect(warnings[0]).toContain('retrying in 7 s');
    expect(warnings[3]).toContain('giving up');
  });
});

describe('RetryingOctokit inside Probot', () => {
  it('retries after a secondary rate limit, where Probot alone would give up', async () => {
    nock(API).post('/app/installations/1/access_tokens').reply(201, { token: 'ghs_x', expires_at: '2999-01-01T00:00:00Z' });
    nock(API)
      .post('/repos/o/r/issues/1/comments')
      .reply(403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '1' });
    const created = nock(API).post('/repos/o/r/issues/1/comments').reply(201, { id: 1 });
    const probot = new Probot({ appId: 1, privateKey, Octokit: RetryingOctokit, log: pino({ level: process.env.DBG ? 'trace' : 'silent' }) });
    const octokit = await probot.auth(1);
    await octokit.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'hi' });
    expect(created.isDone()).toBe(true);
  });
});
