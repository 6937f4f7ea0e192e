/**
 * Runs every test of the given files alone (one vitest process per test), to find tests that only
 * pass thanks to state an earlier test left behind.
 *
 *   npx tsx scripts/each-test-alone.ts [--jobs N] [--grep TEXT] [files...]
 *
 * Without files, the suites named below. Tests are listed with `vitest list --json`; each one is run
 * with `-t` anchored to its full name, and the JSON report must show that exact test, and no other,
 * ran and passed (a filter that selected nothing or too much is reported, not taken as a pass).
 * Exits 1 when any test failed alone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** vitest filters are substrings of paths: the trailing slashes keep test/graphiql.*.test.ts out. */
const DEFAULT_FILES = ['test/graph/', 'test/simulator/', 'test/federation.test.ts', 'test/http-client.test.ts', 'test/schema.test.ts', 'test/generated.test.ts'];
const VITEST = join(process.cwd(), 'node_modules', '.bin', 'vitest');
/** One test, its file's stack included: generous, since a hung run is itself a finding. */
const RUN_TIMEOUT_MS = 180_000;

interface Listed {
  name: string;
  file: string;
}

interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';
  failureMessages: string[];
}

interface JsonReport {
  testResults: { name: string; message?: string; status: string; assertionResults: AssertionResult[] }[];
}

interface Outcome {
  test: Listed;
  ok: boolean;
  ms: number;
  /** Why it is not a pass: the failure messages, or what the report showed instead. */
  detail: string;
}

function parseArgs(argv: string[]): { jobs: number; grep: string | undefined; files: string[] } {
  let jobs = 1;
  let grep: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--jobs' || arg === '-j') jobs = Number(argv[++i]);
    else if (arg === '--grep') grep = argv[++i];
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error('--jobs takes a positive integer');
  return { jobs, grep, files: files.length ? files : DEFAULT_FILES };
}

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(VITEST, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `vitest list` joins the describe chain with " > "; `-t` matches the chain joined with " ". A " > "
 * inside a title is matched either way, and the report check below catches what the pattern let through.
 */
const namePattern = (name: string) => `^${name.split(' > ').map(escapeRegExp).join('(?: | > )')}$`;

async function list(files: string[], dir: string): Promise<Listed[]> {
  const out = join(dir, 'list.json');
  // `--json=<file>`: a bare `--json` would take the next argument as its output file.
  const res = await run(['list', `--json=${out}`, ...files], RUN_TIMEOUT_MS);
  if (res.code !== 0) throw new Error(`vitest list failed (${res.code}):\n${res.output}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Listed[];
}

async function runAlone(test: Listed, dir: string, index: number): Promise<Outcome> {
  const out = join(dir, `run-${index}.json`);
  const started = performance.now();
  const file = relative(process.cwd(), test.file);
  const res = await run(['run', file, '-t', namePattern(test.name), '--reporter=json', `--outputFile=${out}`], RUN_TIMEOUT_MS);
  const ms = performance.now() - started;
  if (res.timedOut) return { test, ok: false, ms, detail: `no result within ${RUN_TIMEOUT_MS} ms (a hang)` };
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  } catch {
    return { test, ok: false, ms, detail: `no JSON report (exit ${res.code}):\n${res.output.slice(-2_000)}` };
  }
  const results = report.testResults.flatMap((f) => f.assertionResults);
  const ran = results.filter((r) => r.status === 'passed' || r.status === 'failed');
  const mine = ran.filter((r) => [...r.ancestorTitles, r.title].join(' > ') === test.name);
  const fileMessages = report.testResults.map((f) => f.message).filter((m): m is string => Boolean(m));
  if (ran.length !== 1 || mine.length !== 1) {
    const names = ran.map((r) => [...r.ancestorTitles, r.title].join(' > '));
    return { test, ok: false, ms, detail: `the filter ran ${ran.length} test(s) instead of this one: ${JSON.stringify(names)}${fileMessages.length ? `\n${fileMessages.join('\n')}` : ''}` };
  }
  const result = mine[0]!;
  if (result.status === 'passed' && res.code === 0) return { test, ok: true, ms, detail: '' };
  const messages = [...result.failureMessages, ...fileMessages];
  return { test, ok: false, ms, detail: messages.length ? messages.join('\n') : `exit ${res.code}:\n${res.output.slice(-2_000)}` };
}

/** The first lines of a failure: enough to see which expectation broke. */
const brief = (detail: string) => detail.split('\n').filter((l) => l.trim()).slice(0, 8).map((l) => `      ${l.slice(0, 300)}`).join('\n');

async function main(): Promise<void> {
  const { jobs, grep, files } = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'each-test-alone-'));
  try {
    let tests = await list(files, dir);
    if (grep) tests = tests.filter((t) => t.name.includes(grep));
    const seen = new Map<string, number>();
    for (const t of tests) seen.set(`${t.file}\0${t.name}`, (seen.get(`${t.file}\0${t.name}`) ?? 0) + 1);
    console.log(`${tests.length} tests in ${new Set(tests.map((t) => t.file)).size} files, ${jobs} at a time`);

    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < tests.length) {
        const index = next++;
        const test = tests[index]!;
        const outcome = (seen.get(`${test.file}\0${test.name}`) ?? 0) > 1
          ? { test, ok: false, ms: 0, detail: 'several tests of this file have this name: it cannot be run alone by name' }
          : await runAlone(test, dir, index);
        outcomes.push(outcome);
        const where = `${relative(process.cwd(), test.file)} > ${test.name}`;
        console.log(`${outcome.ok ? 'pass' : 'FAIL'} ${(outcome.ms / 1000).toFixed(1).padStart(5)}s  ${where}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, tests.length) }, worker));

    const failed = outcomes.filter((o) => !o.ok);
    console.log(`\n${outcomes.length - failed.length} passed alone, ${failed.length} failed alone`);
    for (const o of failed) console.log(`\n  ${relative(process.cwd(), o.test.file)} > ${o.test.name}\n${brief(o.detail)}`);
    process.exitCode = failed.length ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
