/**
 * Regressions: bugs found in the datasource and the generator by the facade tests, each kept
 * as the behaviour it should have.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorWithCode, gets, P } from '../support/graph.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());
const store = () => stack.sim.store;

describe('generator: relation connections take `filter`', () => {
  it('ChargePoint.sessions(filter:) and User.sessions(filter:) (README example)', async () => {
    const cp = store().list('Session')[0]!.chargePointId;
    const res = await stack.gql(`{ chargePoint(id: "${cp}") { sessions(first: 100, filter: { status: FINISHED }) { nodes { id } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.chargePoint.sessions.nodes.map((n: any) => n.id)).toEqual(
      store().list('Session').filter((s) => s.chargePointId === cp && s.status === 'finished').map((s) => s.id));
  });
});

describe('datasource: connectors listing (pagination "none")', () => {
  it('connectors(evseId:, first: 1) says there is a next page, and `after` moves on', async () => {
    const evse = store().list('Evse').find((e) => store().children('Connector', { evse: e.id }).length >= 2)!;
    const all = store().children('Connector', { evse: evse.id }).map((c) => String(c.id));
    const p1 = await stack.gql(`{ connectors(evseId: "${evse.id}", first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }`);
    expect(p1.data!.connectors.nodes.map((n: any) => n.id)).toEqual(all.slice(0, 1));
    const p2 = await stack.gql(`query($a: String) { connectors(evseId: "${evse.id}", first: 1, after: $a) { nodes { id } } }`, { a: p1.data!.connectors.pageInfo.endCursor });
    expect(p2.data!.connectors.nodes.map((n: any) => n.id)).toEqual(all.slice(1, 2));
    expect(p1.data!.connectors.pageInfo.hasNextPage).toBe(true);
  });
});

describe('datasource: cursors of one kind of listing are refused by another', () => {
  it('an offset cursor (page listing) passed to a cursor listing is BAD_USER_INPUT', async () => {
    const evse = store().list('Evse').find((e) => store().children('Connector', { evse: e.id }).length >= 1)!;
    const conn = await stack.gql(`{ connectors(evseId: "${evse.id}", first: 1) { edges { cursor } } }`);
    stack.sim.clearLog();
    const res = await stack.gql(`query($a: String) { chargePoints(first: 2, after: $a) { nodes { id } } }`, { a: conn.data!.connectors.edges[0].cursor });
    expect(res.errors).toHaveLength(1);
    const error = errorWithCode(res, 'BAD_USER_INPUT');
    expect(error.path).toEqual(['chargePoints']);
    expect(error.extensions!.argumentName).toBe('after');
    expect(stack.sim.log).toHaveLength(0);
  });
});

describe('datasource: a listing primes by-id reads of the same query', () => {
  it('chargePoints(first: 5) plus chargePoint(id: <one of them>): no extra read', async () => {
    stack.sim.clearLog();
    const id = store().list('ChargePoint')[2]!.id;
    const res = await stack.gql(`{ chargePoints(first: 5) { nodes { id } } chargePoint(id: "${id}") { name } }`);
    expect(res.errors).toBeUndefined();
    expect(gets(stack.sim, `${P.chargePoints}/${id}`)).toHaveLength(0);
  });
});

describe('datasource: commands invalidate what they change', () => {
  it('after stopChargingSession, the EVSE read later in the same operation is not the cached CHARGING copy', async () => {
    const busy = new Set(store().list('Session').filter((s) => s.status === 'active').map((s) => s.evseId));
    const evse = store().list('Evse').find((e) => e.status === 'enabled' && !busy.has(e.id) && store().get('ChargePoint', e.chargePointId)!.status === 'enabled')!;
    const before = new Set(store().list('Session').map((s) => s.id));
    const started = await stack.gql(`mutation { startChargingSessionOnEvse(evseId: "${evse.id}") { sessionId } }`);
    expect(started.errors).toBeUndefined();
    const sid = store().list('Session').find((s) => !before.has(s.id))!.id;
    expect(started.data!.startChargingSessionOnEvse.sessionId).toBe(sid);
    const res = await stack.gql(`mutation {
      a: changeChargePointAvailability(chargePointId: "${evse.chargePointId}", input: { type: OPERATIVE }) { chargePoint { evses { id hardwareStatus } } }
      b: stopChargingSession(chargePointId: "${evse.chargePointId}", sessionId: "${sid}") { session { status evse { id hardwareStatus } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(store().get('Evse', evse.id)!.hardwareStatus).toBe('available');
    expect(res.data!.b.session).toEqual({ status: 'FINISHED', evse: { id: String(evse.id), hardwareStatus: 'AVAILABLE' } });
  });
});

describe('datasource: NOT_FOUND of a missing parent names a path', () => {
  it('connectors(evseId: <unknown>) reports the upstream path, not a type name', async () => {
    expect(store().get('Evse', 999999)).toBeUndefined();
    const res = await stack.gql(`{ connectors(evseId: "999999") { nodes { id } } }`);
    expect(res.errors).toHaveLength(1);
    const error = errorWithCode(res, 'NOT_FOUND');
    expect(error.path).toEqual(['connectors']);
    expect(error.extensions!.upstream).toEqual({ status: 404, method: 'GET', path: `${P.evses}/999999` });
    expect(res.data).toEqual({ connectors: null });
  });
});
