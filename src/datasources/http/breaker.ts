/**
 * Circuit breaker in front of one upstream: after a run of failures that mean "AMPECO is down" (5xx,
 * timeouts, connection failures) calls fail fast instead of each waiting out a timeout, and after a
 * cool-down one trial call is let through; it closes the breaker when it succeeds.
 *
 * The client talks to the small `UpstreamBreaker` interface; the in-process implementation below uses
 * cockatiel. A breaker shared by replicas (state in Redis) can implement the same interface.
 */
import { CircuitState, ConsecutiveBreaker, EventEmitter, circuitBreaker, handleWhenResult, isBrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';

export type BreakerState = 'closed' | 'open' | 'half-open';

export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What an attempt says about the upstream: `neutral` for attempts that tell nothing (cancelled by the caller). */
export type Verdict = 'up' | 'down' | 'neutral';

export interface UpstreamBreaker {
  readonly state: BreakerState;
  /** While open: ms until a trial call is let through; 0 otherwise. */
  readonly retryInMs: number;
  /** Runs one attempt; throws CircuitOpenError, without running it, while calls are paused. */
  run<T>(attempt: () => Promise<T>, judge: (outcome: AttemptOutcome<T>) => Verdict): Promise<T>;
  /** Returns a function that removes the listener. */
  onStateChange(listener: (state: BreakerState) => void): () => void;
  /** Called for every call refused while paused. */
  onRejected(listener: () => void): () => void;
}

export interface BreakerOptions {
  /** Failures in a row that open the breaker. */
  failures: number;
  /** How long the breaker stays open before a trial call. */
  cooldownMs: number;
}

/** Thrown instead of calling the upstream while the breaker is open or a trial call is under way. */
export class CircuitOpenError extends Error {
  /** undefined while a trial call is under way. */
  readonly retryInMs: number | undefined;
  constructor(retryInMs: number | undefined) {
    const when =
      retryInMs === undefined ? 'while a trial call checks whether it is back' : `for ${Math.max(1, Math.ceil(retryInMs / 1000))} s`;
    super(`after repeated failures, calls to it are paused ${when}`);
    this.name = 'CircuitOpenError';
    this.retryInMs = retryInMs;
  }
}

export function isCircuitOpenError(e: unknown): e is CircuitOpenError {
  return e instanceof CircuitOpenError;
}

/** A verdict carried through cockatiel as a result, so that a failing HTTP answer still reaches the caller. */
class Judged<T> {
  constructor(
    readonly verdict: 'up' | 'down',
    readonly outcome: AttemptOutcome<T>,
  ) {}
}

const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

export class InProcessBreaker implements UpstreamBreaker {
  readonly #policy: CircuitBreakerPolicy;
  readonly #cooldownMs: number;
  readonly #changes = new EventEmitter<BreakerState>();
  readonly #rejections = new EventEmitter<void>();
  #openedAt = 0;

  constructor(options: BreakerOptions) {
    if (!(Number.isInteger(options.failures) && options.failures >= 1)) throw new RangeError('breaker failures must be a positive integer.');
    this.#cooldownMs = options.cooldownMs;
    this.#policy = circuitBreaker(
      handleWhenResult((r) => r instanceof Judged && r.verdict === 'down'),
      { breaker: new ConsecutiveBreaker(options.failures), halfOpenAfter: options.cooldownMs },
    );
    this.#policy.onBreak(() => {
      this.#openedAt = Date.now();
    });
    this.#policy.onStateChange((s) => this.#changes.emit(STATES[s]));
  }

  get state(): BreakerState {
    const s = this.#policy.state;
    // cockatiel moves to half-open lazily, on the next call: report what that call would find.
    return s === CircuitState.Open && this.retryInMs === 0 ? 'half-open' : STATES[s];
  }

  get retryInMs(): number {
    if (this.#policy.state !== CircuitState.Open) return 0;
    return Math.max(0, this.#openedAt + this.#cooldownMs - Date.now());
  }

  async run<T>(attempt: () => Promise<T>, judge: (outcome: AttemptOutcome<T>) => Verdict): Promise<T> {
    // While the trial call runs, the others fail fast rather than queue behind it (cockatiel would wait).
    if (this.#policy.state === CircuitState.HalfOpen) throw this.#reject(undefined);
    let judged: Judged<T>;
    try {
      judged = await this.#policy.execute(async () => {
        let outcome: AttemptOutcome<T>;
        try {
          outcome = { ok: true, value: await attempt() };
        } catch (error) {
          outcome = { ok: false, error };
        }
        const verdict = judge(outcome);
        // Thrown past cockatiel: counts neither way while closed.
        if (verdict === 'neutral' && !outcome.ok) throw outcome.error;
        return new Judged(verdict === 'down' ? 'down' : 'up', outcome);
      });
    } catch (e) {
      if (isBrokenCircuitError(e)) throw this.#reject(this.retryInMs);
      throw e;
    }
    if (judged.outcome.ok) return judged.outcome.value;
    throw judged.outcome.error;
  }

  onStateChange(listener: (state: BreakerState) => void): () => void {
    const sub = this.#changes.addListener(listener);
    return () => sub.dispose();
  }

  onRejected(listener: () => void): () => void {
    const sub = this.#rejections.addListener(listener);
    return () => sub.dispose();
  }

  #reject(retryInMs: number | undefined): CircuitOpenError {
    try {
      this.#rejections.emit();
    } catch {
      // A listener (metrics) must never change the outcome of a call.
    }
    return new CircuitOpenError(retryInMs);
  }
}

/** The breaker the settings ask for; undefined when it is switched off (failures = 0). */
export function createBreaker(options: BreakerOptions): UpstreamBreaker | undefined {
  return options.failures > 0 ? new InProcessBreaker(options) : undefined;
}
