/**
 * Writes and commands: create/update/delete of every writable type, visible afterwards in the graph
 * and in AMPECO's store; the OCPP actions, with what they change upstream.
 *
 * Each test stands alone: what it updates, deletes or stops it first creates itself, straight in
 * AMPECO (the simulator's REST API, behind the facade), and expected ids come from the store.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../simulator/helpers.js';
import { errorWithCode, P, screaming, upstream } from '../support/graph.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterEach(() => stack.sim.clearLog());
afterAll(() => stack?.close());

const store = () => stack.sim.store;

/** Runs a mutation, expects no GraphQL error and empty userErrors, returns the payload. */
async function mutate(query: string, variables?: Record<string, unknown>): Promise<any> {
  const res = await stack.gql(query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  const payload = Object.values(res.data!)[0] as { userErrors: unknown[] };
  expect(payload.userErrors).toEqual([]);
  return payload;
}

async function read(query: string, variables?: Record<string, unknown>): Promise<any> {
  const res = await stack.gql(query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

// ---- fixtures: records a test owns, created in AMPECO without going through the facade ----------

/** POSTs to the simulator and returns what it created (or started). Clears the log after, so that tests count only their own calls. */
async function upstreamPost(path: string, body: Record<string, unknown>, status = 201): Promise<any> {
  const res = await api(stack.sim, path, { method: 'POST', body });
  expect(res.status, `${path}: ${res.text}`).toBe(status);
  stack.sim.clearLog();
  return status === 201 ? res.body.data : res.body;
}

const ownLocation = (city = 'Plovdiv') =>
  upstreamPost(P.locations, {
    name: [{ locale: 'en', translation: 'Fixture Garage' }],
    address: [{ locale: 'en', translation: 'Main Street 1' }],
    geoposition: { latitude: 42.1354, longitude: 24.7453 },
    country: 'BG',
    city,
  }) as Promise<{ id: number }>;
const ownZone = (locationId: number) => upstreamPost(`${P.locations}/${locationId}/charging-zones`, { name: 'Fixture Zone', status: 'enabled' }) as Promise<{ id: number }>;
const ownChargePoint = (locationId: number) =>
  upstreamPost(P.chargePoints, { name: 'Fixture CP', type: 'public', status: 'enabled', locationId }) as Promise<{ id: number; locationId: number }>;
const ownEvse = (chargePointId: number) =>
  upstreamPost(P.evses, { chargePointId, physicalReference: 'F', currentType: 'ac', networkId: '1', status: 'enabled' }) as Promise<{ id: number; chargePointId: number }>;
const ownConnector = (chargePointId: number, evseId: number) =>
  upstreamPost(`${P.chargePoints}/${chargePointId}/evses/${evseId}/connectors`, { type: 'ccs2', format: 'cable' }) as Promise<{ id: number }>;
const ownUser = (email: string) => upstreamPost(P.users, { email, password: 'Secret123!', first_name: 'Ada', last_name: 'Lovelace' }) as Promise<{ id: string }>;

/** A charge point with one EVSE of its own, under a seeded location. */
async function ownEvseWithChargePoint(): Promise<{ chargePointId: string; evseId: string }> {
  const cp = await ownChargePoint(store().list('Location')[0]!.id);
  const evse = await ownEvse(cp.id);
  return { chargePointId: String(cp.id), evseId: String(evse.id) };
}

/** The store's ids of a type, to find what a create added. */
const idsIn = (type: string): Set<string> => new Set(store().list(type).map((r) => String(r.id)));

/** The one id of `type` in the store that was not in `before`: the record the mutation created. */
function addedId(type: string, before: Set<string>): string {
  const fresh = [...idsIn(type)].filter((id) => !before.has(id));
  expect(fresh, `${type} records created`).toHaveLength(1);
  return fresh[0]!;
}

describe('Location', () => {
  it('createLocation returns the location; it is in the store and readable', async () => {
    const before = idsIn('Location');
    const payload = await mutate(
      `mutation($input: CreateLocationInput!) { createLocation(input: $input) { location { id city country name { locale translation } geoposition { latitude longitude } } userErrors { field message code } } }`,
      {
        input: {
          name: [{ locale: 'en', translation: 'Test Garage' }],
          address: [{ locale: 'en', translation: 'Main Street 1' }],
          geoposition: { latitude: 42.1354, longitude: 24.7453 },
          country: 'BG',
          city: 'Plovdiv',
          tags: ['test'],
        },
      },
    );
    const id = addedId('Location', before);
    expect(payload.location).toEqual({
      id,
      city: 'Plovdiv',
      country: 'BG',
      name: [{ locale: 'en', translation: 'Test Garage' }],
      geoposition: { latitude: 42.1354, longitude: 24.7453 },
    });
    expect(upstream(stack.sim, (e) => e.method === 'POST' && e.path === P.locations)).toHaveLength(1);
    expect(store().get('Location', id)).toMatchObject({ city: 'Plovdiv', country: 'BG', tags: ['test'] });
    expect((await read(`{ location(id: "${id}") { id city tags } }`)).location).toEqual({ id, city: 'Plovdiv', tags: ['test'] });
  });

  it('updateLocation changes the given fields only', async () => {
    const id = String((await ownLocation('Plovdiv')).id);
    const payload = await mutate(`mutation { updateLocation(id: "${id}", input: { city: "Varna", tags: ["sea"] }) { location { id city country tags } userErrors { message } } }`);
    expect(payload.location).toEqual({ id, city: 'Varna', country: 'BG', tags: ['sea'] });
    expect(store().get('Location', id)).toMatchObject({ city: 'Varna', country: 'BG', tags: ['sea'] });
    expect((await read(`{ location(id: "${id}") { city name { translation } } }`)).location).toEqual({ city: 'Varna', name: [{ translation: 'Fixture Garage' }] });
  });

  it('deleteLocation returns the id; the location reads as null afterwards', async () => {
    const id = String((await ownLocation()).id);
    const payload = await mutate(`mutation { deleteLocation(id: "${id}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(id);
    expect(store().get('Location', id)).toBeUndefined();
    expect((await read(`{ location(id: "${id}") { id } }`)).location).toBeNull();
  });
});

describe('ChargingZone (under a location)', () => {
  it('createChargingZone adds a zone to the location', async () => {
    const locationId = String((await ownLocation()).id);
    const before = idsIn('ChargingZone');
    const payload = await mutate(
      `mutation { createChargingZone(locationId: "${locationId}", input: { name: "Level -2", status: ENABLED }) { chargingZone { id name status locationId location { id } } userErrors { message } } }`,
    );
    const id = addedId('ChargingZone', before);
    expect(payload.chargingZone).toEqual({ id, name: 'Level -2', status: 'ENABLED', locationId, location: { id: locationId } });
    expect(store().children('ChargingZone', { location: locationId }).map((z) => String(z.id))).toEqual([id]);
    const data = await read(`{ location(id: "${locationId}") { chargingZones { id name } } }`);
    expect(data.location.chargingZones).toEqual([{ id, name: 'Level -2' }]);
  });

  it('updateChargingZone changes it', async () => {
    const location = await ownLocation();
    const locationId = String(location.id);
    const id = String((await ownZone(location.id)).id);
    const payload = await mutate(`mutation { updateChargingZone(locationId: "${locationId}", id: "${id}", input: { name: "Level -3", status: DISABLED }) { chargingZone { id name status } userErrors { message } } }`);
    expect(payload.chargingZone).toEqual({ id, name: 'Level -3', status: 'DISABLED' });
    expect(store().get('ChargingZone', id)).toMatchObject({ name: 'Level -3', status: 'disabled' });
    expect((await read(`{ chargingZone(locationId: "${locationId}", id: "${id}") { name status } }`)).chargingZone).toEqual({ name: 'Level -3', status: 'DISABLED' });
  });

  it('deleteChargingZone removes it', async () => {
    const location = await ownLocation();
    const locationId = String(location.id);
    const id = String((await ownZone(location.id)).id);
    const payload = await mutate(`mutation { deleteChargingZone(locationId: "${locationId}", id: "${id}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(id);
    expect(store().get('ChargingZone', id)).toBeUndefined();
    const data = await read(`{ chargingZone(locationId: "${locationId}", id: "${id}") { id } location(id: "${locationId}") { chargingZones { id } } }`);
    expect(data).toEqual({ chargingZone: null, location: { chargingZones: [] } });
  });
});

describe('ChargePoint', () => {
  it('createChargePoint returns it with its relations resolvable', async () => {
    const locationId = String((await ownLocation()).id);
    const before = idsIn('ChargePoint');
    const payload = await mutate(
      `mutation($l: ID!) { createChargePoint(input: { name: "Test CP", type: PUBLIC, status: ENABLED, locationId: $l, tags: ["t1"] }) { chargePoint { id name type status locationId tags location { id } evses { id } } userErrors { message } } }`,
      { l: locationId },
    );
    const id = addedId('ChargePoint', before);
    expect(payload.chargePoint).toEqual({ id, name: 'Test CP', type: 'PUBLIC', status: 'ENABLED', locationId, tags: ['t1'], location: { id: locationId }, evses: [] });
    expect(store().get('ChargePoint', id)).toMatchObject({ name: 'Test CP', type: 'public', status: 'enabled', locationId: Number(locationId) });
    const data = await read(`{ location(id: "${locationId}") { chargePoints(first: 100) { nodes { id } } } }`);
    expect(data.location.chargePoints.nodes).toEqual([{ id }]);
  });

  it('updateChargePoint changes it, including an enum with a space upstream', async () => {
    const id = String((await ownChargePoint(store().list('Location')[0]!.id)).id);
    const payload = await mutate(`mutation { updateChargePoint(id: "${id}", input: { name: "Renamed CP", status: OUT_OF_ORDER }) { chargePoint { id name status type } userErrors { message } } }`);
    expect(payload.chargePoint).toEqual({ id, name: 'Renamed CP', status: 'OUT_OF_ORDER', type: 'PUBLIC' });
    expect(store().get('ChargePoint', id)).toMatchObject({ name: 'Renamed CP', status: 'out of order' });
    expect((await read(`{ chargePoint(id: "${id}") { name status } }`)).chargePoint).toEqual({ name: 'Renamed CP', status: 'OUT_OF_ORDER' });
  });

  it('a reference to a missing location is refused as userErrors', async () => {
    const locationId = store().list('Location')[0]!.id;
    const id = String((await ownChargePoint(locationId)).id);
    const res = await stack.gql(`mutation { updateChargePoint(id: "${id}", input: { locationId: "999999" }) { chargePoint { id } userErrors { field code } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateChargePoint).toEqual({ chargePoint: null, userErrors: [{ field: ['input', 'locationId'], code: 'INVALID' }] });
    expect(store().get('ChargePoint', id)!.locationId).toBe(locationId);
  });

  it('deleteChargePoint removes it', async () => {
    const id = String((await ownChargePoint(store().list('Location')[0]!.id)).id);
    const payload = await mutate(`mutation { deleteChargePoint(id: "${id}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(id);
    expect(store().get('ChargePoint', id)).toBeUndefined();
    expect((await read(`{ chargePoint(id: "${id}") { id } }`)).chargePoint).toBeNull();
  });

  it('updating or deleting a charge point that does not exist is NOT_FOUND, not a silent success', async () => {
    expect(store().get('ChargePoint', 999999)).toBeUndefined();
    const update = await stack.gql(`mutation { updateChargePoint(id: "999999", input: { name: "x" }) { chargePoint { id } userErrors { code } } }`);
    const del = await stack.gql(`mutation { deleteChargePoint(id: "999999") { deletedId userErrors { code } } }`);
    for (const [res, field, method] of [[update, 'updateChargePoint', 'PATCH'], [del, 'deleteChargePoint', 'DELETE']] as const) {
      const error = errorWithCode(res, 'NOT_FOUND');
      expect(res.errors, field).toHaveLength(1);
      expect(error.path).toEqual([field]);
      expect(error.extensions!.upstream).toEqual({ status: 404, method, path: `${P.chargePoints}/999999` });
      expect(res.data).toEqual({ [field]: null });
    }
  });
});

describe('Evse and Connector (under an EVSE)', () => {
  it('createEvse adds an EVSE to the charge point', async () => {
    const chargePointId = String((await ownChargePoint(store().list('Location')[0]!.id)).id);
    const before = idsIn('Evse');
    const payload = await mutate(
      `mutation($cp: ID!) { createEvse(input: { chargePointId: $cp, physicalReference: "Z", networkId: "9", currentType: DC, status: ENABLED, label: "Test EVSE" }) { evse { id chargePointId networkId currentType status label connectors { id } } userErrors { message } } }`,
      { cp: chargePointId },
    );
    const evseId = addedId('Evse', before);
    expect(payload.evse).toEqual({ id: evseId, chargePointId, networkId: '9', currentType: 'DC', status: 'ENABLED', label: 'Test EVSE', connectors: [] });
    expect(store().get('Evse', evseId)).toMatchObject({ chargePointId: Number(chargePointId), currentType: 'dc', networkId: '9' });
    const data = await read(`{ chargePoint(id: "${chargePointId}") { evses { id } } }`);
    expect(data.chargePoint.evses).toEqual([{ id: evseId }]);
  });

  it('updateEvse changes it', async () => {
    const { evseId } = await ownEvseWithChargePoint();
    const payload = await mutate(`mutation { updateEvse(id: "${evseId}", input: { label: "Renamed EVSE", status: DISABLED }) { evse { id label status } userErrors { message } } }`);
    expect(payload.evse).toEqual({ id: evseId, label: 'Renamed EVSE', status: 'DISABLED' });
    expect(store().get('Evse', evseId)).toMatchObject({ label: 'Renamed EVSE', status: 'disabled' });
  });

  it('createConnector adds a connector under the EVSE, with both parent ids', async () => {
    const { chargePointId, evseId } = await ownEvseWithChargePoint();
    const before = idsIn('Connector');
    const payload = await mutate(`mutation { createConnector(evseId: "${evseId}", input: { type: CCS2, format: CABLE }) { connector { id type format evseId chargePointId evse { id } } userErrors { message } } }`);
    const connectorId = addedId('Connector', before);
    expect(payload.connector).toEqual({ id: connectorId, type: 'CCS2', format: 'CABLE', evseId, chargePointId, evse: { id: evseId } });
    expect(store().parentsOf('Connector', connectorId)).toEqual({ chargePoint: Number(chargePointId), evse: Number(evseId) });
    const data = await read(`{ evse(id: "${evseId}") { connectors { id type } } connector(evseId: "${evseId}", id: "${connectorId}") { id type } }`);
    expect(data.evse.connectors).toEqual([{ id: connectorId, type: 'CCS2' }]);
    expect(data.connector).toEqual({ id: connectorId, type: 'CCS2' });
  });

  it('updateConnector changes it', async () => {
    const { chargePointId, evseId } = await ownEvseWithChargePoint();
    const connectorId = String((await ownConnector(Number(chargePointId), Number(evseId))).id);
    const payload = await mutate(`mutation { updateConnector(evseId: "${evseId}", id: "${connectorId}", input: { type: CHADEMO }) { connector { id type format } userErrors { message } } }`);
    expect(payload.connector).toEqual({ id: connectorId, type: 'CHADEMO', format: 'CABLE' });
    expect(store().get('Connector', connectorId)).toMatchObject({ type: 'chademo' });
    expect((await read(`{ evse(id: "${evseId}") { connectors { id type } } }`)).evse.connectors).toEqual([{ id: connectorId, type: 'CHADEMO' }]);
  });

  it('deleteConnector removes it', async () => {
    const { chargePointId, evseId } = await ownEvseWithChargePoint();
    const connectorId = String((await ownConnector(Number(chargePointId), Number(evseId))).id);
    const payload = await mutate(`mutation { deleteConnector(evseId: "${evseId}", id: "${connectorId}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(connectorId);
    expect(store().get('Connector', connectorId)).toBeUndefined();
    const data = await read(`{ connector(evseId: "${evseId}", id: "${connectorId}") { id } evse(id: "${evseId}") { connectors { id } } }`);
    expect(data).toEqual({ connector: null, evse: { connectors: [] } });
  });

  it('deleteEvse removes it', async () => {
    const { chargePointId, evseId } = await ownEvseWithChargePoint();
    const payload = await mutate(`mutation { deleteEvse(id: "${evseId}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(evseId);
    expect(store().get('Evse', evseId)).toBeUndefined();
    const data = await read(`{ evse(id: "${evseId}") { id } chargePoint(id: "${chargePointId}") { evses { id } } }`);
    expect(data).toEqual({ evse: null, chargePoint: { evses: [] } });
  });

  it('two writes in one operation: the second payload sees the first, not a cached copy', async () => {
    const { chargePointId, evseId } = await ownEvseWithChargePoint();
    const sibling = String((await ownEvse(Number(chargePointId))).id);
    const res = await stack.gql(`mutation {
      a: updateEvse(id: "${evseId}", input: { label: "First" }) { evse { label chargePoint { evses { id label } } } userErrors { message } }
      b: updateEvse(id: "${evseId}", input: { label: "Second" }) { evse { label chargePoint { evses { id label } } } userErrors { message } }
    }`);
    expect(res.errors).toBeUndefined();
    const siblingLabel = store().get('Evse', sibling)!.label ?? null;
    expect(res.data).toEqual({
      a: { evse: { label: 'First', chargePoint: { evses: [{ id: evseId, label: 'First' }, { id: sibling, label: siblingLabel }] } }, userErrors: [] },
      b: { evse: { label: 'Second', chargePoint: { evses: [{ id: evseId, label: 'Second' }, { id: sibling, label: siblingLabel }] } }, userErrors: [] },
    });
    expect(store().get('Evse', evseId)!.label).toBe('Second');
  });
});

describe('User', () => {
  it('createUser returns the user (snake_case input fields land in camelCase fields)', async () => {
    const before = idsIn('User');
    const payload = await mutate(
      `mutation { createUser(input: { email: "ada.lovelace@example.com", password: "Secret123!", firstName: "Ada", lastName: "Lovelace", phone: "+4915100000" }) { user { id email firstName lastName phone status } userErrors { message } } }`,
    );
    const id = addedId('User', before);
    expect(payload.user).toEqual({ id, email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: '+4915100000', status: 'ENABLED' });
    expect(store().get('User', id)).toMatchObject({ email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    const data = await read(`query($e: String) { users(first: 5, filter: { email: $e }) { nodes { id } } }`, { e: 'ada.lovelace@example.com' });
    expect(data.users.nodes).toEqual([{ id }]);
  });

  it('updateUser changes it', async () => {
    const { id } = await ownUser('augusta.update@example.com');
    const payload = await mutate(`mutation { updateUser(id: "${id}", input: { firstName: "Augusta", city: "London" }) { user { id firstName lastName city } userErrors { message } } }`);
    expect(payload.user).toEqual({ id, firstName: 'Augusta', lastName: 'Lovelace', city: 'London' });
    expect((await read(`{ user(id: "${id}") { firstName city } }`)).user).toEqual({ firstName: 'Augusta', city: 'London' });
  });

  it('deleteUser removes it', async () => {
    const { id } = await ownUser('ada.delete@example.com');
    const payload = await mutate(`mutation { deleteUser(id: "${id}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(id);
    expect(store().get('User', id)).toBeUndefined();
    expect((await read(`{ user(id: "${id}") { id } }`)).user).toBeNull();
  });
});

describe('actions', () => {
  /** An enabled, available EVSE of an enabled charge point with no running session, as the store has it now. */
  function freeEvse() {
    const busy = new Set(store().list('Session').filter((s) => s.status === 'active').map((s) => s.evseId));
    const evse = store().list('Evse').find((e) => {
      const cp = store().get('ChargePoint', e.chargePointId);
      return e.status === 'enabled' && e.hardwareStatus === 'available' && !busy.has(e.id) && cp?.status === 'enabled';
    });
    expect(evse, 'a free EVSE in the store').toBeDefined();
    return evse!;
  }
  const user = () => store().list('User').find((u) => u.status === 'enabled')!;

  /** A session the test starts itself, straight in AMPECO, on a free EVSE. */
  async function ownSession(): Promise<{ sessionId: string; chargePointId: string; evseId: string; networkId: string }> {
    const evse = freeEvse();
    const started = await upstreamPost(`${P.actions}/evse/v1.0/${evse.id}/start`, {}, 202);
    expect(started.success).toBe(true);
    return { sessionId: String(started.sessionId), chargePointId: String(evse.chargePointId), evseId: String(evse.id), networkId: String(evse.networkId) };
  }

  it('startChargingSessionOnEvse starts an active session on that EVSE', async () => {
    const evse = freeEvse();
    const u = user();
    const before = idsIn('Session');
    const payload = await mutate(
      `mutation($e: ID!, $u: ID) { startChargingSessionOnEvse(evseId: $e, input: { userId: $u }) { accepted success sessionId session { id status evseId chargePointId userId } evse { id hardwareStatus } userErrors { field message code } } }`,
      { e: String(evse.id), u: u.id },
    );
    const sessionId = addedId('Session', before);
    expect(payload).toEqual({
      accepted: true,
      success: true,
      sessionId,
      session: { id: sessionId, status: 'ACTIVE', evseId: String(evse.id), chargePointId: String(evse.chargePointId), userId: u.id },
      evse: { id: String(evse.id), hardwareStatus: 'CHARGING' },
      userErrors: [],
    });
    expect(store().get('Session', sessionId)).toMatchObject({ status: 'active', evseId: evse.id, userId: Number(u.id) });
    expect(upstream(stack.sim, (e) => e.method === 'POST').map((e) => e.path)).toEqual([`${P.actions}/evse/v1.0/${evse.id}/start`]);
  });

  it('a second start on the same EVSE is accepted by AMPECO but refused by the charge point logic', async () => {
    const running = await ownSession();
    const before = idsIn('Session');
    const res = await stack.gql(`mutation { startChargingSessionOnEvse(evseId: "${running.evseId}") { accepted success errorCode session { id } userErrors { message } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.startChargingSessionOnEvse).toEqual({ accepted: true, success: false, errorCode: 'SESSION_EXISTS', session: null, userErrors: [] });
    expect(idsIn('Session')).toEqual(before);
  });

  it('stopChargingSession finishes it', async () => {
    const running = await ownSession();
    const payload = await mutate(
      `mutation($c: ID!, $s: ID!) { stopChargingSession(chargePointId: $c, sessionId: $s) { accepted session { id status } userErrors { message } } }`,
      { c: running.chargePointId, s: running.sessionId },
    );
    expect(payload.accepted).toBe(true);
    expect(payload.session).toEqual({ id: running.sessionId, status: 'FINISHED' });
    const stored = store().get('Session', running.sessionId)!;
    expect(stored.status).toBe('finished');
    const data = await read(`{ session(id: "${running.sessionId}") { status stoppedAt reason } }`);
    expect(data.session).toEqual({ status: 'FINISHED', stoppedAt: stored.stoppedAt, reason: 'REMOTE' });
  });

  it('startChargingSession (by charge point) starts a session on one of its EVSEs', async () => {
    const cp = String(freeEvse().chargePointId);
    const u = user();
    const before = idsIn('Session');
    const payload = await mutate(
      `mutation($c: ID!, $u: ID) { startChargingSession(chargePointId: $c, input: { userId: $u }) { accepted success chargePoint { id } session { id status user { id } } userErrors { message } } }`,
      { c: cp, u: u.id },
    );
    // AMPECO names only the authorization; the payload finds the session that carries it.
    const sessionId = addedId('Session', before);
    expect(store().get('Session', sessionId)).toMatchObject({ status: 'active', chargePointId: Number(cp), userId: Number(u.id) });
    expect(payload).toEqual({ accepted: true, success: true, chargePoint: { id: cp }, session: { id: sessionId, status: 'ACTIVE', user: { id: String(u.id) } }, userErrors: [] });
    expect(upstream(stack.sim, (e) => e.method === 'POST').map((e) => e.path)).toEqual([`${P.actions}/charge-point/v1.0/${cp}/start`]);
  });

  it('resetChargePoint(type: SOFT) sends the soft reset', async () => {
    const cp = String(store().list('ChargePoint')[0]!.id);
    const payload = await mutate(`mutation { resetChargePoint(chargePointId: "${cp}", type: SOFT) { accepted success chargePoint { id name } userErrors { message } } }`);
    expect(payload).toEqual({ accepted: true, success: true, chargePoint: { id: cp, name: store().get('ChargePoint', cp)!.name }, userErrors: [] });
    expect(upstream(stack.sim, (e) => e.method === 'POST').map((e) => e.path)).toEqual([`${P.actions}/charge-point/v1.0/${cp}/reset/soft`]);
  });

  it('changeChargePointAvailability(INOPERATIVE) makes its idle EVSEs unavailable; OPERATIVE makes them available', async () => {
    const cp = String(freeEvse().chargePointId);
    const busy = new Set(store().list('Session').filter((s) => s.status === 'active').map((s) => String(s.evseId)));
    const evsesOf = () => store().list('Evse').filter((e) => String(e.chargePointId) === cp);
    const idle = evsesOf().filter((e) => !busy.has(String(e.id)));
    // Charging EVSEs keep their status: the change waits for their sessions to end.
    const expectStatuses = (status: string) =>
      evsesOf().map((e) => ({ id: String(e.id), hardwareStatus: screaming(busy.has(String(e.id)) ? 'charging' : status) }));
    const off = await mutate(`mutation { changeChargePointAvailability(chargePointId: "${cp}", input: { type: INOPERATIVE }) { accepted chargePoint { id evses { id hardwareStatus } } userErrors { message } } }`);
    expect(off).toEqual({ accepted: true, chargePoint: { id: cp, evses: expectStatuses('unavailable') }, userErrors: [] });
    for (const e of idle) expect(store().get('Evse', e.id)!.hardwareStatus).toBe('unavailable');
    const on = await mutate(`mutation { changeChargePointAvailability(chargePointId: "${cp}", input: { type: OPERATIVE }) { accepted chargePoint { evses { id hardwareStatus } } userErrors { message } } }`);
    expect(on).toEqual({ accepted: true, chargePoint: { evses: expectStatuses('available') }, userErrors: [] });
    for (const e of idle) expect(store().get('Evse', e.id)!.hardwareStatus).toBe('available');
  });

  it('changeChargePointAvailability for one EVSE by its network id', async () => {
    const evse = freeEvse();
    const siblings = store().list('Evse').filter((e) => e.chargePointId === evse.chargePointId && e.id !== evse.id).map((e) => [e.id, e.hardwareStatus] as const);
    await mutate(`mutation { changeChargePointAvailability(chargePointId: "${evse.chargePointId}", input: { type: INOPERATIVE, evseNetworkId: "${evse.networkId}" }) { accepted userErrors { message } } }`);
    expect(store().get('Evse', evse.id)!.hardwareStatus).toBe('unavailable');
    for (const [id, status] of siblings) expect(store().get('Evse', id)!.hardwareStatus).toBe(status);
    await mutate(`mutation { changeChargePointAvailability(chargePointId: "${evse.chargePointId}", input: { type: OPERATIVE, evseNetworkId: "${evse.networkId}" }) { accepted userErrors { message } } }`);
    expect(store().get('Evse', evse.id)!.hardwareStatus).toBe('available');
  });

  it('a command AMPECO defers until charging ends is SCHEDULED, one it passes on at once ACCEPTED', async () => {
    const charging = await ownSession();
    const busy = await mutate(
      `mutation { changeChargePointAvailability(chargePointId: "${charging.chargePointId}", input: { type: INOPERATIVE, evseNetworkId: "${charging.networkId}" }) { accepted outcome userErrors { message } } }`,
    );
    expect(busy).toEqual({ accepted: true, outcome: 'SCHEDULED', userErrors: [] });
    expect(store().get('Evse', charging.evseId)!.hardwareStatus).toBe('charging');
    const idle = freeEvse();
    const now = await mutate(
      `mutation { changeChargePointAvailability(chargePointId: "${idle.chargePointId}", input: { type: OPERATIVE, evseNetworkId: "${idle.networkId}" }) { accepted outcome userErrors { message } } }`,
    );
    expect(now).toEqual({ accepted: true, outcome: 'ACCEPTED', userErrors: [] });
  });

  it('unlockEvse(evseNetworkId:) addresses the EVSE by its network id', async () => {
    const evse = store().list('Evse').find((e) => e.networkId !== String(e.id))!;
    const payload = await mutate(`mutation { unlockEvse(chargePointId: "${evse.chargePointId}", evseNetworkId: "${evse.networkId}") { accepted success chargePoint { id } userErrors { message } } }`);
    expect(payload).toEqual({ accepted: true, success: true, chargePoint: { id: String(evse.chargePointId) }, userErrors: [] });
    expect(upstream(stack.sim, (e) => e.method === 'POST').map((e) => e.path)).toEqual([`${P.actions}/charge-point/v1.0/${evse.chargePointId}/unlock/${evse.networkId}`]);
  });

  it('an action on an unknown charge point: NOT_FOUND', async () => {
    expect(store().get('ChargePoint', 999999)).toBeUndefined();
    for (const [query, field, path] of [
      [`mutation { resetChargePoint(chargePointId: "999999", type: HARD) { accepted } }`, 'resetChargePoint', 'reset/hard'],
      [`mutation { startChargingSession(chargePointId: "999999") { accepted } }`, 'startChargingSession', 'start'],
      [`mutation { unlockEvse(chargePointId: "999999", evseNetworkId: "1") { accepted } }`, 'unlockEvse', 'unlock/1'],
    ] as const) {
      const res = await stack.gql(query);
      const error = errorWithCode(res, 'NOT_FOUND');
      expect(res.errors).toHaveLength(1);
      expect(error.path).toEqual([field]);
      expect(error.extensions!.upstream).toEqual({ status: 404, method: 'POST', path: `${P.actions}/charge-point/v1.0/999999/${path}` });
    }
  });

  it('an action with input AMPECO refuses: userErrors on the payload', async () => {
    const evse = freeEvse();
    expect(store().get('User', 999999)).toBeUndefined();
    const res = await stack.gql(`mutation { startChargingSessionOnEvse(evseId: "${evse.id}", input: { userId: "999999" }) { accepted session { id } userErrors { field code message } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.startChargingSessionOnEvse).toEqual({
      accepted: false,
      session: null,
      // AMPECO's own message for the field.
      userErrors: [{ field: ['input', 'userId'], code: 'INVALID', message: 'The selected user id is invalid.' }],
    });
    expect(store().list('Session').some((s) => s.evseId === evse.id && s.status === 'active')).toBe(false);
  });
});
