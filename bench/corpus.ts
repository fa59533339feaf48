/** Finding the C and C++ files of a corpus on disk. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { languageFor } from '../src/analyzer/parse/language.js';

/** CPython's own C, the default corpus: the modules, the object implementations and the interpreter. */
export const CPYTHON_PARTS = ['Modules', 'Objects', 'Python'] as const;
export const CPYTHON_TREE = 'Python-3.11.2';

/** Where scripts/fetch-corpus.sh puts the packages: CORPUS_DIR, else .corpus at the repository's root. */
export function corpusRoot(): string {
  return resolve(process.env.CORPUS_DIR ?? fileURLToPath(new URL('../.corpus', import.meta.url)));
}

export const FETCH_SCRIPT = fileURLToPath(new URL('../scripts/fetch-corpus.sh', import.meta.url));

/** Every C or C++ file (by languageFor) under `dir`, sorted, without following symbolic links. */
export function listSourceFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && languageFor(entry.name) !== undefined) found.push(path);
    }
  };
  if (statSync(dir).isDirectory()) walk(dir);
  else if (languageFor(dir) !== undefined) found.push(dir);
  return found.sort();
}
