/**
 * Persisted queries: Apollo's `persistedQueries` option for each FACADE_PERSISTED_QUERIES mode, and
 * the allow-list check, which runs before Apollo parses anything: an unlisted operation is refused
 * without its validation errors telling the caller about the schema.
 */
import { createHash } from 'node:crypto';
import type { PersistedQueryOptions } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { PersistedQueriesConfig } from './config.js';

/** Apollo's setting: APQ in Apollo's bounded in-memory cache, none, or the manifest, read-only. */
export function persistedQueriesOption(persisted: PersistedQueriesConfig): PersistedQueryOptions | false {
  if (persisted.mode === 'off') return false;
  if (persisted.mode === 'apq') return {};
  const bodies = new Map<string, string>();
  for (const op of persisted.operations) {
    bodies.set(op.id, op.body);
    bodies.set(sha256(op.body), op.body);
  }
  return {
    ttl: null,
    cache: {
      // Apollo prefixes its keys ("apq:<hash>"); the hash follows the last colon.
      get: (key) => Promise.resolve(bodies.get(key.slice(key.lastIndexOf(':') + 1))),
      // Clients do not extend an allow-list by registering operations.
      async set() {},
      delete: () => Promise.resolve(false),
    },
  };
}

/** What the allow-list check reads of an HTTP request (an express Request fits). */
export interface OperationRequest {
  method: string;
  originalUrl: string;
  body?: unknown;
}

/**
 * Throws for a request carrying operation text the manifest does not list; undefined when no
 * allow-list is configured. Requests by hash alone pass: Apollo finds only listed hashes.
 */
export function allowListCheck(persisted: PersistedQueriesConfig): ((req: OperationRequest) => void) | undefined {
  if (persisted.mode !== 'allowlist') return undefined;
  const allowed = new Set(persisted.operations.map((op) => sha256(op.body)));
  return (req) => {
    for (const text of operationTexts(req)) {
      if (!allowed.has(sha256(text))) {
        throw new GraphQLError('This server runs only the operations of its persisted query list, and this is not one of them.', {
          extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: { status: 403 } },
        });
      }
    }
  };
}

/** The operation texts a request carries, as Apollo reads them: `query` of the JSON body (or each of a batch), or of the URL for GET. */
function operationTexts(req: OperationRequest): string[] {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const query = new URL(req.originalUrl, 'http://facade.invalid').searchParams.get('query');
    return query ? [query] : [];
  }
  const bodies: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
  return bodies.flatMap((body) => {
    const query = typeof body === 'object' && body !== null && 'query' in body ? body.query : undefined;
    return typeof query === 'string' && query ? [query] : [];
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
