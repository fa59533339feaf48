import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';

const multitool = createRequire(import.meta.url)('@microsoft/sarif-multitool-linux') as string;

/**
 * Errors and warnings from Microsoft's SARIF Multitool. Notes are style advice (and one of them
 * fetches every URI), so they are left out; `--level` and `--kind` must be given for results to appear at all.
 */
export function validateSarif(text: string): string[] {
  const workDir = mkdtempSync(join(tmpdir(), 'refcheck-sarif-'));
  try {
    const input = join(workDir, 'input.sarif');
    const output = join(workDir, 'validation.sarif');
    writeFileSync(input, text);
    execFileSync(
      multitool,
      ['validate', input, '--output', output, '--level', 'Error;Warning', '--kind', 'Fail', '--log', 'ForceOverwrite'],
      { stdio: 'pipe' },
    );
    const validation = JSON.parse(readFileSync(output, 'utf8')) as Sarif.Log;
    return (validation.runs[0]?.results ?? []).map((result) => `${result.ruleId}: ${JSON.stringify(result.message)}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
