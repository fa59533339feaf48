import type { TraceStep } from '../findings.js';
import type { PathStep } from '../ownership/state.js';

const MAX_STEPS = 10;

/**
 * The steps of a path that concern the given references (plus the untagged ones: gotos), so a finding's
 * trace tells its own story; long ones keep where the reference came from and the latest steps.
 */
export function traceOf(trace: readonly PathStep[], refs: readonly (string | undefined)[], last?: TraceStep): TraceStep[] {
  const wanted = new Set(refs.filter((r): r is string => r !== undefined));
  const own = trace.filter((s) => s.ref === undefined || wanted.has(s.ref)).map(({ line, note }) => ({ line, note }));
  const kept = own.length > MAX_STEPS - 1 ? [...own.slice(0, 2), ...own.slice(-(MAX_STEPS - 3))] : own;
  return last ? [...kept, last] : kept;
}

/** An expression as one short line, for messages. */
export function shortExpr(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > 60 ? `${folded.slice(0, 57)}...` : folded;
}
