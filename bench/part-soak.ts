/**
 * Part 6: soak. Steady load (autocannon, a mix of a simple and a nested corpus query) for minutes
 * against a facade whose upstream fails at a known rate: a fraction of the simulator's answers are 500s
 * and a smaller one are slower than the facade's per-call timeout (AMPECO_TIMEOUT_MS is lowered for
 * this part, so those time out quickly). Simulator and facade each run in a child process, as in the
 * load part.
 *
 * What must hold: every answer is HTTP 200 with a JSON body; the share of GraphQL responses carrying
 * errors matches what the injected faults predict once the facade's retries are accounted for; RSS
 * stays flat; /health stays fast.
 *
 * Expected error rate: each upstream attempt fails with p = 1 - (1 - r500)(1 - rslow) (the two faults
 * are drawn one after the other); a GET is tried ATTEMPTS times, so a call fails with p^ATTEMPTS; a
 * query that makes k calls (counted fault-free, before the soak) carries an error with
 * 1 - (1 - p^ATTEMPTS)^k. The same formula is also evaluated with p measured from the simulator's log.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { loadConfig, type AppConfig } from '../src/config.js';
import { buildSchema } from '../src/server.js';
import type { Fault } from '../simulator/index.js';
import { Child, type Stats } from './child/ipc.js';
import { loadCorpus } from './corpus.js';
import { GraphQLClient } from './graphql-client.js';
import { SEED } from './part-corpus.js';
import { SIMPLE_QUERY } from './part-load.js';
import { jsonText, median } from './stats.js';

const TOKEN = 'bench-soak';
const NESTED = 'charge-point-detail';
/** Tries per GET: the upstream client's default (src/datasources/http/client.ts, DEFAULT_RETRY.attempts). */
export const ATTEMPTS = 3;
/** RSS is "flat" when the last sample is within this factor of the first one after warm-up. */
export const SOAK_RSS_GROWTH = 1.1;
/** The first part of the measured run not used as the RSS reference (heap and pools still growing). */
const WARM_FRACTION = 0.2;
/** Error codes the injected faults explain. */
export const EXPECTED_CODES = new Set(['UPSTREAM_SERVER_ERROR', 'UPSTREAM_TIMEOUT']);

export interface SoakOptions {
  durationSec: number;
  connections: number;
  /** Simulator latency per call (plus up to as much again of jitter). */
  latencyMs: number;
  /** The facade's AMPECO_TIMEOUT_MS for this part. */
  timeoutMs: number;
  /** Fraction of upstream calls answered 500. */
  serverErrorRate: number;
  /** Fraction of the remaining calls delayed by `slowDelayMs` (past the timeout). */
  slowRate: number;
  slowDelayMs: number;
  /** Unmeasured, fault-free load before the soak (JIT, sockets, learnt collection sizes). */
  warmUpSec: number;
  /** RSS and upstream tallies every this many seconds; /health every 500 ms. */
  sampleSec: number;
}

export interface SoakQueryRow {
  query: string;
  /** Upstream calls per request, fault-free. */
  calls: number;
  responses: number;
  withErrors: number;
  /** From the configured rates. */
  expectedRate: number;
  /** From the rate measured in the simulator's log. */
  expectedRateMeasured: number;
}

export interface RssSample {
  t: number;
  rss: number;
  heapUsed: number;
  /** Responses and responses with errors so far. */
  responses: number;
  withErrors: number;
}

export interface SoakResult {
  options: SoakOptions;
  attempts: number;
  requests: number;
  requestsPerSec: number;
  /** Responses seen by the body check (all of them, when the run is healthy). */
  responses: number;
  withErrors: number;
  errorCodes: Record<string, number>;
  /** The first message seen per error code. */
  errorMessages: Record<string, string>;
  expectedRate: number;
  expectedRateMeasured: number;
  queries: SoakQueryRow[];
  non200: Record<string, number>;
  nonJson: number;
  /** Socket errors and autocannon timeouts. */
  socketErrors: number;
  timeouts: number;
  p50: number;
  p99: number;
  maxLatency: number;
  upstream: { calls: number; byStatus: Record<string, number>; byFault: Record<string, number>; injectedRate: number };
  rss: { samples: RssSample[]; first: number; reference: number; referenceT: number; max: number; last: number; growth: number };
  /** Heap after a forced GC, idle: after warm-up and after the soak. */
  heapAfterGc: { before: number; after: number };
  health: { samples: number; p50: number; max: number; failures: number };
  /** From the facade's /metrics at the end (since its start); undefined when the metric is not there. */
  facadeMetrics: { attemptsTimedOut?: number; breakerOpened?: number; breakerRejected?: number };
}

/** Sums the samples of a Prometheus counter whose labels contain `labelPart` (all when ''); undefined when absent. */
function counter(text: string, name: string, labelPart = ''): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labelPart && !line.includes(labelPart)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  // A labelled counter with no sample yet (nothing happened) is still declared.
  return total ?? (text.includes(`# TYPE ${name} counter`) ? 0 : undefined);
}

interface Tally {
  calls: number;
  byStatus: Record<string, number>;
  byFault: Record<string, number>;
}

const addTo = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

/** Chance that a query of `calls` upstream calls carries an error when each attempt fails with `p`. */
export const expectedErrorRate = (p: number, calls: number, attempts = ATTEMPTS): number => 1 - (1 - p ** attempts) ** calls;

/** The observed count is plausible for a Poisson count with mean `expected` (3 σ, plus one for small counts). */
export const plausible = (observed: number, expected: number): boolean => Math.abs(observed - expected) <= 3 * Math.sqrt(expected) + 1;

export async function runSoak(options: SoakOptions, progress: (line: string) => void): Promise<SoakResult> {
  const nested = loadCorpus(buildSchema(), [NESTED])[0]!;
  const sim = await Child.start('sim-process.ts', {
    seed: SEED,
    tokens: [TOKEN],
    logLimit: 500_000,
    knobs: { latencyMs: options.latencyMs, latencyJitterMs: options.latencyMs, rateLimit: null },
  });
  let facade: Child | undefined;
  try {
    const config: AppConfig & { baseUrl: string } = {
      ...loadConfig({ FACADE_AUTH: 'none' }),
      baseUrl: sim.url,
      apiToken: TOKEN,
      host: '127.0.0.1',
      port: 0,
      timeoutMs: options.timeoutMs,
      rateLimitPerMinute: undefined,
    };
    facade = await Child.start('facade-process.ts', config);
    const fc = facade;
    const healthUrl = new URL('/health', fc.url).href;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    const queries = [
      { name: 'simple', text: SIMPLE_QUERY, variables: { id: '7' } as Record<string, unknown> },
      { name: NESTED, text: nested.text, variables: nested.variables },
    ];

    // Warm-up without faults, then the fault-free calls per query.
    const cannon = (opts: autocannon.Options): Promise<autocannon.Result> =>
      new Promise((resolve, reject) => autocannon(opts, (err: Error | null, result) => (err ? reject(err) : resolve(result))));
    await cannon({
      url: fc.url,
      connections: options.connections,
      duration: options.warmUpSec,
      headers,
      requests: queries.map((q) => ({ method: 'POST' as const, body: JSON.stringify({ query: q.text, variables: q.variables }) })),
    });
    const client = new GraphQLClient(fc.url, TOKEN);
    // The warm-up's last calls settle, and are tallied away.
    await sleep(500);
    await sim.call('tally');
    const callsPer: number[] = [];
    const CALIBRATION = 10;
    for (const q of queries) {
      for (let i = 0; i < CALIBRATION; i++) await client.data(q.text, q.variables);
      await sleep(50);
      callsPer.push((await sim.call<Tally>('tally')).calls / CALIBRATION);
    }
    await client.close();
    const gcBefore = await fc.stats(true);
    progress(`  fault-free upstream calls per request: ${queries.map((q, i) => `${q.name} ${callsPer[i]}`).join(', ')}`);

    const faults: Fault[] = [
      { kind: 'status', status: 500, rate: options.serverErrorRate },
      { kind: 'slow', delayMs: options.slowDelayMs, rate: options.slowRate },
    ];
    await sim.call('knobs', { knobs: { faults } });

    // Response checks, per query.
    const perQuery = queries.map(() => ({ responses: 0, withErrors: 0 }));
    const errorCodes: Record<string, number> = {};
    const errorMessages: Record<string, string> = {};
    const non200: Record<string, number> = {};
    let nonJson = 0;
    const check = (index: number) => (status: number, body: string): void => {
      const q = perQuery[index]!;
      q.responses++;
      if (status !== 200) non200[status] = (non200[status] ?? 0) + 1;
      let parsed: { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[] };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        nonJson++;
        return;
      }
      if (parsed.errors?.length) {
        q.withErrors++;
        const seen = new Set<string>();
        for (const e of parsed.errors) {
          const code = jsonText(e.extensions?.code ?? 'NO_CODE');
          errorMessages[code] ??= String(e.message);
          if (seen.has(code)) continue;
          seen.add(code);
          errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        }
      }
    };

    // Samplers: RSS and the simulator's tally every sampleSec, /health every 500 ms.
    const upstream: Tally = { calls: 0, byStatus: {}, byFault: {} };
    const samples: RssSample[] = [];
    const healthMs: number[] = [];
    let healthFailures = 0;
    let running = true;
    const started = performance.now();
    const elapsed = (): number => (performance.now() - started) / 1000;
    const answered = () => ({
      responses: perQuery.reduce((n, q) => n + q.responses, 0),
      withErrors: perQuery.reduce((n, q) => n + q.withErrors, 0),
    });
    const sampleOnce = async (): Promise<void> => {
      const [s, t] = await Promise.all([fc.stats(), sim.call<Tally>('tally')]);
      upstream.calls += t.calls;
      addTo(upstream.byStatus, t.byStatus);
      addTo(upstream.byFault, t.byFault);
      samples.push({ t: elapsed(), rss: s.rss, heapUsed: s.heapUsed, ...answered() });
    };
    const rssLoop = (async () => {
      await sampleOnce();
      while (running) {
        await sleep(options.sampleSec * 1000);
        if (!running) break;
        await sampleOnce();
        const last = samples.at(-1)!;
        progress(`  ${last.t.toFixed(0)} s: RSS ${(last.rss / 1048576).toFixed(1)} MB, heap ${(last.heapUsed / 1048576).toFixed(1)} MB, ${last.responses} responses, ${last.withErrors} with errors`);
      }
    })();
    const healthLoop = (async () => {
      while (running) {
        const t0 = performance.now();
        try {
          const res = await fetch(healthUrl);
          await res.text();
          if (res.status !== 200) healthFailures++;
        } catch {
          healthFailures++;
        }
        healthMs.push(performance.now() - t0);
        await sleep(500);
      }
    })();

    const result = await cannon({
      url: fc.url,
      connections: options.connections,
      duration: options.durationSec,
      headers,
      requests: queries.map((q, i) => ({
        method: 'POST' as const,
        body: JSON.stringify({ query: q.text, variables: q.variables }),
        onResponse: check(i),
      })),
    });
    running = false;
    await Promise.all([rssLoop, healthLoop]);
    const end: Stats = await fc.stats();
    samples.push({ t: elapsed(), rss: end.rss, heapUsed: end.heapUsed, ...answered() });
    await sim.call('knobs', { knobs: { faults: [] } });
    // Calls still answering are tallied once they finish.
    await sleep(1000);
    const t = await sim.call<Tally>('tally');
    upstream.calls += t.calls;
    addTo(upstream.byStatus, t.byStatus);
    addTo(upstream.byFault, t.byFault);
    await sleep(Math.max(0, options.slowDelayMs - 1000));
    const gcAfter = await fc.stats(true);
    const metricsText = await fetch(new URL('/metrics', fc.url))
      .then((r) => (r.ok ? r.text() : ''))
      .catch(() => '');
    const facadeMetrics = {
      attemptsTimedOut: counter(metricsText, 'ampeco_graph_upstream_calls_total', 'status="UPSTREAM_TIMEOUT"'),
      breakerOpened: counter(metricsText, 'ampeco_graph_upstream_breaker_transitions_total', 'state="open"'),
      breakerRejected: counter(metricsText, 'ampeco_graph_upstream_breaker_rejections_total'),
    };

    const injected = ((upstream.byFault.status ?? 0) + (upstream.byFault.slow ?? 0)) / Math.max(1, upstream.calls);
    const configured = 1 - (1 - options.serverErrorRate) * (1 - options.slowRate);
    const rows: SoakQueryRow[] = queries.map((q, i) => ({
      query: q.name,
      calls: callsPer[i]!,
      responses: perQuery[i]!.responses,
      withErrors: perQuery[i]!.withErrors,
      expectedRate: expectedErrorRate(configured, callsPer[i]!),
      expectedRateMeasured: expectedErrorRate(injected, callsPer[i]!),
    }));
    const responses = rows.reduce((n, r) => n + r.responses, 0);
    const weighted = (pick: (r: SoakQueryRow) => number): number => (responses ? rows.reduce((n, r) => n + r.responses * pick(r), 0) / responses : NaN);

    const warm = samples.find((s) => s.t >= options.durationSec * WARM_FRACTION) ?? samples[0]!;
    const rss = {
      samples,
      first: samples[0]!.rss,
      reference: warm.rss,
      referenceT: warm.t,
      max: Math.max(...samples.map((s) => s.rss)),
      last: samples.at(-1)!.rss,
      growth: samples.at(-1)!.rss / warm.rss,
    };
    return {
      options,
      attempts: ATTEMPTS,
      requests: result.requests.total,
      requestsPerSec: result.requests.average,
      responses,
      withErrors: rows.reduce((n, r) => n + r.withErrors, 0),
      errorCodes,
      errorMessages,
      expectedRate: weighted((r) => r.expectedRate),
      expectedRateMeasured: weighted((r) => r.expectedRateMeasured),
      queries: rows,
      non200,
      nonJson,
      socketErrors: result.errors,
      timeouts: result.timeouts,
      p50: result.latency.p50,
      p99: result.latency.p99,
      maxLatency: result.latency.max,
      upstream: { ...upstream, injectedRate: injected },
      rss,
      heapAfterGc: { before: gcBefore.heapUsed, after: gcAfter.heapUsed },
      facadeMetrics,
      health: { samples: healthMs.length, p50: median(healthMs), max: Math.max(0, ...healthMs), failures: healthFailures },
    };
  } finally {
    await facade?.stop();
    await sim.stop();
  }
}
