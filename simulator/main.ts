/** `npm run simulator`: PORT (default 4010), HOST, SEED and SIZE_<KEY> (e.g. SIZE_SESSIONS=100000) from the environment. */
import { DEFAULT_TOKEN, startSimulator } from './index.js';

const size: Record<string, number> = {};
for (const [name, value] of Object.entries(process.env)) {
  const m = /^SIZE_([A-Z_]+)$/.exec(name);
  if (m?.[1] && value) size[m[1].toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = Number(value);
}

const started = performance.now();
const sim = await startSimulator({
  port: process.env.PORT ? Number(process.env.PORT) : 4010,
  host: process.env.HOST ?? '127.0.0.1',
  seed: process.env.SEED ? Number(process.env.SEED) : undefined,
  size,
  tokens: process.env.SIM_TOKENS ? process.env.SIM_TOKENS.split(',') : undefined,
});
const counts = Object.entries(sim.store.counts()).map(([k, v]) => `${k} ${v}`).join(', ');
console.log(`AMPECO simulator listening on ${sim.url} (seeded in ${Math.round(performance.now() - started)} ms: ${counts})`);
console.log(`Authorization: Bearer ${process.env.SIM_TOKENS?.split(',')[0] ?? DEFAULT_TOKEN}`);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
