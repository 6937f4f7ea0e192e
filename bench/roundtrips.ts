/**
 * Sequential round trips on the critical path, read from the simulator's request log: the longest
 * chain of upstream calls in which each call arrived after the previous one had been answered. Calls
 * of one parallel wave overlap and do not chain; a call that waited for another's answer (a
 * dependency, or a queue slot behind a concurrency limit, or a rate-limit pause) does.
 */

export interface TimedCall {
  /** Arrival at the simulator, ms since the epoch. */
  timestamp: number;
  durationMs: number;
}

/**
 * Tolerance for the log's clock: arrival times are Date.now() (1 ms resolution) while durations are
 * fractional, so a dependent call can appear up to 1 ms "before" the answer it waited for.
 */
const CLOCK_SLACK_MS = 1;

export function criticalPath(calls: readonly TimedCall[]): number {
  if (calls.length === 0) return 0;
  const sorted = [...calls].sort((a, b) => a.timestamp - b.timestamp);
  const ends = sorted.map((c) => c.timestamp + c.durationMs);
  const chain = new Array<number>(sorted.length).fill(1);
  let best = 1;
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!.timestamp;
    for (let j = 0; j < i; j++) {
      if (ends[j]! - CLOCK_SLACK_MS <= start && chain[j]! + 1 > chain[i]!) chain[i] = chain[j]! + 1;
    }
    if (chain[i]! > best) best = chain[i]!;
  }
  return best;
}
