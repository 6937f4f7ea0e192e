/**
 * The upstream circuit breaker: on its own (with plain async functions as attempts), inside the HTTP client
 * against a real node:http server, and end to end (GraphQL over the simulator with its fault knobs).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure } from './support/upstream-errors.js';
import { loadConfig } from '../src/config.js';
import {
  AmpecoHttpClient,
  CircuitOpenError,
  InProcessBreaker,
  createBreaker,
  type AmpecoHttpClientOptions,
  type BreakerState,
  type Verdict,
} from '../src/datasources/http/index.js';
import { startStack, type Stack } from './support/stack.js';

const TOKEN = 'tok-BREAKER-8d1f0c';
const PATH = '/public-api/resources/evses/v2.1/12';
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An attempt whose outcome the test chooses, judged the way the client judges HTTP answers. */
const judge = (o: { ok: boolean; value?: number; error?: unknown }): Verdict => (o.ok ? ((o.value ?? 200) >= 500 ? 'down' : 'up') : 'down');

describe('InProcessBreaker', () => {
  it('opens after the configured failures in a row, then refuses without running the attempt', async () => {
    const breaker = new InProcessBreaker({ failures: 3, cooldownMs: 60_000 });
    const changes: BreakerState[] = [];
    let rejected = 0;
    breaker.onStateChange((s) => changes.push(s));
    breaker.onRejected(() => rejected++);
    for (let i = 0; i < 3; i++) expect(await breaker.run(() => Promise.resolve(503), judge)).toBe(503);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['open']);
    let ran = false;
    const error = await breaker
      .run(() => {
        ran = true;
        return Promise.resolve(200);
      }, judge)
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).message).toMatch(/paused for 60 s/);
    expect(breaker.retryInMs).toBeGreaterThan(59_000);
    expect(rejected).toBe(1);
  });

  it('counts failures in a row only: an answer in between starts the count again', async () => {
    const breaker = new InProcessBreaker({ failures: 3, cooldownMs: 60_000 });
    for (const status of [503, 503, 404, 503, 503, 200, 503, 503]) await breaker.run(() => Promise.resolve(status), judge);
    expect(breaker.state).toBe('closed');
    await breaker.run(() => Promise.resolve(503), judge);
    expect(breaker.state).toBe('open');
  });

  it('does not count attempts that say nothing about the upstream (judged neutral)', async () => {
    const breaker = new InProcessBreaker({ failures: 2, cooldownMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      await expect(breaker.run(() => Promise.reject(new Error('cancelled')), () => 'neutral')).rejects.toThrow('cancelled');
    }
    expect(breaker.state).toBe('closed');
  });

  it('after the cool-down lets one trial through, fails the others fast meanwhile, and closes on success', async () => {
    const breaker = new InProcessBreaker({ failures: 1, cooldownMs: 150 });
    await breaker.run(() => Promise.resolve(500), judge);
    expect(breaker.state).toBe('open');
    await delay(200);
    expect(breaker.state).toBe('half-open');
    let release!: () => void;
    const trial = breaker.run(() => new Promise<number>((r) => (release = () => r(200))), judge);
    const other = await breaker.run(() => Promise.resolve(200), judge).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(CircuitOpenError);
    expect((other as Error).message).toMatch(/while a trial call checks/);
    release();
    expect(await trial).toBe(200);
    expect(breaker.state).toBe('closed');
    expect(await breaker.run(() => Promise.resolve(201), judge)).toBe(201);
  });

  it('a failed trial opens it again for another cool-down', async () => {
    const breaker = new InProcessBreaker({ failures: 1, cooldownMs: 150 });
    await breaker.run(() => Promise.resolve(500), judge);
    await delay(200);
    await breaker.run(() => Promise.resolve(502), judge);
    expect(breaker.state).toBe('open');
    expect(breaker.retryInMs).toBeGreaterThan(100);
  });

  it('is switched off by failures = 0', () => {
    expect(createBreaker({ failures: 0, cooldownMs: 1000 })).toBeUndefined();
    expect(createBreaker({ failures: 5, cooldownMs: 1000 })?.state).toBe('closed');
  });
});

describe('AmpecoHttpClient with a breaker', () => {
  let server: Server;
  let baseUrl: string;
  let hits = 0;
  let respond: (res: ServerResponse) => void;
  const clients: AmpecoHttpClient[] = [];

  function client(options: Partial<AmpecoHttpClientOptions> & { failures?: number; cooldownMs?: number } = {}): AmpecoHttpClient {
    const { failures = 3, cooldownMs = 60_000, ...rest } = options;
    const c = new AmpecoHttpClient({
      baseUrl,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      breaker: new InProcessBreaker({ failures, cooldownMs }),
      ...rest,
    });
    clients.push(c);
    return c;
  }

  const get = (c: AmpecoHttpClient, signal?: AbortSignal) => c.request({ method: 'GET', path: PATH, token: TOKEN, ...(signal ? { signal } : {}) });
  const status = (code: number) => (res: ServerResponse) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { id: 12 } }));
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      req.resume();
      req.on('end', () => respond(res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    hits = 0;
    respond = status(200);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('5xx answers open it; then calls fail fast with UPSTREAM_UNAVAILABLE and reach nobody', async () => {
    respond = status(503);
    const c = client({ failures: 3, retry: { attempts: 1 } });
    for (let i = 0; i < 3; i++) expect((await failure(get(c))).code).toBe('UPSTREAM_SERVER_ERROR');
    expect(c.breakerState).toBe('open');
    const err = await failure(get(c));
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.message).toMatch(/^AMPECO is unavailable: after repeated failures, calls to it are paused for 60 s\.$/);
    expect(err.extensions.upstream).toEqual({ status: null, method: 'GET', path: PATH });
    expect(err.message).not.toContain(TOKEN);
    // Writes are refused too.
    expect((await failure(c.request({ method: 'POST', path: PATH, body: {}, token: TOKEN }))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(hits).toBe(3);
  });

  it('each retry of a GET counts, and an opened breaker stops the remaining retries', async () => {
    respond = status(502);
    const c = client({ failures: 2, retry: { attempts: 5 } });
    const err = await failure(get(c));
    expect(hits).toBe(2);
    // The refused retry reports the failure the call did meet, not "paused".
    expect(err.code).toBe('UPSTREAM_SERVER_ERROR');
    expect(err.extensions.upstream).toMatchObject({ status: 502 });
    expect((await failure(get(c))).message).toMatch(/paused/);
    expect(hits).toBe(2);
  });

  it('4xx and 429 answers mean AMPECO is up: they never open it', async () => {
    const c = client({ failures: 2, retry: { attempts: 1 } });
    for (const code of [404, 401, 422, 429, 409, 404]) {
      respond = status(code);
      await failure(get(c));
    }
    expect(hits).toBe(6);
    expect(c.breakerState).toBe('closed');
  });

  it('timeouts count as failures', async () => {
    respond = () => undefined; // never answers
    const c = client({ failures: 2, timeoutMs: 100, retry: { attempts: 1 } });
    expect((await failure(get(c))).code).toBe('UPSTREAM_TIMEOUT');
    expect((await failure(get(c))).code).toBe('UPSTREAM_TIMEOUT');
    expect(c.breakerState).toBe('open');
    expect((await failure(get(c))).message).toMatch(/paused/);
    server.closeAllConnections();
  });

  it('connection failures count as failures', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = client({ baseUrl: `http://127.0.0.1:${port}`, failures: 3, retry: { attempts: 3 } });
    expect((await failure(get(c))).message).toMatch(/refused/);
    expect(c.breakerState).toBe('open');
    expect((await failure(get(c))).message).toMatch(/paused/);
  });

  it('calls the caller cancels do not count', async () => {
    respond = () => undefined;
    const c = client({ failures: 1, retry: { attempts: 1 } });
    await expect(get(c, AbortSignal.timeout(50))).rejects.toThrow();
    await expect(get(c, AbortSignal.timeout(50))).rejects.toThrow();
    expect(c.breakerState).toBe('closed');
    server.closeAllConnections();
  });

  it('after the cool-down one call probes AMPECO; its success closes the breaker', async () => {
    respond = status(500);
    const c = client({ failures: 2, cooldownMs: 150, retry: { attempts: 1 } });
    await failure(get(c));
    await failure(get(c));
    expect(c.breakerState).toBe('open');
    respond = status(200);
    await delay(200);
    expect((await get(c)).status).toBe(200);
    expect(c.breakerState).toBe('closed');
    expect(hits).toBe(3);
  });

  it('without a breaker nothing is paused', async () => {
    respond = status(503);
    const c = new AmpecoHttpClient({ baseUrl, retry: { attempts: 1 } });
    clients.push(c);
    for (let i = 0; i < 12; i++) expect((await failure(get(c))).code).toBe('UPSTREAM_SERVER_ERROR');
    expect(hits).toBe(12);
    expect(c.breakerState).toBeUndefined();
  });
});

describe('breaker end to end (GraphQL over the simulator)', () => {
  let stack: Stack;
  beforeAll(async () => {
    const base = loadConfig({});
    stack = await startStack({
      config: { observability: { ...base.observability, breaker: { failures: 3, cooldownMs: 400 } } },
    });
  });
  afterEach(() => {
    stack.sim.setKnobs({ faults: [] });
    stack.sim.clearLog();
  });
  afterAll(() => stack?.close());

  it('AMPECO down: the breaker opens, queries fail fast without upstream calls, /ready says so; it recovers', async () => {
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 503 }] });
    // One query: a GET with its retries (3 attempts) opens the breaker.
    const first = await stack.gql(`{ chargePoint(id: "1") { id } }`);
    expect(first.errors?.[0]?.extensions?.code).toBe('UPSTREAM_SERVER_ERROR');
    expect(stack.server.http.breakerState).toBe('open');
    stack.sim.clearLog();

    const paused = await stack.gql(`{ chargePoint(id: "2") { id } locations(first: 2) { nodes { id } } }`);
    expect(stack.upstreamCalls()).toBe(0);
    expect(paused.errors?.length).toBeGreaterThan(0);
    for (const e of paused.errors!) {
      expect(e.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(e.message).toMatch(/calls to it are paused for \d+ s/);
    }
    const ready = await fetch(`${stack.server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'upstream calls paused after repeated failures', breaker: 'open' });
    expect(stack.upstreamCalls()).toBe(0);

    // AMPECO is back; after the cool-down the next call is the trial and closes the breaker.
    stack.sim.setKnobs({ faults: [] });
    await delay(450);
    const back = await stack.gql(`{ chargePoint(id: "2") { id } }`);
    expect(back.errors).toBeUndefined();
    expect(back.data).toEqual({ chargePoint: { id: '2' } });
    expect(stack.server.http.breakerState).toBe('closed');
    const readyAgain = await fetch(`${stack.server.url}/ready`);
    expect(await readyAgain.json()).toEqual({ status: 'ready', breaker: 'closed' });
  });
});
