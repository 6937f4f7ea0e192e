/**
 * Wires logs, metrics and request ids into the HTTP server:
 *   app.use(obs.requestId)                                   every response carries X-Request-Id
 *   app.use('/graphql', obs.logRequests, bodyParser, apollo) one log line and metrics per GraphQL request
 * or, without express, `obs.begin(req, res)`. The scope it returns goes into the request's GraphQL
 * context (`obs.scopeOf(req)`), where its request hooks (`obs.hooks`) fill in the operation and logs problems.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { UpstreamBreaker, UpstreamCallEvent } from '../datasources/http/index.js';
import type { ObservabilityConfig } from './config.js';
import { createLogger, requestIdFrom, type Logger } from './logger.js';
import { Metrics, type OperationOutcome } from './metrics.js';
import { observabilityHooks, type ScopedContext } from './plugin.js';
import type { RequestScope } from './request-scope.js';

export { createLogger, requestIdFrom, type Logger } from './logger.js';
export { Metrics } from './metrics.js';
export { type Problem } from './plugin.js';
export { type RequestScope } from './request-scope.js';

/** The error code a refusal with this HTTP status carries, for requests whose codes the plugin never saw. */
const STATUS_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };

export interface ObservabilityOptions {
  /** A logger to use instead of one built from LOG_LEVEL (tests capture lines this way). */
  logger?: Logger;
}

export type Observability = ReturnType<typeof createObservability>;

/**
 * A request's scope. Made apart from the request handling so that it holds no reference to the request
 * or the response: whatever outlives the request and still holds the scope (a timer, a pending
 * prefetch) does not keep them alive too. A class: see PageEdge's note on accessors in literals.
 */
class Scope implements RequestScope {
  readonly startedAt = performance.now();
  errorCodes: string[] = [];
  hasData = false;
  callsMade?: () => number;
  operationName?: string;
  operationType?: string;
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    readonly requestId: string,
    private readonly ids: Record<string, string>,
  ) {}

  /** Made when something logs within the request; most requests log only their summary line. */
  get log(): Logger {
    return (this.#child ??= this.parent.child(this.ids));
  }
}

/** The one log line of a GraphQL request. */
interface SummaryLine {
  reqId: string;
  traceId?: string;
  operationName: string | undefined;
  operationType: string | undefined;
  status: number;
  durationMs: number;
  upstreamCalls: number;
  outcome: OperationOutcome;
  errorCodes?: string[];
  aborted?: boolean;
}

export function createObservability(config: ObservabilityConfig, options: ObservabilityOptions = {}) {
  const log = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = new Metrics({ defaultMetrics: config.metrics });
  const ids = new WeakMap<IncomingMessage, string>();
  const scopes = new WeakMap<IncomingMessage, RequestScope>();
  const idOf = (req: IncomingMessage): string => {
    let id = ids.get(req);
    if (id === undefined) {
      id = requestIdFrom(req.headers['x-request-id']);
      ids.set(req, id);
    }
    return id;
  };

  const requestId: RequestHandler = (req, res, next) => {
    res.setHeader('x-request-id', idOf(req));
    next();
  };

  /**
   * The request's summary line carries only the fields below, none of them a secret: it skips the
   * redaction every other line goes through (pino's wildcard paths walk each logged value).
   */
  const summary = log.child({}, { redact: [] });

  /** Starts a GraphQL request's scope; its log line and metrics are written when the response closes. */
  const begin = (req: IncomingMessage, res: ServerResponse): RequestScope => {
    const requestId = idOf(req);
    const span = trace.getActiveSpan();
    const traceId = span && isSpanContextValid(span.spanContext()) ? span.spanContext().traceId : undefined;
    span?.setAttribute('request.id', requestId);
    const ids: Record<string, string> = traceId ? { reqId: requestId, traceId } : { reqId: requestId };
    const scope = new Scope(log, requestId, ids);
    scopes.set(req, scope);
    // 'close' comes once per response: `on` spares the wrapper `once` makes per request.
    res.on('close', () => {
      const durationMs = Math.round((performance.now() - scope.startedAt) * 10) / 10;
      const aborted = !res.writableFinished;
      const status = res.statusCode;
      // Refused before the operation ran (unreadable body, CSRF check, credentials): name the kind.
      const codes = scope.errorCodes.length || status < 400 ? scope.errorCodes : [STATUS_CODES[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR')];
      const outcome: OperationOutcome = aborted || (codes.length > 0 && !scope.hasData) ? 'error' : codes.length > 0 ? 'partial' : 'success';
      metrics.operation({ type: scope.operationType, outcome, durationMs, errorCodes: codes });
      // Built field by field: an object spread into another (`{ ...ids, ...line }`) takes V8's slow
      // path, and under load such objects were promoted out of the young generation by the megabyte.
      const line: SummaryLine = {
        reqId: requestId,
        operationName: scope.operationName,
        operationType: scope.operationType,
        status,
        durationMs,
        upstreamCalls: scope.callsMade?.() ?? 0,
        outcome,
      };
      if (traceId) line.traceId = traceId;
      if (codes.length) line.errorCodes = [...new Set(codes)];
      if (aborted) line.aborted = true;
      if (status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) summary.error(line, 'graphql request');
      else summary.info(line, 'graphql request');
    });
    return scope;
  };

  const logRequests: RequestHandler = (req, res, next) => {
    begin(req, res);
    next();
  };

  const metricsHandler: RequestHandler = async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.end(await metrics.registry.metrics());
  };

  return {
    log,
    metrics,
    requestId,
    begin,
    logRequests,
    metricsHandler,
    /** The scope `begin` made for this request, for its GraphQL context. */
    scopeOf: (req: IncomingMessage): RequestScope | undefined => scopes.get(req),
    /** The request hooks (see request-hooks.ts); `problem` says which errors a server-side reader must hear about (see plugin.ts). */
    hooks: <TContext extends ScopedContext>(problem: Parameters<typeof observabilityHooks>[0]['problem']) => observabilityHooks<TContext>({ problem, log }),
    /** The request's logger (its lines carry the request id), or the server's. */
    logger(req?: IncomingMessage): Logger {
      return (req ? scopes.get(req)?.log : undefined) ?? log;
    },
    /** For the upstream client's `onCall`. */
    onUpstreamCall(e: UpstreamCallEvent): void {
      metrics.upstreamCall(e);
    },
    watchBreaker(breaker: UpstreamBreaker | undefined): void {
      if (!breaker) return;
      metrics.watchBreaker(breaker);
      breaker.onStateChange((state) => {
        const line = { breaker: state, cooldownMs: config.breaker.cooldownMs };
        if (state === 'open') log.warn(line, 'AMPECO keeps failing: upstream calls are paused');
        else if (state === 'closed') log.info(line, 'AMPECO answers again: upstream calls resume');
      });
    },
  };
}
