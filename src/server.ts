/**
 * The HTTP server: GraphQL (Apollo Server 5, as a Federation 2 subgraph) at /graphql, GraphiQL
 * for browsers at / and GET /graphql, and /health and /ready probes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, OperationTypeNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { createRequestGate } from './auth/gate.js';
import { persistedQueriesOption } from './auth/persisted.js';
import { readOnlyScope } from './auth/plugin.js';
import type { AppConfig } from './config.js';
import { contextFactory, type Context } from './context.js';
import { CursorCodec } from './datasources/cursor.js';
import { AmpecoHttpClient, InMemoryRateBudget, createBreaker, isUpstreamError } from './datasources/http/index.js';
import { answerGraphQL, fastPathReads, readJsonBody } from './graphql-http.js';
import { QUERY_LIMIT_EXCEEDED, RESPONSE_TOO_LARGE, limitRefusal } from './limits/errors.js';
import { queryLimitServerOptions } from './limits/plugins.js';
import { createObservability, type Observability, type ObservabilityOptions, type Problem } from './observability/index.js';
import { requestHooksPlugin, type RequestHooks } from './request-hooks.js';
import { guardEntities } from './resolvers/entities.js';
import { resolvers } from './resolvers/index.js';
import type { ExpressRoutes } from './express-app.js';
import { readPrebuiltDocument, readSchemaSources } from './schema-files.js';
import { buildExecutableSubgraph, subgraphDocument } from './subgraph.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The SDL the server runs (without what Federation adds). */
export function loadTypeDefs(): string {
  return readSchemaSources(root).parts.join('\n');
}

export function buildSchema(): GraphQLSchema {
  const sources = readSchemaSources(root);
  const document = readPrebuiltDocument(root, sources) ?? subgraphDocument(sources.parts, sources.federation);
  return guardEntities(buildExecutableSubgraph(sources.parts, document, resolvers));
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
  QUERY_LIMIT_EXCEEDED,
  RESPONSE_TOO_LARGE,
]);

/** Extensions our own errors carry for clients: which limit was hit, by how much, on which argument. */
const SAFE_EXTENSION_KEYS = new Set(['limitName', 'limit', 'value', 'argumentName']);

/**
 * An error as the client sees it (formatted), and what a server-side reader must hear about it:
 * nothing for the client's own errors and AMPECO's failures, a warning for a value AMPECO sent off its
 * contract, an error for a bug of ours (the client sees only that something broke).
 */
function judgeError(formatted: GraphQLFormattedError, error: unknown): { formatted: GraphQLFormattedError; problem?: Problem } {
  // A query limit, whichever phase hit it (Apollo codes parse and validation errors its own way).
  const refusal = limitRefusal(error);
  if (refusal) return { formatted: refusal };
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (isUpstreamError(original) || (typeof code === 'string' && CLIENT_SAFE_CODES.has(code))) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    return { formatted: { ...formatted, extensions } };
  }
  // graphql-js refusing to serialise a value AMPECO sent (a fractional id, a string where the
  // contract promised an enum): the upstream broke its contract, not the client nor us.
  if (original instanceof GraphQLError && !original.extensions?.code && /cannot represent/i.test(original.message)) {
    return {
      formatted: { message: "AMPECO sent a value that this field's type cannot hold.", locations: formatted.locations, path: formatted.path, extensions: { code: 'UPSTREAM_BAD_RESPONSE' } },
      problem: { level: 'warn', msg: 'off-contract value from AMPECO', fields: { path: formatted.path?.join('.') ?? '?', detail: original.message.slice(0, 200) } },
    };
  }
  if (original instanceof GraphQLError && original.extensions?.code && original.extensions.code !== 'INTERNAL_SERVER_ERROR') {
    // Our own refusals say which limit and argument: keep those keys, drop anything else.
    const kept = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([key]) => SAFE_EXTENSION_KEYS.has(key)));
    return { formatted: { ...formatted, extensions: { ...kept, code: original.extensions.code } } };
  }
  // Apollo's own refusals of a request (a persisted-query hash that does not match its query) carry
  // an HTTP 4xx but no code: they are about the request, not a bug.
  const status = original instanceof GraphQLError ? (original.extensions?.http as { status?: unknown } | undefined)?.status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500 && !formatted.path) {
    return { formatted: { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_REQUEST' } } };
  }
  return {
    formatted: { message: 'Internal server error.', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    problem: { level: 'error', msg: 'internal error', fields: { err: original, path: formatted.path?.join('.') } },
  };
}

/** The error as clients see it: their own errors and AMPECO's failures as they are, anything else masked. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  return judgeError(formatted, error).formatted;
}

/**
 * What the observability plugin logs about an error Apollo met (it sees them before formatError does),
 * judged as formatError judges it: Apollo's formatting gives an error without a code INTERNAL_SERVER_ERROR.
 */
function problemOf(error: GraphQLError): Problem | undefined {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
  return judgeError({ message: error.message, path: error.path, extensions: { ...error.extensions, code } }, error).problem;
}

/** The schema has no Subscription type; graphql-js would answer a subscription with an uncoded error. */
const noSubscriptions: RequestHooks<Context> = {
  didResolveOperation({ operation }) {
    if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
      throw new GraphQLError('This API has no subscriptions: use a query and poll.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
    }
  },
};

/**
 * Apollo's inline trace plugin builds a trace tree for every request before it reads whether the
 * gateway asked for one (the `apollo-federation-include-trace: ftv1` header). This hands it only the
 * requests that ask; the others pay nothing. Apollo's own implicit copy is disabled above.
 */
function inlineTraceWhenAsked(): ApolloServerPlugin<Context> {
  const inlineTrace = ApolloServerPluginInlineTrace();
  return {
    async requestDidStart(requestContext) {
      if (requestContext.request.http?.headers.get('apollo-federation-include-trace') !== 'ftv1') return;
      return inlineTrace.requestDidStart?.(requestContext);
    },
  };
}

export interface RunningServer {
  url: string;
  graphqlUrl: string;
  http: AmpecoHttpClient;
  /** Logger and metrics of this server (`observability.metrics.refusals.inc({ limit })`). */
  observability: Observability;
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
  /** A logger to use instead of one built from LOG_LEVEL (tests read its lines). */
  observability?: ObservabilityOptions;
}

export async function startServer(config: AppConfig & { baseUrl: string }, options: ServerOptions = {}): Promise<RunningServer> {
  const obs = createObservability(config.observability, options.observability);
  const breaker = createBreaker(config.observability.breaker);
  obs.watchBreaker(breaker);
  const onCall = options.http?.onCall;
  const http = new AmpecoHttpClient({
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    maxInFlight: config.maxInFlight,
    // Without a configured rate the budget still honours AMPECO's X-RateLimit-* headers.
    rateBudget: new InMemoryRateBudget({ requestsPerWindow: config.rateLimitPerMinute, windowMs: 60_000 }),
    probeToken: config.apiToken,
    breaker,
    ...options.http,
    onCall: (e) => {
      obs.onUpstreamCall(e);
      onCall?.(e);
    },
  });
  // A plain JSON POST to /graphql skips express (see graphql-http.ts); the rest goes through the express
  // app, loaded on the first request that needs it (express and its body parsers are ~0.1 s of start-up
  // that a GraphQL client's first answer does not need).
  let expressApp: Promise<(req: IncomingMessage, res: ServerResponse) => void> | undefined;
  const viaExpress = (req: IncomingMessage, res: ServerResponse): void => {
    expressApp ??= import('./express-app.js').then((m) => m.expressApp(routes));
    expressApp.then(
      (app) => app(req, res),
      (error: unknown) => refuseRequest(req, res, error),
    );
  };
  const httpServer: Server = createServer((req, res) => {
    if (!fastPathReads(req, '/graphql', config.request.maxBodyBytes)) return viaExpress(req, res);
    const scope = obs.begin(req, res);
    res.setHeader('x-request-id', scope.requestId);
    readJsonBody(req).then(
      (body) => serveGraphQL(req, res, body, scope),
      (error: unknown) => refuseRequest(req, res, error),
    );
  });
  // Tokens, depth, aliases, directives, entities and cost: refused before execution (src/limits).
  const { hooks: limitHooks, ...limitOptions } = queryLimitServerOptions<Context>(config.queryLimits);
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    ...limitOptions,
    formatError: (formatted, error) => {
      const out = formatError(formatted, error);
      // Every limit's error names its variable: count refusals by it.
      if (typeof out.extensions?.limitName === 'string') obs.metrics.refusals.inc({ limit: out.extensions.limitName });
      return out;
    },
    includeStacktraceInErrorResponses: false,
    // On for GraphiQL and codegen'd clients; off, "did you mean" hints must not leak the schema either.
    introspection: config.auth.introspection,
    hideSchemaDetailsFromClientErrors: !config.auth.introspection,
    persistedQueries: persistedQueriesOption(config.auth.persistedQueries),
    plugins: [
      // Our own hooks, in one plugin (see request-hooks.ts), in this order:
      requestHooksPlugin<Context>([
        // fills in the request's log line and metrics (operation, error codes);
        obs.hooks<Context>(problemOf),
        // read-only callers run no mutation;
        readOnlyScope,
        noSubscriptions,
        // cost and entity limits.
        ...limitHooks,
      ]),
      // Stops accepting, lets in-flight requests finish within the grace period, then cuts the rest.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      // GraphiQL is served by us, offline; Apollo's landing page loads from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are set: skip wrapping every field to compute them.
      ApolloServerPluginCacheControlDisabled(),
      // Field timings for a gateway that asks for them (federated tracing), and only then (see below).
      ApolloServerPluginInlineTraceDisabled(),
      inlineTraceWhenAsked(),
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

  // Client credentials and the persisted query allow-list, checked before any datasource exists.
  const admit = createRequestGate(config.auth, config.apiToken !== undefined);
  const serveGraphQL = (req: IncomingMessage, res: ServerResponse, body: unknown, scope = obs.scopeOf(req)): Promise<void> => {
    return answerGraphQL(apollo, req, res, body, async () => {
      try {
        const principal = await admit({ method: req.method ?? 'GET', originalUrl: req.url ?? '/', body, headers: req.headers }, scope ?? obs);
        return context({ headers: req.headers, principal, scope });
      } catch (error) {
        // A refusal (401, 403, 503) is the client's answer; anything else is a bug Apollo masks and no plugin sees.
        if (!(error instanceof GraphQLError)) (scope?.log ?? obs.log).error({ err: error }, 'internal error');
        throw error;
      }
    })
      .catch((error: unknown) => refuseRequest(req, res, error));
  };

  /**
   * A request that could not be run: a body the JSON parser refuses (malformed, too large), or a
   * failure of our own. A GraphQL-style JSON error, not Express's default HTML page with a stack trace.
   */
  const refuseRequest = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const e = error as { status?: unknown; type?: unknown; length?: unknown };
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    const message =
      e.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON.'
        : e.type === 'entity.too.large'
          ? `The request body is too large: ${typeof e.length === 'number' ? `${e.length} bytes exceeds` : 'over'} the limit of ${config.request.maxBodyBytes} bytes (FACADE_MAX_BODY_BYTES).`
          : status < 500
            ? 'The request could not be read.'
            : 'Internal server error.';
    if (status >= 500) obs.logger(req).error({ err: error }, 'request failed');
    if (e.type === 'entity.too.large') obs.metrics.refusals.inc({ limit: 'FACADE_MAX_BODY_BYTES' });
    const limit =
      e.type === 'entity.too.large'
        ? { limitName: 'FACADE_MAX_BODY_BYTES', limit: config.request.maxBodyBytes, ...(typeof e.length === 'number' ? { value: e.length } : {}) }
        : {};
    const body = JSON.stringify({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR', ...limit } }] });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
  };

  const routes: ExpressRoutes = {
    obs,
    http,
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.request.maxBodyBytes,
    metrics: config.observability.metrics,
    // The simulator's token is pre-filled only where it is all a client needs.
    graphiql: config.auth.graphiql ? { simulator: (options.simulator ?? false) && !config.auth.methods.length } : undefined,
    serveGraphQL,
    refuseRequest,
  };

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
    observability: obs,
    async close() {
      await apollo.stop();
      await http.close();
    },
  };
}
