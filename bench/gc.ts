/**
 * What a request leaves to the garbage collector, beside the ceiling: the built facade and the bare
 * Apollo server (the load part's), each under `node --trace-gc-nvp`, a fixed number of requests of the
 * same query against the same replay upstream, then per minor GC (scavenge) the median bytes promoted
 * to the old generation and surviving in the young one, and the main-thread GC time per request.
 *
 *   npx tsx bench/gc.ts [--requests 8000] [--query list|simple] [--connections 10]
 *
 * Promoted bytes are what grows RSS and makes scavenges slow: a request's objects should die young.
 * In #11 the facade promoted 1.46 MB per scavenge against the ceiling's 47 KB, from object literals
 * with getters and spreads followed by more properties (see eslint.config.js); after the fix, ~80 KB.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Child } from './child/ipc.js';
import { freePort, npmStartArgs } from './child/process.js';
import { SEED } from './part-corpus.js';
import { buildServers, LIST_QUERY, SIMPLE_QUERY } from './part-load.js';
import { median } from './stats.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '8000' },
    query: { type: 'string', default: 'list' },
    connections: { type: 'string', default: '10' },
  },
});
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'bench-gc';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
const body = JSON.stringify(args.query === 'simple' ? { query: SIMPLE_QUERY, variables: { id: '7' } } : { query: LIST_QUERY });
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AMPECO_|FACADE_|OTEL_|NODE_OPTIONS$|PORT$|HOST$|LOG_LEVEL$|UPSTREAM_)/.test(k)));
const dir = mkdtempSync(join(tmpdir(), 'facade-gc-'));

interface GcRow {
  server: string;
  requests: number;
  requestsPerSec: number;
  scavenges: number;
  promotedKbPerScavenge: number;
  survivedKbPerScavenge: number;
  scavengePauseMs: number;
  gcMsPerThousandRequests: number;
  fullGcs: number;
}

/** One `name=value` line of --trace-gc-nvp per GC. */
const fields = (line: string): Record<string, string> => Object.fromEntries([...line.matchAll(/(\S+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));

async function measure(server: string, nodeArgs: string[], extra: Record<string, string>): Promise<GcRow> {
  const port = await freePort();
  const log = join(dir, `${server}.log`);
  // The trace goes to stdout: into a file, read after the run (a pipe would have to be drained meanwhile).
  const child = spawn(process.execPath, ['--trace-gc-nvp', ...nodeArgs], {
    cwd: root,
    env: { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...extra },
    stdio: ['ignore', openSync(log, 'w'), 'inherit'],
  });
  try {
    for (let i = 0; i < 300 && !/GraphQL endpoint/.test(readFileSync(log, 'utf8')); i++) await new Promise((r) => setTimeout(r, 100));
    const url = `http://127.0.0.1:${port}/graphql`;
    // Warm-up, unmeasured: JIT compilation and the first growth of the young generation.
    await autocannon({ url, method: 'POST', connections: Number(args.connections), amount: 2000, headers, body });
    const skip = readFileSync(log, 'utf8').split('\n').length;
    const result = await autocannon({ url, method: 'POST', connections: Number(args.connections), amount: Number(args.requests), headers, body });
    if (result.non2xx || result.errors) throw new Error(`${server}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    const gcs = readFileSync(log, 'utf8').split('\n').slice(skip).filter((l) => l.includes('gc=')).map(fields);
    const scavenges = gcs.filter((g) => g.gc === 's');
    const kb = (key: string) => median(scavenges.map((g) => Number(g[key] ?? 0))) / 1024;
    return {
      server,
      requests: result.requests.total,
      requestsPerSec: result.requests.average,
      scavenges: scavenges.length,
      promotedKbPerScavenge: kb('promoted'),
      survivedKbPerScavenge: kb('new_space_survived'),
      scavengePauseMs: median(scavenges.map((g) => Number(g.pause ?? 0))),
      gcMsPerThousandRequests: (gcs.reduce((t, g) => t + Number(g.pause ?? 0), 0) * 1000) / result.requests.total,
      fullGcs: gcs.filter((g) => g.gc !== 's').length,
    };
  } finally {
    child.kill();
  }
}

await buildServers();
const sim = await Child.start('sim-process.ts', { seed: SEED, tokens: [TOKEN], knobs: { latencyMs: 0, rateLimit: null } });
const replay = await Child.start('replay-process.ts', { target: sim.url });
try {
  const facade = await measure('facade', npmStartArgs(root), { AMPECO_BASE_URL: replay.url });
  // The ceiling serves the list query only, at the path the facade asked for.
  const path = (await replay.call<string[]>('recorded')).find((p) => p.startsWith('GET '))!.replace(/^GET /, '');
  const rows = [facade, ...(args.query === 'list' ? [await measure('ceiling', ['dist/bench/child/ceiling-server.js'], { UPSTREAM_URL: replay.url, UPSTREAM_PATH: path })] : [])];
  console.log(`\n${args.query} query, ${args.connections} connections, ${args.requests} requests after 2,000 unmeasured (medians per scavenge)\n`);
  console.log('| server | req/s | scavenges | promoted KB / scavenge | survived KB / scavenge | scavenge pause ms | GC ms / 1,000 requests | full GCs |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.server} | ${r.requestsPerSec.toFixed(0)} | ${r.scavenges} | ${r.promotedKbPerScavenge.toFixed(0)} | ${r.survivedKbPerScavenge.toFixed(0)} | ${r.scavengePauseMs.toFixed(2)} | ${r.gcMsPerThousandRequests.toFixed(0)} | ${r.fullGcs} |`,
    );
  }
} finally {
  await replay.stop();
  await sim.stop();
}
