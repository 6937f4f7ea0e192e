/**
 * How few REST calls a query costs: one read per record per request however often the query names
 * it, children embedded with include[], no read for an id the parent already holds, listings
 * priming by-id reads, and nothing cached from one request to the next.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gets, P, upstream } from '../support/graph.js';
import { startStack, TOKEN, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
beforeEach(() => stack.sim.clearLog());
afterAll(() => stack?.close());

const store = () => stack.sim.store;
/** GETs that may have read charge point `id`: its by-id read and any charge point listing. */
const chargePointReads = (id: number | string) => gets(stack.sim, P.chargePoints).filter((e) => e.path === `${P.chargePoints}/${id}` || e.path === P.chargePoints);
const connectorCalls = () => upstream(stack.sim, (e) => e.path.includes('/connectors'));

describe('one read per record per request', () => {
  it('the same charge point through two aliases and two relations: one upstream read', async () => {
    const session = store().list('Session').find((s) => s.status === 'finished')!;
    const cpId = session.chargePointId;
    const evse = store().list('Evse').find((e) => e.chargePointId === cpId && e.id !== session.evseId) ?? store().get('Evse', session.evseId)!;
    const res = await stack.gql(`{
      a: chargePoint(id: "${cpId}") { id name }
      b: chargePoint(id: "${cpId}") { name status }
      evse(id: "${evse.id}") { chargePoint { name type } }
      session(id: "${session.id}") { chargePoint { id name networkStatus } }
    }`);
    expect(res.errors).toBeUndefined();
    const name = store().get('ChargePoint', cpId)!.name;
    expect([res.data!.a.name, res.data!.b.name, res.data!.evse.chargePoint.name, res.data!.session.chargePoint.name]).toEqual([name, name, name, name]);
    expect(chargePointReads(cpId)).toHaveLength(1);
    // The evse and session themselves: one read each.
    expect(gets(stack.sim, `${P.evses}/${evse.id}`)).toHaveLength(1);
    expect(gets(stack.sim, `${P.sessions}/${session.id}`)).toHaveLength(1);
  });

  it('a charge point named by many sessions of a page is read once', async () => {
    const res = await stack.gql(`{ sessions(first: 40) { nodes { id chargePoint { id name } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.sessions.nodes as { id: string; chargePoint: { id: string; name: string } }[];
    const distinct = new Set(nodes.map((n) => n.chargePoint.id));
    expect(distinct.size).toBeLessThan(nodes.length);
    for (const n of nodes) expect(n.chargePoint.name).toBe(store().get('ChargePoint', n.chargePoint.id)!.name);
    // The whole collection fits one page of 100: one scan of the listing beats a read per charge point.
    expect(store().count('ChargePoint')).toBeLessThanOrEqual(100);
    expect(distinct.size).toBeGreaterThanOrEqual(4);
    expect(gets(stack.sim, P.chargePoints).map((c) => c.path)).toEqual([P.chargePoints]);
  });
});

describe('lookahead', () => {
  it('Evse.connectors rides on the EVSE read with include[]=connectors: no connectors call', async () => {
    const evse = store().list('Evse').find((e) => store().children('Connector', { evse: e.id }).length >= 2)!;
    const res = await stack.gql(`{ evse(id: "${evse.id}") { id connectors { id type } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.evse.connectors.map((c: { id: string }) => c.id)).toEqual(store().children('Connector', { evse: evse.id }).map((c) => String(c.id)));
    const calls = upstream(stack.sim);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe(`${P.evses}/${evse.id}`);
    expect(calls[0]!.decoded).toContain('include[]=connectors');
    expect(connectorCalls()).toHaveLength(0);
  });

  it('a page of EVSEs with connectors: one listing call with include[]=connectors', async () => {
    const res = await stack.gql(`{ evses(first: 10) { nodes { id connectors { id } } } }`);
    expect(res.errors).toBeUndefined();
    for (const e of res.data!.evses.nodes as { id: string; connectors: { id: string }[] }[]) {
      expect(e.connectors.map((c) => c.id)).toEqual(store().children('Connector', { evse: e.id }).map((c) => String(c.id)));
    }
    const calls = upstream(stack.sim);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.decoded).toContain('include[]=connectors');
    expect(connectorCalls()).toHaveLength(0);
  });

  it('without connectors selected, the EVSE read carries no include[]', async () => {
    const evse = store().list('Evse')[5]!;
    const res = await stack.gql(`{ evse(id: "${evse.id}") { id label } }`);
    expect(res.data!.evse.label).toBe(evse.label);
    const calls = upstream(stack.sim);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.decoded).not.toContain('include');
  });

  it('fields AMPECO serves on request only are asked for with with* flags and include[], when selected', async () => {
    const session = store().list('Session').find((s) => s.userId !== null && s.status === 'finished')!;
    const res = await stack.gql(`{
      session(id: "${session.id}") { authorizationId authorization { id method userId } priceBreakdown { type quantity } }
      again: session(id: "${session.id}") { id energy }
      user(id: "${session.userId}") { partnerInvites { id } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.session.authorization).toEqual({ id: String(session.authorizationId), method: 'USER_DEVICE', userId: String(session.userId) });
    // A session's energy is in Wh; its price lines count kWh.
    expect(res.data!.session.priceBreakdown).toEqual([{ type: 'ENERGY', quantity: session.energy / 1000 }]);
    expect(res.data!.again).toEqual({ id: session.id, energy: session.energy });
    // Both reads of the session are one call, with the flags the first one needs.
    const sessionCalls = gets(stack.sim, `${P.sessions}/${session.id}`);
    expect(sessionCalls).toHaveLength(1);
    expect(sessionCalls[0]!.decoded).toMatch(/withAuthorization=true/);
    expect(sessionCalls[0]!.decoded).toMatch(/withPriceBreakdown=true/);
    expect(sessionCalls[0]!.decoded).not.toMatch(/withChargingPeriods/);
    expect(gets(stack.sim, `${P.users}/${session.userId}`)[0]!.decoded).toBe('include[]=partnerInvites');
  });

  it('a listing asks for the flags its nodes need', async () => {
    const res = await stack.gql(`{ sessions(first: 4) { nodes { id userId authorization { method } } } }`);
    expect(res.errors).toBeUndefined();
    for (const n of res.data!.sessions.nodes as { userId: string | null; authorization: { method: string } }[]) {
      expect(n.authorization.method).toBe(n.userId === null ? 'RFID_TAG' : 'USER_DEVICE');
    }
    const calls = upstream(stack.sim);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.decoded).toMatch(/withAuthorization=true/);
  });

  it('Session.chargePoint { id } alone needs no charge point call', async () => {
    const session = store().list('Session')[7]!;
    const res = await stack.gql(`{ session(id: "${session.id}") { chargePointId chargePoint { id __typename } evse { id } user { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.session).toEqual({
      chargePointId: String(session.chargePointId),
      chargePoint: { id: String(session.chargePointId), __typename: 'ChargePoint' },
      evse: { id: String(session.evseId) },
      user: session.userId === null ? null : { id: String(session.userId) },
    });
    expect(upstream(stack.sim).map((e) => e.path)).toEqual([`${P.sessions}/${session.id}`]);
  });

  it('Session.connector with only its key fields (id, evseId, chargePointId) needs no call either', async () => {
    const session = store().list('Session').find((s) => s.connectorId != null)!;
    const res = await stack.gql(`{ session(id: "${session.id}") { connector { id evseId chargePointId __typename } } }`);
    expect(res.errors).toBeUndefined();
    const parents = store().parentsOf('Connector', session.connectorId!)!;
    expect(res.data!.session.connector).toEqual({ id: String(session.connectorId), evseId: String(parents.evse), chargePointId: String(parents.chargePoint), __typename: 'Connector' });
    expect(upstream(stack.sim).map((e) => e.path)).toEqual([`${P.sessions}/${session.id}`]);
  });

  it('Session.evse and Session.connector together: one EVSE read serves both', async () => {
    const session = store().list('Session').find((s) => s.connectorId != null)!;
    const res = await stack.gql(`{ session(id: "${session.id}") { evse { id networkId } connector { id type } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.session.evse.id).toBe(String(session.evseId));
    expect(res.data!.session.connector.id).toBe(String(session.connectorId));
    expect(gets(stack.sim, P.evses)).toHaveLength(1);
    expect(connectorCalls()).toHaveLength(0);
  });

  it('a connector (a sub-resource) and its EVSE in one query: one EVSE read', async () => {
    const connector = store().list('Connector')[4]!;
    const evseId = store().parentsOf('Connector', connector.id)!.evse;
    const res = await stack.gql(`{ connector(evseId: "${evseId}", id: "${connector.id}") { id type } evse(id: "${evseId}") { label connectors { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.connector.id).toBe(String(connector.id));
    expect(upstream(stack.sim)).toHaveLength(1);
    expect(connectorCalls()).toHaveLength(0);
  });
});

describe('listings prime by-id reads', () => {
  it('records of a listing are not read again by id later in the same request', async () => {
    const res = await stack.gql(`{ chargePoints(first: 5) { nodes { id evses { id chargePoint { id name status } } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.chargePoints.nodes as { id: string; evses: { chargePoint: { id: string; name: string } }[] }[];
    const firstFive = store().list('ChargePoint').slice(0, 5).map((cp) => cp.id);
    expect(nodes.flatMap((n) => n.evses)).toHaveLength(store().list('Evse').filter((e) => firstFive.includes(e.chargePointId)).length);
    for (const n of nodes) for (const e of n.evses) expect(e.chargePoint).toMatchObject({ id: n.id, name: store().get('ChargePoint', n.id)!.name });
    // The charge point listing, and no by-id charge point read.
    expect(gets(stack.sim, P.chargePoints).map((c) => c.path)).toEqual([P.chargePoints]);
  });

  it('users of a listing are not read by id when their sessions point back to them', async () => {
    const res = await stack.gql(`{ users(first: 10) { nodes { id sessions(first: 3) { nodes { id user { id email } } } } } }`);
    expect(res.errors).toBeUndefined();
    const users = res.data!.users.nodes as { id: string; sessions: { nodes: { user: { id: string; email: string } }[] } }[];
    const backLinks = users.flatMap((u) => u.sessions.nodes.map((s) => [u.id, s.user] as const));
    const sessionsOf = (id: string) => store().list('Session').filter((s) => String(s.userId) === id).length;
    expect(backLinks).toHaveLength(store().list('User').slice(0, 10).reduce((n, u) => n + Math.min(3, sessionsOf(u.id)), 0));
    for (const [id, user] of backLinks) expect(user).toEqual({ id, email: store().get('User', id)!.email });
    expect(gets(stack.sim, P.users).map((c) => c.path)).toEqual([P.users]);
  });
});

describe('no cache across requests', () => {
  it('two requests in a row each read the record', async () => {
    const cp = store().list('ChargePoint')[4]!;
    const query = `{ chargePoint(id: "${cp.id}") { id name } }`;
    const first = await stack.gql(query);
    const second = await stack.gql(query);
    expect(first.data).toEqual(second.data);
    expect(gets(stack.sim, `${P.chargePoints}/${cp.id}`)).toHaveLength(2);
  });

  it('a change made upstream between two requests is seen by the second', async () => {
    const cp = store().list('ChargePoint')[5]!;
    const query = `{ chargePoint(id: "${cp.id}") { name } }`;
    const before = await stack.gql(query);
    expect(before.data!.chargePoint.name).toBe(cp.name);
    // Written straight to AMPECO, behind the facade's back.
    const patch = (name: string) =>
      fetch(`${stack.sim.url}${P.chargePoints}/${cp.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ name }),
      });
    const original = cp.name;
    expect((await patch('Changed behind the facade')).status).toBe(200);
    try {
      const after = await stack.gql(query);
      expect(after.data!.chargePoint.name).toBe('Changed behind the facade');
    } finally {
      await patch(original);
    }
  });

  it('requests with different credentials never share data', async () => {
    const cp = store().list('ChargePoint')[6]!;
    const query = `{ chargePoint(id: "${cp.id}") { id name } }`;
    const [good, bad] = await Promise.all([stack.gql(query), stack.gql(query, undefined, { token: 'not-a-valid-token' })]);
    expect(good.data!.chargePoint).toEqual({ id: String(cp.id), name: cp.name });
    expect(bad.data!.chargePoint).toBeNull();
    expect(bad.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(gets(stack.sim, `${P.chargePoints}/${cp.id}`)).toHaveLength(2);
  });
});

describe('round trips', () => {
  it("a record's filtered listings start with its own read, not after it", async () => {
    const cp = store().list('ChargePoint')[0]!;
    stack.sim.setKnobs({ latencyMs: 150 }); // a wide margin against a busy machine
    try {
      const res = await stack.gql(`{ chargePoint(id: "${cp.id}") { name evses { id } sessions(first: 3) { nodes { id } } } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data!.chargePoint.evses.map((e: { id: string }) => e.id)).toEqual(
        store().list('Evse').filter((e) => e.chargePointId === cp.id).map((e) => String(e.id)),
      );
    } finally {
      stack.sim.setKnobs({ latencyMs: 0 });
    }
    const read = gets(stack.sim, `${P.chargePoints}/${cp.id}`)[0]!;
    const listings = [...gets(stack.sim, P.evses), ...gets(stack.sim, P.sessions)];
    expect(listings).toHaveLength(2);
    // Both listings reached the upstream before the charge point's read was answered.
    for (const listing of listings) expect(listing.timestamp).toBeLessThan(read.timestamp + read.durationMs);
  });
});

describe('scans', () => {
  const dashboard = `{ locations(first: 5) { nodes { id chargePoints(first: 10) { nodes { id evses { id connectors { id } } } } } } }`;

  it('children of many parents come from one scan of their collection, grouped by parent', async () => {
    const res = await stack.gql(dashboard);
    expect(res.errors).toBeUndefined();
    for (const location of res.data!.locations.nodes as { id: string; chargePoints: { nodes: { id: string; evses: { id: string }[] }[] } }[]) {
      const expected = store().list('ChargePoint').filter((c) => String(c.locationId) === location.id).slice(0, 10);
      expect(location.chargePoints.nodes.map((c) => c.id)).toEqual(expected.map((c) => String(c.id)));
      for (const cp of location.chargePoints.nodes) {
        expect(cp.evses.map((e) => e.id)).toEqual(store().list('Evse').filter((e) => String(e.chargePointId) === cp.id).map((e) => String(e.id)));
      }
    }
    // No listing filtered by a parent id: one charge point scan and one EVSE scan (a page each here).
    expect(gets(stack.sim, P.chargePoints)).toHaveLength(1);
    expect(gets(stack.sim, P.evses)).toHaveLength(1);
    expect(stack.sim.log.some((e) => e.query.includes('filter'))).toBe(false);
  });

  it('once the sizes are known, the scans start with the root listing instead of after it', async () => {
    await stack.gql(dashboard); // learns the collection sizes (a count, never records)
    stack.sim.clearLog();
    stack.sim.setKnobs({ latencyMs: 150 }); // a wide margin against a busy machine
    try {
      expect((await stack.gql(dashboard)).errors).toBeUndefined();
    } finally {
      stack.sim.setKnobs({ latencyMs: 0 });
    }
    const root = gets(stack.sim, P.locations)[0]!;
    const scans = [...gets(stack.sim, P.chargePoints), ...gets(stack.sim, P.evses)];
    expect(scans).toHaveLength(2);
    for (const scan of scans) expect(scan.timestamp).toBeLessThan(root.timestamp + root.durationMs);
  });
});
