/**
 * JWT client authentication: signature checked against the issuer's JWKS (fetched with a timeout,
 * cached, refetched for an unknown key id at most every 30 s), issuer, audience and expiry checked,
 * public-key algorithms only. The scope comes from the `scope` (space-separated) or `scp` claim.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Logger } from '../observability/logger.js';
import type { JwtSettings } from './config.js';
import { authenticationUnavailable, insufficientScope, unauthenticated } from './errors.js';
import type { Principal } from './principal.js';

export const READ_SCOPE = 'ampeco:read';
export const WRITE_SCOPE = 'ampeco:write';

/** Clocks of the issuer and the facade drift; a few seconds must not turn valid tokens away. */
const CLOCK_TOLERANCE_S = 30;

/** `logs` (the request's logger) hears why a key set could not be read; the caller only that it could not. */
export function jwtVerifier(settings: JwtSettings): (token: string, logs?: { readonly log: Logger }) => Promise<Principal> {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), {
    timeoutDuration: settings.jwksTimeoutMs,
    cacheMaxAge: settings.jwksCacheMaxAgeMs,
  });
  return async (token, logs) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        // A token without an expiry would be valid forever once leaked.
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (error) {
      throw refusal(error, logs);
    }
    const granted = grantedScopes(payload);
    const scope = granted.has(WRITE_SCOPE) ? 'write' : granted.has(READ_SCOPE) ? 'read' : undefined;
    if (!scope) throw insufficientScope(`The token grants neither ${READ_SCOPE} nor ${WRITE_SCOPE}.`, `${READ_SCOPE} ${WRITE_SCOPE}`);
    return { method: 'jwt', id: subjectOf(payload), scope };
  };
}

function refusal(error: unknown, logs: { readonly log: Logger } | undefined): Error {
  if (error instanceof errors.JWTExpired) return unauthenticated('The token has expired.', true);
  if (error instanceof errors.JWTClaimValidationFailed) return unauthenticated(`The token's "${error.claim}" claim is not accepted here.`, true);
  const keySetTrouble =
    !(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';
  if (keySetTrouble) {
    // jose's messages name the failure (timeout, status, JSON), never the token.
    const detail = error instanceof Error ? error.message : String(error);
    const log = logs?.log;
    if (log) log.warn({ detail }, 'JWT key set unavailable');
    else console.warn(`[ampeco-graph] JWT key set unavailable: ${detail}`);
    return authenticationUnavailable();
  }
  return unauthenticated('The token is not valid.', true);
}

/** `scope` is a space-separated string (RFC 8693); `scp` an array or a string (Okta, Entra ID). */
function grantedScopes(payload: JWTPayload): Set<string> {
  const out = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const value of values) if (typeof value === 'string' && value) out.add(value);
  }
  return out;
}

function subjectOf(payload: JWTPayload): string {
  for (const claim of [payload.sub, payload.client_id, payload.azp]) if (typeof claim === 'string' && claim) return claim;
  return '(no subject)';
}
