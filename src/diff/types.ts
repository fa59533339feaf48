/** A unified diff as plain data: FileDiff → Hunk → DiffLine. Shared by the CLI (--diff, --base) and the review pipeline. */

export type DiffLine =
  | { readonly kind: 'add'; readonly newLine: number; readonly text: string }
  | { readonly kind: 'del'; readonly oldLine: number; readonly text: string }
  | { readonly kind: 'context'; readonly oldLine: number; readonly newLine: number; readonly text: string };

export interface Hunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly DiffLine[];
  /** Which side's last line lacks a newline (`\ No newline at end of file`); only the file's last hunk can carry it. */
  readonly noNewlineAtEnd?: 'old' | 'new' | 'both';
}

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed';

export interface FileDiff {
  /** null for an added file. */
  readonly oldPath: string | null;
  /** null for a deleted file. */
  readonly newPath: string | null;
  readonly status: FileStatus;
  readonly hunks: readonly Hunk[];
}
