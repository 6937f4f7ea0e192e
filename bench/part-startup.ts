/**
 * Part 7 (run first: nothing else loads the machine then): start-up. How long a fresh facade process takes from spawn to its first GraphQL answer, and its
 * RSS once idle, run as in production: `npm start`'s command on the build in dist/, in front of a configured
 * tenant (the simulator in a process of its own, AMPECO_BASE_URL pointing at it), in pass-through mode.
 * The same through tsx shows what the build saves. Each variant is started `runs` times; medians are reported.
 *
 * "First answer" is the first `POST /graphql` (polled every 10 ms from spawn) answering 200 with data: the
 * server listening, plus the first query's parse, validation, planning and upstream call. "Listening" is
 * when the process printed its endpoint. CPU time (user + system) is read from /proc at the first answer:
 * on a shared machine wall time also counts the waits for other processes, CPU time hardly. RSS is read
 * after the first answer and 2 s idle. Both are summed over the process and its children (the tsx CLI
 * runs the program in a child node process).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Child } from './child/ipc.js';
import { freePort, npmStartArgs, treeUsage } from './child/process.js';
import { buildServers } from './part-load.js';
import { SEED } from './part-corpus.js';
import { mark, mb, median, ms, table } from './stats.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'bench-startup';
const QUERY = '{ chargePoints(first: 1) { nodes { id } } }';
const IDLE_MS = 2_000;
const GIVE_UP_MS = 60_000;

/** The budgets, for the built facade (`npm start`). */
export const STARTUP_GOALS = { firstAnswerMs: 2_000, firstAnswerLaterMs: 1_000, idleRssBytes: 130 * 1024 * 1024 } as const;

interface Variant {
  name: string;
  /** Shown in the report. */
  command: string;
  args: string[];
  /** Environment besides the facade's (the ceiling's upstream). */
  env?: (baseUrl: string) => Record<string, string>;
}

const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const VARIANTS: Variant[] = [
  { name: 'built (npm start)', command: `node ${npmStartArgs(root).join(' ')}`, args: npmStartArgs(root) },
  // What stack traces mapped to the TypeScript would cost, were npm start to ask for them.
  { name: 'built, source-mapped traces', command: `node --enable-source-maps ${npmStartArgs(root).join(' ')}`, args: ['--enable-source-maps', ...npmStartArgs(root)] },
  { name: 'tsx loader', command: 'node --import tsx src/main.ts', args: ['--import', 'tsx', 'src/main.ts'] },
  { name: 'tsx CLI (the former npm start)', command: 'tsx src/main.ts', args: [tsxCli, 'src/main.ts'] },
  // For scale: what the stack itself takes to start (the load part's ceiling, one listing call per query).
  {
    name: 'ceiling: bare Apollo Server 5',
    command: 'node dist/bench/child/ceiling-server.js',
    args: ['dist/bench/child/ceiling-server.js'],
    env: (baseUrl) => ({ UPSTREAM_URL: baseUrl, UPSTREAM_PATH: '/public-api/resources/charge-points/v2.0?cursor=&per_page=20' }),
  },
];

export interface StartupRun {
  listeningMs: number;
  firstAnswerMs: number;
  /** CPU time of the process (and children) when the first answer came. */
  cpuMs: number;
  rss: number;
}

export interface StartupRow {
  variant: string;
  command: string;
  runs: StartupRun[];
  failed?: string;
}

export interface StartupResult {
  buildMs: number;
  rows: StartupRow[];
}

/** The environment of a production start against a tenant: ours without anything that configures the facade. */
function facadeEnv(baseUrl: string, port: number): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AMPECO_|FACADE_|OTEL_|NODE_OPTIONS$|PORT$|HOST$|LOG_LEVEL$)/.test(k)));
  return { ...env, NODE_ENV: 'production', AMPECO_BASE_URL: baseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ query: QUERY }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await res.json()) as { data?: { chargePoints?: { nodes?: unknown[] } } };
    return res.status === 200 && (body.data?.chargePoints?.nodes?.length ?? 0) > 0;
  } catch {
    return false; // not listening yet
  }
}

async function startOnce(variant: Variant, baseUrl: string): Promise<StartupRun> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const spawned = performance.now();
  const child = spawn(process.execPath, variant.args, { cwd: root, env: { ...facadeEnv(baseUrl, port), ...variant.env?.(baseUrl) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let listeningMs = NaN;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (Number.isNaN(listeningMs) && output.includes('GraphQL endpoint:')) listeningMs = performance.now() - spawned;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  try {
    let firstAnswerMs = NaN;
    while (Number.isNaN(firstAnswerMs)) {
      if (ended) throw new Error(`exited before answering: ${output.slice(-500)}`);
      if (performance.now() - spawned > GIVE_UP_MS) throw new Error(`no answer within ${GIVE_UP_MS} ms: ${output.slice(-500)}`);
      if (await answers(url)) firstAnswerMs = performance.now() - spawned;
      else await sleep(10);
    }
    const { cpuMs } = treeUsage(child.pid!);
    await sleep(IDLE_MS);
    return { listeningMs, firstAnswerMs, cpuMs, rss: treeUsage(child.pid!).rss };
  } finally {
    if (!ended) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

export async function runStartup(options: { runs: number }, progress: (line: string) => void): Promise<StartupResult> {
  const buildStarted = performance.now();
  await buildServers();
  const buildMs = performance.now() - buildStarted;
  progress(`  npm run build: ${buildMs.toFixed(0)} ms`);
  const sim = await Child.start('sim-process.ts', { seed: SEED, tokens: [TOKEN], knobs: { latencyMs: 0, rateLimit: null } });
  const rows: StartupRow[] = VARIANTS.map((v) => ({ variant: v.name, command: v.command, runs: [] }));
  try {
    // Variants take turns, so a drift of the machine's load spreads over all of them.
    for (let i = 0; i < options.runs; i++) {
      for (const [k, variant] of VARIANTS.entries()) {
        const row = rows[k]!;
        if (row.failed) continue;
        try {
          const run = await startOnce(variant, sim.url);
          row.runs.push(run);
          progress(`  ${variant.name}: first answer ${run.firstAnswerMs.toFixed(0)} ms (${run.cpuMs.toFixed(0)} ms CPU), idle RSS ${mb(run.rss)}`);
        } catch (error) {
          row.failed = error instanceof Error ? error.message : String(error);
          progress(`  ${variant.name}: failed: ${row.failed}`);
        }
      }
    }
  } finally {
    await sim.stop();
  }
  return { buildMs, rows };
}

const medianOf = (row: StartupRow, pick: (r: StartupRun) => number): number => median(row.runs.map(pick));

/** Does the built facade (the first row, `npm start`'s command) meet the budgets? */
export function startupChecks(r: StartupResult): { firstAnswerMs: number; rss: number; firstAnswerOk: boolean; rssOk: boolean } {
  const built = r.rows[0]!;
  const firstAnswerMs = built.failed ? NaN : medianOf(built, (x) => x.firstAnswerMs);
  const rss = built.failed ? NaN : medianOf(built, (x) => x.rss);
  return { firstAnswerMs, rss, firstAnswerOk: firstAnswerMs <= STARTUP_GOALS.firstAnswerMs, rssOk: rss <= STARTUP_GOALS.idleRssBytes };
}

export function startupSection(r: StartupResult): string {
  const c = startupChecks(r);
  const runs = Math.max(...r.rows.map((row) => row.runs.length));
  const range = (row: StartupRow, pick: (x: StartupRun) => number, fmt: (v: number) => string): string =>
    row.runs.length ? `${fmt(medianOf(row, pick))} (${fmt(Math.min(...row.runs.map(pick)))}–${fmt(Math.max(...row.runs.map(pick)))})` : '–';
  return [
    '## 7. Start-up: spawn to first answer, idle memory',
    '',
    `Each command started ${runs} times in front of the simulator in its own process (\`AMPECO_BASE_URL\` set, \`NODE_ENV=production\`, ` +
      `pass-through mode), \`POST /graphql\` \`${QUERY}\` polled every 10 ms from spawn; CPU time (user + system) at the first answer ` +
      `and RSS after it and ${IDLE_MS / 1000} s idle, of the process and its children, from /proc. Median (min–max). ` +
      `\`npm run build\` (esbuild, per file) took ${ms(r.buildMs)} ms.`,
    '',
    table(
      ['command', 'printed its endpoint, ms', 'first answer, ms', 'CPU time to first answer, ms', 'idle RSS, MiB'],
      r.rows.map((row) =>
        row.failed
          ? [`\`${row.command}\` (${row.variant})`, 'FAIL', row.failed.slice(0, 120), '', '']
          : [
              `\`${row.command}\` (${row.variant})`,
              range(row, (x) => x.listeningMs, (v) => ms(v)),
              range(row, (x) => x.firstAnswerMs, (v) => ms(v)),
              range(row, (x) => x.cpuMs, (v) => ms(v)),
              range(row, (x) => x.rss / 1048576, (v) => v.toFixed(1)),
            ],
      ),
    ),
    '',
    `- ${mark(c.firstAnswerOk)} \`npm start\`: first answer ${ms(c.firstAnswerMs)} ms (budget ≤ ${STARTUP_GOALS.firstAnswerMs} ms; later goal ≤ ${STARTUP_GOALS.firstAnswerLaterMs} ms ${mark(c.firstAnswerMs <= STARTUP_GOALS.firstAnswerLaterMs)})`,
    `- ${mark(c.rssOk)} \`npm start\`: idle RSS ${(c.rss / 1048576).toFixed(1)} MiB (budget ≤ ${STARTUP_GOALS.idleRssBytes / 1048576} MiB)`,
  ].join('\n');
}
