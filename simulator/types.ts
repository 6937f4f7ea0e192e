import type { Contract } from '../src/definitions/contract-model.js';
import type { ActionDefinition, ResourceDefinition, ViewDefinition } from '../src/definitions/model.js';
import type { SimulatorStore } from './store.js';

export type FaultMatch = { method?: string; pathIncludes?: string };

/**
 * `times` counts down on every request the fault applies to; the fault is removed when it reaches 0. Absent = forever.
 * `rate` in [0, 1]: the fraction of matching requests the fault applies to, drawn from the simulator's seeded
 * PRNG (the same seed and request order give the same hits); a request it spares goes on to the next fault.
 * Absent = every matching request.
 */
export type Fault =
  | { match?: FaultMatch; kind: 'status'; status: number; times?: number; rate?: number }
  | { match?: FaultMatch; kind: 'slow'; delayMs: number; times?: number; rate?: number }
  | { match?: FaultMatch; kind: 'drop'; times?: number; rate?: number };

export interface Knobs {
  /** Added to every response. */
  latencyMs: number;
  /** Uniform extra latency in [0, latencyJitterMs). */
  latencyJitterMs: number;
  /** Fixed window per bearer token; null = unlimited. */
  rateLimit: { limit: number; windowMs: number } | null;
  /** Checked in order, before authentication and routing; the first match applies. */
  faults: Fault[];
}

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string without the leading `?` ('' when none). */
  query: string;
  /** The request's Content-Type header, when sent. */
  contentType?: string;
  /** Raw request body as received, when there was one (contract tests check what the facade sent). */
  body?: string;
  /** 0 while in flight, and for dropped connections. */
  status: number;
  /** Arrival time, ms since the epoch. */
  timestamp: number;
  durationMs: number;
  authPresent: boolean;
  /** The injected fault that applied to this request, if any. */
  fault?: Fault['kind'];
}

export type SizeKey = 'locations' | 'chargingZones' | 'chargePoints' | 'evses' | 'connectors' | 'users' | 'sessions';

export interface SimulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  seed?: number;
  /**
   * Record counts by resource, keyed `lcfirst(TypeName) + 's'`. Charging zones default to 1-3 per
   * location; resources added later default to 20.
   */
  size?: Partial<Record<SizeKey, number>> & Record<string, number | undefined>;
  /** Accepted bearer tokens; default ['sim-token']. */
  tokens?: string[];
  knobs?: Partial<Knobs>;
  /** Reference "now" of the seeded data (ISO date-time); fixed so that a seed always yields the same data. */
  epoch?: string;
  /** Most recent request log entries kept (older ones are dropped in chunks); default 100,000. */
  logLimit?: number;
  /** Override the generated contract or the hand-kept definitions (tests of hooks for operations not yet defined). */
  contract?: Contract;
  definitions?: { resources?: ResourceDefinition[]; actions?: ActionDefinition[]; views?: ViewDefinition[] };
}

export interface Simulator {
  /** Origin, e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
  store: SimulatorStore;
  /** Every request received, in arrival order. */
  log: RequestLogEntry[];
  clearLog(): void;
  setKnobs(k: Partial<Knobs>): void;
  readonly knobs: Knobs;
  close(): Promise<void>;
}

/** A record as AMPECO returns it (JSON). */
export type SimRecord = Record<string, unknown>;
