/**
 * Parts 3 and 4: throughput/latency under load (autocannon) and the facade's own CPU time per query.
 * The simulator and the facade run in child processes of their own, so the facade's RSS and CPU time
 * are its alone; autocannon runs here. The simulator's latency is 0 and its rate limit off for these
 * parts: they measure the facade, not the injected waits.
 */
import autocannon from 'autocannon';
import { buildSchema } from '../src/server.js';
import { Child } from './child/ipc.js';
import { loadCorpus } from './corpus.js';
import { GraphQLClient } from './graphql-client.js';
import { SEED } from './part-corpus.js';

const TOKEN = 'bench-load';
export const SIMPLE_QUERY = 'query Simple($id: ID!) { chargePoint(id: $id) { id name status networkStatus } }';
const NESTED = 'charge-point-detail';

export interface LoadRow {
  target: string;
  connections: number;
  requestsPerSec: number;
  p50: number;
  p99: number;
  /** Connection errors, non-2xx answers and bodies differing from the reference answer. */
  errors: number;
  /** Highest facade RSS sampled during the run (facade targets only). */
  facadeRss?: number;
}

export interface CpuRow {
  query: string;
  requests: number;
  /** Facade CPU (user + system) per request, ms. */
  cpuMsPerRequest: number;
  wallMsPerRequest: number;
  upstreamCallsPerRequest: number;
}

export interface LoadResult {
  durationSec: number;
  rows: LoadRow[];
  cpu: CpuRow[];
  idleRss: number;
}

async function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err: Error | null, result) => (err ? reject(err) : resolve(result)));
  });
}

export async function runLoad(options: { durationSec: number; cpuRequests: number; inFlight: number }, progress: (line: string) => void): Promise<LoadResult> {
  const nested = loadCorpus(buildSchema(), [NESTED])[0]!;
  const sim = await Child.start('sim-process.ts', { seed: SEED, tokens: [TOKEN], knobs: { latencyMs: 0, rateLimit: null } });
  let facade: Child | undefined;
  try {
    facade = await Child.startFacade(sim.url, TOKEN, options.inFlight);
    const fc = facade;
    const idleRss = (await fc.stats(true)).rss;
    const client = new GraphQLClient(fc.url, TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };

    // Reference answers: autocannon counts every response body that differs as a mismatch.
    const simpleBody = JSON.stringify({ query: SIMPLE_QUERY, variables: { id: '7' } });
    const nestedBody = JSON.stringify({ query: nested.text, variables: nested.variables });
    const reference = async (body: string): Promise<string> => {
      const res = await fetch(fc.url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
      const text = await res.text();
      if (!res.ok || (JSON.parse(text) as { errors?: unknown }).errors) throw new Error(`reference request failed: ${text.slice(0, 300)}`);
      return text;
    };
    const simRead = `${sim.url}/public-api/resources/charge-points/v2.0/7`;
    const simRef = await (await fetch(simRead, { headers: auth })).text();

    const targets = [
      { target: 'facade: simple query', url: fc.url, method: 'POST' as const, body: simpleBody, expect: await reference(simpleBody), facade: true },
      { target: `facade: nested query (${NESTED})`, url: fc.url, method: 'POST' as const, body: nestedBody, expect: await reference(nestedBody), facade: true },
      { target: 'simulator: GET one charge point', url: simRead, method: 'GET' as const, body: undefined, expect: simRef, facade: false },
    ];
    // CPU per query in steady state: sequential requests in three batches after a warm-up burst; the
    // median batch. No forced GC here: a major GC drops compiled code and type feedback, and the next
    // few thousand requests then cost twice the CPU while V8 re-optimises.
    const warmUpSec = Math.max(2, options.durationSec);
    const cpu: CpuRow[] = [];
    for (const [name, text, variables] of [
      ['simple', SIMPLE_QUERY, { id: '7' }],
      [NESTED, nested.text, nested.variables],
    ] as const) {
      // Warm-up: a burst of thousands of requests, so that the code measured is optimised code.
      await cannon({ url: fc.url, method: 'POST', connections: 10, duration: warmUpSec, headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query: text, variables }) });
      const batch = Math.ceil(options.cpuRequests / 3);
      const batches: CpuRow[] = [];
      for (let b = 0; b < 3; b++) {
        await sim.call('statuses');
        const before = (await fc.stats()).cpu;
        const started = performance.now();
        for (let i = 0; i < batch; i++) await client.data(text, variables);
        const wall = performance.now() - started;
        const after = (await fc.stats()).cpu;
        const statuses = await sim.call<Record<string, number>>('statuses');
        const calls = Object.values(statuses).reduce((a, c) => a + c, 0);
        const usedMs = (after.user - before.user + after.system - before.system) / 1000;
        batches.push({ query: name, requests: batch * 3, cpuMsPerRequest: usedMs / batch, wallMsPerRequest: wall / batch, upstreamCallsPerRequest: calls / batch });
      }
      const mid = [...batches].sort((a, c) => a.cpuMsPerRequest - c.cpuMsPerRequest)[1]!;
      cpu.push(mid);
      progress(`  CPU ${name}: ${mid.cpuMsPerRequest.toFixed(3)} ms per request (batches: ${batches.map((x) => x.cpuMsPerRequest.toFixed(3)).join(', ')})`);
    }

    const rows: LoadRow[] = [];
    for (const t of targets) {
      for (const connections of [10, 50]) {
        // Unmeasured warm-up: the first seconds of a new query shape are JIT compilation, not throughput.
        await cannon({ url: t.url, method: t.method, connections, duration: Math.min(2, options.durationSec), headers: { 'content-type': 'application/json', ...auth }, body: t.body });
        await sim.call('statuses');
        let peak = 0;
        const sampler = t.facade
          ? setInterval(() => void fc.stats().then((s) => (peak = Math.max(peak, s.rss))), 250)
          : undefined;
        const result = await cannon({
          url: t.url,
          method: t.method,
          connections,
          duration: options.durationSec,
          headers: { 'content-type': 'application/json', ...auth },
          body: t.body,
          expectBody: t.expect,
        });
        if (sampler) clearInterval(sampler);
        await sim.call('statuses'); // empties the simulator's log
        if (t.facade) peak = Math.max(peak, (await fc.stats()).rss);
        const row: LoadRow = {
          target: t.target,
          connections,
          requestsPerSec: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.non2xx + result.mismatches,
          facadeRss: t.facade ? peak : undefined,
        };
        rows.push(row);
        progress(`  ${t.target} @${connections}: ${row.requestsPerSec.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}`);
      }
    }

    await client.close();
    return { durationSec: options.durationSec, rows, cpu, idleRss };
  } finally {
    await facade?.stop();
    await sim.stop();
  }
}
