import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatDemo, runDemo } from '../src/demo/run.js';
import { SAMPLE_PATCH } from '../src/demo/sample.js';
import { commentableLines, parsePatch } from '../src/diff/index.js';
import { fakeAnalyzer, SEED_RULES } from './fixtures/github/fake-analyzer.js';

const commentable = commentableLines(parsePatch(SAMPLE_PATCH));

describe('npm run demo', () => {
  it('prints the review as posted: each comment with its lines, body and suggestion, then the check run', async () => {
    const result = await runDemo(fakeAnalyzer(SEED_RULES).analyzer);
    const text = formatDemo(result);
    expect(text).toContain('Review: event COMMENT on commit 5ca1ab1, 4 comments');
    const headers = [...text.matchAll(/^── (\S+), lines? ([\d-]+) ──$/gm)].map((match) => `${match[1]}:${match[2]}`);
    expect(headers.sort()).toEqual(['src/plugin.cpp:24', 'src/plugin.cpp:39', 'src/plugin.cpp:57', 'src/plugin.cpp:65-70']);
    expect(text).toContain('    ```suggestion\n            Py_DECREF(list);\n            return NULL;\n    ```');
    expect(text).toMatch(/Check run "refcheck": completed, neutral: 4 new findings \(1 pre-existing\)/);
  });

  it('with the real analyzer, places every comment on lines of the sample diff and finds the seed bugs', async () => {
    const result = await runDemo();
    const comments = result.reviews.flatMap((review) => review.comments);
    for (const comment of comments) {
      expect(commentable.has(comment.line)).toBe(true);
      if (comment.start_line !== undefined) expect(commentable.get(comment.start_line)).toBe(commentable.get(comment.line));
    }
    const rules = comments.map((comment) => /\(`([a-z-]+)`\)/.exec(comment.body)?.[1]);
    expect(rules).toContain('borrowed-release');
    expect(rules).toContain('leak');
    expect(result.checkRuns.map((run) => run.status)).toEqual(['completed']);
  });

  it('runs as a script', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/demo.ts'], { cwd: new URL('..', import.meta.url) });
    expect(stdout).toMatch(/^refcheck demo: pull request octo-org\/spam-ext#1 changes src\/plugin\.cpp/);
    expect(stdout).toContain('Check run "refcheck": completed');
  });
});
