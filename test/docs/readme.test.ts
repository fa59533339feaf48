import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { RULE_IDS } from '../../src/analyzer/findings.js';
import { RULES } from '../../src/analyzer/rules/index.js';
import { parseArgs } from '../../src/cli/options.js';
import { apiEntrySchema, configSchema, DEFAULT_CONFIG, parseConfig } from '../../src/config/schema.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function read(path: string): string {
  return readFileSync(resolve(ROOT, path), 'utf8');
}

interface Fence {
  readonly info: string;
  readonly body: string;
}

interface Markdown {
  /** Fenced code blocks in order; a fence closes only on a run of its own character at least as long. */
  readonly fences: readonly Fence[];
  /** The text outside fences, so that links and headings inside code do not count. */
  readonly prose: string;
}

function splitMarkdown(markdown: string): Markdown {
  const fences: Fence[] = [];
  const prose: string[] = [];
  let open: { marker: string; info: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (open === undefined) {
      const start = /^(`{3,}|~{3,})(.*)$/.exec(line);
      if (start) open = { marker: start[1] ?? '', info: (start[2] ?? '').trim(), lines: [] };
      else prose.push(line);
      continue;
    }
    const closing = line.trim();
    if (closing.length >= open.marker.length && closing === (open.marker[0] ?? '').repeat(closing.length)) {
      fences.push({ info: open.info, body: open.lines.join('\n') });
      open = undefined;
    } else {
      open.lines.push(line);
    }
  }
  return { fences, prose: prose.join('\n') };
}

const fences = (markdown: string) => splitMarkdown(markdown).fences;
const prose = (markdown: string) => splitMarkdown(markdown).prose;

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchors(markdown: string): Set<string> {
  return new Set([...prose(markdown).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug((m[1] ?? '').trim())));
}

/** Relative link targets, as written: `path`, `path#anchor` or `#anchor`. */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/i.test(target));
}

function commandLines(script: string): string[] {
  return script
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const readme = read('README.md');
const cliDoc = read('docs/cli.md');
const configDoc = read('docs/configuration.md');

describe('README.md', () => {
  it('opens with the install-and-demo command, then the test command, each alone in its block', () => {
    const [demo, test] = fences(readme);
    expect(demo?.body).toBe('npm ci && npm run demo');
    expect(test?.body).toBe('npm test');
  });

  it('shows both commands before any section', () => {
    const firstSection = readme.indexOf('\n## ');
    expect(readme.indexOf('npm ci && npm run demo')).toBeLessThan(firstSection);
    expect(readme.indexOf('```sh\nnpm test\n```')).toBeLessThan(firstSection);
  });

  it('gives the same commands CI runs: .ci/run is npm ci followed by npm test', () => {
    const commands = commandLines(read('.ci/run'));
    const install = commands.indexOf('npm ci');
    expect(install).toBeGreaterThanOrEqual(0);
    expect(commands.indexOf('npm test')).toBeGreaterThan(install);
    expect(commands.at(-1)).toBe(fences(readme)[1]?.body);
  });

  it('runs only package scripts that exist', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const named = [...readme.matchAll(/\bnpm (?:run ([\w:]+)|(test|start)\b)/g)].map((m) => m[1] ?? m[2] ?? '');
    expect(named).toEqual(expect.arrayContaining(['demo', 'test', 'start', 'bench', 'trial', 'generate:capi']));
    for (const name of named) expect(scripts[name], name).toBeDefined();
  });

  it('lists every rule with a link to its page and its default severity', () => {
    for (const rule of RULE_IDS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| [\`${rule}\`](docs/rules/${rule}.md) |`));
      expect(row, rule).toBeDefined();
      const cells = (row ?? '').split(' | ');
      expect(cells[2], rule).toBe(RULES[rule].meta.defaultSeverity);
    }
  });

  it('links only to files that exist, and to headings that exist in them', () => {
    const links = relativeLinks(readme);
    expect(links.filter((link) => link.startsWith('docs/')).length).toBeGreaterThan(RULE_IDS.length);
    for (const link of links) {
      const [path = '', anchor] = link.split('#');
      expect(existsSync(resolve(ROOT, path)), link).toBe(true);
      if (anchor !== undefined) expect(anchors(read(path)), link).toContain(anchor);
    }
  });

  it('shows only configuration that the schema accepts', () => {
    const examples = fences(readme).filter((fence) => fence.info === 'yaml');
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const result = parseConfig(parseYaml(example.body));
      expect(result.ok ? [] : result.errors, example.body).toEqual([]);
    }
  });
});

describe.each(['docs/cli.md', 'docs/configuration.md', 'docs/app.md'])('%s', (path) => {
  it('links only to files and headings that exist', () => {
    const text = read(path);
    for (const link of relativeLinks(text)) {
      const [target = '', anchor] = link.split('#');
      const file = target === '' ? resolve(ROOT, path) : resolve(ROOT, dirname(path), target);
      expect(existsSync(file), link).toBe(true);
      if (anchor !== undefined) expect(anchors(readFileSync(file, 'utf8')), link).toContain(anchor);
    }
  });
});

describe('docs/cli.md', () => {
  let help = '';
  const parsed = parseArgs(['--help'], '0.0.0', { stdout: (text) => (help += text), stderr: () => undefined });

  it('has a row in its options table for every option that --help prints', () => {
    expect(parsed).toEqual({ kind: 'exit', code: 0 });
    const optionsSection = help.slice(help.indexOf('Options:'), help.indexOf('\n\n', help.indexOf('Options:')));
    const options = [...optionsSection.matchAll(/^ {2}(?:(-\w), )?(--[\w-]+)/gm)].map((m) => ({ short: m[1], long: m[2] ?? '' }));
    expect(options.map((option) => option.long)).toEqual(expect.arrayContaining(['--format', '--diff', '--base', '--fail-on']));
    for (const { short, long } of options) {
      const flags = short === undefined ? long : `${short}, ${long}`;
      expect(cliDoc, flags).toMatch(new RegExp(`^\\| \`${flags}\\b`, 'm'));
    }
  });

  it('documents every exit status the CLI uses', () => {
    for (const status of ['0', '1', '2']) expect(cliDoc).toMatch(new RegExp(`^\\| ${status} \\|`, 'm'));
  });

  it('documents every output format', () => {
    for (const format of ['text', 'json', 'sarif']) expect(cliDoc).toContain(`**${format}**`);
  });
});

describe('docs/configuration.md', () => {
  const topLevel = Object.keys(configSchema.shape);

  it('has a section for every top-level key of the schema, in the schema order', () => {
    const sections = [...configDoc.matchAll(/^### `(\w+)`$/gm)].map((m) => m[1]);
    expect(topLevel.length).toBeGreaterThan(5);
    expect(sections).toEqual(topLevel);
  });

  it("quotes every description the schema gives, so error messages and docs agree", () => {
    const described = Object.values(configSchema.shape).flatMap((field) => [field.description, field.unwrap().description]);
    const apiDescribed = Object.values(apiEntrySchema.shape).map((field) => field.description);
    const descriptions = [...described, ...apiDescribed].filter((text): text is string => text !== undefined);
    expect(descriptions.length).toBeGreaterThanOrEqual(5);
    for (const description of descriptions) expect(configDoc).toContain(description);
  });

  it('describes every key and argument effect of an api entry', () => {
    for (const key of Object.keys(apiEntrySchema.shape)) expect(configDoc, key).toMatch(new RegExp(`^\\| \`${key}\` \\|`, 'm'));
    const effects = apiEntrySchema.shape.args.unwrap().valueType.options;
    for (const effect of effects) expect(configDoc, effect).toMatch(new RegExp(`^\\| \`${effect}\` \\|`, 'm'));
    for (const returns of apiEntrySchema.shape.returns.unwrap().options) expect(configDoc, returns).toContain(`\`${returns}\`:`);
  });

  it('states the defaults exactly as the schema has them', () => {
    const defaults = fences(configDoc).find((fence) => fence.info === 'yaml');
    expect(parseYaml(defaults?.body ?? '')).toEqual(DEFAULT_CONFIG);
  });

  it('shows only examples that the schema accepts', () => {
    const examples = fences(configDoc).filter((fence) => fence.info === 'yaml');
    expect(examples.length).toBeGreaterThan(3);
    for (const example of examples) {
      const result = parseConfig(parseYaml(example.body));
      expect(result.ok ? [] : result.errors, example.body).toEqual([]);
    }
  });
});
