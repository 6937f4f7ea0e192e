/**
 * An AMPECO.CHARGE Public API tenant in a process: the default upstream of `npm start` without a
 * configured tenant, and the upstream of every test and benchmark. Routes, validation, filters,
 * includes and pagination come from the derived definitions (src/__generated__/graph.json).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contract as generatedContract } from './contract.js';
import { actions as definedActions, resources as definedResources, views as definedViews } from '../src/definitions/graph.js';
import { buildModel } from './model.js';
import { Rng } from './prng.js';
import type { Runtime } from './handlers.js';
import { Router } from './router.js';
import { seedStore } from './seed.js';
import { createHandler, type ServerState } from './server.js';
import { SimulatorStore } from './store.js';
import type { Knobs, Simulator, SimulatorOptions } from './types.js';

export type { Fault, FaultMatch, Knobs, RequestLogEntry, SimRecord, Simulator, SimulatorOptions, SizeKey } from './types.js';
export { SimulatorStore, type KnownRecords } from './store.js';
export { validate, issuesToErrors, type ValidationIssue, type ValidateOptions } from './validate.js';

export const DEFAULT_TOKEN = 'sim-token';
export const DEFAULT_SEED = 42;
/** The seeded data's "now": fixed, so that a seed yields the same data on any day. */
export const DEFAULT_EPOCH = '2026-06-01T00:00:00.000Z';

export const DEFAULT_KNOBS: Knobs = { latencyMs: 0, latencyJitterMs: 0, rateLimit: null, faults: [] };

/** Builds and seeds the store without a server (benchmarks that only need the data). */
export function createStore(options: Pick<SimulatorOptions, 'seed' | 'size' | 'epoch' | 'contract' | 'definitions'> = {}): { store: SimulatorStore; runtime: Runtime } {
  const model = buildModel(
    options.contract ?? generatedContract,
    options.definitions?.resources ?? definedResources,
    options.definitions?.actions ?? definedActions,
    options.definitions?.views ?? definedViews,
  );
  const seed = options.seed ?? DEFAULT_SEED;
  const epochMs = Date.parse(options.epoch ?? DEFAULT_EPOCH);
  if (Number.isNaN(epochMs)) throw new Error(`Invalid epoch ${options.epoch}`);
  const store = new SimulatorStore(model);
  seedStore(store, model, { seed, size: options.size ?? {}, epochMs });
  return { store, runtime: { model, store, seed, epochMs, rng: Rng.derive(seed, 'runtime') } };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { store, runtime } = createStore(options);
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs, faults: [...(options.knobs?.faults ?? [])] };
  const state: ServerState = {
    rt: runtime,
    router: new Router(runtime.model),
    tokens: new Set(options.tokens ?? [DEFAULT_TOKEN]),
    knobs,
    log: [],
    logLimit: options.logLimit ?? 100_000,
    windows: new Map(),
    jitter: Rng.derive(runtime.seed, 'jitter'),
  };
  const handler = createHandler(state);
  const server = createServer((req, res) => void handler(req, res));
  // Longer than clients' idle pools, so that keep-alive sockets are not cut under them.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    store,
    log: state.log,
    clearLog() {
      state.log.length = 0;
    },
    get knobs() {
      return state.knobs;
    },
    setKnobs(k) {
      if (k.rateLimit !== undefined) state.windows.clear();
      Object.assign(state.knobs, k);
      if (k.faults) state.knobs.faults = [...k.faults];
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
