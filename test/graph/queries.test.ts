/**
 * Single reads and first pages of every type: the graph shows what AMPECO stores (ids as strings,
 * enums in SCREAMING_CASE, date-times unchanged, nested objects), unknown ids read as null.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimRecord } from '../../simulator/index.js';
import { idOrNull, idsOf, screaming } from '../support/graph.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const store = () => stack.sim.store;

/** A record whose enum value has a space or a hyphen when the world holds one (better mapping evidence). */
function pickOdd<T extends SimRecord>(records: T[], field: string): T {
  return records.find((r) => typeof r[field] === 'string' && /[ -]/.test(r[field])) ?? records[0]!;
}

describe('single reads', () => {
  it('chargePoint(id:) returns the stored charge point', async () => {
    const cp = pickOdd(store().list('ChargePoint'), 'status');
    const res = await stack.gql(
      `query($id: ID!) { chargePoint(id: $id) {
        id name type status networkStatus locationId chargingZoneId pin createdAt lastUpdatedAt firstContactAt tags
        network { id protocol port } security { currentProfile desiredProfile } user { id }
      } }`,
      { id: String(cp.id) },
    );
    expect(res.errors).toBeUndefined();
    const got = res.data!.chargePoint;
    const network = cp.network as { id: string; protocol: string; port: number };
    const security = cp.security as { currentProfile: number; desiredProfile: number };
    expect(got).toEqual({
      id: String(cp.id),
      name: cp.name,
      type: screaming(cp.type as string),
      status: screaming(cp.status),
      networkStatus: screaming(cp.networkStatus as string),
      locationId: idOrNull(cp.locationId),
      chargingZoneId: idOrNull(cp.chargingZoneId),
      pin: cp.pin,
      createdAt: cp.createdAt,
      lastUpdatedAt: cp.lastUpdatedAt,
      firstContactAt: cp.firstContactAt,
      tags: cp.tags,
      network: { id: network.id, protocol: screaming(network.protocol), port: network.port },
      security: { currentProfile: security.currentProfile, desiredProfile: security.desiredProfile },
      user: { id: idOrNull((cp.user as { id: unknown }).id) },
    });
    // A multi-word AMPECO value really is mapped, not passed through.
    expect(got.status).toMatch(/^[A-Z0-9_]+$/);
  });

  it('maps every stored charge point status and network status to its SCREAMING_CASE value', async () => {
    const res = await stack.gql(`{ chargePoints(first: 100) { nodes { id status networkStatus } } }`);
    expect(res.errors).toBeUndefined();
    const expected = store().list('ChargePoint').map((cp) => ({ id: String(cp.id), status: screaming(cp.status), networkStatus: screaming(cp.networkStatus as string) }));
    expect(res.data!.chargePoints.nodes).toEqual(expected);
  });

  it('location(id:) returns the stored location with its translations and nested objects', async () => {
    const loc = store().list('Location').find((l) => (l.workingHours as { isAlwaysOpen: boolean }).isAlwaysOpen === false) ?? store().list('Location')[0]!;
    const res = await stack.gql(
      `query($id: ID!) { location(id: $id) {
        id externalId city country postCode timezone lastUpdatedAt tags
        name { locale translation } address { locale translation } geoposition { latitude longitude }
        workingHours { isAlwaysOpen hours { monday { start end } } }
      } }`,
      { id: String(loc.id) },
    );
    expect(res.errors).toBeUndefined();
    const wh = loc.workingHours as { isAlwaysOpen: boolean; hours: { monday?: unknown } | null };
    expect(res.data!.location).toEqual({
      id: String(loc.id),
      externalId: idOrNull(loc.externalId),
      city: loc.city,
      country: loc.country,
      postCode: loc.postCode,
      timezone: loc.timezone,
      lastUpdatedAt: loc.lastUpdatedAt,
      tags: loc.tags,
      name: loc.name,
      address: loc.address,
      geoposition: loc.geoposition,
      workingHours: { isAlwaysOpen: wh.isAlwaysOpen, hours: wh.hours ? { monday: wh.hours.monday ?? null } : null },
    });
  });

  it('chargingZone(locationId:, id:) returns the stored zone', async () => {
    const zone = store().list('ChargingZone').at(-1)!;
    const res = await stack.gql(
      `query($l: ID!, $id: ID!) { chargingZone(locationId: $l, id: $id) { id name locationId status additionalInfo { enabled } } }`,
      { l: String(zone.locationId), id: String(zone.id) },
    );
    expect(res.errors).toBeUndefined();
    const info = zone.additionalInfo as { enabled: boolean | null } | null | undefined;
    expect(res.data!.chargingZone).toEqual({
      id: String(zone.id),
      name: zone.name,
      locationId: String(zone.locationId),
      status: screaming(zone.status),
      additionalInfo: info ? { enabled: info.enabled ?? null } : null,
    });
  });

  it('evse(id:) returns the stored EVSE', async () => {
    const evse = pickOdd(store().list('Evse'), 'status');
    const res = await stack.gql(
      `query($id: ID!) { evse(id: $id) {
        id chargePointId networkId physicalReference label currentType status hardwareStatus createdAt lastUpdatedAt
        powerOptions { maxPower maxAmperage phases } roaming { evseId tariffIds }
      } }`,
      { id: String(evse.id) },
    );
    expect(res.errors).toBeUndefined();
    const power = evse.powerOptions as { maxPower: number; maxAmperage: number; phases: string };
    const roaming = evse.roaming as { evseId: string; tariffIds: unknown[] };
    expect(res.data!.evse).toEqual({
      id: String(evse.id),
      chargePointId: String(evse.chargePointId),
      networkId: String(evse.networkId),
      physicalReference: evse.physicalReference,
      label: evse.label,
      currentType: screaming(evse.currentType as string),
      status: screaming(evse.status),
      hardwareStatus: evse.hardwareStatus === null ? null : screaming(evse.hardwareStatus),
      createdAt: evse.createdAt,
      lastUpdatedAt: evse.lastUpdatedAt,
      powerOptions: { maxPower: power.maxPower, maxAmperage: power.maxAmperage, phases: screaming(power.phases) },
      roaming: { evseId: roaming.evseId, tariffIds: roaming.tariffIds },
    });
  });

  it('connector(evseId:, id:) returns the stored connector with its parents', async () => {
    const connector = store().list('Connector').at(-1)!;
    const parents = store().parentsOf('Connector', connector.id)!;
    const res = await stack.gql(
      `query($e: ID!, $id: ID!) { connector(evseId: $e, id: $id) { id type format status evseId chargePointId } }`,
      { e: String(parents.evse), id: String(connector.id) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.connector).toEqual({
      id: String(connector.id),
      type: screaming(connector.type),
      format: connector.format ? screaming(connector.format) : null,
      status: connector.status ? screaming(connector.status) : null,
      evseId: String(parents.evse),
      chargePointId: String(parents.chargePoint),
    });
  });

  it('session(id:) returns the stored session', async () => {
    const session = store().list('Session').find((s) => s.status === 'finished' && s.userId !== null && s.connectorId)!;
    const res = await stack.gql(
      `query($id: ID!) { session(id: $id) {
        id chargePointId evseId connectorId userId status reason startedAt stoppedAt energy currency paymentType
        totalAmount { withTax withoutTax } energyConsumption { total grid }
      } }`,
      { id: session.id },
    );
    expect(res.errors).toBeUndefined();
    const total = session.totalAmount as { withTax: number; withoutTax: number };
    const consumption = session.energyConsumption as { total: number; grid: number };
    expect(res.data!.session).toEqual({
      id: session.id,
      chargePointId: String(session.chargePointId),
      evseId: String(session.evseId),
      connectorId: idOrNull(session.connectorId),
      userId: idOrNull(session.userId),
      status: 'FINISHED',
      reason: screaming(session.reason as string),
      startedAt: session.startedAt,
      stoppedAt: session.stoppedAt,
      energy: session.energy,
      currency: session.currency,
      paymentType: screaming(session.paymentType as string),
      totalAmount: { withTax: total.withTax, withoutTax: total.withoutTax },
      energyConsumption: { total: consumption.total, grid: consumption.grid },
    });
  });

  it('user(id:) returns the stored user', async () => {
    const user = store().list('User').find((u) => u.emailVerified) ?? store().list('User')[0]!;
    const res = await stack.gql(
      `query($id: ID!) { user(id: $id) { id email firstName lastName phone city balance status createdAt lastUpdatedAt userGroupIds options { sessionsAllowed } } }`,
      { id: user.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.user).toEqual({
      id: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      phone: user.phone,
      city: user.city,
      balance: user.balance,
      status: screaming(user.status as string),
      createdAt: user.createdAt,
      lastUpdatedAt: user.lastUpdatedAt,
      userGroupIds: (user.userGroupIds as unknown[]).map(String),
      options: { sessionsAllowed: screaming((user.options as { sessionsAllowed: string }).sessionsAllowed) },
    });
  });
});

describe('unknown ids', () => {
  it('read as null without errors, for every type', async () => {
    const loc = store().list('Location')[0]!;
    const connector = store().list('Connector')[0]!;
    const res = await stack.gql(`{
      location(id: "999999") { id }
      chargingZone(locationId: "${loc.id}", id: "999999") { id }
      zoneOfUnknownLocation: chargingZone(locationId: "999999", id: "1") { id }
      chargePoint(id: "999999") { id }
      evse(id: "999999") { id }
      connector(evseId: "${store().parentsOf('Connector', connector.id)!.evse}", id: "999999") { id }
      connectorOfUnknownEvse: connector(evseId: "999999", id: "${connector.id}") { id }
      session(id: "999999") { id }
      user(id: "999999") { id }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(Object.values(res.data!)).toHaveLength(9);
    for (const [field, value] of Object.entries(res.data!)) expect(value, field).toBeNull();
  });

  it('an id that cannot be an AMPECO id is BAD_USER_INPUT on its field, with no upstream call', async () => {
    stack.sim.clearLog();
    const res = await stack.gql(`{ cp: chargePoint(id: "not-a-number") { id } evse(id: "1") { id } }`);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['cp'], extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' } });
    expect(res.errors![0]!.message).toMatch(/whole number.*"not-a-number"/);
    expect(res.data).toEqual({ cp: null, evse: { id: '1' } });
    expect(stack.sim.log.filter((e) => e.path.includes('/charge-points/'))).toHaveLength(0);
  });

  it('a connector asked under another EVSE than its own is null', async () => {
    const connector = store().list('Connector')[0]!;
    const own = store().parentsOf('Connector', connector.id)!.evse;
    const other = store().list('Evse').find((e) => e.id !== own)!;
    const res = await stack.gql(`{ connector(evseId: "${other.id}", id: "${connector.id}") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.connector).toBeNull();
  });
});

describe('first pages of listings', () => {
  const connectionFields = 'totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id }';

  function expectWellFormed(conn: any, expectedIds: string[], hasNextPage: boolean): void {
    expect(conn.nodes.map((n: { id: string }) => n.id)).toEqual(expectedIds);
    expect(conn.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expectedIds);
    const cursors = conn.edges.map((e: { cursor: string }) => e.cursor);
    for (const c of cursors) expect(typeof c === 'string' && c.length > 0).toBe(true);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(conn.pageInfo.hasNextPage).toBe(hasNextPage);
    expect(conn.pageInfo.endCursor).toBe(cursors.at(-1) ?? null);
  }

  it('chargePoints(first: 5): five charge points in listing order, a next page, no total (cursor listing)', async () => {
    const res = await stack.gql(`{ chargePoints(first: 5) { ${connectionFields} } }`);
    expect(res.errors).toBeUndefined();
    const all = idsOf(store().list('ChargePoint'));
    expectWellFormed(res.data!.chargePoints, all.slice(0, 5), all.length > 5);
    expect(res.data!.chargePoints.totalCount).toBeNull();
  });

  it('locations, evses, users and sessions: first pages in listing order (sessions newest first)', async () => {
    const res = await stack.gql(`{
      locations(first: 4) { ${connectionFields} }
      evses(first: 6) { ${connectionFields} }
      users(first: 7) { ${connectionFields} }
      sessions(first: 9) { ${connectionFields} }
    }`);
    expect(res.errors).toBeUndefined();
    const cases: [string, string, number][] = [['locations', 'Location', 4], ['evses', 'Evse', 6], ['users', 'User', 7], ['sessions', 'Session', 9]];
    for (const [field, type, n] of cases) {
      const all = idsOf(store().list(type));
      expectWellFormed(res.data![field], all.slice(0, n), all.length > n);
      expect(res.data![field].totalCount, field).toBeNull();
    }
    const sessionIds = res.data!.sessions.nodes.map((n: { id: string }) => Number(n.id));
    expect(sessionIds).toEqual([...sessionIds].sort((a, b) => b - a));
  });

  it('chargingZones(locationId:) and connectors(evseId:) list the children of one parent', async () => {
    const loc = store().list('Location').find((l) => store().children('ChargingZone', { location: l.id }).length >= 2)!;
    const zones = idsOf(store().children('ChargingZone', { location: loc.id }));
    const evse = store().list('Evse').find((e) => store().children('Connector', { evse: e.id }).length >= 1)!;
    const connectors = idsOf(store().children('Connector', { evse: evse.id }));
    const res = await stack.gql(
      `query($l: ID!, $e: ID!) {
        chargingZones(locationId: $l, first: 10) { ${connectionFields} }
        connectors(evseId: $e, first: 10) { ${connectionFields} }
      }`,
      { l: String(loc.id), e: String(evse.id) },
    );
    expect(res.errors).toBeUndefined();
    expectWellFormed(res.data!.chargingZones, zones, false);
    expectWellFormed(res.data!.connectors, connectors, false);
    // Connectors come unpaged, so their count is known; zones are a cursor listing, which counts nothing.
    expect(res.data!.connectors.totalCount).toBe(connectors.length);
    expect(res.data!.chargingZones.totalCount).toBeNull();
  });

  it('`first` defaults to 25', async () => {
    const res = await stack.gql(`{ sessions { nodes { id } pageInfo { hasNextPage } } chargePoints { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.sessions.nodes.map((n: { id: string }) => n.id)).toEqual(idsOf(store().list('Session')).slice(0, 25));
    expect(res.data!.sessions.pageInfo.hasNextPage).toBe(store().count('Session') > 25);
    expect(res.data!.chargePoints.nodes.map((n: { id: string }) => n.id)).toEqual(idsOf(store().list('ChargePoint')).slice(0, 25));
  });

  it('contractVersion answers without any upstream call', async () => {
    stack.sim.clearLog();
    const res = await stack.gql(`{ contractVersion }`);
    expect(res.data!.contractVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(stack.upstreamCalls()).toBe(0);
  });
});

describe('fields only a read can fill', () => {
  it("a user's amountDue under a listing is read per user (the listing cannot embed it), and is what a read alone answers", async () => {
    const users = stack.sim.store.list('User').slice(0, 3);
    const alone: unknown[] = [];
    for (const u of users) alone.push((await stack.gql(`{ user(id: "${u.id}") { amountDue } }`)).data!.user.amountDue);
    expect(alone.every((v) => typeof v === 'number')).toBe(true);
    stack.sim.clearLog();
    const res = await stack.gql(`{ users(first: 3) { nodes { id amountDue } } one: user(id: "${users[0]!.id}") { amountDue } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.users.nodes).toEqual(users.map((u, i) => ({ id: String(u.id), amountDue: alone[i] })));
    expect(res.data!.one).toEqual({ amountDue: alone[0] });
    // One listing without the flag (it only exists on the read), then one read per user with it; `one` shares its user's read.
    const listings = stack.sim.log.filter((e) => e.path.endsWith('/users/v1.0'));
    const reads = stack.sim.log.filter((e) => /\/users\/v1\.0\/\d+$/.test(e.path));
    expect(listings).toHaveLength(1);
    expect(listings[0]!.query).not.toContain('withAmountDue');
    expect(reads).toHaveLength(3);
    for (const r of reads) expect(r.query).toContain('withAmountDue=true');
  });
});
