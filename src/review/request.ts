import type { PullRef } from '../github/client.js';

/** `diff`: the functions the pull request touches. `full`: every function of the changed files (`/refcheck full`). */
export type ReviewMode = 'diff' | 'full';

export type Trigger =
  | { readonly kind: 'pull_request'; readonly action: string }
  | { readonly kind: 'command'; readonly commentId: number }
  | { readonly kind: 'check_run' };

/** One run of the pipeline on one head commit of one pull request. */
export interface ReviewRequest extends PullRef {
  readonly headSha: string;
  readonly mode: ReviewMode;
  readonly trigger: Trigger;
  /** The webhook delivery that started the run, for the log line. */
  readonly deliveryId: string;
}
