import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

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

  it('refuses a base URL with a path or credentials', () => {
    expect(() => loadConfig({ AMPECO_BASE_URL: 'https://t.example.com/public-api' })).toThrow(/without a path/);
    expect(() => loadConfig({ AMPECO_BASE_URL: 'https://user:pw@t.example.com' })).toThrow(/http\(s\) origin/);
  });
});
