/** Limits on a query's shape and cost. Placeholder: filled in by the query-limits work. */
import type { EnvReader } from '../config-env.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface QueryLimits {}

export function parseQueryLimits(_read: EnvReader): QueryLimits {
  return {};
}
