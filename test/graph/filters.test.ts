/**
 * Listing filters with typed values (ID, enum, DateTime, Boolean, lists): the graph returns exactly
 * the stored records the same condition selects, and sends AMPECO the filter in its own terms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimRecord } from '../../simulator/index.js';
import { errorWithCode, idsOf, pageThrough, upstream } from '../support/graph.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const store = () => stack.sim.store;

/** Every id the root listing returns under `filter` (all pages). */
async function filtered(field: string, filterType: string, filter: Record<string, unknown>): Promise<string[]> {
  const { ids } = await pageThrough(
    stack,
    `query($f: ${filterType}, $after: String) { ${field}(first: 100, after: $after, filter: $f) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
    (d) => d[field],
    { f: filter },
  );
  return ids;
}

function expected<T extends SimRecord>(records: T[], keep: (r: T) => boolean): string[] {
  const out = idsOf(records.filter(keep));
  // A filter that keeps everything or nothing proves little.
  expect(out.length, 'matches').toBeGreaterThan(0);
  expect(out.length, 'non-matches').toBeLessThan(records.length);
  return out;
}

const time = (v: unknown): number => Date.parse(String(v));

describe('chargePoints(filter:)', () => {
  it('by locationId (ID)', async () => {
    const locationId = store().list('ChargePoint')[0]!.locationId!;
    expect(await filtered('chargePoints', 'ChargePointFilter', { locationId: String(locationId) })).toEqual(
      expected(store().list('ChargePoint'), (cp) => cp.locationId === locationId),
    );
  });

  it('by type (enum)', async () => {
    expect(await filtered('chargePoints', 'ChargePointFilter', { type: 'PERSONAL' })).toEqual(expected(store().list('ChargePoint'), (cp) => cp.type === 'personal'));
  });

  it('by owner (userId, a nested field upstream)', async () => {
    const owner = store().list('ChargePoint').map((cp) => (cp.user as { id: number | null }).id).find((id) => id !== null)!;
    expect(await filtered('chargePoints', 'ChargePointFilter', { userId: String(owner) })).toEqual(
      expected(store().list('ChargePoint'), (cp) => (cp.user as { id: number | null }).id === owner),
    );
  });

  it('by lastUpdatedAfter and lastUpdatedBefore (DateTime), bounds included', async () => {
    const stamps = store().list('ChargePoint').map((cp) => cp.lastUpdatedAt).sort();
    const after = stamps[Math.floor(stamps.length / 4)]!;
    const before = stamps[Math.floor((stamps.length * 3) / 4)]!;
    expect(await filtered('chargePoints', 'ChargePointFilter', { lastUpdatedAfter: after, lastUpdatedBefore: before })).toEqual(
      expected(store().list('ChargePoint'), (cp) => time(cp.lastUpdatedAt) >= time(after) && time(cp.lastUpdatedAt) <= time(before)),
    );
  });

  it('by roamingOperatorIds (a list of IDs) combined with a tag', async () => {
    const cps = store().list('ChargePoint');
    const tag = cps.flatMap((cp) => cp.tags as string[])[0]!;
    expect(await filtered('chargePoints', 'ChargePointFilter', { roamingOperatorIds: ['1'] })).toEqual(expected(cps, (cp) => cp.roamingOperatorId === 1));
    expect(await filtered('chargePoints', 'ChargePointFilter', { tag })).toEqual(expected(cps, (cp) => (cp.tags as string[]).includes(tag)));
  });
});

describe('sessions(filter:)', () => {
  it('by status (enum)', async () => {
    const ids = await filtered('sessions', 'SessionFilter', { status: 'ACTIVE' });
    expect(ids).toEqual(expected(store().list('Session'), (s) => s.status === 'active'));
  });

  it('by userId and status together', async () => {
    const userId = store().list('Session').find((s) => s.userId !== null)!.userId!;
    expect(await filtered('sessions', 'SessionFilter', { userId: String(userId), status: 'FINISHED' })).toEqual(
      expected(store().list('Session'), (s) => s.userId === userId && s.status === 'finished'),
    );
  });

  it('by startedAfter and startedBefore (DateTime)', async () => {
    const stamps = store().list('Session').map((s) => s.startedAt).sort();
    const after = stamps[40]!;
    const before = stamps[120]!;
    const ids = await filtered('sessions', 'SessionFilter', { startedAfter: after, startedBefore: before });
    expect(ids).toEqual(expected(store().list('Session'), (s) => time(s.startedAt) >= time(after) && time(s.startedAt) <= time(before)));
    expect(ids).toHaveLength(81);
  });

  it('by paymentType and reason (enums) and chargePointId (ID)', async () => {
    const sessions = store().list('Session');
    expect(await filtered('sessions', 'SessionFilter', { paymentType: 'TERMINAL' })).toEqual(expected(sessions, (s) => s.paymentType === 'terminal'));
    expect(await filtered('sessions', 'SessionFilter', { reason: 'EVDISCONNECTED' })).toEqual(expected(sessions, (s) => s.reason === 'evdisconnected'));
    const cp = sessions[0]!.chargePointId;
    expect(await filtered('sessions', 'SessionFilter', { chargePointId: String(cp) })).toEqual(expected(sessions, (s) => s.chargePointId === cp));
  });

  it('as an inline literal too', async () => {
    const res = await stack.gql(`{ sessions(first: 100, filter: { status: FAILED }) { nodes { id status } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.sessions.nodes.map((n: { id: string }) => n.id)).toEqual(expected(store().list('Session'), (s) => s.status === 'failed'));
    for (const n of res.data!.sessions.nodes) expect(n.status).toBe('FAILED');
  });
});

describe('other listings', () => {
  it('locations by country (enum), city (String) and tag', async () => {
    const locations = store().list('Location');
    const country = locations[0]!.country;
    expect(await filtered('locations', 'LocationFilter', { country })).toEqual(expected(locations, (l) => l.country === country));
    expect(await filtered('locations', 'LocationFilter', { city: locations[1]!.city })).toEqual(expected(locations, (l) => l.city === locations[1]!.city));
    const tag = locations.flatMap((l) => l.tags as string[])[0]!;
    expect(await filtered('locations', 'LocationFilter', { tag })).toEqual(expected(locations, (l) => (l.tags as string[]).includes(tag)));
  });

  it('evses by chargePointId and by roamingOperatorIds', async () => {
    const evses = store().list('Evse');
    const cp = evses.at(-1)!.chargePointId;
    expect(await filtered('evses', 'EvseFilter', { chargePointId: String(cp) })).toEqual(expected(evses, (e) => e.chargePointId === cp));
    expect(await filtered('evses', 'EvseFilter', { roamingOperatorIds: ['2', '3'] })).toEqual(expected(evses, (e) => [2, 3].includes(e.roamingOperatorId as number)));
  });

  it('evses with Boolean filters: AMPECO receives true/false', async () => {
    stack.sim.clearLog();
    const res = await stack.gql(`{ evses(first: 5, filter: { hasTariffGroup: true, hasRoamingTariffIds: false }) { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
    const calls = upstream(stack.sim, (e) => e.path === '/public-api/resources/evses/v2.1');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.decoded).toContain('filter[hasTariffGroup]=true');
    expect(calls[0]!.decoded).toContain('filter[hasRoamingTariffIds]=false');
  });

  it('users by email and by user group', async () => {
    const users = store().list('User');
    const user = users[users.length - 3]!;
    expect(await filtered('users', 'UserFilter', { email: user.email })).toEqual([user.id]);
    const group = users.flatMap((u) => u.userGroupIds as number[])[0]!;
    expect(await filtered('users', 'UserFilter', { userGroupId: String(group) })).toEqual(expected(users, (u) => (u.userGroupIds as number[]).includes(group)));
  });

  it('a filter matching nothing gives an empty connection', async () => {
    const res = await stack.gql(`{ users(first: 10, filter: { email: "nobody@nowhere.invalid" }) { nodes { id } edges { cursor } pageInfo { hasNextPage endCursor } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.users).toEqual({ nodes: [], edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('filter values the graph refuses before AMPECO sees them', () => {
  it('a DateTime that is not ISO-8601', async () => {
    stack.sim.clearLog();
    const res = await stack.gql(`query($f: SessionFilter) { sessions(first: 5, filter: $f) { nodes { id } } }`, { f: { startedAfter: 'yesterday' } });
    expect(errorWithCode(res, 'BAD_USER_INPUT').message).toMatch(/DateTime/);
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('an enum value the filter does not have', async () => {
    stack.sim.clearLog();
    const res = await stack.gql(`{ sessions(first: 5, filter: { status: SLEEPING }) { nodes { id } } }`);
    expect(res.status).toBe(400);
    expect(errorWithCode(res, 'GRAPHQL_VALIDATION_FAILED').message).toMatch(/SLEEPING/);
    expect(stack.upstreamCalls()).toBe(0);
  });
});
