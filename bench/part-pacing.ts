/**
 * Part 2: pacing under a binding rate limit. A burst that needs more calls than the simulator's
 * window allows goes through a facade pacing at 90 % of the limit (no 429 expected; it waits for
 * the window instead) and, for contrast, through a facade without pacing (it bounces off the limit).
 * The burst is many single-record requests, 10 at a time: each costs one call whatever the facade's
 * batching does (caches are per request), so the load on the limit is known.
 */
import { startSimulator } from '../simulator/index.js';
import { InMemoryRateBudget } from '../src/datasources/http/index.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { GraphQLClient } from './graphql-client.js';
import { SEED } from './part-corpus.js';
import { SIMPLE_QUERY } from './part-load.js';

const CONCURRENCY = 10;

export interface PacingRow {
  facade: 'paced' | 'unpaced';
  calls: number;
  rateLimited: number;
  wallMs: number;
  failed?: string;
}

export interface PacingResult {
  limit: number;
  windowMs: number;
  pacedAt: number;
  requests: number;
  rows: PacingRow[];
}

export async function runPacing(options: { requests: number; latencyMs: number }): Promise<PacingResult> {
  // A short window keeps this part quick; the pacing logic is the same for a minute.
  const limit = 50;
  const windowMs = 2_000;
  const pacedAt = Math.floor(limit * 0.9);
  // One token per facade: each has its own window.
  const sim = await startSimulator({ seed: SEED, tokens: ['paced', 'unpaced'], knobs: { latencyMs: options.latencyMs, rateLimit: { limit, windowMs } } });
  const rows: PacingRow[] = [];
  try {
    for (const mode of ['paced', 'unpaced'] as const) {
      const server = await startServer(
        { ...loadConfig({ FACADE_AUTH: 'none', LOG_LEVEL: 'warn' }), baseUrl: sim.url, apiToken: mode, host: '127.0.0.1', port: 0, timeoutMs: 10_000, maxInFlight: 32, rateLimitPerMinute: undefined },
        { http: mode === 'paced' ? { rateBudget: new InMemoryRateBudget({ requestsPerWindow: pacedAt, windowMs }) } : {} },
      );
      const client = new GraphQLClient(server.graphqlUrl, mode);
      sim.clearLog();
      const started = performance.now();
      let failed: string | undefined;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < options.requests && !failed) {
          const id = String((next++ % 100) + 1);
          await client.data(SIMPLE_QUERY, { id }).catch((e: Error) => (failed = e.message));
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const wallMs = performance.now() - started;
      rows.push({ facade: mode, calls: sim.log.length, rateLimited: sim.log.filter((e) => e.status === 429).length, wallMs, failed });
      await client.close();
      await server.close();
    }
  } finally {
    await sim.close();
  }
  return { limit, windowMs, pacedAt, requests: options.requests, rows };
}
