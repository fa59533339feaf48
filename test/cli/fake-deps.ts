import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AnalysisResult, AnalyzeOptions } from '../../src/analyzer/index.js';
import type { CliDeps } from '../../src/cli/deps.js';

export interface FakeRun {
  readonly deps: CliDeps;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Every call the CLI made to the analyzer. */
  readonly calls: { source: string; options: AnalyzeOptions }[];
}

const NOTHING: AnalysisResult = { findings: [], functions: [], diagnostics: [] };

/** CLI dependencies around a real folder, with the analyzer, terminal, stdin and git replaced. */
export function fakeRun(cwd: string, overrides: Partial<CliDeps> = {}): FakeRun {
  let stdout = '';
  let stderr = '';
  const calls: { source: string; options: AnalyzeOptions }[] = [];
  const { analyze = () => NOTHING, ...rest } = overrides;
  const deps: CliDeps = {
    readFile: (path) => readFile(path),
    readStdin: () => Promise.resolve(''),
    gitDiff: () => Promise.reject(new Error('git is not available in this test')),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdoutIsTTY: false,
    env: {},
    cwd,
    ...rest,
    analyze: (source, options) => {
      calls.push({ source, options });
      return analyze(source, options);
    },
  };
  return { deps, stdout: () => stdout, stderr: () => stderr, calls };
}

const projects: string[] = [];

/** A fresh folder holding the given files (path → contents); removeProjects() deletes them all. */
export function projectWith(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'refcheck-cli-'));
  projects.push(root);
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), contents);
  }
  return root;
}

export function removeProjects(): void {
  for (const root of projects.splice(0)) rmSync(root, { recursive: true, force: true });
}
