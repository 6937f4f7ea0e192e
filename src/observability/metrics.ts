/**
 * Prometheus metrics, one registry per server instance (two servers in one process, as in tests, do not
 * share or clash). Every label has a bounded set of values: no ids, paths or client-chosen names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState, UpstreamBreaker, UpstreamCallEvent } from '../datasources/http/index.js';
import { resourceLabel } from './resource-label.js';

const PREFIX = 'ampeco_graph_';
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half-open'];
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const OPERATION_TYPES = new Set(['query', 'mutation', 'subscription']);
/** Error codes are ours, upper snake case; anything else is folded so a label cannot explode. */
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export type OperationOutcome = 'success' | 'partial' | 'error';

/** The value under `key`, made on first use. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => NoInfer<V>): V {
  let found = map.get(key);
  if (found === undefined) map.set(key, (found = make()));
  return found;
}

/**
 * What a series has seen since the last scrape, handed to prom-client in bulk. prom-client validates
 * and hashes the labels on every `inc` and `observe`, even of a series bound with `labels()`: done per
 * request and per upstream call, that was several microseconds each, and most of the metrics' cost.
 */
interface Pending {
  flush(): void;
}

/** Increments of one counter series: one `inc` at scrape time. */
class PendingCount implements Pending {
  count = 0;
  constructor(private readonly series: Counter.Internal) {}
  flush(): void {
    if (this.count === 0) return;
    this.series.inc(this.count);
    this.count = 0;
  }
}

/** Observations of one histogram series, replayed in a tight loop at scrape time, or whenever the buffer fills. */
class PendingObservations implements Pending {
  readonly #values = new Float64Array(512);
  #length = 0;
  constructor(private readonly series: { observe(value: number): void }) {}
  add(value: number): void {
    this.#values[this.#length++] = value;
    if (this.#length === this.#values.length) this.flush();
  }
  flush(): void {
    for (let i = 0; i < this.#length; i++) this.series.observe(this.#values[i]!);
    this.#length = 0;
  }
}

export class Metrics {
  readonly registry = new Registry();
  /** Every series with something pending; flushed before any of the metrics below is read. */
  readonly #pending: Pending[] = [];
  readonly #flushPending = (): void => {
    for (const p of this.#pending) p.flush();
  };
  readonly upstreamCalls = new Counter({
    name: `${PREFIX}upstream_calls_total`,
    help: 'Upstream attempts (retries included) by resource, method and HTTP status, or error code when there was no answer.',
    labelNames: ['resource', 'method', 'status'] as const,
    registers: [this.registry],
    collect: this.#flushPending,
  });
  readonly upstreamDuration = new Histogram({
    name: `${PREFIX}upstream_call_duration_seconds`,
    help: 'Duration of upstream attempts, including waiting for a free connection slot.',
    labelNames: ['resource', 'method'] as const,
    buckets: SECONDS,
    registers: [this.registry],
    collect: this.#flushPending,
  });
  readonly operations = new Counter({
    name: `${PREFIX}graphql_operations_total`,
    help: 'GraphQL requests by operation type and outcome (success, partial: data with errors, error: no data).',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
    collect: this.#flushPending,
  });
  readonly operationDuration = new Histogram({
    name: `${PREFIX}graphql_operation_duration_seconds`,
    help: 'Duration of GraphQL requests, from arrival to the last byte of the response.',
    labelNames: ['type'] as const,
    buckets: SECONDS,
    registers: [this.registry],
    collect: this.#flushPending,
  });
  readonly errors = new Counter({
    name: `${PREFIX}graphql_errors_total`,
    help: 'Errors in GraphQL responses by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  /** Requests refused before running, by the limit they broke: `metrics.refusals.inc({ limit: 'depth' })`. */
  readonly refusals = new Counter({
    name: `${PREFIX}refusals_total`,
    help: 'Requests refused by a limit (query depth, cost, upstream call budget...), by limit.',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /**
   * Series by their label values, looked up once, each with what it has seen since the last scrape
   * (see Pending). One map level per label: a key joined from the values would be a new string, hashed
   * anew, on every call. Every label here has a bounded set of values, so these maps are bounded too.
   */
  readonly #series = {
    /** resource, method, status */
    calls: new Map<string, Map<string, Map<string, PendingCount>>>(),
    /** resource, method */
    callDurations: new Map<string, Map<string, PendingObservations>>(),
    /** type, outcome */
    operations: new Map<string, Map<string, PendingCount>>(),
    /** type */
    operationDurations: new Map<string, PendingObservations>(),
  };

  #pend<T extends Pending>(pending: T): T {
    this.#pending.push(pending);
    return pending;
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The upstream client's per-attempt hook. */
  upstreamCall(e: UpstreamCallEvent): void {
    const resource = resourceLabel(e.path);
    const status = e.status !== undefined ? String(e.status) : (e.errorCode ?? 'UPSTREAM_ERROR');
    const { method } = e;
    entry(entry(entry(this.#series.calls, resource, () => new Map()), method, () => new Map()), status, () =>
      this.#pend(new PendingCount(this.upstreamCalls.labels({ resource, method, status }))),
    ).count++;
    entry(entry(this.#series.callDurations, resource, () => new Map()), method, () =>
      this.#pend(new PendingObservations(this.upstreamDuration.labels({ resource, method }))),
    ).add(e.durationMs / 1000);
  }

  operation(e: { type: string | undefined; outcome: OperationOutcome; durationMs: number; errorCodes: readonly string[] }): void {
    const type = e.type !== undefined && OPERATION_TYPES.has(e.type) ? e.type : 'unknown';
    const { outcome } = e;
    entry(entry(this.#series.operations, type, () => new Map()), outcome, () => this.#pend(new PendingCount(this.operations.labels({ type, outcome })))).count++;
    entry(this.#series.operationDurations, type, () => this.#pend(new PendingObservations(this.operationDuration.labels({ type })))).add(e.durationMs / 1000);
    for (const code of e.errorCodes) this.errors.inc({ code: CODE.test(code) ? code : 'OTHER' });
  }

  /** State gauge (1 for the current state), transitions and refused calls of the upstream breaker. */
  watchBreaker(breaker: UpstreamBreaker): void {
    new Gauge({
      name: `${PREFIX}upstream_breaker_state`,
      help: 'Upstream circuit breaker: 1 for the current state (closed, open, half-open), 0 for the others.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        for (const state of BREAKER_STATES) this.set({ state }, breaker.state === state ? 1 : 0);
      },
    });
    const transitions = new Counter({
      name: `${PREFIX}upstream_breaker_transitions_total`,
      help: 'Upstream circuit breaker state changes, by the state entered.',
      labelNames: ['state'] as const,
      registers: [this.registry],
    });
    const rejected = new Counter({
      name: `${PREFIX}upstream_breaker_rejections_total`,
      help: 'Upstream calls not made because the breaker was open.',
      registers: [this.registry],
    });
    breaker.onStateChange((state) => transitions.inc({ state }));
    breaker.onRejected(() => rejected.inc());
  }
}
