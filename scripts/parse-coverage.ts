/**
 * How much real code the parser reads cleanly: functions found, functions whose body has parse errors,
 * and the commonest text at the first error inside a function body.
 * Usage: npx tsx scripts/parse-coverage.ts [--ext .c,.cc] [--top 25] [--show CAUSE] <dirs or files...>
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findFunctions } from '../src/analyzer/parse/functions.js';
import { languageFor } from '../src/analyzer/parse/language.js';
import { collectParseErrors } from '../src/analyzer/parse/errors.js';
import { maskNonCode } from '../src/analyzer/parse/mask.js';

interface Options {
  readonly extensions: readonly string[] | undefined;
  readonly top: number;
  readonly show: string | undefined;
  readonly roots: readonly string[];
}

function parseArguments(argv: readonly string[]): Options {
  let extensions: string[] | undefined;
  let top = 25;
  let show: string | undefined;
  const roots: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i] ?? '';
    if (argument === '--ext') extensions = (argv[++i] ?? '').split(',');
    else if (argument === '--top') top = Number(argv[++i] ?? '25');
    else if (argument === '--show') show = argv[++i];
    else roots.push(argument);
  }
  return { extensions, top, show, roots };
}

function* sourceFiles(path: string, extensions: readonly string[] | undefined): Generator<string> {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* sourceFiles(join(path, entry), extensions);
    return;
  }
  const wanted = extensions ? extensions.some((ext) => path.endsWith(ext)) : languageFor(path) !== undefined;
  if (wanted) yield path;
}

/** Group causes by their first token-ish words so `Py_UNUSED(self)` and `Py_UNUSED(args)` count together. */
function causeOf(text: string): string {
  const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text);
  return match ? match[0] : text.slice(0, 20);
}

/**
 * Names of definitions in CPython's layout, `name(` at column 0 with a `{` at column 0 before any `;`,
 * read from the text alone: a cross-check that macros did not make the parser lose whole functions.
 */
function columnZeroDefinitions(source: string): { name: string; line: number }[] {
  const lines = maskNonCode(source).split('\n');
  const found: { name: string; line: number }[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([A-Za-z_][A-Za-z0-9_:~]*)\s*\(/.exec(lines[index] ?? '');
    if (!match?.[1]) continue;
    for (let next = index; next < Math.min(lines.length, index + 15); next += 1) {
      const line = lines[next] ?? '';
      if (line.startsWith('{')) {
        found.push({ name: match[1], line: index + 1 });
        break;
      }
      if (/;\s*$/.test(line) || (next > index && /^[A-Za-z_}]/.test(line))) break;
    }
  }
  return found;
}

function main(): void {
  const options = parseArguments(process.argv.slice(2));
  if (options.roots.length === 0) {
    console.error('usage: npx tsx scripts/parse-coverage.ts [--ext .c,.cc] [--top N] [--show CAUSE] <dirs...>');
    process.exitCode = 2;
    return;
  }
  let files = 0;
  let filesWithErrors = 0;
  let functions = 0;
  let broken = 0;
  const causes = new Map<string, { count: number; example: string }>();
  let expected = 0;
  const lost: string[] = [];
  const started = Date.now();
  for (const root of options.roots) {
    for (const path of sourceFiles(root, options.extensions)) {
      const language = languageFor(path) ?? 'cpp';
      const source = readFileSync(path, 'utf8');
      const parsed = findFunctions(source, language, { retryWithC: path.endsWith('.h') });
      files += 1;
      if (parsed.errors.length > 0) filesWithErrors += 1;
      functions += parsed.functions.length;
      const names = new Set(parsed.functions.map((fn) => fn.name));
      for (const definition of columnZeroDefinitions(source)) {
        expected += 1;
        if (!names.has(definition.name)) lost.push(`${path}:${definition.line} ${definition.name}`);
      }
      for (const fn of parsed.functions) {
        if (!fn.hasErrors) continue;
        broken += 1;
        const first = collectParseErrors(fn.body, source)[0];
        const text = first ? first.text : '?';
        const cause = causeOf(text);
        const where = `${path}:${first?.line ?? fn.startLine} (${fn.name}) ${text}`;
        const entry = causes.get(cause) ?? { count: 0, example: where };
        entry.count += 1;
        causes.set(cause, entry);
        if (options.show === cause) console.log(where);
      }
    }
  }
  const clean = functions - broken;
  const share = functions === 0 ? 100 : (100 * clean) / functions;
  console.log(`files: ${files} (${filesWithErrors} with at least one parse error)`);
  console.log(`functions found: ${functions}`);
  console.log(`functions whose body has parse errors: ${broken}`);
  console.log(`share without errors: ${share.toFixed(2)}%`);
  console.log(`definitions written \`name(\` at column 0: ${expected}, not found as functions: ${lost.length}`);
  for (const where of lost.slice(0, options.top)) console.log(`  lost ${where}`);
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log('top causes (text at the first error in the body):');
  const ranked = [...causes.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, options.top);
  for (const [cause, { count, example }] of ranked) console.log(`${String(count).padStart(6)}  ${cause}    e.g. ${example}`);
}

main();
