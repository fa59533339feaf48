import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { SAMPLE_HEAD, SAMPLE_PATCH, SAMPLE_PATH } from '../../src/demo/sample.js';
import { analyzeFile } from '../../src/review/analysis.js';
import { fakeAnalyzer, SEED_RULES } from '../fixtures/github/fake-analyzer.js';

const sample = { path: SAMPLE_PATH, text: SAMPLE_HEAD, patch: SAMPLE_PATCH };

describe('analyzeFile', () => {
  it('analyses the touched functions of the head and sets apart what the base already had', () => {
    const fake = fakeAnalyzer(SEED_RULES);
    const result = analyzeFile(sample, 'diff', DEFAULT_CONFIG, fake.analyzer);
    expect(result.newFindings.map((finding) => `${finding.rule}:${finding.line}`).sort()).toEqual([
      'borrowed-release:39',
      'dangling-field:24',
      'leak:57',
      'prefer-import-module:65',
    ]);
    expect(result.preExisting.map((finding) => `${finding.rule}:${finding.line}`)).toEqual(['leak:51']);
    expect(result.analysedFunctions).toBe(4);
    const [head, base] = fake.calls;
    expect(head?.touched).toContain(21);
    expect(base?.touched).toContain(18);
  });

  it("passes the config's python, rules and api to the analyzer, with the file's path", () => {
    const seen: unknown[] = [];
    const config = { ...DEFAULT_CONFIG, python: '3.12', rules: { leak: 'off' as const }, api: [{ name: 'my_new', returns: 'new' as const, can_fail: true, args: {} }] };
    analyzeFile(sample, 'diff', config, (_source, options) => {
      seen.push(options);
      return { findings: [], functions: [], diagnostics: [] };
    });
    expect(seen).toHaveLength(2);
    for (const options of seen) expect(options).toMatchObject({ path: SAMPLE_PATH, python: '3.12', rules: { leak: 'off' }, api: config.api });
  });

  it('analyses everything in full mode', () => {
    const fake = fakeAnalyzer(SEED_RULES);
    analyzeFile(sample, 'full', DEFAULT_CONFIG, fake.analyzer);
    expect(fake.calls.map((call) => call.touched)).toEqual([undefined, undefined]);
  });

  it('analyses the whole file, with no base and no hunks, when GitHub sent no patch', () => {
    const fake = fakeAnalyzer(SEED_RULES);
    const result = analyzeFile({ path: SAMPLE_PATH, text: SAMPLE_HEAD }, 'diff', DEFAULT_CONFIG, fake.analyzer);
    expect(fake.calls).toHaveLength(1);
    expect(result.hunks).toBeUndefined();
    expect(result.preExisting).toEqual([]);
    expect(result.newFindings).toHaveLength(5);
  });

  it('treats every finding as new when the patch does not match the content', () => {
    const fake = fakeAnalyzer(SEED_RULES);
    const result = analyzeFile({ ...sample, text: SAMPLE_HEAD.replace('Py_RETURN_NONE;', 'Py_RETURN_TRUE;') }, 'diff', DEFAULT_CONFIG, fake.analyzer);
    expect(fake.calls).toHaveLength(1);
    expect(result.preExisting).toEqual([]);
  });
});
