/**
 * The upstream calls of one corpus query, as a timeline: what the facade asked AMPECO for, when, and
 * how the calls chain. For checking a fix before running the whole bench.
 *
 *   npx tsx bench/trace.ts session-history [--naive | --tight] [--in-flight 32] [--latency 20] [--runs 3]
 *
 * `--tight`: the facade's rate budget reports tight (the planner then aims at fewest calls).
 *
 * The query runs `--runs` times on one facade (it learns collection sizes across requests); the last
 * run is printed, the earlier ones summarised.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from '../simulator/index.js';
import { loadConfig } from '../src/config.js';
import { buildSchema, startServer } from '../src/server.js';
import { loadCorpus } from './corpus.js';
import { GraphQLClient } from './graphql-client.js';
import { minimumFor } from './minimum.js';
import { SEED, TightBudget } from './part-corpus.js';
import { criticalPath } from './roundtrips.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    naive: { type: 'boolean', default: false },
    tight: { type: 'boolean', default: false },
    'in-flight': { type: 'string', default: '32' },
    latency: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
  },
});
if (positionals.length === 0) {
  console.error('usage: npx tsx bench/trace.ts <corpus query> [...] [--naive | --tight] [--in-flight N] [--latency MS] [--runs N]');
  process.exit(2);
}

const sim = await startSimulator({ seed: SEED, tokens: ['trace'], knobs: { latencyMs: Number(args.latency) } });
const server = await startServer(
  { ...loadConfig({ FACADE_AUTH: 'none', LOG_LEVEL: 'warn' }), baseUrl: sim.url, apiToken: 'trace', host: '127.0.0.1', port: 0, timeoutMs: 10_000, maxInFlight: Number(args['in-flight']), rateLimitPerMinute: undefined },
  { naive: args.naive, ...(args.tight ? { http: { rateBudget: new TightBudget() } } : {}) },
);
const client = new GraphQLClient(server.graphqlUrl, 'trace');
const minimum = minimumFor(sim.store);
try {
  for (const query of loadCorpus(buildSchema(), positionals)) {
    const runs = Math.max(1, Number(args.runs));
    for (let run = 1; run <= runs; run++) {
      sim.clearLog();
      const started = performance.now();
      await client.data(query.text, query.variables);
      const wall = performance.now() - started;
      const log = [...sim.log];
      const summary = `${log.length} calls, ${criticalPath(log)} round trips, ${wall.toFixed(0)} ms`;
      if (run < runs) {
        console.log(`${query.name} run ${run}: ${summary}`);
        continue;
      }
      const min = minimum(query.name, query.variables);
      console.log(`\n${query.name} run ${run}: ${summary} (depth ${query.depth}; minimum ${min?.calls ?? '?'} calls, ${min?.waves ?? '?'} waves)`);
      const t0 = Math.min(...log.map((e) => e.timestamp));
      const lines = new Map<string, number>();
      for (const e of log) {
        // Ids and page sizes are folded so that a wave of reads shows as one line with a count.
        const path = e.path.replace('/public-api/resources', '').replace(/\/\d+/g, '/:id');
        const query = decodeURIComponent(e.query).replace(/cursor=[^&]+/, 'cursor=…').replace(/=\d+/g, '=N');
        const line = `+${String(e.timestamp - t0).padStart(4)} ms  ${String(e.status)}  ${path}${query ? `?${query}` : ''}`;
        lines.set(line, (lines.get(line) ?? 0) + 1);
      }
      for (const [line, n] of [...lines].sort()) console.log(`${String(n).padStart(5)} × ${line}`);
    }
  }
} finally {
  await client.close();
  await server.close();
  await sim.close();
}
