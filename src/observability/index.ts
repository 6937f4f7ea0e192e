/**
 * Wires logs, metrics and request ids into the HTTP server:
 *   app.use(obs.requestId)                                   every response carries X-Request-Id
 *   app.use('/graphql', obs.logRequests, bodyParser, obs.bindScope, apollo)
 *                                                            one log line and metrics per GraphQL request
 * The scope is bound after the body parser: AsyncLocalStorage does not follow its stream callbacks.
 */
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { UpstreamBreaker, UpstreamCallEvent } from '../datasources/http/index.js';
import type { ObservabilityConfig } from './config.js';
import { createLogger, requestIdFrom, type Logger } from './logger.js';
import { Metrics, type OperationOutcome } from './metrics.js';
import { observabilityPlugin } from './plugin.js';
import { currentScope, runInScope, type RequestScope } from './request-scope.js';

export { createLogger, requestIdFrom, type Logger } from './logger.js';
export { Metrics } from './metrics.js';
export { currentScope, type RequestScope } from './request-scope.js';

/** The error code a refusal with this HTTP status carries, for requests whose codes the plugin never saw. */
const STATUS_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };

export interface ObservabilityOptions {
  /** A logger to use instead of one built from LOG_LEVEL (tests capture lines this way). */
  logger?: Logger;
}

export type Observability = ReturnType<typeof createObservability>;

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

  const logRequests: RequestHandler = (req, res, next) => {
    const requestId = idOf(req);
    const span = trace.getActiveSpan();
    const traceId = span && isSpanContextValid(span.spanContext()) ? span.spanContext().traceId : undefined;
    span?.setAttribute('request.id', requestId);
    const scope: RequestScope = {
      requestId,
      log: log.child(traceId ? { reqId: requestId, traceId } : { reqId: requestId }),
      startedAt: performance.now(),
      upstreamCalls: 0,
      errorCodes: [],
      hasData: false,
    };
    scopes.set(req, scope);
    res.once('close', () => {
      const durationMs = Math.round((performance.now() - scope.startedAt) * 10) / 10;
      const aborted = !res.writableFinished;
      const status = res.statusCode;
      // Refused before the operation ran (unreadable body, CSRF check, credentials): name the kind.
      const codes = scope.errorCodes.length || status < 400 ? scope.errorCodes : [STATUS_CODES[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR')];
      const outcome: OperationOutcome = aborted || (codes.length > 0 && !scope.hasData) ? 'error' : codes.length > 0 ? 'partial' : 'success';
      metrics.operation({ type: scope.operationType, outcome, durationMs, errorCodes: codes });
      const line = {
        operationName: scope.operationName,
        operationType: scope.operationType,
        status,
        durationMs,
        upstreamCalls: scope.upstreamCalls,
        outcome,
        ...(codes.length ? { errorCodes: [...new Set(codes)] } : {}),
        ...(aborted ? { aborted: true } : {}),
      };
      if (status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) scope.log.error(line, 'graphql request');
      else scope.log.info(line, 'graphql request');
    });
    next();
  };

  const bindScope: RequestHandler = (req, _res, next) => {
    const scope = scopes.get(req);
    if (scope) runInScope(scope, next);
    else next();
  };

  const metricsHandler: RequestHandler = async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.end(await metrics.registry.metrics());
  };

  return {
    log,
    metrics,
    requestId,
    logRequests,
    bindScope,
    metricsHandler,
    plugin: observabilityPlugin,
    /** The request's logger inside a request (its lines carry the request id), the server's outside. */
    logger(req?: IncomingMessage): Logger {
      return (req ? scopes.get(req)?.log : undefined) ?? currentScope()?.log ?? log;
    },
    /** For the upstream client's `onCall`: metrics, and the count in the request's log line. */
    onUpstreamCall(e: UpstreamCallEvent): void {
      metrics.upstreamCall(e);
      const scope = currentScope();
      if (scope) scope.upstreamCalls++;
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
