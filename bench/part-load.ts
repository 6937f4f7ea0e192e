/**
 * Parts 3 and 4: throughput, latency and memory under load (autocannon), and CPU time per query, of the
 * facade beside its ceiling: a bare Apollo Server 5 making one undici call per request
 * (child/ceiling-server.ts). Both run as production runs them, built JavaScript (`node dist/...`) in a
 * process of their own, NODE_ENV=production, the facade with its defaults in pass-through mode; their
 * CPU time and RSS are read from /proc. Both read the same replay upstream (child/replay-process.ts),
 * which answers from memory what the simulator answered once, so neither the simulator's work nor an
 * injected latency is measured. autocannon runs in this process; everything shares the machine's cores,
 * so the two are measured in turns (ceiling, facade, three rounds) and medians are reported.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import * as esbuild from 'esbuild';
import { TRANSPILE } from '../scripts/transpile-options.js';
import { buildSchema } from '../src/server.js';
import { Child } from './child/ipc.js';
import { freePort, npmStartArgs, spawnServer, type ServerProcess } from './child/process.js';
import { loadCorpus } from './corpus.js';
import { GraphQLClient } from './graphql-client.js';
import { SEED } from './part-corpus.js';
import { median } from './stats.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'bench-load';
/** One charge point by id: the pacing and soak parts' query, and the CPU goal's. */
export const SIMPLE_QUERY = 'query Simple($id: ID!) { chargePoint(id: $id) { id name status networkStatus } }';
/** The query the ceiling serves too: one upstream listing, no relation. */
export const LIST_QUERY = 'query ChargePointNames { chargePoints(first: 20) { nodes { id name } } }';
const NESTED = 'charge-point-detail';

export interface LoadRow {
  target: string;
  connections: number;
  requestsPerSec: number;
  p50: number;
  p99: number;
  /** Connection errors, non-2xx answers and bodies differing from the reference answer. */
  errors: number;
  /** Highest RSS sampled during the run, and RSS right after it (server targets only). */
  peakRss?: number;
  rssAfter?: number;
  /** Server CPU time (user + system) during the run over the requests answered, ms (server targets only). */
  cpuMsPerRequest?: number;
}

export interface CpuRow {
  target: string;
  query: string;
  requests: number;
  /** Server CPU (user + system) per request, ms. */
  cpuMsPerRequest: number;
  wallMsPerRequest: number;
  upstreamCallsPerRequest: number;
}

/** One server's runs of the list query in the side-by-side comparison. */
export interface SideRuns {
  runs: LoadRow[];
  requestsPerSec: number;
  p50: number;
  p99: number;
  rssAfter: number;
  peakRss: number;
  cpuMsPerRequest: number;
}

export interface LoadResult {
  durationSec: number;
  connections: number;
  rounds: number;
  ceiling: SideRuns;
  facade: SideRuns;
  /** The other load rows (facade only, and the upstream alone). */
  rows: LoadRow[];
  cpu: CpuRow[];
  /** RSS of each server after start-up and one request, before any load. */
  idleRss: { facade: number; ceiling: number };
  /** The upstream call both make for the list query. */
  upstreamPath: string;
  /** How the facade was started: `npm start`'s node arguments. */
  facadeArgs: string[];
}

async function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err: Error | null, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * dist/ as `npm run build` makes it, plus the ceiling server transpiled beside it
 * (dist/bench/child/ceiling-server.js, its packages found in node_modules as the facade's are).
 */
export async function buildServers(): Promise<void> {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-assets.ts'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  await esbuild.build({ ...TRANSPILE, entryPoints: ['bench/child/ceiling-server.ts'], outdir: join(root, 'dist') });
}

/** The environment of a production start: ours without anything that configures the facade. */
function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AMPECO_|FACADE_|OTEL_|NODE_OPTIONS$|PORT$|HOST$|LOG_LEVEL$|UPSTREAM_)/.test(k)));
  return { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', ...extra };
}

export async function runLoad(
  options: { durationSec: number; cpuRequests: number; inFlight: number; rounds: number; connections: number },
  progress: (line: string) => void,
): Promise<LoadResult> {
  const nested = loadCorpus(buildSchema(), [NESTED])[0]!;
  await buildServers();
  const sim = await Child.start('sim-process.ts', { seed: SEED, tokens: [TOKEN], knobs: { latencyMs: 0, rateLimit: null } });
  let replay: Child | undefined;
  let facade: ServerProcess | undefined;
  let ceiling: ServerProcess | undefined;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const headers = { 'content-type': 'application/json', ...auth };
  try {
    replay = await Child.start('replay-process.ts', { target: sim.url });
    const upstream = replay;
    // Pass-through mode (no AMPECO_API_TOKEN): each request's bearer token goes upstream, as the ceiling's does.
    const facadeArgs = npmStartArgs(root);
    facade = await spawnServer(
      facadeArgs,
      productionEnv({ AMPECO_BASE_URL: upstream.url, PORT: String(await freePort()), AMPECO_MAX_IN_FLIGHT: String(options.inFlight) }),
      root,
    );
    const fc = facade;

    // Reference answers: autocannon counts every response body that differs as a mismatch.
    const reference = async (url: string, body: string): Promise<string> => {
      const res = await fetch(url, { method: 'POST', headers, body });
      const text = await res.text();
      if (!res.ok || (JSON.parse(text) as { errors?: unknown }).errors) throw new Error(`reference request to ${url} failed: ${text.slice(0, 300)}`);
      return text;
    };
    const listBody = JSON.stringify({ query: LIST_QUERY });
    await upstream.call('count');
    const facadeList = await reference(fc.url, listBody);
    const recorded = await upstream.call<string[]>('recorded');
    if (recorded.length !== 1) throw new Error(`the list query made ${recorded.length} distinct upstream calls, expected 1: ${recorded.join(', ')}`);
    const upstreamPath = recorded[0]!.replace(/^GET /, '');

    ceiling = await spawnServer(
      ['dist/bench/child/ceiling-server.js'],
      productionEnv({ PORT: String(await freePort()), UPSTREAM_URL: upstream.url, UPSTREAM_PATH: upstreamPath }),
      root,
    );
    const cl = ceiling;
    const ceilingList = await reference(cl.url, listBody);
    if (JSON.stringify(JSON.parse(ceilingList)) !== JSON.stringify(JSON.parse(facadeList))) {
      throw new Error(`the ceiling and the facade answer the list query differently:\n${ceilingList.slice(0, 300)}\n${facadeList.slice(0, 300)}`);
    }
    const idleRss = { facade: fc.usage().rss, ceiling: cl.usage().rss };

    // CPU per query in steady state: a warm-up burst (so that optimised code is measured), then
    // sequential requests in three batches; the median batch. CPU time from /proc (10 ms ticks).
    const warmUpSec = Math.max(2, options.durationSec);
    const cpuTargets = [
      { target: 'ceiling', server: cl, query: 'list (20 charge points)', text: LIST_QUERY, variables: {} },
      { target: 'facade', server: fc, query: 'list (20 charge points)', text: LIST_QUERY, variables: {} },
      { target: 'facade', server: fc, query: 'simple (one charge point)', text: SIMPLE_QUERY, variables: { id: '7' } },
      { target: 'facade', server: fc, query: NESTED, text: nested.text, variables: nested.variables },
    ];
    const cpu: CpuRow[] = [];
    for (const t of cpuTargets) {
      const body = JSON.stringify({ query: t.text, variables: t.variables });
      await cannon({ url: t.server.url, method: 'POST', connections: 10, duration: warmUpSec, headers, body });
      const client = new GraphQLClient(t.server.url, TOKEN);
      await client.data(t.text, t.variables);
      const batch = Math.ceil(options.cpuRequests / 3);
      const batches: CpuRow[] = [];
      for (let b = 0; b < 3; b++) {
        await upstream.call('count');
        const before = t.server.usage().cpuMs;
        const started = performance.now();
        for (let i = 0; i < batch; i++) await client.data(t.text, t.variables);
        const wall = performance.now() - started;
        const used = t.server.usage().cpuMs - before;
        const calls = await upstream.call<number>('count');
        batches.push({ target: t.target, query: t.query, requests: batch * 3, cpuMsPerRequest: used / batch, wallMsPerRequest: wall / batch, upstreamCallsPerRequest: calls / batch });
      }
      await client.close();
      const mid = [...batches].sort((a, c) => a.cpuMsPerRequest - c.cpuMsPerRequest)[1]!;
      cpu.push(mid);
      progress(`  CPU ${t.target} ${t.query}: ${mid.cpuMsPerRequest.toFixed(3)} ms per request (batches: ${batches.map((x) => x.cpuMsPerRequest.toFixed(3)).join(', ')})`);
    }

    const measure = async (target: string, url: string, connections: number, body: string | undefined, expect: string, server?: ServerProcess): Promise<LoadRow> => {
      const method = body === undefined ? ('GET' as const) : ('POST' as const);
      // Unmeasured warm-up: the first seconds of a new query shape are JIT compilation, not throughput.
      await cannon({ url, method, connections, duration: Math.min(2, options.durationSec), headers, body });
      let peak = 0;
      const sampler = server ? setInterval(() => (peak = Math.max(peak, server.usage().rss)), 250) : undefined;
      const cpuBefore = server?.usage().cpuMs;
      const result = await cannon({ url, method, connections, duration: options.durationSec, headers, body, expectBody: expect });
      if (sampler) clearInterval(sampler);
      const after = server?.usage();
      const rssAfter = after?.rss;
      if (rssAfter !== undefined) peak = Math.max(peak, rssAfter);
      const row: LoadRow = {
        target,
        connections,
        requestsPerSec: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.non2xx + result.mismatches,
        ...(server ? { peakRss: peak, rssAfter, cpuMsPerRequest: (after!.cpuMs - cpuBefore!) / Math.max(1, result.requests.total) } : {}),
      };
      progress(
        `  ${target} @${connections}: ${row.requestsPerSec.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}` +
          (server ? `, RSS after ${(rssAfter! / 1048576).toFixed(0)} MiB (peak ${(peak / 1048576).toFixed(0)}), CPU ${row.cpuMsPerRequest!.toFixed(3)} ms/request` : ''),
      );
      return row;
    };

    // Side by side: the ceiling and the facade take turns, so a drift of the machine's load touches both.
    const sides = { ceiling: [] as LoadRow[], facade: [] as LoadRow[] };
    // Which goes first alternates: on this machine the speed drifts over seconds, and the second of a
    // pair would otherwise always run in the other's after-effects (its GC, its socket teardown).
    for (let round = 0; round < options.rounds; round++) {
      const ceilingRun = () => measure('ceiling: bare Apollo Server 5 + one undici call', cl.url, options.connections, listBody, ceilingList, cl);
      const facadeRun = () => measure('facade: list query', fc.url, options.connections, listBody, facadeList, fc);
      if (round % 2 === 0) {
        sides.ceiling.push(await ceilingRun());
        sides.facade.push(await facadeRun());
      } else {
        sides.facade.push(await facadeRun());
        sides.ceiling.push(await ceilingRun());
      }
    }
    const summary = (runs: LoadRow[]): SideRuns => ({
      runs,
      requestsPerSec: median(runs.map((r) => r.requestsPerSec)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      rssAfter: median(runs.map((r) => r.rssAfter!)),
      peakRss: Math.max(...runs.map((r) => r.peakRss!)),
      cpuMsPerRequest: median(runs.map((r) => r.cpuMsPerRequest!)),
    });

    const simpleBody = JSON.stringify({ query: SIMPLE_QUERY, variables: { id: '7' } });
    const nestedBody = JSON.stringify({ query: nested.text, variables: nested.variables });
    const simpleRef = await reference(fc.url, simpleBody);
    const nestedRef = await reference(fc.url, nestedBody);
    const upstreamRead = `${upstream.url}${upstreamPath}`;
    const upstreamRef = await (await fetch(upstreamRead, { headers: auth })).text();
    const rows: LoadRow[] = [
      await measure('facade: list query', fc.url, 50, listBody, facadeList, fc),
      await measure('facade: simple query (one charge point)', fc.url, 10, simpleBody, simpleRef, fc),
      await measure(`facade: nested query (${NESTED})`, fc.url, 10, nestedBody, nestedRef, fc),
      await measure(`facade: nested query (${NESTED})`, fc.url, 50, nestedBody, nestedRef, fc),
      await measure("replay upstream alone: the list query's GET", upstreamRead, 10, undefined, upstreamRef),
    ];

    return {
      durationSec: options.durationSec,
      connections: options.connections,
      rounds: options.rounds,
      ceiling: summary(sides.ceiling),
      facade: summary(sides.facade),
      rows,
      cpu,
      idleRss,
      upstreamPath,
      facadeArgs,
    };
  } finally {
    await ceiling?.stop();
    await facade?.stop();
    await replay?.stop();
    await sim.stop();
  }
}
