/**
 * Request logs, request ids and Prometheus metrics of a running facade (GraphQL over real HTTP to the
 * simulator), with the log lines captured through an injected logger.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { resourceLabel } from '../src/observability/resource-label.js';
import { startStack, TOKEN, type Stack } from './support/stack.js';

type Line = Record<string, unknown>;

function capture() {
  const lines: Line[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: {
      write(s: string) {
        raw.push(s);
        lines.push(JSON.parse(s) as Line);
      },
    },
  });
  return { logger, lines, raw };
}

const requestLines = (lines: Line[]) => lines.filter((l) => l.msg === 'graphql request');

async function post(stack: Stack, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(stack.server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });
}

async function scrape(stack: Stack): Promise<string> {
  const res = await fetch(`${stack.server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

/** A bug of ours, on demand: the operation named Boom throws a plain Error. */
const boom: ApolloServerPlugin<object> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName }) {
        if (operationName === 'Boom') throw new Error('kaput in the pipeline');
      },
    };
  },
};

const log = capture();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ server: { observability: { logger: log.logger }, plugins: [boom] } });
});
afterEach(() => {
  stack.sim.setKnobs({ faults: [], latencyMs: 0 });
  stack.sim.clearLog();
  log.lines.length = 0;
  log.raw.length = 0;
});
afterAll(() => stack?.close());

describe('request logs', () => {
  it('one JSON line per request: id, operation, status, duration, upstream calls; never variables or tokens', async () => {
    stack.sim.clearLog();
    const secretEmail = 'private.person@example.org';
    const res = await post(
      stack,
      JSON.stringify({
        // The e-mail also travels upstream, in a query string: neither may reach a log line.
        query: 'query CpPage($id: ID!, $email: String) { chargePoint(id: $id) { id name } users(first: 1, filter: { email: $email }) { nodes { id } } }',
        variables: { id: '3', email: secretEmail },
        operationName: 'CpPage',
      }),
      { 'x-request-id': 'trace-me-42' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-me-42');
    await vi.waitFor(() => expect(requestLines(log.lines)).toHaveLength(1));
    const line = requestLines(log.lines)[0]!;
    expect(line).toMatchObject({
      level: 'info',
      reqId: 'trace-me-42',
      operationName: 'CpPage',
      operationType: 'query',
      status: 200,
      outcome: 'success',
      upstreamCalls: stack.upstreamCalls(),
    });
    expect(line.upstreamCalls).toBeGreaterThan(0);
    expect(typeof line.durationMs).toBe('number');
    expect(line.errorCodes).toBeUndefined();
    // An ISO time of when the line was written (formatted once per millisecond, see logger.ts).
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(line.time as string) - Date.now())).toBeLessThan(60_000);
    const all = log.raw.join('');
    expect(all).not.toContain(secretEmail);
    expect(all).not.toContain(TOKEN);
  });

  it('replaces an unusable X-Request-Id with a fresh one, on every route', async () => {
    const res = await post(stack, JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': 'has spaces and <html>' });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await vi.waitFor(() => expect(requestLines(log.lines)[0]?.reqId).toBe(id));
    const long = await fetch(`${stack.server.url}/health`, { headers: { 'x-request-id': 'x'.repeat(300) } });
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs the error codes of a partial failure, and an unreadable body', async () => {
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 500, match: { pathIncludes: '/users/' } }] });
    const res = await stack.gql(`{ chargePoint(id: "1") { id } user(id: "1") { id } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_SERVER_ERROR');
    const bad = await post(stack, '{"query": ');
    expect(bad.status).toBe(400);
    await vi.waitFor(() => expect(requestLines(log.lines)).toHaveLength(2));
    const [partial, unreadable] = requestLines(log.lines);
    expect(partial).toMatchObject({ outcome: 'partial', errorCodes: ['UPSTREAM_SERVER_ERROR'], status: 200 });
    expect(unreadable).toMatchObject({ outcome: 'error', errorCodes: ['BAD_REQUEST'], status: 400, upstreamCalls: 0 });
  });

  it('logs a bug of ours with its request id, and shows the client only that something broke', async () => {
    const res = await post(stack, JSON.stringify({ query: 'query Boom { __typename }' }), { 'x-request-id': 'boom-1' });
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toEqual({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    await vi.waitFor(() => expect(requestLines(log.lines)).toHaveLength(1));
    const internal = log.lines.find((l) => l.msg === 'internal error');
    expect(internal).toMatchObject({ level: 'error', reqId: 'boom-1', err: { message: 'kaput in the pipeline' } });
    expect(requestLines(log.lines)[0]).toMatchObject({ level: 'error', reqId: 'boom-1', operationName: 'Boom', errorCodes: ['INTERNAL_SERVER_ERROR'] });
  });

  it('redacts credentials wherever they sit in a logged object', () => {
    const { logger, raw } = capture();
    logger.info(
      { headers: { authorization: 'Bearer s3cr3t-a', cookie: 's3cr3t-b', 'x-api-key': 's3cr3t-c' }, apiToken: 's3cr3t-d', nested: { auth: { token: 's3cr3t-e' } } },
      'check',
    );
    expect(raw.join('')).not.toMatch(/s3cr3t/);
    expect(raw.join('')).toContain('[redacted]');
  });

  it('writes the time as Date#toISOString would, at any millisecond of any second', () => {
    const { logger, lines } = capture();
    const instants = [0, 7, 99, 100, 999, 1_000, Date.UTC(2026, 11, 2, 13, 55, 22, 1), Date.UTC(2026, 11, 2, 13, 55, 22, 70), Date.UTC(2026, 11, 2, 13, 55, 23, 700)];
    const clock = vi.spyOn(Date, 'now');
    try {
      for (const at of instants) {
        clock.mockReturnValue(at);
        logger.info('tick');
      }
    } finally {
      clock.mockRestore();
    }
    expect(lines.map((l) => l.time)).toEqual(instants.map((at) => new Date(at).toISOString()));
  });
});

describe('metrics', () => {
  it('loses nothing it holds back between scrapes: every count and observation shows in the next one', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    // More than a buffer's worth (512), so that some are replayed when it fills and the rest at the scrape.
    const durations = Array.from({ length: 1_300 }, (_, i) => (i % 7) * 3 + 1);
    for (const durationMs of durations) metrics.operation({ type: 'query', outcome: 'success', durationMs, errorCodes: [] });
    metrics.operation({ type: 'mutation', outcome: 'partial', durationMs: 2_000, errorCodes: ['NOT_FOUND'] });
    for (let i = 0; i < 600; i++) metrics.upstreamCall({ method: 'GET', path: '/public-api/resources/locations/v2.0', status: 200, durationMs: 12, attempt: 1 });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'ampeco_graph_graphql_operations_total', { type: 'query', outcome: 'success' })).toBe(1_300);
    expect(sample(text, 'ampeco_graph_graphql_operations_total', { type: 'mutation', outcome: 'partial' })).toBe(1);
    expect(sample(text, 'ampeco_graph_graphql_operation_duration_seconds_count', { type: 'query' })).toBe(1_300);
    expect(sample(text, 'ampeco_graph_graphql_operation_duration_seconds_sum', { type: 'query' })).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / 1000, 6);
    expect(sample(text, 'ampeco_graph_graphql_operation_duration_seconds_bucket', { type: 'query', le: '0.005' })).toBe(durations.filter((d) => d <= 5).length);
    expect(sample(text, 'ampeco_graph_graphql_operation_duration_seconds_bucket', { type: 'mutation', le: '2.5' })).toBe(1);
    expect(sample(text, 'ampeco_graph_upstream_calls_total', { resource: 'locations', method: 'GET', status: '200' })).toBe(600);
    expect(sample(text, 'ampeco_graph_upstream_call_duration_seconds_count', { resource: 'locations', method: 'GET' })).toBe(600);
    // Nothing is counted twice: a second scrape with nothing new shows the same.
    const again = await metrics.registry.metrics();
    expect(sample(again, 'ampeco_graph_graphql_operations_total', { type: 'query', outcome: 'success' })).toBe(1_300);
    expect(sample(again, 'ampeco_graph_upstream_call_duration_seconds_count', { resource: 'locations', method: 'GET' })).toBe(600);
  });

  it('counts upstream calls by resource, method and status, and operations by type and outcome', async () => {
    const before = await scrape(stack);
    stack.sim.clearLog();
    const res = await stack.gql(`{ locations(first: 2) { nodes { id } } chargePoints(first: 2) { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
    const after = await scrape(stack);
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    const listings = stack.upstreamCalls((e) => e.path === '/public-api/resources/locations/v2.0');
    expect(listings).toBeGreaterThan(0);
    expect(delta('ampeco_graph_upstream_calls_total', { resource: 'locations', method: 'GET', status: '200' })).toBe(listings);
    expect(delta('ampeco_graph_upstream_calls_total', { resource: 'charge-points', method: 'GET', status: '200' })).toBeGreaterThan(0);
    expect(delta('ampeco_graph_upstream_call_duration_seconds_count', { resource: 'locations', method: 'GET' })).toBe(listings);
    expect(delta('ampeco_graph_graphql_operations_total', { type: 'query', outcome: 'success' })).toBe(1);
    // No ids in labels, ever.
    for (const line of after.split('\n').filter((l) => l.startsWith('ampeco_graph_upstream_calls_total{'))) {
      expect(line).toMatch(/resource="(other|[a-z-]+(\/[a-z-]+)*)"/);
      expect(line).not.toMatch(/resource="[^"]*\d/);
    }
  });

  it('counts errors by code, upstream failures by status, and exposes a refusals counter for other code', async () => {
    const before = await scrape(stack);
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 503, match: { pathIncludes: '/users/' } }] });
    await stack.gql(`{ user(id: "2") { id } }`);
    await stack.gql(`{ nope }`);
    stack.server.observability.metrics.refusals.inc({ limit: 'depth' });
    const after = await scrape(stack);
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    // A GET is tried three times.
    expect(delta('ampeco_graph_upstream_calls_total', { resource: 'users', method: 'GET', status: '503' })).toBe(3);
    expect(delta('ampeco_graph_graphql_errors_total', { code: 'UPSTREAM_SERVER_ERROR' })).toBe(1);
    // `user` is nullable: the response still carries data ({ user: null }).
    expect(delta('ampeco_graph_graphql_operations_total', { type: 'query', outcome: 'partial' })).toBe(1);
    expect(delta('ampeco_graph_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta('ampeco_graph_graphql_operations_total', { type: 'unknown', outcome: 'error' })).toBe(1);
    expect(delta('ampeco_graph_refusals_total', { limit: 'depth' })).toBe(1);
    expect(sample(after, 'ampeco_graph_upstream_breaker_state', { state: 'closed' })).toBe(1);
    expect(sample(after, 'ampeco_graph_upstream_breaker_state', { state: 'open' })).toBe(0);
    // Default process metrics, in this server's own registry.
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('keeps one registry per server: a second server in the same process counts its own', async () => {
    const other = await startStack({ config: { observability: { ...loadConfig({}).observability, metrics: true } } });
    try {
      const succeeded = { type: 'query', outcome: 'success' };
      const mineBefore = sample(await scrape(stack), 'ampeco_graph_graphql_operations_total', succeeded);
      await other.gql(`{ locations(first: 1) { nodes { id } } }`);
      // The other server counted its one query; this file's server did not see it.
      expect(sample(await scrape(other), 'ampeco_graph_graphql_operations_total', succeeded)).toBe(1);
      expect(sample(await scrape(stack), 'ampeco_graph_graphql_operations_total', succeeded)).toBe(mineBefore);
    } finally {
      await other.close();
    }
  });

  it('FACADE_METRICS=false: no /metrics route', async () => {
    const off = await startStack({ config: { observability: loadConfig({ FACADE_METRICS: 'false' }).observability } });
    try {
      expect((await fetch(`${off.server.url}/metrics`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('resource labels', () => {
  it('are coarse names from the contract, never ids or unknown paths', () => {
    expect(resourceLabel('/public-api/resources/locations/v2.0')).toBe('locations');
    expect(resourceLabel('/public-api/resources/locations/v2.0/981')).toBe('locations');
    expect(resourceLabel('/public-api/resources/locations/v2.0/981/charging-zones/4')).toBe('locations/charging-zones');
    expect(resourceLabel('/public-api/resources/charge-points/v2.0/5/evses/7/connectors/2')).toBe('charge-points/evses/connectors');
    expect(resourceLabel('/public-api/actions/charge-point/v1.0/5/reset/soft')).toBe('actions/charge-point/reset');
    expect(resourceLabel('/public-api/resources/users/v1.0/john/doe')).toBe('other');
    expect(resourceLabel('/public-api/resources/a1b2c3/v1.0')).toBe('other');
    expect(resourceLabel('/somewhere/else')).toBe('other');
  });
});
