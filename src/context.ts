/**
 * Per-request context. Every request gets its own datasource (and so its own loaders and
 * caches): data fetched with one credential is never served to a request carrying another.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './auth/principal.js';
import { AmpecoDataSource } from './datasources/ampeco.js';
import { InMemoryCollectionStats, type CollectionStats } from './datasources/collection-stats.js';
import type { CursorCodec } from './datasources/cursor.js';
import type { AmpecoHttpClient } from './datasources/http/index.js';
import type { RequestLimitSettings } from './datasources/request-limits.js';
import type { RequestScope } from './observability/request-scope.js';

export interface Context {
  ampeco: AmpecoDataSource;
  /** The authenticated client; undefined when the facade checks none (pass-through, or FACADE_AUTH=none). */
  principal: Principal | undefined;
  /** The request's log line and logger (observability); absent where no HTTP request made the context. */
  scope?: RequestScope;
}

/** The bearer token of a request's Authorization header, if it carries a usable one. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1] ?? null;
}

export function contextFactory(
  http: AmpecoHttpClient,
  serverToken: string | undefined,
  options: { naive?: boolean; stats?: CollectionStats; maxInFlight?: number; cursors?: CursorCodec; limits?: RequestLimitSettings } = {},
) {
  // Collection sizes outlive requests (keyed by credential); records never do. The planner also asks
  // the client's rate budget whether the credential's budget is tight.
  const stats = options.stats ?? new InMemoryCollectionStats(undefined, undefined, (credential) => http.budgetTight(credential));
  return ({ headers, principal, scope }: { headers: IncomingHttpHeaders; principal?: Principal; scope?: RequestScope }): Context => {
    // A server-held token wins: clients of such a deployment need no AMPECO credentials.
    const ampeco = new AmpecoDataSource(http, serverToken ?? bearerToken(headers), {
      naive: options.naive ?? false,
      stats,
      maxInFlight: options.maxInFlight,
      cursors: options.cursors,
      limits: options.limits,
    });
    // The request's log line counts the calls its datasource made. Only the counter is held: the scope
    // lives as long as its request object, which a keep-alive socket keeps until its next request.
    const { limits } = ampeco;
    if (scope) scope.callsMade = () => limits.callsMade;
    return { principal, ampeco, scope };
  };
}
