import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_QUERY_LIMITS } from '../src/limits/config.js';

describe('configuration from the environment', () => {
  it('defaults to the simulator on port 4000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ baseUrl: undefined, apiToken: undefined, port: 4000, timeoutMs: 10_000, maxInFlight: 32 });
  });

  it('keeps only the origin of AMPECO_BASE_URL', () => {
    expect(loadConfig({ AMPECO_BASE_URL: 'https://tenant.example.com/' }).baseUrl).toBe('https://tenant.example.com');
  });

  it('reports every bad value with what was expected', () => {
    let error: unknown;
    try {
      loadConfig({ AMPECO_BASE_URL: 'ftp://x', PORT: 'eighty', AMPECO_TIMEOUT_MS: '-1', AMPECO_MAX_IN_FLIGHT: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/AMPECO_BASE_URL.*ftp:\/\/x/);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number from 0 to 65535; got "eighty"/);
    expect(problems.join('\n')).toMatch(/AMPECO_TIMEOUT_MS/);
    expect(problems.join('\n')).toMatch(/AMPECO_MAX_IN_FLIGHT/);
  });

  it('reads the query limits (FACADE_MAX_DEPTH and friends), with their defaults', () => {
    // The values themselves are pinned in test/limits-config.test.ts.
    expect(loadConfig({}).queryLimits).toEqual(DEFAULT_QUERY_LIMITS);
    const limits = loadConfig({
      FACADE_MAX_DEPTH: '8',
      FACADE_MAX_ALIASES: '5',
      FACADE_MAX_TOKENS: '500',
      FACADE_MAX_DIRECTIVES: '3',
      FACADE_MAX_COST: '2500',
      FACADE_MAX_ENTITIES: '50',
      FACADE_MAX_RESPONSE_BYTES: '1000000',
    }).queryLimits;
    expect(limits).toEqual({ maxDepth: 8, maxAliases: 5, maxTokens: 500, maxDirectives: 3, maxCost: 2_500, maxEntities: 50, maxResponseBytes: 1_000_000 });
    expect(() => loadConfig({ FACADE_MAX_COST: '0', FACADE_MAX_DEPTH: 'deep' })).toThrow(/FACADE_MAX_DEPTH must be a whole number[\s\S]*FACADE_MAX_COST must be a whole number from 1/);
  });

  it('reads logs, metrics, tracing and the upstream breaker (LOG_LEVEL, FACADE_METRICS, OTEL_*, AMPECO_BREAKER_*)', () => {
    // Silent by default under vitest only; info otherwise.
    expect(loadConfig({}).observability).toEqual({
      logLevel: 'silent',
      metrics: true,
      tracing: { enabled: false, serviceName: 'ampeco-graph' },
      breaker: { failures: 10, cooldownMs: 10_000 },
    });
    const o = loadConfig({
      LOG_LEVEL: 'DEBUG',
      FACADE_METRICS: 'off',
      OTEL_TRACING: 'true',
      OTEL_SERVICE_NAME: 'graph-eu',
      AMPECO_BREAKER_FAILURES: '0',
      AMPECO_BREAKER_COOLDOWN_MS: '2500',
    }).observability;
    expect(o).toEqual({ logLevel: 'debug', metrics: false, tracing: { enabled: true, serviceName: 'graph-eu' }, breaker: { failures: 0, cooldownMs: 2_500 } });
    expect(() => loadConfig({ LOG_LEVEL: 'loud', AMPECO_BREAKER_FAILURES: '-1', OTEL_TRACING: 'maybe' })).toThrow(
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent[\s\S]*OTEL_TRACING must be true or false[\s\S]*AMPECO_BREAKER_FAILURES must be a whole number from 0/,
    );
  });

  it('refuses a base URL with a path or credentials', () => {
    expect(() => loadConfig({ AMPECO_BASE_URL: 'https://t.example.com/public-api' })).toThrow(/without a path/);
    expect(() => loadConfig({ AMPECO_BASE_URL: 'https://user:pw@t.example.com' })).toThrow(/http\(s\) origin/);
  });
});
