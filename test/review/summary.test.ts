import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/analyzer/index.js';
import type { Labelled } from '../../src/review/select.js';
import {
  annotationsFor,
  batches,
  checkRunOutput,
  conclusionFor,
  OUTPUT_LIMIT,
  withinLimit,
  type RunReport,
} from '../../src/review/summary.js';
import { finding } from '../fixtures/github/finding.js';

const inline = (changes: Parameters<typeof finding>[0] = {}): Labelled => ({ finding: finding(changes), placement: { kind: 'inline', anchor: { line: 1 } } });
const preExisting = (changes: Parameters<typeof finding>[0] = {}): Labelled => ({ finding: finding(changes), placement: { kind: 'pre-existing' } });

function report(changes: Partial<RunReport> = {}): RunReport {
  return { headSha: 'abcdef0123', mode: 'diff', configErrors: [], fileListTruncated: false, analyses: [], skipped: [], labelled: [], ...changes };
}

describe('conclusionFor', () => {
  it('is success with nothing new, even with pre-existing findings', () => {
    expect(conclusionFor([], 'error')).toBe('success');
    expect(conclusionFor([preExisting({ severity: 'error' })], 'error')).toBe('success');
  });

  it('is neutral with new findings, failure once fail_on is met', () => {
    expect(conclusionFor([inline({ severity: 'warning' })], 'never')).toBe('neutral');
    expect(conclusionFor([inline({ severity: 'warning' })], 'error')).toBe('neutral');
    expect(conclusionFor([inline({ severity: 'warning' })], 'warning')).toBe('failure');
    expect(conclusionFor([inline({ severity: 'error' })], 'note')).toBe('failure');
  });
});

describe('check run output', () => {
  it('counts new and pre-existing findings for every rule', () => {
    const { summary } = checkRunOutput(report({ labelled: [inline({ rule: 'leak' }), inline({ rule: 'leak', line: 3 }), preExisting({ rule: 'double-release' })] }));
    for (const rule of RULE_IDS) expect(summary).toContain(`[\`${rule}\`]`);
    expect(summary).toMatch(/\[`leak`\]\([^)]+\) \| 2 \| 0 \|/);
    expect(summary).toMatch(/\[`double-release`\]\([^)]+\) \| 0 \| 1 \|/);
  });

  it('says when the file list stopped at 3000, and names the config errors', () => {
    const { summary, title } = checkRunOutput(report({ fileListTruncated: true, configErrors: ['max_comments: expected number'] }));
    expect(summary).toContain('only the first 3000 files');
    expect(summary).toContain('- max_comments: expected number');
    expect(title).toBe('No new reference-count problems (invalid config, defaults used)');
  });

  it('lists skipped files with their reasons', () => {
    const { summary } = checkRunOutput(report({ skipped: [{ path: 'big.c', reason: 'binary' }] }));
    expect(summary).toContain('- `big.c`: skipped, binary');
  });

  it('stays within 65535 characters', () => {
    const many = Array.from({ length: 3000 }, (_, index) => preExisting({ line: index + 1, message: 'x'.repeat(100) }));
    const { summary } = checkRunOutput(report({ labelled: many }));
    expect(summary.length).toBeLessThanOrEqual(OUTPUT_LIMIT);
    expect(summary).toContain('The rest is cut');
  });
});

describe('annotations', () => {
  it('annotate new findings only, with GitHub levels', () => {
    const annotations = annotationsFor([inline({ severity: 'error' }), inline({ severity: 'note', line: 4 }), preExisting()]);
    expect(annotations.map((annotation) => annotation.annotation_level)).toEqual(['failure', 'notice']);
    expect(annotations[0]).toMatchObject({ path: 'src/a.c', start_line: 10, end_line: 10 });
  });

  it('go in batches of 50', () => {
    expect(batches(Array.from({ length: 120 }, (_, index) => index)).map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(batches([])).toEqual([]);
  });
});

describe('withinLimit', () => {
  it('leaves short text alone and cuts long text at a line', () => {
    expect(withinLimit('short', 100)).toBe('short');
    const cut = withinLimit(`${'a'.repeat(50)}\n${'b'.repeat(200)}`, 150);
    expect(cut.length).toBeLessThanOrEqual(150);
    expect(cut.startsWith(`${'a'.repeat(50)}\n\n_The rest is cut`)).toBe(true);
  });
});
