/**
 * The HTTP server: GraphQL (Apollo Server 5, as a Federation 2 subgraph) at /graphql, GraphiQL
 * for browsers at / and GET /graphql, and /health and /ready probes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { GraphQLError, parse, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { AppConfig } from './config.js';
import { contextFactory, type Context } from './context.js';
import { CursorCodec } from './datasources/cursor.js';
import { AmpecoHttpClient, InMemoryRateBudget, isUpstreamError } from './datasources/http/index.js';
import { graphiqlRouter } from './graphiql/handler.js';
import { resolvers } from './resolvers/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The SDL the server runs: the hand-written common part and the generated domain files. */
export function loadTypeDefs(): string {
  const generated = join(root, 'schema', '__generated__');
  const files = [join(root, 'schema', 'common.graphql'), ...readdirSync(generated).sort().map((f) => join(generated, f))];
  const handWritten = readdirSync(join(root, 'schema'))
    .filter((f) => f.endsWith('.graphql') && f !== 'common.graphql')
    .map((f) => join(root, 'schema', f));
  return [...files, ...handWritten].map((f) => readFileSync(f, 'utf8')).join('\n');
}

export function buildSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(loadTypeDefs()), resolvers: resolvers as never });
}

/** Codes whose messages were written for clients; anything else is masked. */
const CLIENT_SAFE_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
]);

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (isUpstreamError(original) || (typeof code === 'string' && CLIENT_SAFE_CODES.has(code))) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  // graphql-js refusing to serialise a value AMPECO sent (a fractional id, a string where the
  // contract promised an enum): the upstream broke its contract, not the client nor us.
  if (original instanceof GraphQLError && !original.extensions?.code && /cannot represent/i.test(original.message)) {
    console.warn(`[ampeco-graph] off-contract value from AMPECO at ${formatted.path?.join('.') ?? '?'}: ${original.message.slice(0, 200)}`);
    return {
      message: "AMPECO sent a value that this field's type cannot hold.",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'UPSTREAM_BAD_RESPONSE' },
    };
  }
  if (original instanceof GraphQLError && original.extensions?.code && original.extensions.code !== 'INTERNAL_SERVER_ERROR') {
    return { ...formatted, extensions: { code: original.extensions.code } };
  }
  // A bug of ours: log it server-side, show the client only that something broke.
  console.error('[ampeco-graph] internal error:', original);
  return { message: 'Internal server error.', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

export interface RunningServer {
  url: string;
  graphqlUrl: string;
  http: AmpecoHttpClient;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Marks the upstream as the built-in simulator (GraphiQL then pre-fills its token). */
  simulator?: boolean;
  /** Extra Apollo plugins (tests, benchmarks). */
  plugins?: ApolloServerPlugin<Context>[];
  /** Switches batching, caching and lookahead off: the benchmark's naive baseline. */
  naive?: boolean;
  /** Upstream client options the config does not cover (benchmarks). */
  http?: Partial<ConstructorParameters<typeof AmpecoHttpClient>[0]>;
}

export async function startServer(config: AppConfig & { baseUrl: string }, options: ServerOptions = {}): Promise<RunningServer> {
  const http = new AmpecoHttpClient({
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    maxInFlight: config.maxInFlight,
    // Without a configured rate the budget still honours AMPECO's X-RateLimit-* headers.
    rateBudget: new InMemoryRateBudget({ requestsPerWindow: config.rateLimitPerMinute, windowMs: 60_000 }),
    probeToken: config.apiToken,
    ...options.http,
  });
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    formatError,
    includeStacktraceInErrorResponses: false,
    // GraphiQL and codegen'd clients introspect, also when NODE_ENV=production.
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // GraphiQL is served by us, offline; Apollo's landing page loads from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are set: skip wrapping every field to compute them.
      ApolloServerPluginCacheControlDisabled(),
      // Field timings for a gateway that asks for them (federated tracing); installed explicitly.
      ApolloServerPluginInlineTrace(),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();
  const context = contextFactory(http, config.apiToken, {
    naive: options.naive ?? false,
    maxInFlight: options.http?.maxInFlight ?? config.maxInFlight,
    cursors: new CursorCodec(config.request.cursorSecret),
    limits: config.request,
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const ready = await http.checkReachable(AbortSignal.timeout(config.timeoutMs)).catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'upstream unreachable' });
  });
  app.use(graphiqlRouter({ endpoint: '/graphql', simulator: options.simulator ?? false }));
  app.use(
    '/graphql',
    express.json({ limit: config.request.maxBodyBytes }),
    expressMiddleware(apollo, { context: async ({ req }) => context({ headers: req.headers }) }),
  );
  // A body the JSON parser refuses (malformed, too large) gets a GraphQL-style JSON error, not
  // Express's default HTML page with a stack trace.
  app.use('/graphql', (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const e = error as { status?: unknown; type?: unknown };
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    const message =
      e.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON.'
        : e.type === 'entity.too.large'
          ? 'The request body is too large.'
          : status < 500
            ? 'The request could not be read.'
            : 'Internal server error.';
    if (status >= 500) console.error('[ampeco-graph] request failed:', error);
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    http,
    async close() {
      await apollo.stop();
      await http.close();
    },
  };
}
