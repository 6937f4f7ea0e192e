/**
 * What is decided about a request before Apollo parses it, in this order: who calls (401, 403, 503)
 * and, in allow-list mode, whether its operation is listed. Called from the context function, so a
 * refusal is a GraphQL-shaped error response and no datasource, hence no upstream call, exists yet.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../observability/logger.js';
import { createAuthenticator } from './authenticate.js';
import type { AuthConfig } from './config.js';
import { allowListCheck, type OperationRequest } from './persisted.js';
import type { Principal } from './principal.js';

/**
 * `logs`: where the request's logger is, for what the caller is not told (an identity provider that
 * does not answer); read only then, as making a request's logger has a cost.
 */
export type RequestGate = (req: OperationRequest & { headers: IncomingHttpHeaders }, logs?: { readonly log: Logger }) => Promise<Principal | undefined>;

/** `holdsToken`: the facade sends its own AMPECO token upstream (client authentication applies). */
export function createRequestGate(auth: AuthConfig, holdsToken: boolean): RequestGate {
  const authenticate = createAuthenticator(auth, holdsToken);
  const checkListed = allowListCheck(auth.persistedQueries);
  return async (req, logs) => {
    const principal = await authenticate(req.headers, logs);
    checkListed?.(req);
    return principal;
  };
}
