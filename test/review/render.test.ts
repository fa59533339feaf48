import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/analyzer/index.js';
import { fingerprintFromBody } from '../../src/github/client.js';
import { RULES } from '../../src/analyzer/rules/index.js';
import { ruleDocsUrl } from '../../src/output/rules.js';
import { commentBody, fenceFor, suggestionBlock } from '../../src/review/render.js';
import { finding } from '../fixtures/github/finding.js';

describe('suggestion blocks', () => {
  it('use a fence longer than any backtick run in the code', () => {
    expect(fenceFor(['int x;'])).toBe('```');
    expect(fenceFor(['/* ``` */', 'a ```` b'])).toBe('`````');
    expect(suggestionBlock(['s = "```";'])).toBe('````suggestion\ns = "```";\n````');
  });

  it('delete with an empty block', () => {
    expect(suggestionBlock([])).toBe('```suggestion\n```');
  });
});

describe('commentBody', () => {
  const leak = finding({
    line: 12,
    trace: [
      { line: 8, note: 'new reference from `PyList_New`' },
      { line: 12, note: 'not released at this return' },
    ],
    fix: { description: 'Release `list` before returning', edits: [{ startLine: 12, endLine: 12, lines: ['Py_DECREF(list);', 'return NULL;'] }] },
    fingerprint: 'leak|src/a.c|f|return NULL;|0',
  });

  it('has the title, message, collapsed path, suggestion, docs link and hidden fingerprint, in that order', () => {
    const body = commentBody(leak, { line: 12, suggestion: ['Py_DECREF(list);', 'return NULL;'] });
    const order = [
      '**New reference not released** (`leak`)',
      leak.message,
      '<details><summary>Path</summary>',
      '- line 8: new reference from `PyList_New`',
      '</details>',
      'Release `list` before returning:\n\n```suggestion\nPy_DECREF(list);\nreturn NULL;\n```',
      '[Rule documentation](https://github.com/refcheck/refcheck/blob/main/docs/rules/leak.md)',
      '<!-- refcheck:fp=',
    ].map((part) => body.indexOf(part));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(fingerprintFromBody(body)).toBe(leak.fingerprint);
  });

  it('names the fix in words when it cannot be a suggestion', () => {
    const body = commentBody(leak, { line: 12 });
    expect(body).toContain('Suggested fix: Release `list` before returning.');
    expect(body).not.toContain('```suggestion');
  });

  it('has a title and documentation link for every rule', () => {
    for (const rule of RULE_IDS) {
      expect(RULES[rule].meta.title.length).toBeGreaterThan(0);
      expect(ruleDocsUrl(rule)).toBe(`https://github.com/refcheck/refcheck/blob/main/docs/rules/${rule}.md`);
    }
  });
});
