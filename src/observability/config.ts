/** Logs, metrics, traces and the upstream circuit breaker (LOG_LEVEL, FACADE_METRICS, OTEL_*, AMPECO_BREAKER_*). */
import type { EnvReader } from '../config-env.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BreakerSettings {
  /** Upstream failures in a row (5xx, timeouts, connection failures) that open the breaker; 0 = no breaker. */
  failures: number;
  /** How long an open breaker fails calls fast before it lets one trial call through. */
  cooldownMs: number;
}

export interface TracingConfig {
  enabled: boolean;
  serviceName: string;
}

export interface ObservabilityConfig {
  logLevel: LogLevel;
  /** Serve Prometheus metrics at /metrics. */
  metrics: boolean;
  tracing: TracingConfig;
  breaker: BreakerSettings;
}

export function parseObservabilityConfig(read: EnvReader): ObservabilityConfig {
  const { env } = read;
  // Under vitest a request log per query would bury the test report; LOG_LEVEL still wins.
  const underTest = Boolean(env.VITEST ?? process.env.VITEST);
  // An OTLP endpoint set the standard way is a request for traces, unless OTEL_TRACING says otherwise.
  const endpointSet = read.str('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined || read.str('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined;
  const sdkDisabled = read.bool('OTEL_SDK_DISABLED', false);
  return {
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, underTest ? 'silent' : 'info'),
    metrics: read.bool('FACADE_METRICS', true),
    tracing: {
      enabled: !sdkDisabled && read.bool('OTEL_TRACING', endpointSet),
      serviceName: read.str('OTEL_SERVICE_NAME') ?? 'ampeco-graph',
    },
    breaker: {
      failures: read.int('AMPECO_BREAKER_FAILURES', 10, 0, 10_000),
      cooldownMs: read.int('AMPECO_BREAKER_COOLDOWN_MS', 10_000, 100, 3_600_000),
    },
  };
}
