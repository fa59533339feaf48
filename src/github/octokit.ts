import { ProbotOctokit } from 'probot';

/** Rate-limit retries per request; past these the error reaches the run, which reports it. */
export const MAX_RATE_LIMIT_RETRIES = 3;

interface ThrottledRequest {
  readonly method: string;
  readonly url: string;
}

interface HasLog {
  readonly log: { warn(message: string): void };
}

/** The throttling plugin waits `retryAfter` seconds before the retry this handler asks for. */
export function retryAfterLimit(retryAfter: number, options: ThrottledRequest, octokit: HasLog, retryCount: number): boolean {
  const retry = retryCount < MAX_RATE_LIMIT_RETRIES;
  octokit.log.warn(
    `Rate limit on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter} s (retry ${retryCount + 1})` : 'giving up'}`,
  );
  return retry;
}

/**
 * Probot's Octokit, but retrying after primary and secondary rate limits: `probot run` only logs
 * secondary limits, and a review that hits one would be lost. The handlers are forced over the
 * ones Probot passes in, keeping any other throttle options (Redis clustering).
 */
export const RetryingOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => {
  const throttle = (options['throttle'] ?? {}) as Record<string, unknown>;
  return { ...options, throttle: { ...throttle, onRateLimit: retryAfterLimit, onSecondaryRateLimit: retryAfterLimit } };
}) as typeof ProbotOctokit;
