import picomatch from 'picomatch';
import { languageFor } from '../analyzer/parse/language.js';
import type { Config } from '../config/schema.js';
import type { GitHub, PullFile } from '../github/client.js';
import type { ReviewRequest } from './request.js';

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface SourceFile {
  readonly path: string;
  readonly text: string;
  /** Absent when GitHub left it out (binary or too large a diff). */
  readonly patch?: string;
}

/** GitHub lists at most this many files of a pull request. */
export const FILE_LIST_LIMIT = 3000;

export interface FileSelection {
  readonly candidates: readonly PullFile[];
  /** Files the user would expect to be analysed but that are not; other files are simply not C or C++. */
  readonly skipped: readonly SkippedFile[];
}

/** Keeps the C and C++ files the config's paths select; deleted files have nothing left to review. */
export function selectFiles(files: readonly PullFile[], paths: Config['paths']): FileSelection {
  const included = picomatch(paths.include, { dot: true });
  const excluded = paths.exclude.length === 0 ? () => false : picomatch(paths.exclude, { dot: true });
  const candidates: PullFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    if (file.status === 'removed' || languageFor(file.path) === undefined) continue;
    if (!included(file.path) || excluded(file.path)) {
      skipped.push({ path: file.path, reason: 'excluded by the paths setting' });
      continue;
    }
    candidates.push(file);
  }
  return { candidates, skipped };
}

export interface FetchedFiles {
  readonly sources: readonly SourceFile[];
  readonly skipped: readonly SkippedFile[];
}

/** Reads each candidate at the head commit, one at a time: reads are cheap, bursts are not. */
export async function fetchSources(
  github: GitHub,
  request: ReviewRequest,
  candidates: readonly PullFile[],
  maxBytes: number,
  onProgress: (done: number) => Promise<void>,
): Promise<FetchedFiles> {
  const sources: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const [index, file] of candidates.entries()) {
    await onProgress(index);
    const content = await github.getFileContent(request, file.path, request.headSha, maxBytes);
    if (content.kind === 'skipped') skipped.push({ path: file.path, reason: content.reason });
    else sources.push({ path: file.path, text: content.text, ...(file.patch === undefined ? {} : { patch: file.patch }) });
  }
  return { sources, skipped };
}
