/**
 * Every relation of the graph, both ways, against the store: to-one links follow the stored id,
 * to-many ones list exactly the records that point back, and raw id fields stay on the records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOrNull, idsOf, screaming } from '../support/graph.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const store = () => stack.sim.store;
const nodeIds = (conn: { nodes: { id: string }[] }): string[] => conn.nodes.map((n) => n.id);
const ownerOf = (cp: Record<string, unknown>): string | null => idOrNull((cp.user as { id?: unknown } | undefined)?.id);

describe('Location <-> ChargePoint, ChargingZone', () => {
  it('Location.chargePoints lists the charge points with that locationId; ChargePoint.location points back', async () => {
    const res = await stack.gql(`{
      locations(first: 100) { nodes { id chargePoints(first: 50) { nodes { id locationId location { id city } } pageInfo { hasNextPage } } } }
    }`);
    expect(res.errors).toBeUndefined();
    const locations = res.data!.locations.nodes as { id: string; chargePoints: any }[];
    expect(locations.map((l) => l.id)).toEqual(idsOf(store().list('Location')));
    let seen = 0;
    for (const loc of locations) {
      const expected = idsOf(store().list('ChargePoint').filter((cp) => String(cp.locationId) === loc.id));
      expect(nodeIds(loc.chargePoints), `location ${loc.id}`).toEqual(expected);
      expect(loc.chargePoints.pageInfo.hasNextPage).toBe(false);
      for (const cp of loc.chargePoints.nodes) {
        expect(cp.locationId).toBe(loc.id);
        expect(cp.location).toEqual({ id: loc.id, city: store().get('Location', loc.id)!.city });
      }
      seen += expected.length;
    }
    expect(seen).toBe(store().list('ChargePoint').filter((cp) => cp.locationId != null).length);
  });

  it('Location.chargingZones lists its zones; ChargingZone.location points back', async () => {
    const res = await stack.gql(`{ locations(first: 100) { nodes { id chargingZones { id name locationId location { id } } } } }`);
    expect(res.errors).toBeUndefined();
    for (const loc of res.data!.locations.nodes as { id: string; chargingZones: any[] }[]) {
      const expected = store().children('ChargingZone', { location: loc.id });
      expect(loc.chargingZones.map((z) => z.id)).toEqual(idsOf(expected));
      expect(loc.chargingZones.map((z) => z.name)).toEqual(expected.map((z) => z.name));
      for (const zone of loc.chargingZones) expect(zone).toMatchObject({ locationId: loc.id, location: { id: loc.id } });
    }
  });

  it('chargingZone(...).location reads the location; ChargingZone.chargePoints lists the charge points in it', async () => {
    const zone = store().list('ChargingZone').find((z) => store().list('ChargePoint').some((cp) => cp.chargingZoneId === z.id))!;
    const loc = store().get('Location', zone.locationId)!;
    const res = await stack.gql(
      `query($l: ID!, $z: ID!) { chargingZone(locationId: $l, id: $z) { id location { id city country } chargePoints(first: 50) { nodes { id chargingZoneId } } } }`,
      { l: String(zone.locationId), z: String(zone.id) },
    );
    expect(res.errors).toBeUndefined();
    const got = res.data!.chargingZone;
    expect(got.location).toEqual({ id: String(loc.id), city: loc.city, country: loc.country });
    const expected = idsOf(store().list('ChargePoint').filter((cp) => cp.chargingZoneId === zone.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(nodeIds(got.chargePoints)).toEqual(expected);
    for (const cp of got.chargePoints.nodes) expect(cp.chargingZoneId).toBe(String(zone.id));
  });

  it('ChargePoint.chargingZone is the stored zone, or null when the charge point has none', async () => {
    const res = await stack.gql(`{ chargePoints(first: 100) { nodes { id chargingZoneId chargingZone { id name locationId } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.chargePoints.nodes as { id: string; chargingZoneId: string | null; chargingZone: any }[];
    expect(nodes.some((n) => n.chargingZone === null)).toBe(true);
    expect(nodes.some((n) => n.chargingZone !== null)).toBe(true);
    for (const n of nodes) {
      const cp = store().get('ChargePoint', n.id)!;
      if (cp.chargingZoneId == null) {
        expect(n.chargingZone, n.id).toBeNull();
        continue;
      }
      const zone = store().get('ChargingZone', cp.chargingZoneId)!;
      expect(n.chargingZone, n.id).toEqual({ id: String(zone.id), name: zone.name, locationId: String(zone.locationId) });
    }
  });
});

describe('ChargePoint <-> Evse <-> Connector', () => {
  it('ChargePoint.evses lists its EVSEs; Evse.chargePoint points back', async () => {
    const res = await stack.gql(`{ chargePoints(first: 100) { nodes { id evses { id chargePointId networkId chargePoint { id name } } } } }`);
    expect(res.errors).toBeUndefined();
    let total = 0;
    for (const cp of res.data!.chargePoints.nodes as { id: string; evses: any[] }[]) {
      const expected = store().list('Evse').filter((e) => String(e.chargePointId) === cp.id);
      expect(cp.evses.map((e) => e.id), `charge point ${cp.id}`).toEqual(idsOf(expected));
      expect(cp.evses.map((e) => e.networkId)).toEqual(expected.map((e) => String(e.networkId)));
      for (const evse of cp.evses) expect(evse).toMatchObject({ chargePointId: cp.id, chargePoint: { id: cp.id, name: store().get('ChargePoint', cp.id)!.name } });
      total += cp.evses.length;
    }
    expect(total).toBe(store().count('Evse'));
  });

  it('Evse.connectors lists its connectors; Connector.evse and Connector.chargePoint point back', async () => {
    const res = await stack.gql(`{ evses(first: 100) { nodes { id chargePointId connectors { id type evseId chargePointId evse { id } chargePoint { id name } } } } }`);
    expect(res.errors).toBeUndefined();
    let total = 0;
    for (const evse of res.data!.evses.nodes as { id: string; chargePointId: string; connectors: any[] }[]) {
      const expected = store().children('Connector', { evse: evse.id });
      expect(evse.connectors.map((c) => c.id), `evse ${evse.id}`).toEqual(idsOf(expected));
      for (const c of evse.connectors) {
        expect(c).toMatchObject({ evseId: evse.id, chargePointId: evse.chargePointId, evse: { id: evse.id } });
        expect(c.chargePoint).toEqual({ id: evse.chargePointId, name: store().get('ChargePoint', evse.chargePointId)!.name });
      }
      total += evse.connectors.length;
    }
    expect(total).toBe(store().count('Connector'));
  });

  it('connector(evseId:, id:) reads its EVSE and charge point', async () => {
    const connector = store().list('Connector').at(-1)!;
    const parents = store().parentsOf('Connector', connector.id)!;
    const res = await stack.gql(`{ connector(evseId: "${parents.evse}", id: "${connector.id}") { id evse { id networkId chargePointId } chargePoint { id name } } }`);
    expect(res.errors).toBeUndefined();
    const evse = store().get('Evse', parents.evse!)!;
    expect(res.data!.connector).toEqual({
      id: String(connector.id),
      evse: { id: String(evse.id), networkId: String(evse.networkId), chargePointId: String(parents.chargePoint) },
      chargePoint: { id: String(parents.chargePoint), name: store().get('ChargePoint', parents.chargePoint!)!.name },
    });
  });
});

describe('Session <-> ChargePoint, Evse, Connector, User', () => {
  it('Session.chargePoint, evse, connector and user are the records its ids name; raw ids are kept', async () => {
    const sessions = store().list('Session');
    const withAll = sessions.find((s) => s.userId !== null && s.connectorId != null)!;
    const anonymous = sessions.find((s) => s.userId === null)!;
    const fields = `id chargePointId evseId connectorId userId chargePoint { id name } evse { id networkId } connector { id type } user { id email }`;
    const res = await stack.gql(`query($a: ID!, $b: ID!) { a: session(id: $a) { ${fields} } b: session(id: $b) { ${fields} } }`, { a: withAll.id, b: anonymous.id });
    expect(res.errors).toBeUndefined();
    for (const [alias, s] of [['a', withAll], ['b', anonymous]] as const) {
      const got = res.data![alias];
      expect(got.chargePointId).toBe(String(s.chargePointId));
      expect(got.evseId).toBe(String(s.evseId));
      expect(got.connectorId).toBe(idOrNull(s.connectorId));
      expect(got.userId).toBe(idOrNull(s.userId));
      expect(got.chargePoint).toEqual({ id: String(s.chargePointId), name: store().get('ChargePoint', s.chargePointId)!.name });
      expect(got.evse).toEqual({ id: String(s.evseId), networkId: String(store().get('Evse', s.evseId)!.networkId) });
      if (s.connectorId != null) {
        expect(got.connector).toEqual({ id: String(s.connectorId), type: screaming(store().get('Connector', s.connectorId)!.type) });
      } else {
        expect(got.connector).toBeNull();
      }
      if (s.userId !== null) expect(got.user).toEqual({ id: String(s.userId), email: store().get('User', s.userId)!.email });
      else expect(got.user).toBeNull();
    }
  });

  it('every session of a page links to its own charge point, EVSE and user', async () => {
    const res = await stack.gql(`{ sessions(first: 60) { nodes { id chargePoint { id } evse { id chargePointId } user { id } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.sessions.nodes as any[];
    expect(nodes).toHaveLength(60);
    for (const n of nodes) {
      const s = store().get('Session', n.id)!;
      expect(n.chargePoint).toEqual({ id: String(s.chargePointId) });
      expect(n.evse).toEqual({ id: String(s.evseId), chargePointId: String(s.chargePointId) });
      expect(n.user).toEqual(s.userId === null ? null : { id: String(s.userId) });
    }
  });

  it('User.sessions lists the user\'s sessions newest first; ChargePoint.sessions and Evse.sessions likewise', async () => {
    const counts = new Map<number, number>();
    for (const s of store().list('Session')) if (s.userId !== null) counts.set(s.userId, (counts.get(s.userId) ?? 0) + 1);
    const userId = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const session = store().list('Session').find((s) => s.userId === userId)!;
    const res = await stack.gql(
      `query($u: ID!, $c: ID!, $e: ID!) {
        user(id: $u) { sessions(first: 100) { nodes { id userId } pageInfo { hasNextPage } } }
        chargePoint(id: $c) { sessions(first: 100) { nodes { id chargePointId } pageInfo { hasNextPage } } }
        evse(id: $e) { sessions(first: 100) { nodes { id evseId } pageInfo { hasNextPage } } }
      }`,
      { u: String(userId), c: String(session.chargePointId), e: String(session.evseId) },
    );
    expect(res.errors).toBeUndefined();
    const expectSessions = (conn: any, field: 'userId' | 'chargePointId' | 'evseId', value: string) => {
      const expected = idsOf(store().list('Session').filter((s) => String(s[field]) === value));
      expect(expected.length).toBeGreaterThan(1);
      expect(nodeIds(conn), field).toEqual(expected);
      expect(conn.pageInfo.hasNextPage).toBe(false);
      for (const n of conn.nodes) expect(n[field]).toBe(value);
    };
    expectSessions(res.data!.user.sessions, 'userId', String(userId));
    expectSessions(res.data!.chargePoint.sessions, 'chargePointId', String(session.chargePointId));
    expectSessions(res.data!.evse.sessions, 'evseId', String(session.evseId));
  });

  it('User.sessions pages: a small first page continues where it stopped', async () => {
    const sessionsOf = (userId: number) => idsOf(store().list('Session').filter((s) => s.userId === userId));
    // A user with more sessions than the first page holds.
    const userId = store().list('Session').find((s) => s.userId !== null && sessionsOf(s.userId).length > 2)!.userId!;
    const expected = sessionsOf(userId);
    const first = await stack.gql(`{ user(id: "${userId}") { sessions(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } } }`);
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.user.sessions;
    expect(nodeIds(page1)).toEqual(expected.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await stack.gql(`query($a: String) { user(id: "${userId}") { sessions(first: 100, after: $a) { nodes { id } pageInfo { hasNextPage } } } }`, { a: page1.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(nodeIds(second.data!.user.sessions)).toEqual(expected.slice(2));
    expect(second.data!.user.sessions.pageInfo.hasNextPage).toBe(false);
  });
});

describe('User <-> ChargePoint (owners of personal charge points)', () => {
  it('User.chargePoints lists the charge points the user owns; ChargePoint.owner points back', async () => {
    const owned = store().list('ChargePoint').filter((cp) => ownerOf(cp) !== null);
    expect(owned.length).toBeGreaterThan(0);
    const owners = [...new Set(owned.map((cp) => ownerOf(cp)!))];
    const res = await stack.gql(
      `{ chargePoints(first: 100) { nodes { id owner { id email } } } ${owners
        .map((id, i) => `u${i}: user(id: "${id}") { id chargePoints(first: 50) { nodes { id owner { id } } } }`)
        .join(' ')} }`,
    );
    expect(res.errors).toBeUndefined();
    owners.forEach((id, i) => {
      const expected = idsOf(owned.filter((cp) => ownerOf(cp) === id));
      const got = res.data![`u${i}`];
      expect(nodeIds(got.chargePoints), `user ${id}`).toEqual(expected);
      for (const cp of got.chargePoints.nodes) expect(cp.owner).toEqual({ id });
    });
    for (const n of res.data!.chargePoints.nodes as { id: string; owner: any }[]) {
      const owner = ownerOf(store().get('ChargePoint', n.id)!);
      expect(n.owner, `charge point ${n.id}`).toEqual(owner === null ? null : { id: owner, email: store().get('User', owner)!.email });
    }
  });

  it('a user owning no charge point has an empty chargePoints connection', async () => {
    const owners = new Set(store().list('ChargePoint').map(ownerOf));
    const user = store().list('User').find((u) => !owners.has(u.id))!;
    const res = await stack.gql(`{ user(id: "${user.id}") { chargePoints { nodes { id } edges { cursor } pageInfo { hasNextPage endCursor } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.user.chargePoints).toEqual({ nodes: [], edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
