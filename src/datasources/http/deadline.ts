/**
 * When a call must end: its deadline, the performance.now() time by which it must be over (the GraphQL
 * request's deadline, see request-limits.ts), and its caller's abort signal. Waits and attempts bound
 * themselves by the deadline with plain timers.
 */
import { performance } from 'node:perf_hooks';

/** The call's deadline passed before it could finish, or start. */
export class DeadlinePassed extends Error {
  constructor() {
    super('The request deadline passed.');
    this.name = 'DeadlinePassed';
  }
}

/** ms until `deadline`; Infinity without one. */
export function timeLeft(deadline: number | undefined): number {
  return deadline === undefined ? Number.POSITIVE_INFINITY : deadline - performance.now();
}

/** Why an aborted signal was aborted: its reason, or the AbortError a fetch would throw. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
