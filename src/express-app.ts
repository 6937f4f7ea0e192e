/**
 * Everything the HTTP server answers besides a plain JSON POST to /graphql (graphql-http.ts): the
 * /health, /ready and /metrics probes, GraphiQL, GET /graphql, and GraphQL requests whose bodies need
 * express's parser (other charsets, compressed or chunked bodies, refusals worded as body-parser words
 * them). Loaded by server.ts on the first such request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { AmpecoHttpClient } from './datasources/http/index.js';
import { graphiqlRouter } from './graphiql/handler.js';
import type { Observability } from './observability/index.js';

/** What the routes need from the server. */
export interface ExpressRoutes {
  obs: Observability;
  http: AmpecoHttpClient;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Serve /metrics. */
  metrics: boolean;
  /** Serve GraphiQL, with the simulator's token pre-filled or not. */
  graphiql: { simulator: boolean } | undefined;
  serveGraphQL(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  refuseRequest(req: IncomingMessage, res: ServerResponse, error: unknown): void;
}

export function expressApp(r: ExpressRoutes): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(r.obs.requestId);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    // Through the breaker: while it is open this fails fast; after the cool-down it is the trial call.
    const ready = await r.http.checkReachable(AbortSignal.timeout(r.timeoutMs)).catch(() => false);
    const status = ready ? 'ready' : r.http.breakerState === 'open' ? 'upstream calls paused after repeated failures' : 'upstream unreachable';
    res.status(ready ? 200 : 503).json({ status, ...(r.http.breakerState ? { breaker: r.http.breakerState } : {}) });
  });
  if (r.metrics) app.get('/metrics', r.obs.metricsHandler);
  if (r.graphiql) app.use(graphiqlRouter({ endpoint: '/graphql', simulator: r.graphiql.simulator }));
  app.use('/graphql', r.obs.logRequests, express.json({ limit: r.maxBodyBytes }), (req: express.Request, res: express.Response) => {
    void r.serveGraphQL(req, res, req.body);
  });
  app.use('/graphql', (error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    r.refuseRequest(req, res, error);
  });
  return app;
}
