/**
 * Configuration from the environment, validated once at start: every bad value is reported
 * with what was expected, and the process does not start half-configured.
 *
 * The sections with many settings parse themselves next to the code they configure
 * (src/auth/config.ts, src/limits/config.ts, src/observability/config.ts); this file composes them.
 */
import { parseAuthConfig, type AuthConfig } from './auth/config.js';
import { parseQueryLimits, type QueryLimits } from './limits/config.js';
import { parseObservabilityConfig, type ObservabilityConfig } from './observability/config.js';
import { envReader, type EnvReader } from './config-env.js';

export interface AppConfig {
  /** Tenant origin, e.g. https://tenant.example.com; undefined = run the built-in simulator. */
  baseUrl: string | undefined;
  /** Server-held AMPECO token; when set, clients' Authorization headers are not forwarded. */
  apiToken: string | undefined;
  host: string;
  port: number;
  /** Per upstream call: connect, headers and body timeouts. */
  timeoutMs: number;
  /** Upstream calls in flight at once, across all requests. */
  maxInFlight: number;
  /** Upstream calls allowed per minute and credential (pacing below AMPECO's limit); undefined = unpaced. */
  rateLimitPerMinute: number | undefined;
  /** What one GraphQL request may cost upstream, and how long it may run. */
  request: RequestBudget;
  /** Limits on the shape of a query, checked before it runs. */
  queryLimits: QueryLimits;
  /** Who may call the facade. */
  auth: AuthConfig;
  /** Logs, metrics, traces. */
  observability: ObservabilityConfig;
  /** On SIGTERM, how long in-flight requests may take to finish before the process exits anyway. */
  shutdownGraceMs: number;
}

export interface RequestBudget {
  /** Upstream calls one GraphQL request may make; past it, fields that need more fail with REQUEST_BUDGET_EXCEEDED. */
  maxUpstreamCalls: number;
  /** Wall-clock deadline of one GraphQL request; calls still running then are aborted. */
  timeoutMs: number;
  /** Upstream pages one list field may read (a whole-list relation, a scan, a page skipped through). */
  maxListPages: number;
  /**
   * Secret that signs connection cursors (HMAC-SHA256). Replicas behind one load balancer must
   * share it; unset, a random one is made at start (cursors then do not survive a restart).
   */
  cursorSecret: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const read: EnvReader = envReader(env);
  const { problems, int } = read;

  let baseUrl: string | undefined;
  const rawBase = env.AMPECO_BASE_URL?.trim();
  if (rawBase) {
    try {
      const url = new URL(rawBase);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
      if (url.username || url.password) throw new Error('credentials');
      if (url.pathname !== '/' && url.pathname !== '') {
        problems.push(`AMPECO_BASE_URL must be the tenant origin without a path (e.g. https://tenant.example.com); got "${rawBase}".`);
      }
      baseUrl = url.origin;
    } catch {
      problems.push(`AMPECO_BASE_URL must be an http(s) origin like https://tenant.example.com; got "${rawBase}".`);
    }
  }
  const apiToken = env.AMPECO_API_TOKEN?.trim() || undefined;
  if (apiToken && /\s/.test(apiToken)) problems.push('AMPECO_API_TOKEN must not contain white space.');
  const rate = int('AMPECO_RATE_LIMIT_PER_MINUTE', 0, 1, 1_000_000);
  const cursorSecret = env.FACADE_CURSOR_SECRET?.trim() ?? '';
  if (cursorSecret && cursorSecret.length < 32) problems.push('FACADE_CURSOR_SECRET must be at least 32 characters long.');
  // The simulator is local and ours: settings meant for a public deployment default open there.
  const onSimulator = baseUrl === undefined;
  const config: AppConfig = {
    baseUrl,
    apiToken,
    host: env.HOST?.trim() || '0.0.0.0',
    port: int('PORT', 4000, 0, 65535),
    timeoutMs: int('AMPECO_TIMEOUT_MS', 10_000, 100, 300_000),
    maxInFlight: int('AMPECO_MAX_IN_FLIGHT', 32, 1, 1024),
    rateLimitPerMinute: rate || undefined,
    request: {
      maxUpstreamCalls: int('FACADE_MAX_UPSTREAM_CALLS', 500, 1, 100_000),
      timeoutMs: int('FACADE_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
      maxListPages: int('FACADE_MAX_LIST_PAGES', 20, 1, 10_000),
      cursorSecret: cursorSecret || randomSecret(),
      maxBodyBytes: int('FACADE_MAX_BODY_BYTES', 100_000, 1_000, 10_000_000),
    },
    queryLimits: parseQueryLimits(read),
    auth: parseAuthConfig(read, { serverToken: apiToken !== undefined, onSimulator }),
    observability: parseObservabilityConfig(read),
    shutdownGraceMs: int('FACADE_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}
