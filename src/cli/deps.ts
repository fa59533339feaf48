import { readFile } from 'node:fs/promises';
import type { AnalysisResult, AnalyzeOptions } from '../analyzer/index.js';
import { gitDiffAgainst } from './git.js';

/** Everything the CLI touches outside itself, so tests can stand in for the analyzer, files, git and terminal. */
export interface CliDeps {
  readonly analyze: (source: string, options: AnalyzeOptions) => AnalysisResult | Promise<AnalysisResult>;
  /** Whole file contents; rejects like fs.readFile when the file cannot be read. */
  readonly readFile: (absolutePath: string) => Promise<Uint8Array>;
  readonly readStdin: () => Promise<string>;
  /** `git diff REV` of the working tree in `cwd`, paths relative to `cwd`. */
  readonly gitDiff: (rev: string, cwd: string) => Promise<string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The analyzer loads its grammars and API table on import, so --help and --version do not wait for it. */
async function analyzeLazily(source: string, options: AnalyzeOptions): Promise<AnalysisResult> {
  const { analyze } = await import('../analyzer/index.js');
  return analyze(source, options);
}

export function processDeps(): CliDeps {
  return {
    analyze: analyzeLazily,
    readFile: (absolutePath) => readFile(absolutePath),
    readStdin: () => readAll(process.stdin),
    gitDiff: gitDiffAgainst,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}
