/**
 * Configuration from the environment, validated once at start: every bad value is reported
 * with what was expected, and the process does not start half-configured.
 */
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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
      return fallback;
    }
    return value;
  };

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
  const config: AppConfig = {
    baseUrl,
    apiToken,
    host: env.HOST?.trim() || '0.0.0.0',
    port: int('PORT', 4000, 0, 65535),
    timeoutMs: int('AMPECO_TIMEOUT_MS', 10_000, 100, 300_000),
    maxInFlight: int('AMPECO_MAX_IN_FLIGHT', 32, 1, 1024),
    rateLimitPerMinute: rate || undefined,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
