/**
 * Who may call the facade, and what its public surface shows: client authentication (FACADE_AUTH,
 * API keys, JWTs), introspection, GraphiQL and persisted queries. Plain data, so it survives JSON
 * (the benchmark hands a config to a child process).
 */
import type { EnvReader } from '../config-env.js';
import { parseApiKeys, type ApiKeyEntry } from './api-keys.js';
import { readManifest, type PersistedOperation } from './manifest.js';
import type { AuthMethod } from './principal.js';

/** Signature algorithms a JWT may use: public-key ones only, so knowing the key set never lets anyone sign. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export interface JwtSettings {
  /** Where the issuer publishes its public keys (https, or http on loopback). */
  jwksUrl: string;
  issuer: string;
  audience: string;
  algorithms: string[];
  /** One fetch of the key set. */
  jwksTimeoutMs: number;
  /** How long fetched keys are used before the key set is fetched again. */
  jwksCacheMaxAgeMs: number;
}

export type PersistedQueriesConfig =
  | { mode: 'apq' }
  | { mode: 'off' }
  /** Only the manifest's operations run. */
  | { mode: 'allowlist'; manifestPath: string; operations: PersistedOperation[] };

export interface AuthConfig {
  /**
   * Client credentials checked when the facade holds the AMPECO token. Empty: none (FACADE_AUTH=none,
   * or the simulator's default), and anyone who reaches the port acts with that token.
   * Ignored in pass-through mode, where each request's own AMPECO token is the credential.
   */
  methods: AuthMethod[];
  apiKeys: ApiKeyEntry[];
  jwt: JwtSettings | undefined;
  introspection: boolean;
  graphiql: boolean;
  persistedQueries: PersistedQueriesConfig;
}

const METHODS: readonly AuthMethod[] = ['api-key', 'jwt'];

const WHAT_TO_SET =
  'set FACADE_API_KEYS (label:read|write:<sha256 hex> entries; npm run -s hash-api-key hashes a key) and/or ' +
  'FACADE_JWT_JWKS_URL, FACADE_JWT_ISSUER and FACADE_JWT_AUDIENCE';

export function parseAuthConfig(read: EnvReader, context: { serverToken: boolean; onSimulator: boolean }): AuthConfig {
  const { problems } = read;
  // On the simulator main.ts holds the simulator's token when none is set: the facade always holds one there.
  const holdsToken = context.serverToken || context.onSimulator;
  const keysRaw = read.str('FACADE_API_KEYS');
  const apiKeys = keysRaw ? parseApiKeys(keysRaw, problems) : [];
  const jwt = parseJwt(read);
  const methods = parseMethods(read, { holdsToken, onSimulator: context.onSimulator, keysSet: keysRaw !== undefined, jwtSet: jwt !== undefined });

  // Built for browsing and codegen; a production deployment against a real tenant shows neither unless asked.
  const open = context.onSimulator || read.env.NODE_ENV !== 'production';
  return {
    methods,
    apiKeys,
    jwt,
    introspection: read.bool('FACADE_INTROSPECTION', open),
    graphiql: read.bool('FACADE_GRAPHIQL', open),
    persistedQueries: parsePersistedQueries(read),
  };
}

function parseMethods(read: EnvReader, s: { holdsToken: boolean; onSimulator: boolean; keysSet: boolean; jwtSet: boolean }): AuthMethod[] {
  const { problems } = read;
  const raw = read.str('FACADE_AUTH');
  const configured = METHODS.filter((m) => (m === 'api-key' ? s.keysSet : s.jwtSet));
  let methods: AuthMethod[];
  if (raw === undefined) {
    // Unset: whatever is configured. Nothing configured is fine only where no token is held or on the simulator.
    if (!configured.length && s.holdsToken && !s.onSimulator) {
      problems.push(
        `AMPECO_API_TOKEN is set, so every caller would act with it: ${WHAT_TO_SET}; ` +
          'or set FACADE_AUTH=none if only trusted callers can reach this port.',
      );
    }
    methods = configured;
  } else {
    const names = raw.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
    const unknown = names.filter((n) => n !== 'none' && !METHODS.some((m) => m === n));
    if (unknown.length || (names.includes('none') && names.length > 1)) {
      problems.push(`FACADE_AUTH must be api-key, jwt, api-key,jwt or none; got "${raw}".`);
      return configured;
    }
    methods = METHODS.filter((m) => names.includes(m));
    if (methods.includes('api-key') && !s.keysSet) problems.push('FACADE_AUTH includes api-key: set FACADE_API_KEYS (label:read|write:<sha256 hex> entries).');
    if (methods.includes('jwt') && !s.jwtSet) problems.push('FACADE_AUTH includes jwt: set FACADE_JWT_JWKS_URL, FACADE_JWT_ISSUER and FACADE_JWT_AUDIENCE.');
    // Settings that would be silently ignored read as protection that is not there.
    if (s.keysSet && !methods.includes('api-key')) problems.push(`FACADE_API_KEYS is set but FACADE_AUTH=${raw} leaves API keys out: add api-key to FACADE_AUTH or unset FACADE_API_KEYS.`);
    if (s.jwtSet && !methods.includes('jwt')) problems.push(`FACADE_JWT_* is set but FACADE_AUTH=${raw} leaves JWTs out: add jwt to FACADE_AUTH or unset FACADE_JWT_*.`);
  }
  if (methods.length && !s.holdsToken) {
    problems.push(
      'Client authentication (FACADE_AUTH, FACADE_API_KEYS, FACADE_JWT_*) applies only with a server-held token: without ' +
        'AMPECO_API_TOKEN each request brings its own AMPECO token and the facade checks nothing else. Set AMPECO_API_TOKEN or unset those.',
    );
  }
  return methods;
}

function parseJwt(read: EnvReader): JwtSettings | undefined {
  const { problems } = read;
  const jwksUrl = read.str('FACADE_JWT_JWKS_URL');
  const issuer = read.str('FACADE_JWT_ISSUER');
  const audience = read.str('FACADE_JWT_AUDIENCE');
  const algorithmsRaw = read.str('FACADE_JWT_ALGORITHMS');
  if (!jwksUrl && !issuer && !audience && !algorithmsRaw) return undefined;
  const missing = [!jwksUrl && 'FACADE_JWT_JWKS_URL', !issuer && 'FACADE_JWT_ISSUER', !audience && 'FACADE_JWT_AUDIENCE'].filter(Boolean);
  if (missing.length) problems.push(`JWT authentication needs FACADE_JWT_JWKS_URL, FACADE_JWT_ISSUER and FACADE_JWT_AUDIENCE; missing ${missing.join(', ')}.`);
  if (jwksUrl && !isAcceptableJwksUrl(jwksUrl)) {
    // Keys fetched over plain HTTP could be swapped on the way, and then anyone could sign tokens.
    problems.push(`FACADE_JWT_JWKS_URL must be an https URL (http only on localhost); got "${jwksUrl}".`);
  }
  let algorithms: string[] = [...ASYMMETRIC_ALGORITHMS];
  if (algorithmsRaw) {
    const names = algorithmsRaw.split(',').map((a) => a.trim()).filter(Boolean);
    const accepted = names.map((n) => ASYMMETRIC_ALGORITHMS.find((a) => a.toLowerCase() === n.toLowerCase()));
    const refused = names.filter((_n, i) => !accepted[i]);
    if (refused.length || !names.length) {
      problems.push(`FACADE_JWT_ALGORITHMS may list only public-key algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}); got "${algorithmsRaw}".`);
    } else {
      algorithms = accepted.filter((a) => a !== undefined);
    }
  }
  return {
    jwksUrl: jwksUrl ?? '',
    issuer: issuer ?? '',
    audience: audience ?? '',
    algorithms,
    jwksTimeoutMs: read.int('FACADE_JWT_JWKS_TIMEOUT_MS', 5_000, 100, 60_000),
    jwksCacheMaxAgeMs: read.int('FACADE_JWT_JWKS_CACHE_MS', 600_000, 1_000, 86_400_000),
  };
}

function isAcceptableJwksUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

function parsePersistedQueries(read: EnvReader): PersistedQueriesConfig {
  const mode = read.oneOf('FACADE_PERSISTED_QUERIES', ['apq', 'off', 'allowlist'] as const, 'apq');
  const manifestPath = read.str('FACADE_PERSISTED_QUERY_MANIFEST');
  if (mode !== 'allowlist') {
    if (manifestPath) read.problems.push('FACADE_PERSISTED_QUERY_MANIFEST is used only with FACADE_PERSISTED_QUERIES=allowlist; set that or unset the manifest.');
    return { mode };
  }
  if (!manifestPath) {
    read.problems.push('FACADE_PERSISTED_QUERIES=allowlist needs FACADE_PERSISTED_QUERY_MANIFEST: the path of an Apollo persisted query manifest.');
    return { mode: 'apq' };
  }
  const manifest = readManifest(manifestPath);
  if ('problem' in manifest) {
    read.problems.push(manifest.problem);
    return { mode: 'apq' };
  }
  return { mode, manifestPath, operations: manifest.operations };
}
