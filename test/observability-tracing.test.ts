/**
 * Tracing switched on: a GraphQL request yields one trace with the incoming HTTP span, the GraphQL
 * spans and the upstream undici call, without query strings or variable values. Spans go to an
 * in-memory exporter. Tracing patches modules as they load, so the stack is imported after it starts
 * (vitest runs each test file in its own process).
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseObservabilityConfig } from '../src/observability/config.js';
import { envReader } from '../src/config-env.js';
import { startTracing } from '../src/observability/tracing.js';

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ enabled: true, serviceName: 'ampeco-graph-test' }, { exporter });
const { startStack } = await import('./support/stack.js');

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
  await tracing?.shutdown();
});

const attr = (span: ReadableSpan, key: string) => span.attributes[key];

describe('tracing', () => {
  it('is off unless asked for; an OTLP endpoint set the standard way asks for it', () => {
    const parse = (env: NodeJS.ProcessEnv) => parseObservabilityConfig(envReader(env)).tracing;
    expect(parse({})).toEqual({ enabled: false, serviceName: 'ampeco-graph' });
    expect(startTracing(parse({}))).toBeUndefined();
    expect(parse({ OTEL_TRACING: 'true', OTEL_SERVICE_NAME: 'graph-eu' })).toEqual({ enabled: true, serviceName: 'graph-eu' });
    expect(parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled).toBe(true);
    expect(parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACING: 'false' }).enabled).toBe(false);
    expect(parse({ OTEL_TRACING: 'true', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
  });

  it('one trace per request: HTTP server span, GraphQL spans and the upstream call, no query strings or values', async () => {
    exporter.reset();
    const secret = 'someone@example.org';
    const res = await stack.gql(
      'query Screen($email: String) { chargePoints(first: 2) { nodes { id } } users(first: 1, filter: { email: $email }) { nodes { id } } }',
      { email: secret },
      { headers: { 'x-request-id': 'trace-req-1' } },
    );
    expect(res.errors).toBeUndefined();
    await fetch(`${stack.server.url}/health`);
    // Spans end when responses are done; the server span may end just after the client has the body.
    await expect.poll(() => exporter.getFinishedSpans().some((s) => s.kind === SpanKind.SERVER && attr(s, 'request.id') === 'trace-req-1')).toBe(true);
    const spans = exporter.getFinishedSpans();

    const server = spans.find((s) => s.kind === SpanKind.SERVER && attr(s, 'request.id') === 'trace-req-1')!;
    expect(attr(server, 'url.path')).toBe('/graphql');
    expect(server.resource.attributes['service.name']).toBe('ampeco-graph-test');
    const trace = spans.filter((s) => s.spanContext().traceId === server.spanContext().traceId);

    // (The test's own fetch is undici too, and the root of the trace.)
    const upstream = trace.filter((s) => s.instrumentationScope.name.includes('undici') && String(attr(s, 'url.path')).startsWith('/public-api/'));
    expect(upstream.map((s) => attr(s, 'url.path')).sort()).toEqual(['/public-api/resources/charge-points/v2.0', '/public-api/resources/users/v1.0']);
    for (const s of upstream) {
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(attr(s, 'url.query')).toBe('REDACTED');
      expect(String(attr(s, 'url.full'))).not.toContain('?');
      expect(attr(s, 'http.response.status_code')).toBe(200);
    }

    const graphql = trace.filter((s) => s.instrumentationScope.name.includes('graphql'));
    expect(graphql.map((s) => s.name)).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'query Screen']));

    // Probes are not traced (the test's own fetch of /health is, as a client span).
    expect(spans.some((s) => s.kind === SpanKind.SERVER && attr(s, 'url.path') === '/health')).toBe(false);
    const everything = JSON.stringify(spans.map((s) => s.attributes));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('sim-token');
  });
});
