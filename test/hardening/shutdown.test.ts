/**
 * SIGTERM, as a process manager or a load balancer's rolling deploy sends it: the facade (the real
 * `src/main.ts` in a child process, in front of a simulator) lets in-flight requests finish, does
 * not wait on idle keep-alive connections, and exits by the grace period whatever is still open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { TOKEN } from '../support/stack.js';

const root = join(import.meta.dirname, '..', '..');

interface Facade {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; at: number }>;
}

async function startFacade(upstream: string, graceMs: number): Promise<Facade> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: { ...process.env, AMPECO_BASE_URL: upstream, AMPECO_API_TOKEN: '', PORT: '0', HOST: '127.0.0.1', FACADE_SHUTDOWN_GRACE_MS: String(graceMs), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: performance.now() })));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`facade did not start: ${out}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /GraphQL endpoint: (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`facade exited before it started: ${out}`)));
  });
  return { child, url, exited };
}

/** A GraphQL POST over a given agent (keep-alive or not), resolved with the status and body. */
function post(url: string, query: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

let sim: Simulator;
let facade: Facade | undefined;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 7, size: { locations: 2, chargePoints: 4, evses: 4, connectors: 4, users: 4, sessions: 4 } });
});
afterEach(() => {
  facade?.child.kill('SIGKILL');
  facade = undefined;
  sim.setKnobs({ latencyMs: 0 });
});
afterAll(() => sim?.close());

describe('SIGTERM', () => {
  it('with only an idle keep-alive connection open: exits at once, cleanly', async () => {
    facade = await startFacade(sim.url, 10_000);
    const agent = new Agent({ keepAlive: true });
    const first = await post(facade.url, '{ contractVersion }', agent);
    expect(first.status).toBe(200);
    const sent = performance.now();
    facade.child.kill('SIGTERM');
    const { code, at } = await facade.exited;
    expect(code).toBe(0);
    // Far below the 10 s grace: the idle socket was closed, not waited for.
    expect(at - sent).toBeLessThan(5_000);
    agent.destroy();
  });

  it('lets a request in flight finish with its data, then exits', async () => {
    facade = await startFacade(sim.url, 10_000);
    sim.setKnobs({ latencyMs: 1_000 });
    const cp = sim.store.list('ChargePoint')[0]!;
    const inFlight = post(facade.url, `{ chargePoint(id: "${cp.id}") { id name } }`, new Agent({ keepAlive: true }));
    await new Promise((r) => setTimeout(r, 300));
    facade.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { chargePoint: { id: String(cp.id), name: cp.name } } });
    expect((await facade.exited).code).toBe(0);
  });

  it('does not outlive the grace period when an upstream call hangs', async () => {
    facade = await startFacade(sim.url, 500);
    sim.setKnobs({ latencyMs: 20_000 });
    const cp = sim.store.list('ChargePoint')[0]!;
    const hanging = post(facade.url, `{ chargePoint(id: "${cp.id}") { id name } }`, new Agent()).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const sent = performance.now();
    facade.child.kill('SIGTERM');
    const { at } = await facade.exited;
    // Grace 0.5 s plus the one-second backstop, with a wide margin; far from the 20 s the upstream takes.
    expect(at - sent).toBeLessThan(6_000);
    await hanging;
  });
});
