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

export interface Context {
  ampeco: AmpecoDataSource;
  /** The authenticated client; undefined when the facade checks none (pass-through, or FACADE_AUTH=none). */
  principal: Principal | undefined;
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
  // Collection sizes outlive requests (keyed by credential); records never do.
  const stats = options.stats ?? new InMemoryCollectionStats();
  return ({ headers, principal }: { headers: IncomingHttpHeaders; principal?: Principal }): Context => ({
    principal,
    // A server-held token wins: clients of such a deployment need no AMPECO credentials.
    ampeco: new AmpecoDataSource(http, serverToken ?? bearerToken(headers), {
      naive: options.naive ?? false,
      stats,
      maxInFlight: options.maxInFlight,
      cursors: options.cursors,
      limits: options.limits,
    }),
  });
}
