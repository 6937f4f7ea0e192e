/** What `npm start` says about who may call: one line for the mode, and a warning that cannot be missed when nobody is checked. */
import type { AuthConfig } from './config.js';

export function describeAccess(auth: AuthConfig, where: { serverToken: boolean; onSimulator: boolean }): { mode: string; warning: string[] | undefined } {
  if (!where.serverToken) {
    return { mode: "Mode: pass-through (each request's own AMPECO token, Authorization: Bearer <token>, is forwarded upstream).", warning: undefined };
  }
  const how = [
    auth.methods.includes('api-key') && `API keys (${auth.apiKeys.length})`,
    auth.methods.includes('jwt') && auth.jwt && `JWTs from ${auth.jwt.issuer}`,
  ].filter(Boolean);
  if (how.length) return { mode: `Mode: server-held AMPECO token; clients authenticate with ${how.join(' or ')}.`, warning: undefined };
  if (where.onSimulator) return { mode: 'Mode: server-held simulator token; no client authentication (built-in simulator).', warning: undefined };
  const bar = '!'.repeat(78);
  return {
    mode: 'Mode: server-held AMPECO token; NO client authentication (FACADE_AUTH=none).',
    warning: [
      bar,
      '!! WARNING: FACADE_AUTH=none with a server-held AMPECO token (AMPECO_API_TOKEN).',
      '!! Anyone who can reach this port acts with that token, without credentials:',
      '!! they can read every record, start and stop charging, and move money.',
      '!! Set FACADE_API_KEYS and/or FACADE_JWT_* unless only trusted callers can reach it.',
      bar,
    ],
  };
}
