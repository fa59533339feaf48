import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { languageFor } from '../analyzer/parse/language.js';

/** Folders that hold dependencies, build output or tool caches rather than the project's own source. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'build',
  'dist',
  '__pycache__',
  'venv',
  'site-packages',
]);

/** Hidden folders (.git, .tox, .venv, .mypy_cache, ...) are skipped too. */
function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

export interface SourceFile {
  /** As shown to the user and given to the analyzer: relative to the working directory when inside it. */
  readonly path: string;
  readonly absolutePath: string;
}

export interface Discovery {
  readonly files: readonly SourceFile[];
  /** Paths that could not be walked or are not C or C++ source, each with the reason. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  /** Command-line paths that do not exist: a usage error. */
  readonly missing: readonly string[];
}

export function displayPath(absolutePath: string, cwd: string): string {
  const fromCwd = relative(cwd, absolutePath);
  return fromCwd === '' || fromCwd.startsWith('..') || isAbsolute(fromCwd) ? absolutePath : fromCwd;
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or directory (a broken symbolic link?)';
  return error instanceof Error ? error.message : String(error);
}

/**
 * The C and C++ files under the given files and folders, in a stable order. Symbolic links are
 * followed, but each real folder and file is visited once, so a link back up the tree ends there.
 */
export async function discoverSourceFiles(paths: readonly string[], cwd: string): Promise<Discovery> {
  const files: SourceFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();

  const visitOnce = async (absolutePath: string): Promise<boolean> => {
    const real = await realpath(absolutePath);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  };

  const addFile = async (absolutePath: string, explicit: boolean): Promise<void> => {
    const path = displayPath(absolutePath, cwd);
    if (languageFor(path) === undefined) {
      if (explicit) skipped.push({ path, reason: 'not a C or C++ source file (by its extension)' });
      return;
    }
    if (await visitOnce(absolutePath)) files.push({ path, absolutePath });
  };

  const walk = async (folder: string): Promise<void> => {
    if (!(await visitOnce(folder))) return;
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: displayPath(folder, cwd), reason: reasonOf(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = join(folder, entry.name);
      try {
        const isFolder = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(child)).isDirectory());
        if (isFolder) {
          if (!isSkippedFolder(entry.name)) await walk(child);
        } else {
          await addFile(child, false);
        }
      } catch (error) {
        if (languageFor(entry.name) !== undefined) skipped.push({ path: displayPath(child, cwd), reason: reasonOf(error) });
      }
    }
  };

  for (const given of paths) {
    const absolutePath = resolve(cwd, given);
    let isFolder: boolean;
    try {
      isFolder = (await stat(absolutePath)).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing.push(given);
      else skipped.push({ path: given, reason: reasonOf(error) });
      continue;
    }
    if (isFolder) await walk(absolutePath);
    else await addFile(absolutePath, true);
  }
  return { files, skipped, missing };
}
