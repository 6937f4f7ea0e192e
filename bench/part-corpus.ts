/**
 * Part 1: each corpus query through the optimised facade, the naive facade and the hand-written REST
 * client, against one seeded simulator with injected latency and its rate limit on. Calls and round
 * trips come from the simulator's request log (cleared before every run), wall time from the client.
 * At the production in-flight cap, a fourth client: the facade with a tight rate budget (its planner
 * then aims at fewest calls), made tight for the whole run by a budget that says so.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator, type RequestLogEntry, type Simulator } from '../simulator/index.js';
import { loadConfig, type AppConfig } from '../src/config.js';
import { InMemoryRateBudget } from '../src/datasources/http/index.js';
import { buildSchema, startServer, type RunningServer } from '../src/server.js';
import { loadCorpus, type CorpusQuery } from './corpus.js';
import { GraphQLClient } from './graphql-client.js';
import { minimumFor, type Minimum } from './minimum.js';
import { Rest, screens } from './rest-client/index.js';
import { criticalPath } from './roundtrips.js';
import { median } from './stats.js';

export const SEED = 42;
/** One upstream credential per client and pass, so that each has its own rate-limit window. */
const tokenFor = (client: 'facade' | 'naive' | 'rest' | 'tight', inFlight: number): string => `bench-${client}-${inFlight}`;

/**
 * A rate budget that is always tight: what the facade's own budget says once more than half of the
 * window is spent (test/graph/budget.test.ts shows both real triggers), here for every run of the part.
 */
export class TightBudget extends InMemoryRateBudget {
  override tight(): boolean {
    return true;
  }
}

export interface CorpusOptions {
  runs: number;
  latencyMs: number;
  /**
   * Upstream calls in flight per facade, and connections of the REST client's pool: one full pass
   * per value. The first is the production setting (the main table); a large one shows the query
   * planning alone, without levels split into waves by the cap.
   */
  inFlight: number[];
  /** The simulator's limit per token and minute; the facades pace at `paceFraction` of it. */
  rateLimitPerMinute: number;
  paceFraction: number;
  only?: string[];
}

export interface ClientResult {
  calls: number;
  roundTrips: number;
  wallMs: number;
  /** 429s answered by the simulator over all runs (warm-up included). */
  rateLimited: number;
  /** Other non-2xx answers, by status (404s of reads included: they may be legitimate). */
  otherStatuses: Record<string, number>;
  /** Set when a run threw or the response carried GraphQL errors: the row is then failed. */
  failed?: string;
  /** Calls differed between measured runs (should not happen: the data is fixed). */
  unstableCalls?: number[];
  /** Calls of the unmeasured first run: the facade learns collection sizes across requests. */
  firstRunCalls: number;
}

export interface Measured {
  inFlight: number;
  facade: ClientResult;
  naive: ClientResult;
  rest: ClientResult;
  /** The facade with a tight rate budget (the production pass only). */
  tight?: ClientResult;
  /** The optimised and the naive facade returned the same data. */
  sameAnswer: boolean;
  /** The tight-budget facade returned the same data as the optimised one. */
  sameAnswerTight?: boolean;
}

export interface CorpusRow {
  query: CorpusQuery;
  minimum: Minimum | undefined;
  /** One per `inFlight` value, in the same order. */
  passes: Measured[];
}

export interface CorpusResult {
  rows: CorpusRow[];
  world: Record<string, number>;
  facadeRateLimit: number;
}

type Run = () => Promise<unknown>;

/** Waits until every logged call has its answer (the log entry's status is set on `finish`). */
async function settled(sim: Simulator): Promise<RequestLogEntry[]> {
  for (let i = 0; i < 50 && sim.log.some((e) => e.status === 0); i++) await sleep(2);
  return [...sim.log];
}

async function measure(sim: Simulator, run: Run, runs: number): Promise<{ result: ClientResult; data: unknown }> {
  const samples: { calls: number; rt: number; wall: number }[] = [];
  const result: ClientResult = { calls: NaN, roundTrips: NaN, wallMs: NaN, rateLimited: 0, otherStatuses: {}, firstRunCalls: NaN };
  let data: unknown;
  for (let i = 0; i <= runs; i++) {
    sim.clearLog();
    const started = performance.now();
    try {
      data = await run();
    } catch (error) {
      result.failed = error instanceof Error ? error.message : String(error);
    }
    const wall = performance.now() - started;
    const log = await settled(sim);
    for (const e of log) {
      if (e.status === 429) result.rateLimited++;
      else if (e.status < 200 || e.status >= 300) result.otherStatuses[e.status] = (result.otherStatuses[e.status] ?? 0) + 1;
    }
    if (result.failed) break;
    // The first run warms JIT, sockets, pools and the facade's collection stats up; it is not measured.
    if (i === 0) result.firstRunCalls = log.length;
    else samples.push({ calls: log.length, rt: criticalPath(log), wall });
  }
  if (samples.length) {
    result.calls = median(samples.map((s) => s.calls));
    result.roundTrips = median(samples.map((s) => s.rt));
    result.wallMs = median(samples.map((s) => s.wall));
    const distinct = [...new Set(samples.map((s) => s.calls))];
    if (distinct.length > 1) result.unstableCalls = distinct;
  }
  return { result, data };
}

const pacedAt = (options: CorpusOptions): number => Math.floor(options.rateLimitPerMinute * options.paceFraction);

/** One cursor secret for every facade of the part: their answers, cursors included, compare equal. */
const CURSOR_SECRET = 'bench-corpus-cursor-secret-0123456789abcdef';

function facadeConfig(sim: Simulator, token: string, inFlight: number, options: CorpusOptions): AppConfig & { baseUrl: string } {
  return {
    // warn: a request line each would fill the bench's output (the load part measures the log line's cost).
    ...loadConfig({ FACADE_AUTH: 'none', FACADE_CURSOR_SECRET: CURSOR_SECRET, LOG_LEVEL: 'warn' }),
    baseUrl: sim.url,
    apiToken: token,
    host: '127.0.0.1',
    port: 0,
    timeoutMs: 10_000,
    maxInFlight: inFlight,
    rateLimitPerMinute: pacedAt(options),
  };
}

/** The clients of one pass. */
interface Pass {
  inFlight: number;
  facade: GraphQLClient;
  naive: GraphQLClient;
  rest: Rest;
  tight?: GraphQLClient;
}

export async function runCorpus(options: CorpusOptions, progress: (line: string) => void): Promise<CorpusResult> {
  const schema = buildSchema();
  const corpus = loadCorpus(schema, options.only);
  const sim = await startSimulator({
    seed: SEED,
    tokens: options.inFlight.flatMap((n) => (['facade', 'naive', 'rest', 'tight'] as const).map((c) => tokenFor(c, n))),
    knobs: { latencyMs: options.latencyMs, rateLimit: { limit: options.rateLimitPerMinute, windowMs: 60_000 } },
  });
  const servers: RunningServer[] = [];
  const passes: Pass[] = [];
  try {
    for (const [i, n] of options.inFlight.entries()) {
      const facade = await startServer(facadeConfig(sim, tokenFor('facade', n), n, options));
      servers.push(facade);
      const naive = await startServer(facadeConfig(sim, tokenFor('naive', n), n, options), { naive: true });
      servers.push(naive);
      const tight =
        i === 0
          ? await startServer(facadeConfig(sim, tokenFor('tight', n), n, options), {
              http: { rateBudget: new TightBudget({ requestsPerWindow: pacedAt(options), windowMs: 60_000 }) },
            })
          : undefined;
      if (tight) servers.push(tight);
      passes.push({
        inFlight: n,
        facade: new GraphQLClient(facade.graphqlUrl, tokenFor('facade', n)),
        naive: new GraphQLClient(naive.graphqlUrl, tokenFor('naive', n)),
        rest: new Rest(sim.url, tokenFor('rest', n), n),
        tight: tight ? new GraphQLClient(tight.graphqlUrl, tokenFor('tight', n)) : undefined,
      });
    }
    const minimum = minimumFor(sim.store);

    const rows: CorpusRow[] = [];
    for (const query of corpus) {
      const screen = screens[query.name];
      const viaGraphQL = (client: GraphQLClient): Run => () => client.data(query.text, query.variables);
      const measured: Measured[] = [];
      for (const pass of passes) {
        const f = await measure(sim, viaGraphQL(pass.facade), options.runs);
        const t = pass.tight ? await measure(sim, viaGraphQL(pass.tight), options.runs) : undefined;
        const n = await measure(sim, viaGraphQL(pass.naive), options.runs);
        const r = screen
          ? await measure(sim, () => screen(pass.rest, query.variables as never), options.runs)
          : { result: { calls: NaN, roundTrips: NaN, wallMs: NaN, rateLimited: 0, otherStatuses: {}, firstRunCalls: NaN, failed: 'no REST screen' }, data: undefined };
        measured.push({
          inFlight: pass.inFlight,
          facade: f.result,
          naive: n.result,
          rest: r.result,
          sameAnswer: !f.result.failed && !n.result.failed && JSON.stringify(f.data) === JSON.stringify(n.data),
          ...(t ? { tight: t.result, sameAnswerTight: !f.result.failed && !t.result.failed && JSON.stringify(f.data) === JSON.stringify(t.data) } : {}),
        });
      }
      const row: CorpusRow = { query, minimum: minimum(query.name, query.variables), passes: measured };
      rows.push(row);
      for (const m of measured) {
        progress(
          `  ${query.name} @${m.inFlight} in flight: calls ${m.facade.calls}/${m.naive.calls}/${m.rest.calls} (min ${row.minimum?.calls ?? '?'}), ` +
            `round trips ${m.facade.roundTrips}/${m.naive.roundTrips}/${m.rest.roundTrips} (depth ${query.depth}), ` +
            `wall ${m.facade.wallMs.toFixed(0)}/${m.naive.wallMs.toFixed(0)}/${m.rest.wallMs.toFixed(0)} ms` +
            (m.tight ? `; tight budget: calls ${m.tight.calls}, round trips ${m.tight.roundTrips}, wall ${m.tight.wallMs.toFixed(0)} ms` : '') +
            (['facade', 'naive', 'rest', 'tight'] as const).map((k) => (m[k]?.failed ? `  ${k.toUpperCase()} FAILED: ${m[k].failed}` : '')).join(''),
        );
      }
    }
    return { rows, world: sim.store.counts(), facadeRateLimit: pacedAt(options) };
  } finally {
    for (const p of passes) await Promise.all([p.facade.close(), p.naive.close(), p.rest.close(), p.tight?.close()]);
    for (const s of servers) await s.close();
    await sim.close();
  }
}
