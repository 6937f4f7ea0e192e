/**
 * How one request's datasource fetches. `optimised` is the product; `naive` is the benchmark's
 * baseline: one REST call for each thing a resolver asks for, nothing shared between resolvers.
 * Chosen once per request; the parts consult the capabilities by name, never the mode.
 */
export interface FetchStrategy {
  readonly name: 'optimised' | 'naive';
  /** Identical listing calls and by-id reads within the request are made once (DataLoader caches). */
  readonly dedupe: boolean;
  /** By-id reads of one type asked for together are settled as one batch (merged include[], one scan). */
  readonly batch: boolean;
  /** Records a listing, a read or a parent's include[] returned answer later by-id reads of them. */
  readonly prime: boolean;
  /** A whole-collection scan may replace many point reads or many filtered listings. */
  readonly scan: boolean;
  /** Resolvers may look ahead: skip reads whose fields the query already holds, start children early. */
  readonly lookahead: boolean;
}

export const OPTIMISED: FetchStrategy = { name: 'optimised', dedupe: true, batch: true, prime: true, scan: true, lookahead: true };

export const NAIVE: FetchStrategy = { name: 'naive', dedupe: false, batch: false, prime: false, scan: false, lookahead: false };

export function strategyFor(naive: boolean): FetchStrategy {
  return naive ? NAIVE : OPTIMISED;
}
