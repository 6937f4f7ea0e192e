/**
 * Client-side pacing so the facade stays under AMPECO's rate limit instead of bouncing off it (429s cost a
 * round trip, and AMPECO answers them without Retry-After), plus a FIFO semaphore for calls in flight.
 */
import { performance } from 'node:perf_hooks';
import { abortReason, DeadlinePassed, timeLeft } from './deadline.js';

/** What the upstream said in its X-RateLimit-* headers (all optional). resetAt is epoch milliseconds. */
export interface RateLimitObservation {
  limit?: number;
  remaining?: number;
  resetAt?: number;
}

/**
 * A request budget per upstream credential. `key` identifies the credential (a hash of the token, never the
 * token itself).
 *
 * Protocol (what AmpecoHttpClient does): `acquire` once before every attempt, then `observe` exactly once when
 * that attempt is over, with whatever rate-limit headers came back (`{}` when there was no response at all).
 * Implementations may rely on that pairing (the in-memory one does) or ignore it.
 */
export interface RateBudget {
  acquire(key: string, signal?: AbortSignal): Promise<void>;
  /**
   * `acquire` when it would not wait: true when the lease is taken now (observe it like any other), false
   * when the caller must `acquire` and wait. Lets a caller skip setting up a wait (timers, signals) it
   * rarely needs.
   */
  tryAcquire?(key: string): boolean;
  observe(key: string, headers: RateLimitObservation): void;
  /** How long this credential is known to stay paused (the upstream said remaining = 0); 0 when it is not. */
  pausedForMs?(key: string): number;
  /**
   * Whether this credential's budget is tight: more than half of the window spent by our count
   * (pacing configured), or by AMPECO's (X-RateLimit-Remaining), or the credential paused. The
   * query planner then saves calls rather than round trips.
   */
  tight?(key: string): boolean;
}

/** Calls left under which a window counts as more than half spent when AMPECO states no limit and none is configured. */
export const LOW_REMAINING = 100;
/** Credentials whose last X-RateLimit-Remaining is kept (each only until its window ends). */
const MAX_REPORTED = 10_000;

/** What AMPECO last said of a credential's window, until the window ends (monotonic ms). */
interface Reported {
  remaining: number;
  limit: number | undefined;
  until: number;
}

export interface InMemoryRateBudgetOptions {
  /** Requests allowed per window and credential; omit for no local limit (upstream headers still pause). */
  requestsPerWindow?: number;
  /** Window length in ms (default 60000, AMPECO's per-minute limits). */
  windowMs?: number;
  /**
   * Safety net for callers that acquire and never observe: a lease still open after this long is dropped
   * (default: max(windowMs, 120000)).
   */
  maxOpenMs?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Bucket {
  capacity: number;
  /** Acquire times of leases whose request has not finished yet (FIFO). */
  open: number[];
  /** Expiry times of spent leases, ascending. */
  spent: number[];
  /** No request may start before this (set when the upstream says remaining = 0). */
  blockedUntil: number;
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  timerAt: number;
}

/** Inserts into an ascending array. */
function insertSorted(arr: number[], value: number): void {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, value);
}

/**
 * In-memory budget: a bucket of `requestsPerWindow` tokens per credential where a spent token comes back
 * `windowMs` after the request it paid for *finished*.
 *
 * Why not a classic continuously-refilling token bucket: with capacity C and rate C/W it lets up to 2C requests
 * through in one window (a full burst, then the refill), which is exactly what trips a fixed- or sliding-window
 * limiter such as Laravel's. Returning each token W after its request was answered guarantees at most C
 * request *arrivals* at the server in any span of W, whatever the network delay or queueing, because a
 * request arrives before its response is received. Requests still in flight hold their token.
 *
 * `observe` adapts to the upstream: remaining = 0 blocks the credential until reset; a lower `limit` lowers
 * the capacity; a `remaining` lower than what this process thinks is left (other processes share the token)
 * consumes the difference until reset.
 */
export class InMemoryRateBudget implements RateBudget {
  readonly #capacity: number;
  readonly #windowMs: number;
  readonly #maxOpenMs: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #reported = new Map<string, Reported>();

  constructor(options: InMemoryRateBudgetOptions = {}) {
    const { requestsPerWindow, windowMs = 60_000 } = options;
    if (requestsPerWindow !== undefined && !(Number.isInteger(requestsPerWindow) && requestsPerWindow >= 1)) {
      throw new RangeError('requestsPerWindow must be a positive integer.');
    }
    if (!(Number.isFinite(windowMs) && windowMs > 0)) throw new RangeError('windowMs must be a positive number.');
    this.#capacity = requestsPerWindow ?? Number.POSITIVE_INFINITY;
    this.#windowMs = windowMs;
    this.#maxOpenMs = options.maxOpenMs ?? Math.max(windowMs, 120_000);
  }

  tight(key: string): boolean {
    const now = performance.now();
    const bucket = this.#buckets.get(key);
    if (bucket) {
      if (now < bucket.blockedUntil) return true;
      if (bucket.capacity !== Number.POSITIVE_INFINITY) {
        this.#expire(bucket, now);
        if (bucket.open.length + bucket.spent.length > bucket.capacity / 2) return true;
      }
    }
    const reported = this.#reported.get(key);
    if (!reported) return false;
    if (now >= reported.until) {
      this.#reported.delete(key);
      return false;
    }
    const limit = reported.limit ?? (this.#capacity !== Number.POSITIVE_INFINITY ? this.#capacity : undefined);
    return limit !== undefined ? reported.remaining < limit / 2 : reported.remaining < LOW_REMAINING;
  }

  pausedForMs(key: string): number {
    const bucket = this.#buckets.get(key);
    return bucket ? Math.max(0, bucket.blockedUntil - performance.now()) : 0;
  }

  tryAcquire(key: string): boolean {
    const bucket = this.#buckets.get(key);
    if (!bucket && this.#capacity === Number.POSITIVE_INFINITY) return true;
    const b = bucket ?? this.#bucket(key);
    const now = performance.now();
    // First come, first served: a newcomer does not pass those already waiting.
    if (b.waiters.length > 0 || now < b.blockedUntil) return false;
    this.#expire(b, now);
    if (b.capacity === Number.POSITIVE_INFINITY) return true;
    if (b.open.length + b.spent.length >= b.capacity) return false;
    b.open.push(now);
    return true;
  }

  acquire(key: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const existing = this.#buckets.get(key);
    // Fast path for unlimited budgets: nothing to track unless the upstream told us to pause.
    if (!existing && this.#capacity === Number.POSITIVE_INFINITY) return Promise.resolve();
    const bucket = existing ?? this.#bucket(key);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const i = bucket.waiters.indexOf(waiter);
          if (i >= 0) bucket.waiters.splice(i, 1);
          reject(abortReason(signal));
          this.#pump(key, bucket);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      bucket.waiters.push(waiter);
      this.#pump(key, bucket);
    });
  }

  observe(key: string, headers: RateLimitObservation): void {
    this.#report(key, headers);
    const limited = this.#capacity !== Number.POSITIVE_INFINITY;
    let bucket = this.#buckets.get(key);
    const mustPause = headers.remaining !== undefined && headers.remaining <= 0;
    if (!bucket) {
      if (!limited && !mustPause) return;
      bucket = this.#bucket(key);
    }
    const now = performance.now();
    // The request finished: its token now comes back one window from now.
    if (bucket.open.length > 0) {
      bucket.open.shift();
      insertSorted(bucket.spent, now + this.#windowMs);
    }
    const resetIn = headers.resetAt !== undefined && Number.isFinite(headers.resetAt) ? headers.resetAt - Date.now() : undefined;
    const resetAtMono = resetIn !== undefined && resetIn > 0 ? now + resetIn : undefined;

    if (limited && headers.limit !== undefined && Number.isInteger(headers.limit) && headers.limit >= 1) {
      // The upstream's limit is the truth; assume it uses the configured window.
      if (headers.limit < bucket.capacity) bucket.capacity = headers.limit;
    }
    if (mustPause) {
      const until = resetAtMono ?? (limited ? now + this.#windowMs : undefined);
      if (until !== undefined && until > bucket.blockedUntil) bucket.blockedUntil = until;
    } else if (limited && headers.remaining !== undefined && Number.isFinite(headers.remaining)) {
      // Someone else (another replica) spends the same credential: take the difference out of our bucket.
      const free = bucket.capacity - bucket.open.length - bucket.spent.length;
      const excess = Math.min(free - Math.floor(headers.remaining), bucket.capacity);
      const expiry = resetAtMono ?? now + this.#windowMs;
      for (let i = 0; i < excess; i++) insertSorted(bucket.spent, expiry);
    }
    this.#pump(key, bucket);
  }

  /** Keeps what AMPECO said of the credential's window, for `tight`; a 429's forced remaining = 0 too. */
  #report(key: string, headers: RateLimitObservation): void {
    if (headers.remaining === undefined || !Number.isFinite(headers.remaining)) return;
    const now = performance.now();
    const resetIn = headers.resetAt !== undefined && Number.isFinite(headers.resetAt) ? headers.resetAt - Date.now() : undefined;
    // A window AMPECO says has already ended tells nothing of the next one.
    if (resetIn !== undefined && resetIn <= 0) {
      this.#reported.delete(key);
      return;
    }
    const until = now + (resetIn ?? this.#windowMs);
    const limit = headers.limit !== undefined && Number.isFinite(headers.limit) && headers.limit >= 1 ? headers.limit : undefined;
    // Updated in place: every upstream call reports, and a delete and set per call churned the map's table.
    const known = this.#reported.get(key);
    if (known) {
      known.remaining = headers.remaining;
      known.limit = limit;
      known.until = until;
      return;
    }
    // Full: the credential reported first goes (the map keeps insertion order).
    if (this.#reported.size >= MAX_REPORTED) this.#reported.delete(this.#reported.keys().next().value!);
    this.#reported.set(key, { remaining: headers.remaining, limit, until });
  }

  #bucket(key: string): Bucket {
    const bucket: Bucket = {
      capacity: this.#capacity,
      open: [],
      spent: [],
      blockedUntil: 0,
      waiters: [],
      timer: undefined,
      timerAt: 0,
    };
    this.#buckets.set(key, bucket);
    return bucket;
  }

  /** Drops the leases that came back by `now`, and the open ones forgotten for too long. */
  #expire(bucket: Bucket, now: number): void {
    while (bucket.spent.length > 0 && (bucket.spent[0] as number) <= now) bucket.spent.shift();
    while (bucket.open.length > 0 && (bucket.open[0] as number) + this.#maxOpenMs <= now) bucket.open.shift();
  }

  #pump(key: string, bucket: Bucket): void {
    const now = performance.now();
    this.#expire(bucket, now);

    const limited = bucket.capacity !== Number.POSITIVE_INFINITY;
    while (bucket.waiters.length > 0 && now >= bucket.blockedUntil) {
      if (limited && bucket.open.length + bucket.spent.length >= bucket.capacity) break;
      const waiter = bucket.waiters.shift() as Waiter;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      if (limited) bucket.open.push(now);
      waiter.resolve();
    }

    if (bucket.waiters.length > 0) {
      // Wake up when the block ends or the earliest token comes back (or a forgotten lease times out).
      let at: number;
      if (now < bucket.blockedUntil) at = bucket.blockedUntil;
      else if (bucket.spent.length > 0) at = bucket.spent[0] as number;
      else at = (bucket.open[0] ?? now) + this.#maxOpenMs;
      if (!bucket.timer || at < bucket.timerAt) {
        if (bucket.timer) clearTimeout(bucket.timer);
        bucket.timerAt = at;
        bucket.timer = setTimeout(() => {
          bucket.timer = undefined;
          this.#pump(key, bucket);
        }, Math.max(1, Math.ceil(at - now)));
      }
      return;
    }
    if (bucket.timer) {
      clearTimeout(bucket.timer);
      bucket.timer = undefined;
    }
    const idle =
      bucket.open.length === 0 && bucket.spent.length === 0 && now >= bucket.blockedUntil && bucket.capacity === this.#capacity;
    if (idle) this.#buckets.delete(key);
  }
}

interface Slot {
  grant: () => void;
}

/** FIFO semaphore bounding the upstream calls in flight. */
export class ConcurrencyLimiter {
  readonly max: number;
  #active = 0;
  readonly #queue: Slot[] = [];

  constructor(max: number) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError('ConcurrencyLimiter max must be a positive integer.');
    this.max = max;
  }

  get inFlight(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Runs `fn` in a slot; a wait for one ends with the caller's signal, or with DeadlinePassed at `deadline`. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal, deadline?: number): Promise<T> {
    await this.#acquire(signal, deadline);
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(signal?: AbortSignal, deadline?: number): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.#active < this.max) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const leave = (reason: unknown) => {
        const i = this.#queue.indexOf(slot);
        if (i >= 0) this.#queue.splice(i, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(reason);
      };
      const onAbort = () => leave(abortReason(signal as AbortSignal));
      // A plain timer, not AbortSignal.timeout: that one is held through a WeakRef, which keeps what it
      // points to alive through every minor GC.
      const left = timeLeft(deadline);
      const timer = Number.isFinite(left) ? setTimeout(() => leave(new DeadlinePassed()), Math.max(1, Math.ceil(left))) : undefined;
      const slot: Slot = {
        grant: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(slot);
    });
  }

  #release(): void {
    const next = this.#queue.shift();
    // Hand the slot straight to the next waiter so a newcomer cannot jump the queue.
    if (next) next.grant();
    else this.#active--;
  }
}
