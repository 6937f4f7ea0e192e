/**
 * Writes and commands: create/update/delete of every writable type, visible afterwards in the graph
 * and in AMPECO's store; the OCPP actions, with what they change upstream.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorWithCode, P, upstream } from '../support/graph.js';
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

describe('Location', () => {
  let id: string;

  it('createLocation returns the location; it is in the store and readable', async () => {
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
    id = payload.location.id;
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
    const payload = await mutate(`mutation { updateLocation(id: "${id}", input: { city: "Varna", tags: ["sea"] }) { location { id city country tags } userErrors { message } } }`);
    expect(payload.location).toEqual({ id, city: 'Varna', country: 'BG', tags: ['sea'] });
    expect(store().get('Location', id)).toMatchObject({ city: 'Varna', country: 'BG', tags: ['sea'] });
    expect((await read(`{ location(id: "${id}") { city name { translation } } }`)).location).toEqual({ city: 'Varna', name: [{ translation: 'Test Garage' }] });
  });

  it('deleteLocation returns the id; the location reads as null afterwards', async () => {
    const payload = await mutate(`mutation { deleteLocation(id: "${id}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(id);
    expect(store().get('Location', id)).toBeUndefined();
    expect((await read(`{ location(id: "${id}") { id } }`)).location).toBeNull();
  });
});

describe('ChargingZone (under a location)', () => {
  let locationId: string;
  let id: string;

  it('createChargingZone adds a zone to the location', async () => {
    locationId = String(store().list('Location')[0]!.id);
    const payload = await mutate(
      `mutation { createChargingZone(locationId: "${locationId}", input: { name: "Level -2", status: ENABLED }) { chargingZone { id name status locationId location { id } } userErrors { message } } }`,
    );
    id = payload.chargingZone.id;
    expect(payload.chargingZone).toEqual({ id, name: 'Level -2', status: 'ENABLED', locationId, location: { id: locationId } });
    expect(store().children('ChargingZone', { location: locationId }).map((z) => String(z.id))).toContain(id);
    const data = await read(`{ location(id: "${locationId}") { chargingZones { id name } } }`);
    expect(data.location.chargingZones).toContainEqual({ id, name: 'Level -2' });
  });

  it('updateChargingZone changes it', async () => {
    const payload = await mutate(`mutation { updateChargingZone(locationId: "${locationId}", id: "${id}", input: { name: "Level -3", status: DISABLED }) { chargingZone { id name status } userErrors { message } } }`);
    expect(payload.chargingZone).toEqual({ id, name: 'Level -3', status: 'DISABLED' });
    expect(store().get('ChargingZone', id)).toMatchObject({ name: 'Level -3', status: 'disabled' });
    expect((await read(`{ chargingZone(locationId: "${locationId}", id: "${id}") { name status } }`)).chargingZone).toEqual({ name: 'Level -3', status: 'DISABLED' });
  });

  it('deleteChargingZone removes it', async () => {
    const payload = await mutate(`mutation { deleteChargingZone(locationId: "${locationId}", id: "${id}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(id);
    expect(store().get('ChargingZone', id)).toBeUndefined();
    const data = await read(`{ chargingZone(locationId: "${locationId}", id: "${id}") { id } location(id: "${locationId}") { chargingZones { id } } }`);
    expect(data.chargingZone).toBeNull();
    expect(data.location.chargingZones.map((z: { id: string }) => z.id)).not.toContain(id);
  });
});

describe('ChargePoint', () => {
  let id: string;
  let locationId: string;

  it('createChargePoint returns it with its relations resolvable', async () => {
    locationId = String(store().list('Location').at(-1)!.id);
    const payload = await mutate(
      `mutation($l: ID!) { createChargePoint(input: { name: "Test CP", type: PUBLIC, status: ENABLED, locationId: $l, tags: ["t1"] }) { chargePoint { id name type status locationId tags location { id } evses { id } } userErrors { message } } }`,
      { l: locationId },
    );
    id = payload.chargePoint.id;
    expect(payload.chargePoint).toEqual({ id, name: 'Test CP', type: 'PUBLIC', status: 'ENABLED', locationId, tags: ['t1'], location: { id: locationId }, evses: [] });
    expect(store().get('ChargePoint', id)).toMatchObject({ name: 'Test CP', type: 'public', status: 'enabled', locationId: Number(locationId) });
    const data = await read(`{ location(id: "${locationId}") { chargePoints(first: 100) { nodes { id } } } }`);
    expect(data.location.chargePoints.nodes).toContainEqual({ id });
  });

  it('updateChargePoint changes it, including an enum with a space upstream', async () => {
    const payload = await mutate(`mutation { updateChargePoint(id: "${id}", input: { name: "Renamed CP", status: OUT_OF_ORDER }) { chargePoint { id name status type } userErrors { message } } }`);
    expect(payload.chargePoint).toEqual({ id, name: 'Renamed CP', status: 'OUT_OF_ORDER', type: 'PUBLIC' });
    expect(store().get('ChargePoint', id)).toMatchObject({ name: 'Renamed CP', status: 'out of order' });
    expect((await read(`{ chargePoint(id: "${id}") { name status } }`)).chargePoint).toEqual({ name: 'Renamed CP', status: 'OUT_OF_ORDER' });
  });

  it('a reference to a missing location is refused as userErrors', async () => {
    const res = await stack.gql(`mutation { updateChargePoint(id: "${id}", input: { locationId: "999999" }) { chargePoint { id } userErrors { field code } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateChargePoint).toEqual({ chargePoint: null, userErrors: [{ field: ['input', 'locationId'], code: 'INVALID' }] });
    expect(store().get('ChargePoint', id)!.locationId).toBe(Number(locationId));
  });

  it('deleteChargePoint removes it', async () => {
    const payload = await mutate(`mutation { deleteChargePoint(id: "${id}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(id);
    expect(store().get('ChargePoint', id)).toBeUndefined();
    expect((await read(`{ chargePoint(id: "${id}") { id } }`)).chargePoint).toBeNull();
  });

  it('updating or deleting a charge point that does not exist is an error, not a silent success', async () => {
    const update = await stack.gql(`mutation { updateChargePoint(id: "999999", input: { name: "x" }) { chargePoint { id } userErrors { code } } }`);
    const del = await stack.gql(`mutation { deleteChargePoint(id: "999999") { deletedId userErrors { code } } }`);
    for (const [res, field] of [[update, 'updateChargePoint'], [del, 'deleteChargePoint']] as const) {
      const payload = res.data?.[field];
      const notFound = (res.errors ?? []).some((e) => e.extensions?.code === 'NOT_FOUND') || payload?.userErrors?.some((e: { code: string }) => e.code === 'NOT_FOUND');
      expect(notFound, JSON.stringify(res)).toBe(true);
      expect(payload?.deletedId ?? payload?.chargePoint ?? null).toBeNull();
    }
  });
});

describe('Evse and Connector (under an EVSE)', () => {
  let chargePointId: string;
  let evseId: string;
  let connectorId: string;

  it('createEvse adds an EVSE to the charge point', async () => {
    chargePointId = String(store().list('ChargePoint')[3]!.id);
    const payload = await mutate(
      `mutation($cp: ID!) { createEvse(input: { chargePointId: $cp, physicalReference: "Z", networkId: "9", currentType: DC, status: ENABLED, label: "Test EVSE" }) { evse { id chargePointId networkId currentType status label connectors { id } } userErrors { message } } }`,
      { cp: chargePointId },
    );
    evseId = payload.evse.id;
    expect(payload.evse).toEqual({ id: evseId, chargePointId, networkId: '9', currentType: 'DC', status: 'ENABLED', label: 'Test EVSE', connectors: [] });
    expect(store().get('Evse', evseId)).toMatchObject({ chargePointId: Number(chargePointId), currentType: 'dc', networkId: '9' });
    const data = await read(`{ chargePoint(id: "${chargePointId}") { evses { id } } }`);
    expect(data.chargePoint.evses).toContainEqual({ id: evseId });
  });

  it('updateEvse changes it', async () => {
    const payload = await mutate(`mutation { updateEvse(id: "${evseId}", input: { label: "Renamed EVSE", status: DISABLED }) { evse { id label status } userErrors { message } } }`);
    expect(payload.evse).toEqual({ id: evseId, label: 'Renamed EVSE', status: 'DISABLED' });
    expect(store().get('Evse', evseId)).toMatchObject({ label: 'Renamed EVSE', status: 'disabled' });
  });

  it('createConnector adds a connector under the EVSE, with both parent ids', async () => {
    const payload = await mutate(`mutation { createConnector(evseId: "${evseId}", input: { type: CCS2, format: CABLE }) { connector { id type format evseId chargePointId evse { id } } userErrors { message } } }`);
    connectorId = payload.connector.id;
    expect(payload.connector).toEqual({ id: connectorId, type: 'CCS2', format: 'CABLE', evseId, chargePointId, evse: { id: evseId } });
    expect(store().parentsOf('Connector', connectorId)).toEqual({ chargePoint: Number(chargePointId), evse: Number(evseId) });
    const data = await read(`{ evse(id: "${evseId}") { connectors { id type } } connector(evseId: "${evseId}", id: "${connectorId}") { id type } }`);
    expect(data.evse.connectors).toEqual([{ id: connectorId, type: 'CCS2' }]);
    expect(data.connector).toEqual({ id: connectorId, type: 'CCS2' });
  });

  it('updateConnector changes it', async () => {
    const payload = await mutate(`mutation { updateConnector(evseId: "${evseId}", id: "${connectorId}", input: { type: CHADEMO }) { connector { id type format } userErrors { message } } }`);
    expect(payload.connector).toEqual({ id: connectorId, type: 'CHADEMO', format: 'CABLE' });
    expect(store().get('Connector', connectorId)).toMatchObject({ type: 'chademo' });
    expect((await read(`{ evse(id: "${evseId}") { connectors { id type } } }`)).evse.connectors).toEqual([{ id: connectorId, type: 'CHADEMO' }]);
  });

  it('deleteConnector removes it', async () => {
    const payload = await mutate(`mutation { deleteConnector(evseId: "${evseId}", id: "${connectorId}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(connectorId);
    expect(store().get('Connector', connectorId)).toBeUndefined();
    const data = await read(`{ connector(evseId: "${evseId}", id: "${connectorId}") { id } evse(id: "${evseId}") { connectors { id } } }`);
    expect(data).toEqual({ connector: null, evse: { connectors: [] } });
  });

  it('deleteEvse removes it', async () => {
    const payload = await mutate(`mutation { deleteEvse(id: "${evseId}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(evseId);
    expect(store().get('Evse', evseId)).toBeUndefined();
    const data = await read(`{ evse(id: "${evseId}") { id } chargePoint(id: "${chargePointId}") { evses { id } } }`);
    expect(data.evse).toBeNull();
    expect(data.chargePoint.evses.map((e: { id: string }) => e.id)).not.toContain(evseId);
  });

  it('two writes in one operation: the second payload sees the first, not a cached copy', async () => {
    const evse = store().list('Evse')[0]!;
    const res = await stack.gql(`mutation {
      a: updateEvse(id: "${evse.id}", input: { label: "First" }) { evse { label chargePoint { evses { id label } } } userErrors { message } }
      b: updateEvse(id: "${evse.id}", input: { label: "Second" }) { evse { label chargePoint { evses { id label } } } userErrors { message } }
    }`);
    expect(res.errors).toBeUndefined();
    const labelIn = (evses: { id: string; label: string }[]) => evses.find((e) => e.id === String(evse.id))!.label;
    expect(res.data!.a.evse.label).toBe('First');
    expect(labelIn(res.data!.a.evse.chargePoint.evses)).toBe('First');
    expect(res.data!.b.evse.label).toBe('Second');
    expect(labelIn(res.data!.b.evse.chargePoint.evses)).toBe('Second');
    expect(store().get('Evse', evse.id)!.label).toBe('Second');
  });
});

describe('User', () => {
  let id: string;

  it('createUser returns the user (snake_case input fields land in camelCase fields)', async () => {
    const payload = await mutate(
      `mutation { createUser(input: { email: "ada.lovelace@example.com", password: "Secret123!", first_name: "Ada", last_name: "Lovelace", phone: "+4915100000" }) { user { id email firstName lastName phone status } userErrors { message } } }`,
    );
    id = payload.user.id;
    expect(payload.user).toEqual({ id, email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: '+4915100000', status: 'ENABLED' });
    expect(store().get('User', id)).toMatchObject({ email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    const data = await read(`query($e: String) { users(first: 5, filter: { email: $e }) { nodes { id } } }`, { e: 'ada.lovelace@example.com' });
    expect(data.users.nodes).toEqual([{ id }]);
  });

  it('updateUser changes it', async () => {
    const payload = await mutate(`mutation { updateUser(id: "${id}", input: { first_name: "Augusta", city: "London" }) { user { id firstName lastName city } userErrors { message } } }`);
    expect(payload.user).toEqual({ id, firstName: 'Augusta', lastName: 'Lovelace', city: 'London' });
    expect((await read(`{ user(id: "${id}") { firstName city } }`)).user).toEqual({ firstName: 'Augusta', city: 'London' });
  });

  it('deleteUser removes it', async () => {
    const payload = await mutate(`mutation { deleteUser(id: "${id}") { deletedId userErrors { message } } }`);
    expect(payload.deletedId).toBe(id);
    expect(store().get('User', id)).toBeUndefined();
    expect((await read(`{ user(id: "${id}") { id } }`)).user).toBeNull();
  });
});

describe('actions', () => {
  /** An enabled EVSE of an enabled charge point with no running session, preferring charge points with one EVSE free. */
  function freeEvse(exclude: number[] = []) {
    const busy = new Set(store().list('Session').filter((s) => s.status === 'active').map((s) => s.evseId));
    return store().list('Evse').find((e) => {
      const cp = store().get('ChargePoint', e.chargePointId);
      return e.status === 'enabled' && e.hardwareStatus === 'available' && !busy.has(e.id) && cp?.status === 'enabled' && !exclude.includes(e.chargePointId);
    })!;
  }
  const user = () => store().list('User').find((u) => u.status === 'enabled')!;
  let started: { sessionId: string; chargePointId: string; evseId: string };

  it('startChargingSessionOnEvse starts an active session on that EVSE', async () => {
    const evse = freeEvse();
    const u = user();
    const before = store().count('Session');
    const payload = await mutate(
      `mutation($e: ID!, $u: ID) { startChargingSessionOnEvse(evseId: $e, input: { userId: $u }) { accepted success sessionId session { id status evseId chargePointId userId } evse { id hardwareStatus } userErrors { field message code } } }`,
      { e: String(evse.id), u: u.id },
    );
    expect(payload.accepted).toBe(true);
    expect(payload.success).toBe(true);
    expect(payload.session).toEqual({ id: payload.sessionId, status: 'ACTIVE', evseId: String(evse.id), chargePointId: String(evse.chargePointId), userId: u.id });
    expect(payload.evse).toEqual({ id: String(evse.id), hardwareStatus: 'CHARGING' });
    expect(store().count('Session')).toBe(before + 1);
    expect(store().get('Session', payload.sessionId)).toMatchObject({ status: 'active', evseId: evse.id, userId: Number(u.id) });
    expect(upstream(stack.sim, (e) => e.method === 'POST')).toHaveLength(1);
    started = { sessionId: payload.sessionId, chargePointId: String(evse.chargePointId), evseId: String(evse.id) };
  });

  it('a second start on the same EVSE is accepted by AMPECO but refused by the charge point logic', async () => {
    const res = await stack.gql(`mutation { startChargingSessionOnEvse(evseId: "${started.evseId}") { accepted success errorCode session { id } userErrors { message } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.startChargingSessionOnEvse).toMatchObject({ success: false, errorCode: 'SESSION_EXISTS', session: null });
  });

  it('stopChargingSession finishes it', async () => {
    const payload = await mutate(
      `mutation($c: ID!, $s: ID!) { stopChargingSession(chargePointId: $c, sessionId: $s) { accepted session { id status } userErrors { message } } }`,
      { c: started.chargePointId, s: started.sessionId },
    );
    expect(payload.accepted).toBe(true);
    expect(payload.session).toEqual({ id: started.sessionId, status: 'FINISHED' });
    const data = await read(`{ session(id: "${started.sessionId}") { status stoppedAt reason } }`);
    expect(data.session.status).toBe('FINISHED');
    expect(data.session.stoppedAt).toBe(store().get('Session', started.sessionId)!.stoppedAt);
    expect(store().get('Session', started.sessionId)!.status).toBe('finished');
  });

  it('startChargingSession (by charge point) starts a session on one of its EVSEs', async () => {
    const evse = freeEvse();
    const cp = String(evse.chargePointId);
    const u = user();
    const activeBefore = store().list('Session').filter((s) => s.status === 'active' && String(s.chargePointId) === cp).length;
    const payload = await mutate(
      `mutation($c: ID!, $u: ID) { startChargingSession(chargePointId: $c, input: { userId: $u }) { accepted success chargePoint { id } session { id status user { id } } userErrors { message } } }`,
      { c: cp, u: u.id },
    );
    expect(payload).toMatchObject({ accepted: true, success: true, chargePoint: { id: cp } });
    const active = store().list('Session').filter((s) => s.status === 'active' && String(s.chargePointId) === cp);
    expect(active).toHaveLength(activeBefore + 1);
    // AMPECO names only the authorization; the payload finds the session that carries it.
    const started = active.find((s) => !payload.session || String(s.id) === payload.session.id)!;
    expect(payload.session).toEqual({ id: String(started.id), status: 'ACTIVE', user: { id: String(u.id) } });
    expect(upstream(stack.sim, (e) => e.method === 'POST').map((e) => e.path)).toEqual([`${P.actions}/charge-point/v1.0/${cp}/start`]);
  });

  it('resetChargePoint(type: SOFT) sends the soft reset', async () => {
    const cp = String(store().list('ChargePoint')[0]!.id);
    const payload = await mutate(`mutation { resetChargePoint(chargePointId: "${cp}", type: SOFT) { accepted success chargePoint { id name } userErrors { message } } }`);
    expect(payload).toEqual({ accepted: true, success: true, chargePoint: { id: cp, name: store().get('ChargePoint', cp)!.name }, userErrors: [] });
    expect(upstream(stack.sim, (e) => e.method === 'POST').map((e) => e.path)).toEqual([`${P.actions}/charge-point/v1.0/${cp}/reset/soft`]);
  });

  it('changeChargePointAvailability(INOPERATIVE) makes its idle EVSEs unavailable; OPERATIVE makes them available', async () => {
    const evse = freeEvse();
    const cp = String(evse.chargePointId);
    const busy = new Set(store().list('Session').filter((s) => s.status === 'active').map((s) => String(s.evseId)));
    const idle = store().list('Evse').filter((e) => String(e.chargePointId) === cp && !busy.has(String(e.id)));
    const off = await mutate(`mutation { changeChargePointAvailability(chargePointId: "${cp}", input: { type: INOPERATIVE }) { accepted chargePoint { id evses { id hardwareStatus } } userErrors { message } } }`);
    expect(off.accepted).toBe(true);
    for (const e of idle) {
      expect(store().get('Evse', e.id)!.hardwareStatus).toBe('unavailable');
      expect(off.chargePoint.evses).toContainEqual({ id: String(e.id), hardwareStatus: 'UNAVAILABLE' });
    }
    const on = await mutate(`mutation { changeChargePointAvailability(chargePointId: "${cp}", input: { type: OPERATIVE }) { accepted chargePoint { evses { id hardwareStatus } } userErrors { message } } }`);
    expect(on.accepted).toBe(true);
    for (const e of idle) {
      expect(store().get('Evse', e.id)!.hardwareStatus).toBe('available');
      expect(on.chargePoint.evses).toContainEqual({ id: String(e.id), hardwareStatus: 'AVAILABLE' });
    }
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
    const charging = store().list('Session').find((s) => s.status === 'active')!;
    const evse = store().get('Evse', charging.evseId)!;
    const busy = await mutate(
      `mutation { changeChargePointAvailability(chargePointId: "${evse.chargePointId}", input: { type: INOPERATIVE, evseNetworkId: "${evse.networkId}" }) { accepted outcome userErrors { message } } }`,
    );
    expect(busy).toEqual({ accepted: true, outcome: 'SCHEDULED', userErrors: [] });
    const idle = freeEvse();
    const now = await mutate(
      `mutation { changeChargePointAvailability(chargePointId: "${idle.chargePointId}", input: { type: OPERATIVE, evseNetworkId: "${idle.networkId}" }) { accepted outcome userErrors { message } } }`,
    );
    expect(now).toEqual({ accepted: true, outcome: 'ACCEPTED', userErrors: [] });
  });

  it('unlockEvse(evseNetworkId:) addresses the EVSE by its network id', async () => {
    const evse = store().list('Evse').find((e) => e.networkId !== String(e.id))!;
    const payload = await mutate(`mutation { unlockEvse(chargePointId: "${evse.chargePointId}", evseNetworkId: "${evse.networkId}") { accepted success chargePoint { id } userErrors { message } } }`);
    expect(payload).toMatchObject({ accepted: true, success: true, chargePoint: { id: String(evse.chargePointId) } });
    expect(upstream(stack.sim, (e) => e.method === 'POST').map((e) => e.path)).toEqual([`${P.actions}/charge-point/v1.0/${evse.chargePointId}/unlock/${evse.networkId}`]);
  });

  it('an action on an unknown charge point: NOT_FOUND', async () => {
    for (const query of [
      `mutation { resetChargePoint(chargePointId: "999999", type: HARD) { accepted } }`,
      `mutation { startChargingSession(chargePointId: "999999") { accepted } }`,
      `mutation { unlockEvse(chargePointId: "999999", evseNetworkId: "1") { accepted } }`,
    ]) {
      const res = await stack.gql(query);
      const error = errorWithCode(res, 'NOT_FOUND');
      expect(error.path).toHaveLength(1);
      expect(error.extensions!.upstream).toMatchObject({ status: 404, method: 'POST' });
    }
  });

  it('an action with input AMPECO refuses: userErrors on the payload', async () => {
    const evse = freeEvse();
    const res = await stack.gql(`mutation { startChargingSessionOnEvse(evseId: "${evse.id}", input: { userId: "999999" }) { accepted session { id } userErrors { field code message } } }`);
    expect(res.errors).toBeUndefined();
    const payload = res.data!.startChargingSessionOnEvse;
    expect(payload.accepted).toBe(false);
    expect(payload.session).toBeNull();
    expect(payload.userErrors).toHaveLength(1);
    expect(payload.userErrors[0]).toMatchObject({ field: ['input', 'userId'], code: 'INVALID' });
    expect(store().list('Session').some((s) => s.evseId === evse.id && s.status === 'active')).toBe(false);
  });
});
