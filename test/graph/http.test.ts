/**
 * The facade's HTTP surface besides POST /graphql: probes, GET queries under Apollo's CSRF rules,
 * and GraphiQL for browsers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../support/graph.js';
import { startStack, TOKEN, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const url = (path: string) => `${stack.server.url}${path}`;

describe('probes', () => {
  it('GET /health is 200 and touches no upstream', async () => {
    stack.sim.clearLog();
    const res = await fetch(url('/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(stack.sim.log).toHaveLength(0);
  });

  it('GET /ready is 200 when AMPECO answers', async () => {
    stack.sim.clearLog();
    const res = await fetch(url('/ready'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
    // One cheap listing call without a token: any HTTP answer, AMPECO's 401 included, means it is up.
    expect(stack.sim.log.map(({ method, path, query, status }) => ({ method, path, query, status }))).toEqual([{ method: 'GET', path: P.locations, query: 'per_page=1', status: 401 }]);
  });

  it('GET /ready is 503 when AMPECO is gone, while /health stays 200', async () => {
    const lonely = await startStack();
    try {
      expect((await fetch(`${lonely.server.url}/ready`)).status).toBe(200);
      await lonely.sim.close();
      const ready = await fetch(`${lonely.server.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'upstream unreachable' });
      expect((await fetch(`${lonely.server.url}/health`)).status).toBe(200);
    } finally {
      await lonely.server.close();
    }
  });
});

describe('GET /graphql', () => {
  const query = encodeURIComponent('{ contractVersion }');

  it('answers a query with the apollo-require-preflight header', async () => {
    const res = await fetch(url(`/graphql?query=${query}`), { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { contractVersion: string } };
    expect(body.data.contractVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers a query that reads AMPECO, with variables, forwarding the bearer token', async () => {
    const cp = stack.sim.store.list('ChargePoint')[0]!;
    const q = encodeURIComponent('query($id: ID!) { chargePoint(id: $id) { id name } }');
    const vars = encodeURIComponent(JSON.stringify({ id: String(cp.id) }));
    const res = await fetch(url(`/graphql?query=${q}&variables=${vars}`), { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { chargePoint: { id: String(cp.id), name: cp.name } } });
  });

  it('refuses a simple GET without a preflight-forcing header (CSRF protection)', async () => {
    stack.sim.clearLog();
    const res = await fetch(url(`/graphql?query=${query}`));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('refuses a mutation over GET', async () => {
    stack.sim.clearLog();
    const m = encodeURIComponent('mutation { resetChargePoint(chargePointId: "1", type: SOFT) { accepted } }');
    const res = await fetch(url(`/graphql?query=${m}`), { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ errors: [{ message: 'GET requests only support query operations, not mutation operations', extensions: { code: 'BAD_REQUEST' } }] });
    expect(stack.sim.log).toHaveLength(0);
  });
});

describe('POST /graphql bodies the graph cannot read', () => {
  async function post(body: string): Promise<{ status: number; type: string | null; text: string }> {
    const res = await fetch(url('/graphql'), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }

  function expectJsonError(res: { type: string | null; text: string }, message: RegExp): void {
    expect(res.type).toMatch(/^application\/json/);
    const body = JSON.parse(res.text) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.message).toMatch(message);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    // No stack trace, no file paths, no echo of the body.
    expect(res.text).not.toMatch(/\bat\s|node_modules|\.js:\d+|<pre>/);
  }

  it('malformed JSON: 400 with a JSON error, no stack trace', async () => {
    const res = await post('{"query": "{ contractVersion }", oops');
    expect(res.status).toBe(400);
    expectJsonError(res, /not valid JSON/);
    expect(res.text).not.toContain('oops');
  });

  it('a body over the size limit: 413 with a JSON error, no stack trace', async () => {
    const res = await post(JSON.stringify({ query: `{ contractVersion } # ${'x'.repeat(1_100_000)}` }));
    expect(res.status).toBe(413);
    expectJsonError(res, /too large/);
  });

  it('a query that is not a string, and a batch: 400 BAD_REQUEST', async () => {
    for (const [body, message] of [
      ['{"query": 5}', /^GraphQL queries must be strings\.$/],
      ['[{"query":"{ contractVersion }"}]', /^Operation batching disabled\.$/],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expectJsonError(res, message);
    }
  });
});

describe('GraphiQL', () => {
  it('GET / with Accept: text/html serves the GraphiQL page under a strict CSP', async () => {
    const res = await fetch(url('/'), { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toMatch(/<div id="graphiql"/);
    expect(html).toMatch(/"endpoint":"\/graphql"/);
    // Its assets come from the facade itself.
    const script = /<script src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\//);
    const asset = await fetch(url(script!));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    await asset.arrayBuffer();
  });

  it('GET /graphql from a browser gets the page too', async () => {
    const res = await fetch(url('/graphql'), { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/graphiql/i);
  });
});
