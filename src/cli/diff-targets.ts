import { relative, resolve, isAbsolute } from 'node:path';
import { languageFor } from '../analyzer/parse/language.js';
import { addedLines } from '../diff/lines.js';
import type { FileDiff } from '../diff/types.js';
import { displayPath } from './discover.js';

export interface DiffTarget {
  readonly path: string;
  readonly absolutePath: string;
  /** New-side lines the diff added: only functions containing one are analysed. */
  readonly touchedLines: ReadonlySet<number>;
}

function isWithin(absolutePath: string, folder: string): boolean {
  const fromFolder = relative(folder, absolutePath);
  return fromFolder === '' || (!fromFolder.startsWith('..') && !isAbsolute(fromFolder));
}

/**
 * The C and C++ files a diff adds lines to, with those lines. Files it only deletes or renames
 * carry no new code. With `scope` paths, only files under one of them count.
 */
export function diffTargets(files: readonly FileDiff[], cwd: string, scope: readonly string[]): DiffTarget[] {
  const folders = scope.map((path) => resolve(cwd, path));
  return files.flatMap((file) => {
    if (file.newPath === null || languageFor(file.newPath) === undefined) return [];
    const touchedLines = addedLines(file.hunks);
    if (touchedLines.size === 0) return [];
    const absolutePath = resolve(cwd, file.newPath);
    if (folders.length > 0 && !folders.some((folder) => isWithin(absolutePath, folder))) return [];
    return [{ path: displayPath(absolutePath, cwd), absolutePath, touchedLines }];
  });
}
