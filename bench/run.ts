/**
 * `npm run bench`: how close the facade comes to the cheapest possible way of getting a screen's data
 * out of AMPECO (issue #3). Runs every part, prints progress, and writes bench/RESULTS.md.
 *
 *   npm run bench                         everything (~5-7 min on 2 cores, the soak alone 2 min)
 *   npm run bench -- --quick              fewer runs, shorter load, 20,000 sessions for the memory part
 *   npm run bench -- --parts corpus,load  only some parts (startup, corpus, pacing, load, memory, soak)
 *   npm run bench -- --only session-history,user-page   only some corpus queries
 *   options: --runs N  --latency MS  --in-flight N[,N...]  --rate-limit PER_MIN  --sessions N  --duration SEC  --soak-duration SEC  --no-write
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCorpus } from './part-corpus.js';
import { runLoad } from './part-load.js';
import { runMemory } from './part-memory.js';
import { runPacing } from './part-pacing.js';
import { runSoak } from './part-soak.js';
import { runStartup, startupSection, type StartupResult } from './part-startup.js';
import { renderReport, type Report } from './report.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    parts: { type: 'string' },
    only: { type: 'string' },
    runs: { type: 'string' },
    latency: { type: 'string' },
    'in-flight': { type: 'string' },
    'rate-limit': { type: 'string' },
    sessions: { type: 'string' },
    duration: { type: 'string' },
    'soak-duration': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

const num = (v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`Not a number: ${v}`);
  return n;
};

const quick = args.quick ?? false;
const parts = new Set((args.parts ?? 'startup,corpus,pacing,load,memory,soak').split(',').map((p) => p.trim()));
const settings = {
  mode: quick ? 'quick' : 'full',
  runs: num(args.runs, quick ? 2 : 5),
  latencyMs: num(args.latency, 20),
  // The facade's default (the main table), then a cap no corpus level reaches (query planning alone).
  // The REST client's Pool gets as many connections in each pass.
  inFlight: (args['in-flight'] ?? '32,256').split(',').map((v) => num(v, 32)),
  // Per token and minute. High enough for the corpus traffic (the naive facade makes ~7,000 calls in
  // its minute); pacing under a limit that binds is part 2.
  rateLimitPerMinute: num(args['rate-limit'], 12_000),
};
const log = (line: string): void => console.log(line);

const started = performance.now();
const report: Report = { settings, crashed: [], totalSec: 0 };

async function part(name: string, run: () => Promise<void>): Promise<void> {
  if (!parts.has(name)) return;
  log(`\n▶ ${name}`);
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`✖ part ${name} crashed: ${message}`);
    report.crashed.push({ part: name, error: error instanceof Error ? error.message : String(error) });
  }
}

// Kept beside the Report (report.ts renders the other parts); its section is appended below.
let startup: StartupResult | undefined;
await part('startup', async () => {
  startup = await runStartup({ runs: 3 }, log);
});
await part('corpus', async () => {
  report.corpus = await runCorpus(
    {
      runs: settings.runs,
      latencyMs: settings.latencyMs,
      inFlight: settings.inFlight,
      rateLimitPerMinute: settings.rateLimitPerMinute,
      paceFraction: 0.9,
      only: args.only?.split(',').map((s) => s.trim()),
    },
    log,
  );
});
await part('pacing', async () => {
  report.pacing = await runPacing({ requests: quick ? 100 : 150, latencyMs: settings.latencyMs });
  for (const r of report.pacing.rows) log(`  ${r.facade}: ${r.calls} calls, ${r.rateLimited} × 429, ${r.wallMs.toFixed(0)} ms${r.failed ? `, failed: ${r.failed}` : ''}`);
});
await part('load', async () => {
  report.load = await runLoad(
    { durationSec: num(args.duration, quick ? 2 : 5), cpuRequests: quick ? 300 : 1500, inFlight: settings.inFlight[0]!, rounds: quick ? 1 : 5, connections: 10 },
    log,
  );
});
await part('memory', async () => {
  report.memory = await runMemory({ sessions: num(args.sessions, quick ? 20_000 : 100_000), inFlight: settings.inFlight[0]! }, log);
});
await part('soak', async () => {
  const durationSec = num(args['soak-duration'], quick ? 20 : 120);
  report.soak = await runSoak(
    {
      durationSec,
      connections: 10,
      latencyMs: 5,
      timeoutMs: 500,
      serverErrorRate: 0.05,
      slowRate: 0.01,
      slowDelayMs: 2000,
      warmUpSec: quick ? 3 : 5,
      sampleSec: durationSec <= 30 ? 2 : 5,
    },
    log,
  );
});

report.totalSec = (performance.now() - started) / 1000;
const markdown = startup ? `${renderReport(report)}\n${startupSection(startup)}\n` : renderReport(report);
console.log(`\n${markdown}`);
if (!args['no-write']) {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
  writeFileSync(file, markdown);
  log(`Written to ${file}`);
}
process.exitCode = report.crashed.length ? 1 : 0;
