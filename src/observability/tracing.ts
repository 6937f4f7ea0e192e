/**
 * OpenTelemetry tracing, off unless asked for (OTEL_TRACING=true, or an OTLP endpoint set the standard way).
 * Spans: the incoming HTTP request, GraphQL parse/validate/execute and resolvers, and each upstream call
 * (undici). Exported over OTLP/HTTP; the exporter reads the standard OTEL_EXPORTER_OTLP_* variables.
 *
 * It patches modules as they load, so it must start before http, undici or graphql are imported:
 * src/main.ts starts it first and imports the server afterwards. This module loads none of them.
 *
 * Query strings are never recorded: upstream ones may carry filters with personal data, and a GET
 * /graphql carries the client's variables. GraphQL variable values are not recorded either.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_URL_FULL, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './config.js';

export interface Tracing {
  /** Flushes the spans still buffered and stops tracing. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Export here instead of OTLP, span by span (tests). */
  exporter?: SpanExporter;
}

const REDACTED = 'REDACTED';
/** Probes and scrapes: frequent and uninteresting. */
const UNTRACED = /^\/(health|ready|metrics)(\/|\?|$)/;

export function startTracing(config: TracingConfig, options: TracingOptions = {}): Tracing | undefined {
  if (!config.enabled) return undefined;
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED.test(req.url ?? ''),
        startIncomingSpanHook: (req) => (req.url?.includes('?') ? { [ATTR_URL_QUERY]: REDACTED } : {}),
      }),
      new UndiciInstrumentation({
        startSpanHook: (req) => {
          const at = req.path.indexOf('?');
          if (at < 0) return {};
          return { [ATTR_URL_FULL]: `${req.origin.replace(/\/+$/, '')}${req.path.slice(0, at)}`, [ATTR_URL_QUERY]: REDACTED };
        },
      }),
      // One span per list item and per trivial field would bury the ones that cost time.
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
    ],
  });
  return {
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}
