/**
 * Regression tests for the findings of the hardening issue: nothing a client or the upstream
 * sends can make a request loop, spend without bound, walk AMPECO's paths or trust a cursor, and
 * one failed listing no longer takes the rest of the response with it. Upstream calls are counted.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { postRaw } from '../support/hardening.js';
import { startStack, type GraphQLResponse, type Stack } from '../support/stack.js';
import { startStuckUpstream, type StuckUpstream } from '../support/stuck-upstream.js';

async function post(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const res = await postRaw(url, { query, variables }, { token: 'stuck-token', timeoutMs: 15_000 });
  return { ...res.body!, status: res.status };
}

describe.each(['repeating', 'endless'] as const)('an upstream whose `next` cursor is %s', (kind) => {
  let upstream: StuckUpstream;
  let server: RunningServer;
  const MAX_PAGES = 5;
  beforeAll(async () => {
    upstream = await startStuckUpstream(kind);
    const defaults = loadConfig({});
    server = await startServer({
      ...defaults,
      baseUrl: upstream.url,
      host: '127.0.0.1',
      port: 0,
      request: { ...defaults.request, maxListPages: MAX_PAGES },
    });
  });
  afterAll(async () => {
    await server?.close();
    await upstream?.close();
  });
  afterEach(() => {
    upstream.requests.length = 0;
  });

  it('a whole-list relation ends: it stops at a repeated cursor, or past the page cap with LIST_TOO_LONG on its own field', async () => {
    const res = await post(server.graphqlUrl, `{ chargePoints(first: 1) { nodes { id evses { id } } } }`);
    expect(res.status).toBe(200);
    expect(res.data!.chargePoints.nodes).toHaveLength(1);
    const evseListings = upstream.requests.filter((p) => p.includes('/evses'));
    if (kind === 'repeating') {
      expect(res.errors).toBeUndefined();
      // The first page, then the page its cursor named; that page names itself again: the end.
      expect(evseListings).toHaveLength(2);
      expect(res.data!.chargePoints.nodes[0].evses).toHaveLength(2);
    } else {
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ path: ['chargePoints', 'nodes', 0, 'evses'], extensions: { code: 'LIST_TOO_LONG', limitName: 'FACADE_MAX_LIST_PAGES', limit: MAX_PAGES } });
      expect(res.errors![0]!.message).toMatch(/more than 5 upstream pages \(FACADE_MAX_LIST_PAGES\)/);
      expect(res.data!.chargePoints.nodes[0]).toEqual({ id: expect.any(String), evses: null });
      expect(evseListings).toHaveLength(MAX_PAGES);
    }
  });

  it('a page that needs more rows than the upstream gives per page ends within the cap', async () => {
    const res = await post(server.graphqlUrl, `{ chargePoints(first: 50) { pageInfo { hasNextPage } nodes { id } } }`);
    expect(res.status).toBe(200);
    if (kind === 'repeating') {
      expect(res.errors).toBeUndefined();
      expect(res.data!.chargePoints.nodes).toHaveLength(2);
      expect(res.data!.chargePoints.pageInfo.hasNextPage).toBe(false);
    } else {
      expect(res.errors![0]).toMatchObject({ path: ['chargePoints'], extensions: { code: 'LIST_TOO_LONG' } });
      expect(res.data).toEqual({ chargePoints: null });
    }
    expect(upstream.requests.length).toBeLessThanOrEqual(MAX_PAGES);
  });

  it('the server stays responsive', async () => {
    const health = await fetch(server.url + '/health', { signal: AbortSignal.timeout(2_000) });
    expect(health.status).toBe(200);
  });
});

describe('against the simulator', () => {
  let stack: Stack;
  let budgeted: Stack;
  const BUDGET = 2;
  beforeAll(async () => {
    stack = await startStack();
    const defaults = loadConfig({});
    budgeted = await startStack({ config: { request: { ...defaults.request, maxUpstreamCalls: BUDGET, timeoutMs: 400 } } });
  });
  afterAll(async () => {
    await stack?.close();
    await budgeted?.close();
  });
  afterEach(() => {
    for (const s of [stack, budgeted]) {
      s.sim.setKnobs({ latencyMs: 0, faults: [] });
      s.sim.clearLog();
    }
  });

  describe('per-request budget and deadline', () => {
    it('past the budget of upstream calls, the fields that need more fail with UPSTREAM_BUDGET_EXCEEDED; the others keep their data', async () => {
      const [a, b, c] = budgeted.sim.store.list('ChargePoint');
      const res = await budgeted.gql(`{ a: chargePoint(id: "${a!.id}") { name } b: chargePoint(id: "${b!.id}") { name } c: chargePoint(id: "${c!.id}") { name } }`);
      expect(budgeted.upstreamCalls()).toBe(BUDGET);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ extensions: { code: 'UPSTREAM_BUDGET_EXCEEDED', limitName: 'FACADE_MAX_UPSTREAM_CALLS', limit: BUDGET } });
      expect(res.errors![0]!.message).toMatch(/budget of 2 upstream calls \(FACADE_MAX_UPSTREAM_CALLS\)/);
      const answered = Object.values(res.data!).filter((v) => v !== null);
      expect(answered).toHaveLength(BUDGET);
      expect(res.data![res.errors![0]!.path![0] as string]).toBeNull();
      // Counted for operators, by the limit's variable.
      const metrics = await (await fetch(`${budgeted.server.url}/metrics`)).text();
      expect(metrics).toMatch(/^ampeco_graph_refusals_total\{limit="FACADE_MAX_UPSTREAM_CALLS"\} [1-9]/m);
    });

    it('past the deadline, the calls still running are cut and their fields fail with REQUEST_DEADLINE_EXCEEDED', async () => {
      budgeted.sim.setKnobs({ latencyMs: 1_500 });
      const cp = budgeted.sim.store.list('ChargePoint')[0]!;
      const started = performance.now();
      const res = await budgeted.gql(`{ chargePoint(id: "${cp.id}") { name } contractVersion }`);
      const elapsed = performance.now() - started;
      expect(res.status).toBe(200);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ path: ['chargePoint'], extensions: { code: 'REQUEST_DEADLINE_EXCEEDED', limitName: 'FACADE_REQUEST_TIMEOUT_MS', limit: 400 } });
      expect(res.data).toEqual({ chargePoint: null, contractVersion: expect.any(String) });
      // Cut at the deadline, not when the slow answer came (1.5 s); generous bound.
      expect(elapsed).toBeLessThan(1_400);
    });
  });

  describe('ids are checked before they reach a path', () => {
    it.each([
      ['chargePoint(id: "..")', 'chargePoint'],
      ['chargePoint(id: ".")', 'chargePoint'],
      ['chargePoint(id: "")', 'chargePoint'],
      ['chargePoint(id: "1/../2")', 'chargePoint'],
      ['evse(id: "..")', 'evse'],
      ['user(id: "%2e%2e")', 'user'],
      ['session(id: "..")', 'session'],
      ['session(id: "a b")', 'session'],
      ['chargingZone(locationId: "..", id: "1")', 'chargingZone'],
      ['connector(evseId: ".", id: "1")', 'connector'],
      ['location(id: "-1")', 'location'],
      ['user(id: "12345678901234567890123")', 'user'],
    ])('%s: BAD_USER_INPUT on the field, no upstream call', async (field, path) => {
      const res = await stack.gql(`{ ${field} { id } }`);
      expect(res.status).toBe(200);
      const error = res.errors?.find((e) => e.path?.[0] === path);
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error?.message).toMatch(/^`\w+` (must|must not)/);
      expect(res.data).toEqual({ [path]: null });
      expect(stack.sim.log).toHaveLength(0);
    });

    it('a command with a bad path id is refused before it is sent', async () => {
      const res = await stack.gql(`mutation { resetChargePoint(chargePointId: "..", type: SOFT) { accepted } }`);
      expect(res.errors![0]).toMatchObject({ path: ['resetChargePoint'], extensions: { code: 'BAD_USER_INPUT', argumentName: 'chargePointId' } });
      expect(stack.sim.log).toHaveLength(0);
    });
  });

  describe('cursors are signed and bound to their listing', () => {
    const firstPage = async (query: string) => {
      const res = await stack.gql(query);
      expect(res.errors).toBeUndefined();
      stack.sim.clearLog();
      return Object.values(res.data!)[0].pageInfo.endCursor as string;
    };

    it('a cursor with its position edited is refused, with no upstream call', async () => {
      const cursor = await firstPage(`{ sessions(first: 2) { pageInfo { endCursor } } }`);
      const [payload, mac] = cursor.split('.');
      const position = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { s: number };
      position.s = 1_000_000;
      const forged = `${Buffer.from(JSON.stringify(position)).toString('base64url')}.${mac}`;
      const res = await stack.gql(`query($a: String) { sessions(first: 2, after: $a) { nodes { id } } }`, { a: forged });
      expect(res.errors![0]).toMatchObject({ path: ['sessions'], extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
      expect(stack.sim.log).toHaveLength(0);
    });

    it('a cursor of another listing (another type, another filter, another parent) is refused, with no upstream call', async () => {
      const locations = await firstPage(`{ locations(first: 2) { pageInfo { endCursor } } }`);
      const active = await firstPage(`{ sessions(first: 2, filter: { status: ACTIVE }) { pageInfo { endCursor } } }`);
      const cp = stack.sim.store.list('ChargePoint')[0]!;
      const ofOneChargePoint = (await stack.gql(`{ chargePoint(id: "${cp.id}") { sessions(first: 1) { pageInfo { endCursor } } } }`)).data!.chargePoint.sessions.pageInfo
        .endCursor as string;
      stack.sim.clearLog();
      const cases: [string, string][] = [
        [`query($a: String) { chargePoints(first: 2, after: $a) { nodes { id } } }`, locations],
        [`query($a: String) { sessions(first: 2, after: $a, filter: { status: FINISHED }) { nodes { id } } }`, active],
        [`query($a: String) { sessions(first: 2, after: $a) { nodes { id } } }`, ofOneChargePoint],
      ];
      for (const [query, after] of cases) {
        const res = await stack.gql(query, { a: after });
        expect(res.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      }
      expect(stack.sim.log).toHaveLength(0);
      // The same cursor on its own listing goes on where it left off.
      const resumed = await stack.gql(`query($a: String) { sessions(first: 2, after: $a, filter: { status: ACTIVE }) { nodes { id } } }`, { a: active });
      expect(resumed.errors).toBeUndefined();
    });
  });

  describe('a failed listing fails alone', () => {
    it('with /charge-points answering 500, the locations are kept and the charge points fail at their own path', async () => {
      stack.sim.setKnobs({ faults: [{ kind: 'status', status: 500, match: { pathIncludes: '/charge-points' } }] });
      const res = await stack.gql(`{ locations(first: 3) { nodes { id } } chargePoints(first: 3) { nodes { id name } } }`);
      expect(res.status).toBe(200);
      expect(res.data!.locations.nodes).toHaveLength(3);
      expect(res.data!.chargePoints).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ path: ['chargePoints'], extensions: { code: 'UPSTREAM_SERVER_ERROR' } });
    });

    it('when both root listings fail, each gets its own error', async () => {
      stack.sim.setKnobs({ faults: [{ kind: 'status', status: 503, match: { pathIncludes: '/v2' } }] });
      const res = await stack.gql(`{ locations(first: 3) { nodes { id } } chargePoints(first: 3) { nodes { id name } } }`);
      expect(res.data).toEqual({ locations: null, chargePoints: null });
      expect(res.errors!.map((e) => e.path![0]).sort()).toEqual(['chargePoints', 'locations']);
    });
  });
});
