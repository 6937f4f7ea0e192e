/**
 * Checks a request's client credentials when the facade holds the AMPECO token. Clients send
 * `X-API-Key: <key>` or `Authorization: Bearer <API key or JWT>`; X-API-Key, when present, is the
 * credential (a gateway may add it beside an end user's Authorization header).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../observability/logger.js';
import { apiKeyMatcher } from './api-keys.js';
import type { AuthConfig } from './config.js';
import { unauthenticated } from './errors.js';
import { jwtVerifier } from './jwt.js';
import type { Principal } from './principal.js';

/** The caller, or undefined when no client authentication is configured; throws the 401/403/503 to answer. `logs`: see RequestGate. */
export type Authenticate = (headers: IncomingHttpHeaders, logs?: { readonly log: Logger }) => Promise<Principal | undefined>;

/** Three base64url segments: the compact form of a signed JWT. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * `holdsToken`: the facade sends its own AMPECO token upstream. Without one (pass-through) each
 * request's AMPECO token is its credential and AMPECO judges it, so nothing is checked here.
 */
export function createAuthenticator(auth: AuthConfig, holdsToken: boolean): Authenticate {
  if (!holdsToken || !auth.methods.length) return () => Promise.resolve(undefined);
  const matchKey = auth.methods.includes('api-key') ? apiKeyMatcher(auth.apiKeys) : undefined;
  const verifyJwt = auth.methods.includes('jwt') && auth.jwt ? jwtVerifier(auth.jwt) : undefined;
  const wanted = [
    verifyJwt && matchKey ? 'Authorization: Bearer <API key or JWT>' : verifyJwt ? 'Authorization: Bearer <JWT>' : 'Authorization: Bearer <API key>',
    matchKey && 'X-API-Key: <API key>',
  ]
    .filter(Boolean)
    .join(' or ');

  const withKey = (key: string): Principal => {
    const entry = matchKey?.(key);
    if (!entry) throw unauthenticated('The API key is not valid.', true);
    return { method: 'api-key', id: entry.label, scope: entry.scope };
  };

  return async (headers, logs) => {
    const apiKey = headers['x-api-key'];
    if (apiKey !== undefined) {
      if (!matchKey) throw unauthenticated(`This API does not take API keys; send ${wanted}.`, true);
      if (typeof apiKey !== 'string' || !apiKey.trim()) throw unauthenticated('Send one API key in X-API-Key.', true);
      return withKey(apiKey.trim());
    }
    const authorization = headers.authorization?.trim();
    if (!authorization) throw unauthenticated(`This API needs client credentials: send ${wanted}.`, false);
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token) throw unauthenticated(`The Authorization header must be "Bearer <credentials>": send ${wanted}.`, true);
    if (verifyJwt && (JWT_SHAPE.test(token) || !matchKey)) return verifyJwt(token, logs);
    return withKey(token);
  };
}
