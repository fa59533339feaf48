import { analyze } from '../analyzer/index.js';
import type { ConfigResult } from '../config/schema.js';
import type { GitHub } from '../github/client.js';
import type { Analyzer } from './analysis.js';
import { runReview, type RunLog, type RunOutcome } from './pipeline.js';
import { keyedQueue } from './queue.js';
import type { ReviewRequest } from './request.js';

export interface RunnerOptions {
  /** Replaces the analyzer; tests use it to get exact findings. */
  readonly analyzer?: Analyzer;
  readonly now?: () => number;
  readonly progressIntervalMs?: number;
}

export type Runner = (github: GitHub, log: RunLog, request: ReviewRequest, config: ConfigResult) => Promise<RunOutcome>;

/** Runs reviews one at a time per pull request. */
export function createRunner(options: RunnerOptions = {}): Runner {
  const enqueue = keyedQueue();
  const analyzer = options.analyzer ?? analyze;
  const now = options.now ?? Date.now;
  const progressIntervalMs = options.progressIntervalMs ?? 5000;
  return (github, log, request, config) =>
    enqueue(`${request.owner}/${request.repo}#${request.pull}`, () =>
      runReview(request, config, { github, log, analyzer, now, progressIntervalMs }),
    );
}
