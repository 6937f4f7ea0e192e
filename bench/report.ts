/** Renders the bench results as the markdown report (bench/RESULTS.md), goals beside the figures. */
import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import type { ClientResult, CorpusResult, CorpusRow, Measured } from './part-corpus.js';
import type { LoadResult } from './part-load.js';
import type { MemoryResult } from './part-memory.js';
import type { PacingResult } from './part-pacing.js';
import { EXPECTED_CODES, SOAK_RSS_GROWTH, plausible, type SoakResult } from './part-soak.js';
import { mark, mb, median, ms, ratio, table } from './stats.js';

/** Goals of issues #3 and #11. */
export const GOALS = {
  callsOverMinimum: 1.0,
  wallOverRest: 1.2,
  cpuMsPerSimpleQuery: 1,
  /** The facade beside its ceiling (a bare Apollo Server 5 + one undici call) on the list query. */
  throughputOverCeiling: 0.85,
  p99OverCeiling: 1.2,
  rssUnderLoadBytes: 150 * 1024 * 1024,
  /** Flat memory: last sample within this factor of the first one after warm-up. */
  memoryGrowth: 1.2,
} as const;

export interface Settings {
  mode: string;
  runs: number;
  latencyMs: number;
  /** In-flight caps of the corpus passes; the first is the production one. */
  inFlight: number[];
  rateLimitPerMinute: number;
}

export interface Report {
  settings: Settings;
  corpus?: CorpusResult;
  pacing?: PacingResult;
  load?: LoadResult;
  memory?: MemoryResult;
  soak?: SoakResult;
  /** Parts that crashed, with the error. */
  crashed: { part: string; error: string }[];
  totalSec: number;
}

const ok = (r: ClientResult): boolean => !r.failed && Number.isFinite(r.wallMs);

export interface RowGoals {
  calls?: boolean;
  roundTrips?: boolean;
  wall?: boolean;
}

/** The production pass (first in-flight value) and the planning pass (the last, largest one). */
const mainPass = (row: CorpusRow): Measured => row.passes[0]!;
const planningPass = (row: CorpusRow): Measured => row.passes.at(-1)!;

/**
 * Calls (with a tight rate budget, when the planner aims at fewest calls) and wall time are judged at
 * the production in-flight cap; round trips at the largest cap, where a wide level is not split into
 * waves by the cap (that would fail the REST client too).
 */
export function rowGoals(row: CorpusRow): RowGoals {
  const m = mainPass(row);
  const p = planningPass(row);
  const f = m.facade;
  if (!ok(f) || !ok(p.facade)) return { calls: false, roundTrips: false, wall: false };
  const tight = m.tight;
  return {
    calls: row.minimum && tight ? ok(tight) && tight.calls <= row.minimum.calls * GOALS.callsOverMinimum : undefined,
    roundTrips: p.facade.roundTrips <= row.query.depth,
    wall: ok(m.rest) ? f.wallMs <= m.rest.wallMs * GOALS.wallOverRest : undefined,
  };
}

const cell = (r: ClientResult, v: number, digits = 0): string => (r.failed ? 'FAIL' : ms(v, digits));
const three = (m: Measured, pick: (r: ClientResult) => number): string =>
  `${cell(m.facade, pick(m.facade))} / ${cell(m.naive, pick(m.naive))} / ${cell(m.rest, pick(m.rest))}`;

function corpusSection(c: CorpusResult, s: Settings): string {
  const main = s.inFlight[0]!;
  const planning = s.inFlight.at(-1)!;
  const mainTable = table(
    [
      'query', 'depth',
      'calls facade / naive / REST / min', 'round trips facade / naive / REST', 'wall ms facade / naive / REST',
      'calls ÷ min', 'wall facade ÷ REST', 'naive ÷ facade', `wall ≤ ${GOALS.wallOverRest}× REST`,
    ],
    c.rows.map((r) => {
      const m = mainPass(r);
      const g = rowGoals(r);
      return [
        r.query.name, r.query.depth,
        `${three(m, (x) => x.calls)} / ${r.minimum?.calls ?? '?'}`,
        three(m, (x) => x.roundTrips),
        three(m, (x) => x.wallMs),
        r.minimum ? ratio(m.facade.calls, r.minimum.calls) : '–',
        ratio(m.facade.wallMs, m.rest.wallMs),
        ratio(m.naive.wallMs, m.facade.wallMs),
        mark(g.wall),
      ];
    }),
  );
  const planningTable = table(
    ['query', 'depth', 'min waves', 'round trips facade / naive / REST', 'wall ms facade / naive / REST', 'wall facade ÷ REST', 'RT ≤ depth'],
    c.rows.map((r) => {
      const p = planningPass(r);
      return [
        r.query.name, r.query.depth, r.minimum?.waves ?? '?',
        three(p, (x) => x.roundTrips), three(p, (x) => x.wallMs),
        ratio(p.facade.wallMs, p.rest.wallMs), mark(rowGoals(r).roundTrips),
      ];
    }),
  );
  const tightTable = table(
    [
      'query', 'depth', 'min calls / waves',
      'room in the budget (latency first): calls / round trips / wall ms', 'tight budget (fewest calls): calls / round trips / wall ms',
      'calls ÷ min: room / tight', `tight: calls ≤ ${GOALS.callsOverMinimum}× min`,
    ],
    c.rows.map((r) => {
      const m = mainPass(r);
      const t = m.tight;
      const line = (x: ClientResult | undefined): string => (!x ? '–' : x.failed ? 'FAIL' : `${x.calls} / ${x.roundTrips} / ${ms(x.wallMs)}`);
      return [
        r.query.name, r.query.depth, `${r.minimum?.calls ?? '?'} / ${r.minimum?.waves ?? '?'}`,
        line(m.facade), line(t),
        r.minimum ? `${ratio(m.facade.calls, r.minimum.calls)} / ${t ? ratio(t.calls, r.minimum.calls) : '–'}` : '–',
        mark(rowGoals(r).calls),
      ];
    }),
  );
  const clients = ['facade', 'naive', 'rest', 'tight'] as const;
  const everyPass = c.rows.flatMap((r) => r.passes.map((m) => ({ r, m })));
  const failures = everyPass.flatMap(({ r, m }) =>
    clients.filter((k) => m[k]?.failed).map((k) => `- ❌ **${r.query.name}** (${k}, ${m.inFlight} in flight) failed: ${m[k]!.failed}`),
  );
  const differing = everyPass.filter(({ m }) => !m.sameAnswer && !m.facade.failed && !m.naive.failed).map(({ r, m }) => `${r.query.name} @${m.inFlight}`);
  const differingTight = everyPass.filter(({ m }) => m.tight && !m.sameAnswerTight && !m.facade.failed && !m.tight.failed).map(({ r }) => r.query.name);
  const unstable = everyPass.flatMap(({ r, m }) =>
    clients.filter((k) => m[k]?.unstableCalls).map((k) => `${r.query.name} (${k} @${m.inFlight}: ${m[k]!.unstableCalls!.join(', ')})`),
  );
  const cold = c.rows
    .filter((r) => mainPass(r).facade.firstRunCalls !== mainPass(r).facade.calls)
    .map((r) => `${r.query.name} ${mainPass(r).facade.firstRunCalls} → ${mainPass(r).facade.calls}`);
  const coldTight = c.rows
    .filter((r) => mainPass(r).tight && mainPass(r).tight!.firstRunCalls !== mainPass(r).tight!.calls)
    .map((r) => `${r.query.name} ${mainPass(r).tight!.firstRunCalls} → ${mainPass(r).tight!.calls}`);
  const capDependent = c.rows.filter((r) => new Set(r.passes.map((m) => m.facade.calls)).size > 1).map((r) => r.query.name);
  const statuses = clients.map((k) => {
    const limited = everyPass.reduce((n, { m }) => n + (m[k]?.rateLimited ?? 0), 0);
    const other: Record<string, number> = {};
    for (const { m } of everyPass) for (const [st, n] of Object.entries(m[k]?.otherStatuses ?? {})) other[st] = (other[st] ?? 0) + n;
    const otherText = Object.entries(other).map(([st, n]) => `${n}× ${st}`).join(', ') || 'none';
    return `  - ${k}: ${limited} × 429, other non-2xx: ${otherText}`;
  });
  return [
    '## 1. Corpus: upstream calls, round trips and wall time',
    '',
    `World: ${Object.entries(c.world).map(([k, v]) => `${v} ${k}`).join(', ')} (seed 42). Upstream latency ${s.latencyMs} ms per call. ` +
      `Simulator rate limit ${s.rateLimitPerMinute}/min per token (one token per client); the facades pace at ${c.facadeRateLimit}/min ` +
      `(\`AMPECO_RATE_LIMIT_PER_MINUTE\`). Median of ${s.runs} measured runs after one warm-up; calls and round trips are read from the ` +
      `simulator's log, cleared before each run.`,
    '',
    '*calls*: upstream requests. *round trips*: the longest chain of calls each arriving after the previous one was answered ' +
      '(waiting for a dependency, a free in-flight slot or the rate budget all count). *depth*: relation hops in the query (the root field is 1). ' +
      '*naive*: the facade with `naive: true` (no DataLoader batching or caching, no id-only lookahead). ' +
      '*REST*: `bench/rest-client/`, the hand-written undici client. *min*: `bench/minimum.ts`, explained below.',
    '',
    `### At the production setting: \`AMPECO_MAX_IN_FLIGHT=${main}\` (the REST client's Pool: ${main} connections)`,
    '',
    mainTable,
    ...(s.inFlight.length > 1
      ? [
          '',
          `### Query planning: ${planning} calls in flight (facades and REST client)`,
          '',
          `At ${main} in flight, any level wider than ${main} calls takes several waves for every client, the REST client included. ` +
            `With ${planning}, the round trips show how the facade plans a query: *min waves* is the fewest the data allows ` +
            '(calls whose inputs are known start together, e.g. listings filtered by an id given in the query start with the read of that id).',
          '',
          planningTable,
        ]
      : []),
    '',
    '### Calls when the rate budget is tight',
    '',
    "AMPECO's rate limit is per token, so calls are what an operator runs out of. Once more than half of a token's window is spent " +
      "(by the facade's pacing count, or by AMPECO's `X-RateLimit-Remaining`), the facade plans for fewest calls: a scan whenever it needs " +
      'fewer calls than the reads it replaces, however many sequential pages; with room in the budget it keeps the latency-first plan above. ' +
      `Here a fourth client at ${main} in flight, the facade with a budget that reports tight for the whole run (its own token, the same pacing), ` +
      'is measured beside the others (same runs, medians). The goal on calls applies to it.',
    '',
    tightTable,
    '',
    '### How each minimum is made up',
    '',
    ...c.rows.map((r) => `- **${r.query.name}** — ${r.query.description}  \n  Minimum ${r.minimum?.calls ?? '?'} calls in ${r.minimum?.waves ?? '?'} waves: ${r.minimum?.detail ?? 'no minimum function'}.`),
    '',
    '### Checks',
    '',
    failures.length ? failures.join('\n') : '- No query failed (no thrown error, no GraphQL `errors`) in any client or pass.',
    differing.length ? `- ❌ Optimised and naive facade answered differently: ${differing.join(', ')}.` : '- The optimised and the naive facade returned identical data for every query.',
    differingTight.length
      ? `- ❌ The facade answered differently with a tight budget: ${differingTight.join(', ')}.`
      : '- The facade returned identical data with a tight budget and with room in it, for every query.',
    unstable.length ? `- Call counts varied between runs: ${unstable.join('; ')}.` : '- Call counts were the same in every run.',
    cold.length
      ? `- The facade's first (unmeasured) run of a query made a different number of calls than the measured ones, as it had not yet learnt the collection sizes that decide scans: ${cold.join(', ')} (at ${main} in flight).`
      : '- The facade made as many calls on its first run as on the measured ones.',
    ...(coldTight.length
      ? [
          `- With a tight budget, the first (unmeasured) runs that made a different number of calls: ${coldTight.join(', ')} ` +
            '(a scan of children whose collection size is not known yet may stop short of the end: it reads at most half as many pages as the listings it replaces, once).',
        ]
      : []),
    capDependent.length ? `- The facade's call count depended on the in-flight cap: ${capDependent.join(', ')}.` : '- The facade made the same calls at every in-flight cap.',
    '- Upstream answers over all runs and passes (warm-up included):',
    ...statuses,
  ].join('\n');
}

function pacingSection(p: PacingResult): string {
  return [
    '## 2. Rate limit: pacing instead of bouncing',
    '',
    `The simulator allows ${p.limit} calls per ${p.windowMs / 1000} s window and token. ${p.requests} single-charge-point queries (one call each), ` +
      `10 at a time, go through a facade whose token bucket paces at ${p.pacedAt} per window, and through one without pacing ` +
      '(its client retries a 429 after `Retry-After`, up to 3 attempts).',
    '',
    table(
      ['facade', 'upstream calls', '429 answers', 'wall ms', 'result'],
      p.rows.map((r) => [r.facade, r.calls, r.rateLimited, ms(r.wallMs), r.failed ? `failed: ${r.failed}` : 'ok']),
    ),
  ].join('\n');
}

/** The facade beside its ceiling on the list query: the ratios the goals judge. */
export function ceilingChecks(l: LoadResult) {
  // Paired: each round's facade run against the ceiling's run of the same round (they run back to
  // back), then the median of those ratios. The machine's speed drifts by more than the differences
  // measured here, and a ratio of the two sides' medians may pair a fast run with a slow one.
  const byRound = (of: (r: LoadResult['facade']['runs'][number]) => number): number[] => l.facade.runs.map((f, i) => of(f) / of(l.ceiling.runs[i]!));
  const rounds = { throughput: byRound((r) => r.requestsPerSec), p99: byRound((r) => r.p99) };
  const throughput = median(rounds.throughput);
  const p99 = median(rounds.p99);
  return {
    throughput,
    p99,
    /** Each round's facade ÷ ceiling. */
    rounds,
    /** The ratios of the two sides' medians, for comparison. */
    ofMedians: { throughput: l.facade.requestsPerSec / l.ceiling.requestsPerSec, p99: l.facade.p99 / l.ceiling.p99 },
    throughputOk: throughput >= GOALS.throughputOverCeiling,
    p99Ok: p99 <= GOALS.p99OverCeiling,
    rssOk: l.facade.rssAfter <= GOALS.rssUnderLoadBytes,
  };
}

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;

function loadSection(l: LoadResult): string {
  const c = ceilingChecks(l);
  const listCpu = (target: string) => l.cpu.find((x) => x.target === target && x.query.startsWith('list'));
  const runsOf = (side: LoadResult['facade']) =>
    side.runs.map((r) => `${r.requestsPerSec.toFixed(0)} (${r.p50}/${r.p99} ms, ${mib(r.rssAfter!)}, ${r.cpuMsPerRequest!.toFixed(3)} ms CPU)`).join(', ');
  return [
    '## 3. Throughput, latency and memory beside the ceiling (autocannon)',
    '',
    `Both servers run as production runs them: built JavaScript (\`node ${l.facadeArgs.join(' ')}\` for the facade, \`npm start\`'s command, with its defaults in pass-through mode: ` +
      'log line per request, metrics, limits, auth gate), `NODE_ENV=production`, each in a process of its own; CPU time and RSS from /proc. ' +
      'The *ceiling* is a bare Apollo Server 5 on its own HTTP integration (`startStandaloneServer`, default plugins) whose one resolver ' +
      'makes one undici call to the same upstream and returns the parsed rows (`bench/child/ceiling-server.ts`). Both read a *replay upstream* ' +
      '(`bench/child/replay-process.ts`) that answers from memory what the simulator answered once, so the upstream costs a lookup and a write. ' +
      `Query: \`${'{ chargePoints(first: 20) { nodes { id name } } }'}\`; both make the same one call (\`GET ${l.upstreamPath}\`) and return the same JSON. ` +
      `autocannon (in the bench's process, on the same 2 cores) with ${l.connections} connections, ${l.durationSec} s per run after a 2 s warm-up; ` +
      `the two take turns, ${l.rounds} rounds, which one goes first alternating. *facade ÷ ceiling* is the median of the rounds' ratios ` +
      "(each facade run against the ceiling's run of the same round), with the ratio of the two medians beside it. " +
      'Every response is compared with a reference answer (differing bodies, non-2xx and socket errors count as errors).',
    '',
    table(
      ['', 'ceiling', 'facade', 'facade ÷ ceiling', 'goal'],
      [
        [`req/s (median of ${l.rounds})`, l.ceiling.requestsPerSec.toFixed(0), l.facade.requestsPerSec.toFixed(0), `${c.throughput.toFixed(2)}× (of the medians: ${c.ofMedians.throughput.toFixed(2)}×)`, `≥ ${GOALS.throughputOverCeiling}× ${mark(c.throughputOk)}`],
        ['p50 / p99 ms', `${l.ceiling.p50} / ${l.ceiling.p99}`, `${l.facade.p50} / ${l.facade.p99}`, `p99 ${c.p99.toFixed(2)}× (of the medians: ${c.ofMedians.p99.toFixed(2)}×)`, `p99 ≤ ${GOALS.p99OverCeiling}× ${mark(c.p99Ok)}`],
        ['RSS after load (median) / peak during load', `${mib(l.ceiling.rssAfter)} / ${mib(l.ceiling.peakRss)}`, `${mib(l.facade.rssAfter)} / ${mib(l.facade.peakRss)}`, '–', `facade ≤ ${mib(GOALS.rssUnderLoadBytes)} ${mark(c.rssOk)}`],
        ['RSS idle, after start-up and one request', mib(l.idleRss.ceiling), mib(l.idleRss.facade), '–', '–'],
        ['CPU ms per request under that load (median)', l.ceiling.cpuMsPerRequest.toFixed(3), l.facade.cpuMsPerRequest.toFixed(3), ratio(l.facade.cpuMsPerRequest, l.ceiling.cpuMsPerRequest), '–'],
        ['CPU ms per request, one request at a time (section 4)', listCpu('ceiling')?.cpuMsPerRequest.toFixed(3) ?? '–', listCpu('facade')?.cpuMsPerRequest.toFixed(3) ?? '–', listCpu('ceiling') && listCpu('facade') ? ratio(listCpu('facade')!.cpuMsPerRequest, listCpu('ceiling')!.cpuMsPerRequest) : '–', '–'],
        ['errors (all runs)', l.ceiling.runs.reduce((n, r) => n + r.errors, 0), l.facade.runs.reduce((n, r) => n + r.errors, 0), '–', '–'],
      ],
    ),
    '',
    `Each run, req/s (p50/p99, RSS after, CPU per request): ceiling ${runsOf(l.ceiling)}; facade ${runsOf(l.facade)}. ` +
      `Ratios by round, req/s: ${c.rounds.throughput.map((x) => x.toFixed(2)).join(', ')}; p99: ${c.rounds.p99.map((x) => x.toFixed(2)).join(', ')}.`,
    '',
    'The facade on its own, one run each (same setting):',
    '',
    table(
      ['target', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'RSS after / peak', 'CPU ms / request'],
      l.rows.map((r) => [
        r.target, r.connections, r.requestsPerSec.toFixed(0), r.p50, r.p99, r.errors,
        r.rssAfter ? `${mib(r.rssAfter)} / ${mib(r.peakRss!)}` : '–', r.cpuMsPerRequest?.toFixed(3) ?? '–',
      ]),
    ),
    '',
    '## 4. CPU time per query',
    '',
    `Steady state: after a ${Math.max(2, l.durationSec)} s autocannon warm-up of the query, sequential requests in three batches ` +
      '(no forced GC: a major GC drops optimised code and doubles the cost of the next few thousand requests); ' +
      "the server process's CPU time (user + system, /proc, 10 ms ticks) before and after a batch; the median batch. " +
      'The upstream runs in another process, so none of its work is counted.',
    '',
    table(
      ['server', 'query', 'requests', 'CPU ms / request', 'wall ms / request', 'upstream calls / request', `goal < ${GOALS.cpuMsPerSimpleQuery} ms (simple)`],
      l.cpu.map((x) => [
        x.target, x.query, x.requests, x.cpuMsPerRequest.toFixed(3), x.wallMsPerRequest.toFixed(2), x.upstreamCallsPerRequest.toFixed(1),
        x.target === 'facade' && x.query.startsWith('simple') ? mark(x.cpuMsPerRequest < GOALS.cpuMsPerSimpleQuery) : '–',
      ]),
    ),
  ].join('\n');
}

function memorySection(m: MemoryResult): string {
  return [
    '## 5. Memory: paging through all sessions',
    '',
    `Simulator seeded with ${m.sessions.toLocaleString('en')} sessions (own process, ${ms(m.seedMs / 1000, 1)} s to start). One client loop: ` +
      `\`sessions(first: 100, after: $cursor)\` until \`hasNextPage\` is false: ${m.pages} pages, ${m.seen.toLocaleString('en')} sessions ` +
      `(${m.distinct.toLocaleString('en')} distinct) in ${ms(m.wallMs / 1000, 1)} s. Facade RSS and heap after a forced GC:` +
      (m.failed ? `\n\n**Failed:** ${m.failed}` : ''),
    '',
    table(['page', 'facade RSS', 'heap used'], m.samples.map((s) => [s.page, mb(s.rss), mb(s.heapUsed)])),
    '',
    `Last sample ÷ first sample after warm-up (page 100): ${m.growth.toFixed(2)}× (goal ≤ ${GOALS.memoryGrowth}×) ${mark(!m.failed && m.growth <= GOALS.memoryGrowth)}`,
  ].join('\n');
}

const pct = (v: number, digits = 2): string => (Number.isFinite(v) ? `${(v * 100).toFixed(digits)} %` : '–');
const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, n) => a + n, 0);
const counts = (o: Record<string, number>): string => Object.entries(o).map(([k, n]) => `${n}× ${k}`).join(', ') || 'none';

/** The soak's verdicts, shared by its section and the goals. */
export function soakChecks(s: SoakResult) {
  const unexplained = Object.entries(s.errorCodes).filter(([code]) => !EXPECTED_CODES.has(code));
  return {
    non200: sum(s.non200) === 0 && s.socketErrors === 0 && s.timeouts === 0,
    nonJson: s.nonJson === 0,
    errorRate: plausible(s.withErrors, s.expectedRateMeasured * s.responses) && unexplained.length === 0,
    unexplained,
    rssFlat: s.rss.growth <= SOAK_RSS_GROWTH,
  };
}

function soakSection(s: SoakResult): string {
  const o = s.options;
  const c = soakChecks(s);
  const expected = (rate: number, n: number): string => `${pct(rate, 3)} (${(rate * n).toFixed(1)})`;
  return [
    '## 6. Soak: steady load with upstream faults',
    '',
    `Simulator and facade each in their own process; autocannon, ${o.connections} connections for ${o.durationSec} s, alternating a simple query and ` +
      `the nested corpus query \`${s.queries[1]?.query ?? '?'}\`, after a fault-free ${o.warmUpSec} s warm-up. Simulator latency ${o.latencyMs} ms plus up to ` +
      `${o.latencyMs} ms jitter. Injected on every upstream call, drawn from the simulator's seeded PRNG: ${pct(o.serverErrorRate, 0)} answer 500, ` +
      `${pct(o.slowRate, 0)} of the rest are ${o.slowDelayMs} ms slow, past the facade's \`AMPECO_TIMEOUT_MS=${o.timeoutMs}\`. ` +
      `GETs are tried ${s.attempts} times, so a query of *k* calls should carry an error with 1 − (1 − p^${s.attempts})^k, ` +
      'p the chance that an attempt fails (configured, and measured in the simulator\'s log); *k* is counted fault-free before the soak. ' +
      'In brackets: the expected number of responses with errors.',
    '',
    table(
      ['query', 'upstream calls (k)', 'responses', 'with errors', 'rate', 'expected (configured p)', 'expected (measured p)'],
      [
        ...s.queries.map((q) => [q.query, q.calls.toFixed(1), q.responses, q.withErrors, pct(q.withErrors / q.responses, 3), expected(q.expectedRate, q.responses), expected(q.expectedRateMeasured, q.responses)]),
        ['**all**', '', s.responses, s.withErrors, pct(s.withErrors / s.responses, 3), expected(s.expectedRate, s.responses), expected(s.expectedRateMeasured, s.responses)],
      ],
    ),
    '',
    table(
      ['measure', 'value', 'check'],
      [
        ['requests (autocannon)', `${s.requests} (${s.requestsPerSec.toFixed(0)} req/s)`, '–'],
        ['latency p50 / p99 / max', `${s.p50} / ${s.p99} / ${s.maxLatency} ms`, '–'],
        ['non-200 answers, socket errors, client timeouts', `${sum(s.non200)}${sum(s.non200) ? ` (${counts(s.non200)})` : ''}, ${s.socketErrors}, ${s.timeouts}`, mark(c.non200)],
        ['non-JSON answers', s.nonJson, mark(c.nonJson)],
        ['responses with errors vs expected (measured p, ±3σ)', `${s.withErrors} vs ${(s.expectedRateMeasured * s.responses).toFixed(1)}`, mark(c.errorRate)],
        ['error codes (responses)', counts(s.errorCodes), c.unexplained.length ? '❌ unexplained codes' : '✅'],
        ...c.unexplained.map(([code]) => [`first ${code} message`, s.errorMessages[code] ?? '?', '–']),
        [
          'facade /metrics: attempts timed out, breaker opened, calls refused by the breaker',
          `${s.facadeMetrics.attemptsTimedOut ?? '–'} (${s.upstream.byFault.slow ?? 0} injected slow), ${s.facadeMetrics.breakerOpened ?? '–'}, ${s.facadeMetrics.breakerRejected ?? '–'}`,
          '–',
        ],
        ['upstream calls', `${s.upstream.calls} (${counts(s.upstream.byStatus)})`, '–'],
        ['injected faults (measured p)', `${counts(s.upstream.byFault)}: ${pct(s.upstream.injectedRate)} of calls (configured ${pct(1 - (1 - o.serverErrorRate) * (1 - o.slowRate))})`, '–'],
        [
          'facade RSS first / after warm-up / max / last',
          `${mb(s.rss.first)} / ${mb(s.rss.reference)} (${s.rss.referenceT.toFixed(0)} s) / ${mb(s.rss.max)} / ${mb(s.rss.last)}: ${s.rss.growth.toFixed(2)}× (flat ≤ ${SOAK_RSS_GROWTH}×)`,
          mark(c.rssFlat),
        ],
        ['facade heap after GC, idle: before / after the soak', `${mb(s.heapAfterGc.before)} / ${mb(s.heapAfterGc.after)}`, '–'],
        ['/health every 500 ms: samples, p50 / max, failures', `${s.health.samples}, ${ms(s.health.p50, 1)} / ${ms(s.health.max, 1)} ms, ${s.health.failures}`, mark(s.health.failures === 0)],
      ],
    ),
    '',
    `Every ${o.sampleSec} s, time: facade RSS MB / heap MB / responses with errors so far: ` +
      `${s.rss.samples.map((x) => `${x.t.toFixed(0)} s: ${(x.rss / 1048576).toFixed(0)} / ${(x.heapUsed / 1048576).toFixed(0)} / ${x.withErrors}`).join(', ')}.`,
  ].join('\n');
}

function goalsSection(r: Report): string {
  const lines: string[] = [];
  if (r.corpus) {
    const rows = r.corpus.rows;
    const fails = (k: keyof RowGoals) => rows.filter((row) => rowGoals(row)[k] === false).map((row) => row.query.name);
    const line = (label: string, k: keyof RowGoals) => {
      const f = fails(k);
      return `- ${mark(f.length === 0)} ${label}${f.length ? `: not met on ${f.join(', ')}` : ''}`;
    };
    lines.push(
      line(`Upstream calls ≤ ${GOALS.callsOverMinimum} × the minimum on every corpus query, with a tight rate budget`, 'calls'),
    );
    const roomy = rows
      .filter((row) => row.minimum && ok(mainPass(row).facade))
      .map((row) => ({ name: row.query.name, over: mainPass(row).facade.calls / row.minimum!.calls }))
      .sort((a, b) => b.over - a.over)[0];
    if (roomy) lines.push(`  - with room in the budget the plan is latency first: calls up to ${roomy.over.toFixed(2)} × the minimum (${roomy.name})`);
    lines.push(
      line(`Round trips ≤ relation depth (at ${r.settings.inFlight.at(-1)} in flight)`, 'roundTrips'),
      line(`Wall time ≤ ${GOALS.wallOverRest} × the hand-written REST client`, 'wall'),
    );
    const limited = rows.reduce((n, row) => n + row.passes.reduce((k, m) => k + m.facade.rateLimited, 0), 0);
    const paced = r.pacing?.rows.find((p) => p.facade === 'paced');
    lines.push(
      `- ${mark(limited === 0 && (!paced || (paced.rateLimited === 0 && !paced.failed)))} No 429 from the upstream: ${limited} in the corpus runs` +
        (paced ? `, ${paced.rateLimited} under a binding limit with pacing` : ''),
    );
  }
  if (r.load) {
    const c = ceilingChecks(r.load);
    lines.push(
      `- ${mark(c.throughputOk)} List query ≥ ${GOALS.throughputOverCeiling} × the ceiling's req/s: ${c.throughput.toFixed(2)}× (median of the paired rounds; medians ${r.load.facade.requestsPerSec.toFixed(0)} vs ${r.load.ceiling.requestsPerSec.toFixed(0)})`,
      `- ${mark(c.p99Ok)} List query p99 ≤ ${GOALS.p99OverCeiling} × the ceiling's: ${c.p99.toFixed(2)}× (median of the paired rounds; medians ${r.load.facade.p99} vs ${r.load.ceiling.p99} ms)`,
      `- ${mark(c.rssOk)} Facade RSS under that load ≤ ${mib(GOALS.rssUnderLoadBytes)}: ${mib(r.load.facade.rssAfter)}`,
    );
  }
  const simple = r.load?.cpu.find((c) => c.target === 'facade' && c.query.startsWith('simple'));
  if (simple) lines.push(`- ${mark(simple.cpuMsPerRequest < GOALS.cpuMsPerSimpleQuery)} Facade CPU < ${GOALS.cpuMsPerSimpleQuery} ms per simple query: ${simple.cpuMsPerRequest.toFixed(3)} ms`);
  if (r.memory) lines.push(`- ${mark(!r.memory.failed && r.memory.growth <= GOALS.memoryGrowth)} RSS flat while paging ${r.memory.sessions.toLocaleString('en')} sessions: ${r.memory.growth.toFixed(2)}×`);
  if (r.soak) {
    const c = soakChecks(r.soak);
    lines.push(
      `- ${mark(c.non200 && c.nonJson)} Soak under upstream faults: every answer HTTP 200 and JSON`,
      `- ${mark(c.errorRate)} Soak: responses with errors as the injected faults predict: ${pct(r.soak.withErrors / r.soak.responses, 3)} vs ${pct(r.soak.expectedRateMeasured, 3)}`,
      `- ${mark(c.rssFlat)} Soak: RSS flat over ${r.soak.options.durationSec} s: ${r.soak.rss.growth.toFixed(2)}×`,
    );
  }
  for (const c of r.crashed) lines.push(`- ❌ Part "${c.part}" crashed: ${c.error}`);
  return ['## Goals', '', ...lines].join('\n');
}

/** The code measured: commit, and whether src/ or simulator/ had uncommitted changes at the time. */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src', 'simulator', 'schema').split('\n').filter(Boolean).length;
    return `commit ${commit}${dirty ? ` with uncommitted changes in ${dirty} file(s) of src/, simulator/ or schema/` : ''}`;
  } catch {
    return 'unknown commit';
  }
}

export function renderReport(r: Report): string {
  const cpu = cpus();
  const sections = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\`${r.settings.mode === 'full' ? '' : ` (${r.settings.mode})`} on ${new Date().toISOString()}. ` +
      `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${mb(totalmem())} RAM, ${platform()} ${release()}, Node ${process.version}. ` +
      `Code: ${codeVersion()}. Total run time ${r.totalSec.toFixed(0)} s.`,
    '',
    goalsSection(r),
  ];
  if (r.corpus) sections.push('', corpusSection(r.corpus, r.settings));
  if (r.pacing) sections.push('', pacingSection(r.pacing));
  if (r.load) sections.push('', loadSection(r.load));
  if (r.memory) sections.push('', memorySection(r.memory));
  if (r.soak) sections.push('', soakSection(r.soak));
  return `${sections.join('\n')}\n`;
}
