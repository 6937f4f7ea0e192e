/**
 * A CPU profile of the built facade under the load part's list query (or another), for finding what a
 * request pays for: the same replay upstream and production start as the load part, `node --cpu-prof`,
 * autocannon for a while, then the functions with the most self time, and by package.
 *
 *   npx tsx bench/profile.ts [--seconds 10] [--query list|simple|nested] [--connections 10] [--top 40] [--ceiling]
 *
 * The .cpuprofile is left in /tmp (printed) for Chrome DevTools or speedscope.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildSchema } from '../src/server.js';
import { Child } from './child/ipc.js';
import { freePort, npmStartArgs, spawnServer } from './child/process.js';
import { loadCorpus } from './corpus.js';
import { SEED } from './part-corpus.js';
import { buildServers, LIST_QUERY, SIMPLE_QUERY } from './part-load.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    query: { type: 'string', default: 'list' },
    connections: { type: 'string', default: '10' },
    top: { type: 'string', default: '40' },
    ceiling: { type: 'boolean', default: false },
  },
});
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'bench-profile';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const nested = loadCorpus(buildSchema(), ['charge-point-detail'])[0]!;
const body = JSON.stringify(
  args.query === 'simple' ? { query: SIMPLE_QUERY, variables: { id: '7' } } : args.query === 'nested' ? { query: nested.text, variables: nested.variables } : { query: LIST_QUERY },
);
await buildServers();
const sim = await Child.start('sim-process.ts', { seed: SEED, tokens: [TOKEN], knobs: { latencyMs: 0, rateLimit: null } });
const replay = await Child.start('replay-process.ts', { target: sim.url });
const dir = mkdtempSync(join(tmpdir(), 'facade-profile-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AMPECO_|FACADE_|OTEL_|NODE_OPTIONS$|PORT$|HOST$|LOG_LEVEL$)/.test(k)));
const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
let requests = 0;
try {
  // The ceiling needs the facade's upstream path: one facade request records it.
  const plain = await spawnServer(npmStartArgs(root), { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(await freePort()), AMPECO_BASE_URL: replay.url }, root);
  await fetch(plain.url, { method: 'POST', headers, body: JSON.stringify({ query: LIST_QUERY }) });
  await plain.stop();
  const upstreamPath = (await replay.call<string[]>('recorded'))[0]!.replace(/^GET /, '');
  const server = await spawnServer(
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...(args.ceiling ? ['dist/bench/child/ceiling-server.js'] : npmStartArgs(root))],
    { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(await freePort()), AMPECO_BASE_URL: replay.url, UPSTREAM_URL: replay.url, UPSTREAM_PATH: upstreamPath },
    root,
  );
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url: server.url, method: 'POST', connections: Number(args.connections), duration: Number(args.seconds), headers, body }, (err: Error | null, r) => (err ? reject(err) : resolve(r))),
  );
  requests = result.requests.total;
  console.log(`${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, RSS ${(server.usage().rss / 1048576).toFixed(0)} MiB`);
  await server.stop();
} finally {
  await replay.stop();
  await sim.stop();
}

const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fnKey = (n: ProfileNode): string => {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(root, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
};
const pkgOf = (n: ProfileNode): string => {
  const url = n.callFrame.url;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.includes('/dist/src/')) return `facade:${url.split('/dist/src/')[1]!.split('/')[0]}`;
  if (url.startsWith('node:')) return url;
  return url ? 'other' : `(${n.callFrame.functionName || 'native'})`;
};
const sum = (key: (n: ProfileNode) => string): [string, number][] => {
  const out = new Map<string, number>();
  for (const [id, t] of self) {
    const k = key(byId.get(id)!);
    out.set(k, (out.get(k) ?? 0) + t);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
};
/** Share of the samples, and microseconds per request (timeDeltas are in microseconds). */
const pct = (t: number): string => `${((t / total) * 100).toFixed(1).padStart(5)} % ${(t / Math.max(1, requests)).toFixed(1).padStart(6)} µs/req`;
console.log(`\nprofile: ${join(dir, file)}\n\nself time by package:`);
for (const [k, t] of sum(pkgOf).slice(0, 25)) console.log(`${pct(t)}  ${k}`);
console.log('\nself time by function:');
for (const [k, t] of sum(fnKey).slice(0, Number(args.top))) console.log(`${pct(t)}  ${k}`);

// Inclusive time: a frame's own samples and those below it (synchronous stacks only: an await's
// continuation starts a new stack), counted once per function even when it recurses.
const inclusive = new Map<string, number>();
const walk = (id: number, open: Set<string>): number => {
  const node = byId.get(id)!;
  let t = self.get(id) ?? 0;
  const key = fnKey(node);
  const first = !open.has(key);
  if (first) open.add(key);
  for (const child of node.children ?? []) t += walk(child, open);
  if (first) {
    open.delete(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + t);
  }
  return t;
};
walk(profile.nodes[0]!.id, new Set());
console.log('\ninclusive time by function (facade code and packages, not node internals):');
for (const [k, t] of [...inclusive].filter(([k]) => k.includes('/dist/') || k.includes('node_modules')).sort((a, b) => b[1] - a[1]).slice(0, Number(args.top)))
  console.log(`${pct(t)}  ${k}`);
