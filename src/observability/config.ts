/** Logs, metrics, traces and the upstream circuit breaker. Placeholder: filled in by the observability work. */
import type { EnvReader } from '../config-env.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ObservabilityConfig {}

export function parseObservabilityConfig(_read: EnvReader): ObservabilityConfig {
  return {};
}
