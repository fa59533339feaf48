export type { DiffLine, FileDiff, FileStatus, Hunk } from './types.js';
export { parsePatch, parseUnifiedDiff } from './parse.js';
export { addedLines, commentableLines } from './lines.js';
export { reconstructBase } from './reconstruct.js';
