/**
 * The one place that speaks HTTP to AMPECO. Loaders and resolvers call `request()` with an already filled
 * path and get a parsed body back, or one of the GraphQL errors from ./errors.ts; they never see undici,
 * URLs or status codes.
 *
 * Retry policy (idempotent methods only: GET, HEAD):
 *   - retried: 429, 500, 502, 503, 504, timeouts, connection refused/reset/dropped. A GET on 500 is retried
 *     too: reading twice is harmless and AMPECO's 500s are mostly transient.
 *   - never retried: other 4xx, bad (non-JSON) bodies, and every POST/PATCH/PUT/DELETE whatever the failure
 *     (a dropped connection does not say whether the write happened; a 202 OCPP command must not run twice).
 *   - delay: exponential backoff with full jitter, or the server's hint when it gives one (Retry-After, else
 *     X-RateLimit-Reset on a 429). A hint above `maxRetryAfterMs` (5 s) is not waited out: the call fails at
 *     once with UpstreamRateLimitedError / the mapped error, so a resolver never hangs for a minute.
 *
 * Circuit breaker (optional, ./breaker.ts): every attempt of every method goes through it, retries included.
 * 5xx answers, timeouts and connection failures count towards opening it; any other answer (4xx, 429) shows
 * AMPECO is up. While it is open a call fails at once with UPSTREAM_UNAVAILABLE and is not retried.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { isCircuitOpenError, type AttemptOutcome, type BreakerState, type UpstreamBreaker, type Verdict } from './breaker.js';
import {
  UpstreamBadResponseError,
  UpstreamClientError,
  UpstreamForbiddenError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamServerError,
  UpstreamTimeoutError,
  UpstreamUnauthenticatedError,
  UpstreamUnavailableError,
  UpstreamValidationError,
  isUpstreamError,
  parseFieldErrors,
  sanitizeUpstreamText,
  type HttpMethod,
  type UpstreamCallInfo,
  type UpstreamError,
} from './errors.js';
import { abortReason, DeadlinePassed, timeLeft } from './deadline.js';
import { encodeQuery, type QueryParams } from './query.js';
import { ConcurrencyLimiter, type RateBudget, type RateLimitObservation } from './rate-limiter.js';

export interface RetryOptions {
  /** Total tries for GET/HEAD (1 = no retry). Default 3. */
  attempts: number;
  /** Backoff base: attempt n waits random(0, min(maxDelayMs, baseDelayMs * 2^(n-1))). Default 100. */
  baseDelayMs: number;
  /** Backoff cap. Default 2000. */
  maxDelayMs: number;
  /** Longest server-requested wait (Retry-After / X-RateLimit-Reset) worth waiting out. Default 5000. */
  maxRetryAfterMs: number;
}

export interface UpstreamCallEvent {
  method: HttpMethod;
  /** Path without query. */
  path: string;
  /** HTTP status, undefined when there was no answer. */
  status: number | undefined;
  durationMs: number;
  /** 1-based attempt number. */
  attempt: number;
  /** Set when the attempt failed without an answer: UPSTREAM_TIMEOUT / UPSTREAM_UNAVAILABLE. */
  errorCode?: string;
}

export interface AmpecoHttpClientOptions {
  /** e.g. https://tenant.ampeco.tech (a path prefix is kept; credentials in the URL are refused). */
  baseUrl: string;
  /** Per attempt: time to the full response (headers and body). Default 10000. */
  timeoutMs?: number;
  /** TCP/TLS connect timeout. Default min(timeoutMs, 5000). */
  connectTimeoutMs?: number;
  /** Upstream calls in flight at once for this process. Default 32. */
  maxInFlight?: number;
  /** Sockets in the undici Pool. Default maxInFlight (pipelining is 1, so more would sit idle). */
  connections?: number;
  /** Idle keep-alive per socket when the server does not say (undici caps it by the server's hint). Default 10000. */
  keepAliveTimeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Pacing per credential; none by default (429s are then only retried/back-off'd). */
  rateBudget?: RateBudget;
  /** Called once per attempt (metrics, bench). Exceptions thrown by it are swallowed. */
  onCall?: (e: UpstreamCallEvent) => void;
  userAgent?: string;
  /** Token used by checkReachable(); without one a 401 still proves AMPECO answers. */
  probeToken?: string;
  /** Fails calls fast while AMPECO is down (each attempt, retries included, goes through it). None by default. */
  breaker?: UpstreamBreaker;
}

export interface AmpecoRequest {
  method: HttpMethod;
  /** Filled path, e.g. /public-api/resources/evses/v2.1/12 (no query string: use `query`). */
  path: string;
  query?: QueryParams;
  /** JSON-serialised when defined. */
  body?: unknown;
  /** Bearer token of the upstream credential. */
  token: string;
  signal?: AbortSignal;
  /**
   * performance.now() time by which the call must be over (the GraphQL request's deadline): it bounds
   * each attempt's timeout and every wait (backoff, rate budget, a free slot); past it the call fails
   * with DeadlinePassed. A time rather than a signal, so that a call pays for no listener on it.
   */
  deadline?: number;
}

export interface AmpecoResponse<T> {
  status: number;
  /** Parsed JSON; undefined for 204, empty 202 (or any empty 2xx) and HEAD. */
  body: T | undefined;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string | undefined>;
}

const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2000, maxRetryAfterMs: 5000 };
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const PROBE_PATH = '/public-api/resources/locations/v2.0';
/** Thrown out of #attempt when our own per-attempt timer fired. */
const TIMEOUT = Symbol('ampeco-timeout');
/** Abort reason of the per-attempt timer (an Error, so undici and streams handle it like any abort). */
class AttemptTimeout extends Error {}

/**
 * What undici listens to for aborting one attempt: it takes an EventEmitter with `aborted` and
 * `reason` as it takes an AbortSignal, and this is far cheaper to make for every call than an
 * AbortController (whose signal is an EventTarget).
 */
class AttemptAbort extends EventEmitter {
  aborted = false;
  reason: unknown;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** Connection-level failures: the server may or may not have seen the request. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface RawResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string | undefined;
}

/**
 * Keys of the tokens seen lately: the same token comes with request after request (the server-held one,
 * or a client's in pass-through), and hashing it on each was a measurable part of a simple query.
 * Bounded, oldest first out; a hit does not reorder (a delete and set per request churned the map's
 * table), so a token in constant use is hashed again once per 1,000 new tokens. Tokens are kept in this
 * process only, as they are while their requests run; never logged or passed on.
 */
const recentKeys = new Map<string, string>();
const RECENT_KEYS = 1_000;

/** Rate-budget key: a hash of the token, so the token itself never sits in the budget, a metric or Redis. */
export function credentialKey(token: string): string {
  const known = recentKeys.get(token);
  if (known !== undefined) return known;
  const key = `ampeco:${createHash('sha256').update(token).digest('base64url').slice(0, 32)}`;
  if (recentKeys.size >= RECENT_KEYS) recentKeys.delete(recentKeys.keys().next().value!);
  recentKeys.set(token, key);
  return key;
}

function connectionErrorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function flattenHeaders(raw: Dispatcher.ResponseData['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name in raw) {
    const value = raw[name];
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/**
 * X-RateLimit-Reset is epoch seconds in Laravel, but some gateways send epoch ms or seconds-from-now:
 * tell them apart by magnitude. Returns epoch ms.
 */
export function parseRateLimitReset(value: string | undefined, nowMs = Date.now()): number | undefined {
  const n = parseNumber(value);
  if (n === undefined || n < 0) return undefined;
  if (n >= 1e12) return n; // epoch ms
  if (n >= 1e9) return n * 1000; // epoch s
  return nowMs + n * 1000; // delta s (may be fractional)
}

/** Retry-After: delta seconds (fractions tolerated) or an HTTP date. Returns ms to wait. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function observationOf(headers: Record<string, string | undefined>): RateLimitObservation {
  const obs: RateLimitObservation = {};
  const limit = parseNumber(headers['x-ratelimit-limit']);
  const remaining = parseNumber(headers['x-ratelimit-remaining']);
  const resetAt = parseRateLimitReset(headers['x-ratelimit-reset']);
  if (limit !== undefined) obs.limit = limit;
  if (remaining !== undefined) obs.remaining = remaining;
  if (resetAt !== undefined) obs.resetAt = resetAt;
  return obs;
}

/** How long the server asked us to wait, if it did. */
function serverHintMs(status: number, headers: Record<string, string | undefined>): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after']);
  if (retryAfter !== undefined) return retryAfter;
  if (status === 429) {
    // AMPECO's 429s carry X-RateLimit-* and no Retry-After.
    const resetAt = parseRateLimitReset(headers['x-ratelimit-reset']);
    if (resetAt !== undefined) return Math.max(0, resetAt - Date.now());
  }
  return undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A timer that fires this much later than asked measured a stall of our own event loop. */
const STALL_TOLERANCE_MS = 100;
/** How far past the attempt timeout undici's own per-phase timeouts lie (a backstop, see the Pool). */
const UNDICI_BACKSTOP_MS = 5_000;

/**
 * The per-attempt timeout, without blaming AMPECO for our own stalls: when the timer fires late (the
 * event loop was blocked by GC, CPU throttling or a heavy response), AMPECO's answer may be waiting
 * unread on the socket, and aborting would count a healthy upstream as down (and open the breaker).
 * So a late timer gives the loop, once, as long again as the stall lasted (at most the timeout).
 */
function attemptTimer(ms: number, expire: () => void): { clear(): void } {
  const due = performance.now() + ms;
  let handle = setTimeout(() => {
    const late = performance.now() - due;
    if (late <= STALL_TOLERANCE_MS) return expire();
    handle = setTimeout(expire, Math.min(late, ms));
  }, ms);
  return { clear: () => clearTimeout(handle) };
}

/** A timer that fires when asked: the deadline is a wall, with no allowance for our own stalls. */
function plainTimer(ms: number, expire: () => void): { clear(): void } {
  const handle = setTimeout(expire, ms);
  return { clear: () => clearTimeout(handle) };
}

export class AmpecoHttpClient {
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #timeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #retry: RetryOptions;
  readonly #limiter: ConcurrencyLimiter;
  readonly #rateBudget: RateBudget | undefined;
  readonly #onCall: ((e: UpstreamCallEvent) => void) | undefined;
  readonly #userAgent: string;
  readonly #probeToken: string | undefined;
  readonly #breaker: UpstreamBreaker | undefined;

  constructor(options: AmpecoHttpClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.username || url.password) throw new TypeError('AmpecoHttpClient baseUrl must not contain credentials.');
    if (url.search || url.hash) throw new TypeError('AmpecoHttpClient baseUrl must not contain a query or fragment.');
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? Math.min(this.#timeoutMs, 5_000);
    const maxInFlight = options.maxInFlight ?? 32;
    this.#retry = Object.assign({}, DEFAULT_RETRY, options.retry);
    if (!(Number.isInteger(this.#retry.attempts) && this.#retry.attempts >= 1)) {
      throw new RangeError('retry.attempts must be a positive integer.');
    }
    this.#limiter = new ConcurrencyLimiter(maxInFlight);
    this.#rateBudget = options.rateBudget;
    this.#onCall = options.onCall;
    this.#userAgent = options.userAgent ?? 'ampeco-graph/0.1';
    this.#probeToken = options.probeToken;
    this.#breaker = options.breaker;
    this.#pool = new Pool(url.origin, {
      connections: options.connections ?? maxInFlight,
      // No pipelining: a slow response would block the ones queued behind it on the same socket.
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
      keepAliveMaxTimeout: 60_000,
      // Close idle sockets 2 s before the server's advertised keep-alive ends: a write on a socket the server
      // is closing fails with a reset, and writes are never retried.
      keepAliveTimeoutThreshold: 2_000,
      // Our attempt timer bounds each exchange and forgives our own event-loop stalls (attemptTimer);
      // undici's per-phase timers are only a backstop well past it. Equal to it, they cut an answer that
      // arrived during a stall (their tick runs before the socket is read), which is what the timer avoids.
      headersTimeout: Math.max(2 * this.#timeoutMs, this.#timeoutMs + UNDICI_BACKSTOP_MS),
      bodyTimeout: Math.max(2 * this.#timeoutMs, this.#timeoutMs + UNDICI_BACKSTOP_MS),
      connect: { timeout: this.#connectTimeoutMs },
    });
  }

  /** Upstream calls currently running / waiting for a slot. */
  get inFlight(): number {
    return this.#limiter.inFlight;
  }

  get queued(): number {
    return this.#limiter.queued;
  }

  /**
   * Whether the rate budget of a credential (its key, see credentialKey) is tight: calls are then
   * what to save, even at the price of round trips. False without a budget.
   */
  budgetTight(credential: string): boolean {
    return this.#rateBudget?.tight?.(credential) ?? false;
  }

  /** undefined when the client has no breaker. */
  get breakerState(): BreakerState | undefined {
    return this.#breaker?.state;
  }

  request<T = unknown>(opts: AmpecoRequest): Promise<AmpecoResponse<T>> {
    const idempotent = opts.method === 'GET' || opts.method === 'HEAD';
    return this.#execute<T>(opts, idempotent ? this.#retry.attempts : 1);
  }

  /**
   * Readiness: does AMPECO answer HTTP at all? One cheap listing call, no retry. With a probe token only a
   * 2xx/4xx counts; without one a 401 is the expected answer and proves reachability.
   */
  async checkReachable(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#execute(
        { method: 'GET', path: PROBE_PATH, query: { per_page: 1 }, token: this.#probeToken ?? '', ...(signal ? { signal } : {}) },
        1,
      );
      return true;
    } catch (e) {
      if (!isUpstreamError(e)) return false;
      if (e.code === 'UPSTREAM_BAD_RESPONSE') return false; // something answered, but not AMPECO's API
      const status = e.upstream.status;
      return status !== null && status < 500;
    }
  }

  /** Waits for in-flight calls to finish, then closes the sockets. */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #execute<T>(opts: AmpecoRequest, maxAttempts: number): Promise<AmpecoResponse<T>> {
    const { method, path, token, signal, deadline } = opts;
    if (!path.startsWith('/') || /[?#]/.test(path)) {
      throw new TypeError('AMPECO request path must start with "/" and carry no query string (use `query`).');
    }
    const qs = encodeQuery(opts.query);
    const fullPath = `${this.#basePath}${path}${qs ? `?${qs}` : ''}`;
    const info = (status: number | null): UpstreamCallInfo => ({ status, method, path });
    const secrets = token ? [token] : [];
    const key = token ? credentialKey(token) : undefined;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.#userAgent };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }

    /** The failure of the previous try: what a retry the breaker refuses reports. */
    let previous: UpstreamError | undefined;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= maxAttempts;
      let raw: RawResponse;
      try {
        const run = () => this.#attempt(method, path, fullPath, headers, payload, key, signal, deadline, attempt);
        raw = this.#breaker ? await this.#breaker.run(run, (outcome) => this.#verdict(outcome, signal)) : await run();
      } catch (e) {
        if (signal?.aborted) throw abortReason(signal);
        if (e instanceof DeadlinePassed) throw e;
        // Paused by the breaker: no call was made, and retrying now would be refused too. A retry reports
        // the failure this call did meet (a timeout says more than "paused").
        if (isCircuitOpenError(e)) throw previous ?? new UpstreamUnavailableError(info(null), e.message, e);
        const failure = this.#classify(e);
        if (!failure) throw e; // not an upstream problem (a bug): let it surface as is
        const err =
          failure.kind === 'timeout'
            ? new UpstreamTimeoutError(info(null), this.#timeoutMs, e === TIMEOUT ? undefined : e)
            : new UpstreamUnavailableError(info(null), failure.detail, e);
        if (last || !failure.retryable) throw err;
        previous = err;
        await this.#sleep(this.#backoff(attempt), signal, deadline);
        continue;
      }

      if (raw.status >= 200 && raw.status < 300) {
        if (raw.text === undefined || raw.text.trim() === '') return { status: raw.status, body: undefined, headers: raw.headers };
        const parsed = parseJson(raw.text);
        if (!parsed.ok) throw new UpstreamBadResponseError(info(raw.status));
        return { status: raw.status, body: parsed.value as T, headers: raw.headers };
      }

      const hint = serverHintMs(raw.status, raw.headers);
      const err = this.#statusError(raw, info(raw.status), secrets, hint);
      if (last || !RETRYABLE_STATUS.has(raw.status)) throw err;
      // A long server-requested wait is reported, not waited out.
      if (hint !== undefined && hint > this.#retry.maxRetryAfterMs) throw err;
      const delay = hint !== undefined ? hint + Math.random() * Math.min(this.#retry.baseDelayMs, 250) : this.#backoff(attempt);
      previous = err;
      await this.#sleep(delay, signal, deadline);
    }
  }

  /** One try: rate budget, concurrency slot, the HTTP exchange with its timeout, body fully consumed. */
  async #attempt(
    method: HttpMethod,
    path: string,
    fullPath: string,
    headers: Record<string, string>,
    payload: string | undefined,
    key: string | undefined,
    signal: AbortSignal | undefined,
    deadline: number | undefined,
    attempt: number,
  ): Promise<RawResponse> {
    const budget = key ? this.#rateBudget : undefined;
    if (timeLeft(deadline) <= 0) throw new DeadlinePassed();
    // Most calls find the budget free: no wait to bound, no timer or signal to make for it.
    if (budget && key && !budget.tryAcquire?.(key)) {
      // A credential paused for longer than we would wait fails at once, not after waiting in vain.
      const paused = budget.pausedForMs?.(key) ?? 0;
      if (paused > this.#retry.maxRetryAfterMs) throw new UpstreamRateLimitedError({ status: null, method, path }, paused);
      // Pacing waits, but not for long: a credential paused until a far reset fails fast instead,
      // as a 429 with a far Retry-After would.
      const patience = AbortSignal.timeout(Math.max(1, Math.ceil(Math.min(this.#retry.maxRetryAfterMs, timeLeft(deadline)))));
      try {
        await budget.acquire(key, signal ? AbortSignal.any([signal, patience]) : patience);
      } catch (error) {
        if (patience.aborted && !signal?.aborted) {
          throw timeLeft(deadline) <= 0 ? new DeadlinePassed() : new UpstreamRateLimitedError({ status: null, method, path });
        }
        throw error;
      }
    }
    let observed: RateLimitObservation = {};
    try {
      return await this.#limiter.run(async () => {
        const started = performance.now();
        const left = timeLeft(deadline);
        if (left <= 0) throw new DeadlinePassed();
        const ctl = new AttemptAbort();
        // The whole exchange (headers and body) must fit in timeoutMs, and end by the deadline; undici's
        // own timeouts are per phase.
        const timer =
          left < this.#timeoutMs ? plainTimer(left, () => ctl.abort(new DeadlinePassed())) : attemptTimer(this.#timeoutMs, () => ctl.abort(new AttemptTimeout()));
        const onAbort = () => ctl.abort(signal ? abortReason(signal) : undefined);
        signal?.addEventListener('abort', onAbort, { once: true });
        let status: number | undefined;
        try {
          const res = await this.#pool.request({
            path: fullPath,
            method,
            headers,
            body: payload,
            signal: ctl,
          });
          status = res.statusCode;
          const resHeaders = flattenHeaders(res.headers);
          let text: string | undefined;
          if (method === 'HEAD' || status === 204 || status === 304) {
            await res.body.dump();
          } else {
            // Always read to the end (even error bodies) so the socket goes back to the pool.
            text = await res.body.text();
          }
          observed = observationOf(resHeaders);
          if (status === 429) {
            // Pause the credential until the reset even when the headers do not say remaining=0.
            observed.remaining = 0;
            // Without a hint, a short cool-down rather than a whole window: a retry must not hang on it.
            const hint = serverHintMs(status, resHeaders) ?? this.#retry.maxDelayMs;
            observed.resetAt = Date.now() + hint;
          }
          this.#emit({ method, path, status, durationMs: performance.now() - started, attempt });
          return { status, headers: resHeaders, text };
        } catch (e) {
          const timedOut = ctl.aborted && ctl.reason instanceof AttemptTimeout;
          const pastDeadline = ctl.aborted && ctl.reason instanceof DeadlinePassed;
          const failure = timedOut ? this.#classify(TIMEOUT) : pastDeadline ? undefined : this.#classify(e);
          const errorCode = failure ? (failure.kind === 'timeout' ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE') : undefined;
          this.#emit({ method, path, status, durationMs: performance.now() - started, attempt, ...(errorCode ? { errorCode } : {}) });
          throw timedOut ? TIMEOUT : pastDeadline ? ctl.reason : e;
        } finally {
          timer.clear();
          signal?.removeEventListener('abort', onAbort);
        }
      }, signal, deadline);
    } finally {
      budget?.observe(key as string, observed);
    }
  }

  /** Classifies a failure without an HTTP answer; undefined for errors that are not about the upstream (bugs). */
  #classify(e: unknown): { kind: 'timeout' | 'unavailable'; detail: string; retryable: boolean } | undefined {
    if (e === TIMEOUT) return { kind: 'timeout', detail: '', retryable: true };
    const code = connectionErrorCode(e);
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'timeout', detail: '', retryable: true };
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      // Could not even connect: the host is unreachable rather than slow.
      return { kind: 'unavailable', detail: `no connection within ${this.#connectTimeoutMs} ms`, retryable: true };
    }
    if (code === 'ECONNREFUSED') return { kind: 'unavailable', detail: 'the connection was refused', retryable: true };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'unavailable', detail: 'the host name did not resolve', retryable: true };
    if (code !== undefined) return { kind: 'unavailable', detail: 'the connection was dropped', retryable: true };
    const own = (e as { code?: unknown } | null)?.code;
    // Our own pool is shut down: report it, never retry.
    if (own === 'UND_ERR_CLOSED' || own === 'UND_ERR_DESTROYED') return { kind: 'unavailable', detail: 'the client is shut down', retryable: false };
    return undefined;
  }

  /** What an attempt says about AMPECO's health, for the breaker: 4xx and 429 mean it answers. */
  #verdict(outcome: AttemptOutcome<RawResponse>, signal: AbortSignal | undefined): Verdict {
    if (outcome.ok) return outcome.value.status >= 500 ? 'down' : 'up';
    if (signal?.aborted || outcome.error instanceof DeadlinePassed) return 'neutral';
    // Timeouts and connection failures; not our own shut-down pool, a rate-budget refusal or a bug.
    return this.#classify(outcome.error)?.retryable ? 'down' : 'neutral';
  }

  #statusError(raw: RawResponse, upstream: UpstreamCallInfo, secrets: string[], hintMs: number | undefined): UpstreamError {
    const { status } = raw;
    let message: string | undefined;
    let errors: unknown;
    if (status >= 400 && status < 500 && raw.text) {
      const parsed = parseJson(raw.text);
      if (parsed.ok && parsed.value && typeof parsed.value === 'object') {
        message = sanitizeUpstreamText((parsed.value as { message?: unknown }).message, secrets);
        errors = (parsed.value as { errors?: unknown }).errors;
      }
    }
    switch (status) {
      case 401:
        return new UpstreamUnauthenticatedError(upstream);
      case 403:
        return new UpstreamForbiddenError(upstream);
      case 404:
        return new UpstreamNotFoundError(upstream);
      case 422:
        return new UpstreamValidationError(upstream, parseFieldErrors(errors, secrets), message);
      case 429:
        return new UpstreamRateLimitedError(upstream, hintMs);
      default:
        if (status >= 500) return new UpstreamServerError(upstream);
        if (status >= 400) return new UpstreamClientError(upstream, message);
        // 1xx/3xx: undici does not follow redirects and AMPECO's API does not send them.
        return new UpstreamBadResponseError(upstream, `unexpected HTTP ${status}`);
    }
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.random() * ceiling; // full jitter
  }

  async #sleep(ms: number, signal: AbortSignal | undefined, deadline: number | undefined): Promise<void> {
    if (ms <= 0) return;
    // A wait that would end past the deadline ends the call now.
    if (ms >= timeLeft(deadline)) throw new DeadlinePassed();
    try {
      await sleepTimer(ms, undefined, signal ? { signal } : undefined);
    } catch {
      throw signal?.aborted ? abortReason(signal) : new Error('sleep interrupted');
    }
  }

  #emit(event: UpstreamCallEvent): void {
    if (!this.#onCall) return;
    try {
      this.#onCall(event);
    } catch {
      // Metrics must never break a request.
    }
  }
}
