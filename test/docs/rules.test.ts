import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/analyzer/findings.js';
import { RULES } from '../../src/analyzer/rules/index.js';

const DOCS_DIR = fileURLToPath(new URL('../../docs/rules/', import.meta.url));
const REQUIRED_SECTIONS = ['Examples', 'Fix', 'Options', 'When it can be wrong'] as const;

function read(file: string): string {
  return readFileSync(`${DOCS_DIR}${file}`, 'utf8');
}

function headings(markdown: string, level: number): string[] {
  const marker = `${'#'.repeat(level)} `;
  return markdown
    .split('\n')
    .filter((line) => line.startsWith(marker))
    .map((line) => line.slice(marker.length).trim());
}

/** The text under a `## heading`, up to the next heading of that level. */
function section(markdown: string, heading: string): string {
  const parts = markdown.split(/^## /m);
  const body = parts.find((part) => part.startsWith(`${heading}\n`));
  return body === undefined ? '' : body.slice(heading.length + 1);
}

describe('rule documentation', () => {
  it('has a page for every rule and no page for anything else', () => {
    const pages = readdirSync(DOCS_DIR)
      .filter((file) => file.endsWith('.md') && file !== 'README.md')
      .map((file) => file.slice(0, -'.md'.length))
      .sort();
    expect(pages).toEqual([...RULE_IDS].sort());
  });

  it('links every rule from the index', () => {
    const index = read('README.md');
    const linked = [...index.matchAll(/\]\(([a-z-]+)\.md\)/g)].map((m) => m[1]);
    expect([...new Set(linked)].sort()).toEqual([...RULE_IDS].sort());
  });

  describe.each(RULE_IDS)('%s.md', (rule) => {
    const page = read(`${rule}.md`);

    it('is titled with the rule id', () => {
      const titles = headings(page, 1);
      expect(titles).toHaveLength(1);
      expect(titles[0]).toMatch(new RegExp(`^\`${rule}\`: \\S`));
    });

    it('has the sections Examples, Fix, Options and When it can be wrong, in that order', () => {
      expect(headings(page, 2)).toEqual([...REQUIRED_SECTIONS]);
    });

    it('explains the rule in a paragraph before the sections', () => {
      const intro = page.slice(page.indexOf('\n'), page.indexOf('\n## ')).trim();
      expect(intro.length).toBeGreaterThan(200);
    });

    it('gives a bad and a good example, each with code', () => {
      const examples = section(page, 'Examples');
      expect(headings(examples, 3).slice(0, 2)).toEqual(['Bad', 'Good']);
      expect(examples.match(/^```c(pp)?$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    });

    it('shows how to configure the rule in the rules: section', () => {
      const options = section(page, 'Options');
      expect(options).toContain('.github/refcheck.yml');
      expect(options).toContain('--config');
      expect(options).toMatch(new RegExp(`^rules:\\n(?:.*\\n)*?\\s+${rule}: (error|warning|note|off)\\b`, 'm'));
    });

    it("states the rule's default severity", () => {
      const options = section(page, 'Options');
      expect(options).toContain(`reports at \`${RULES[rule].meta.defaultSeverity}\` by default`);
    });

    it('offers a fix exactly when the rule is fixable', () => {
      const offersNone = /^\s*None\b/.test(section(page, 'Fix'));
      expect(offersNone).toBe(!RULES[rule].meta.fixable);
    });

    it('says honestly when it can be wrong', () => {
      const caveats = section(page, 'When it can be wrong');
      expect(caveats.match(/^- /gm)?.length ?? 0).toBeGreaterThanOrEqual(1);
    });
  });

  it('names the Python version condition of the Py_NewRef fix', () => {
    const fix = section(read('return-borrowed.md'), 'Fix');
    expect(fix).toContain('Py_NewRef');
    expect(fix).toContain('3.10');
    expect(fix).toContain('Py_INCREF');
  });
});
