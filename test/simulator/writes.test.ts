import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../simulator/contract.js';
import { validate, type Simulator } from '../../simulator/index.js';
import { api, P, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ tokens: ['sim-token', 'second-token'] });
});
afterAll(() => sim.close());

describe('authentication', () => {
  it('answers 401 without a valid bearer token', async () => {
    for (const token of [null, 'wrong']) {
      const res = await api(sim, P.chargePoints, { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    }
    const basic = await api(sim, P.chargePoints, { token: null, headers: { authorization: 'Basic c2ltOnNpbQ==' } });
    expect(basic.status).toBe(401);
    expect((await api(sim, P.chargePoints, { token: 'second-token' })).status).toBe(200);
  });
});

describe('reads', () => {
  it('reads a record in a data envelope', async () => {
    const cp = sim.store.list('ChargePoint')[1]!;
    const res = await api(sim, `${P.chargePoints}/${cp.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: JSON.parse(JSON.stringify(cp)) });
  });

  it('reads sessions by string id and nested records through their parents', async () => {
    const s = sim.store.list('Session')[3]!;
    expect((await api(sim, `${P.sessions}/${s.id}`)).body.data.id).toBe(s.id);
    const zone = sim.store.list('ChargingZone')[0]!;
    const res = await api(sim, `${P.locations}/${zone.locationId}/charging-zones/${zone.id}`);
    expect(res.body.data).toMatchObject({ id: zone.id, name: zone.name, locationId: zone.locationId });
    const otherLocation = sim.store.list('Location').find((l) => l.id !== zone.locationId)!;
    expect((await api(sim, `${P.locations}/${otherLocation.id}/charging-zones/${zone.id}`)).status).toBe(404);
  });

  it('answers 404 with a message for unknown and malformed ids and unknown routes', async () => {
    for (const [path, message] of [
      [`${P.chargePoints}/99999`, 'No query results for model [ChargePoint] 99999'],
      [`${P.chargePoints}/abc`, 'Not Found'],
      [`${P.sessions}/nope`, 'No query results for model [Session] nope'],
      ['/public-api/resources/unicorns/v1.0', 'The route public-api/resources/unicorns/v1.0 could not be found.'],
    ]) {
      const res = await api(sim, path!);
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ message });
    }
    const wrongMethod = await api(sim, P.sessions, { method: 'POST', body: {} });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });
});

describe('create, update, delete', () => {
  it('creates a charge point valid against the contract and lists it', async () => {
    const before = sim.store.count('ChargePoint');
    // The id the simulator hands out next (ids are never reused, so not count + 1 after a delete).
    const nextId = sim.store.table('ChargePoint').nextKey;
    const location = sim.store.list('Location')[0]!;
    const res = await api(sim, P.chargePoints, {
      method: 'POST',
      body: { name: 'Depot 7', type: 'private', status: 'enabled', locationId: location.id, id: 5, networkStatus: 'available', network: { protocol: 'ocpp 2.0.1' } },
    });
    expect(res.status).toBe(201);
    const cp = res.body.data;
    expect(cp).toMatchObject({ name: 'Depot 7', type: 'private', status: 'enabled', locationId: location.id, networkStatus: 'never_connected' });
    expect(cp.network.protocol).toBe('ocpp 2.0.1');
    expect(cp.id).toBe(nextId); // readOnly id in the body is ignored
    expect(validate(contract.resources.ChargePoint!.record, cp)).toEqual([]);
    expect(sim.store.count('ChargePoint')).toBe(before + 1);
    const listed = await api(sim, `${P.chargePoints}?filter[name]=Depot%207`);
    expect(listed.body.data.map((c: any) => c.id)).toEqual([cp.id]);
  });

  it('rejects invalid bodies with per-field errors', async () => {
    const res = await api(sim, P.chargePoints, {
      method: 'POST',
      body: { name: 'x'.repeat(256), type: 'shared', pin: 12345, network: { port: 'eighty' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('The given data was invalid.');
    expect(res.body.errors).toEqual({
      status: ['The status field is required.'],
      name: ['The name must not be greater than 255 characters.'],
      type: ['The selected type is invalid.'],
      pin: ['The pin must be a string.'],
      'network.port': ['The network.port must be an integer.'],
    });
  });

  it('rejects references to missing records and bad JSON', async () => {
    const res = await api(sim, P.evses, { method: 'POST', body: { chargePointId: 9999, physicalReference: 'Z', currentType: 'ac', networkId: '9', status: 'enabled' } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ chargePointId: ['The selected chargePointId is invalid.'] });
    const bad = await api(sim, P.chargePoints, { method: 'POST', body: '{"name": ' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ message: 'The request body is not valid JSON.' });
    const array = await api(sim, P.chargePoints, { method: 'POST', body: '[1,2]' });
    expect(array.status).toBe(400);
    expect(array.body).toEqual({ message: 'The request body must be a JSON object.' });
  });

  it('creates nested records under an existing parent only', async () => {
    const evse = sim.store.list('Evse')[0]!;
    const path = `${P.chargePoints}/${evse.chargePointId}/evses/${evse.id}/connectors`;
    const res = await api(sim, path, { method: 'POST', body: { type: 'ccs2', format: 'cable' } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ type: 'ccs2', format: 'cable' });
    expect(sim.store.parentsOf('Connector', res.body.data.id)).toEqual({ chargePoint: evse.chargePointId, evse: evse.id });
    const embedded = await api(sim, `${P.evses}/${evse.id}?include[]=connectors`);
    const connectors = sim.store.children('Connector', { evse: evse.id }).map((c) => c.id);
    expect(connectors).toContain(res.body.data.id);
    expect(embedded.body.data.connectors.map((c: any) => c.id)).toEqual(connectors);
    expect((await api(sim, `${P.chargePoints}/${evse.chargePointId}/evses/99999/connectors`, { method: 'POST', body: { type: 'ccs2' } })).status).toBe(404);
    const zone = await api(sim, `${P.locations}/1/charging-zones`, { method: 'POST', body: { name: 'Level 9', status: 'enabled', locationId: 3 } });
    expect(zone.status).toBe(201);
    expect(zone.body.data.locationId).toBe(1);
  });

  it('maps snake_case user fields onto the record and drops write-only ones', async () => {
    const res = await api(sim, P.users, { method: 'POST', body: { email: 'new.driver@example.com', password: 'secret12', first_name: 'Nora', last_name: 'Kale', post_code: '1000', nonce: 'n' } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ email: 'new.driver@example.com', firstName: 'Nora', lastName: 'Kale', postCode: '1000', password: null });
    expect(res.body.data.id).toEqual(expect.stringMatching(/^\d+$/));
    expect(res.body.data).not.toHaveProperty('nonce');
    const short = await api(sim, P.users, { method: 'POST', body: { email: 'not-an-email', password: '123' } });
    expect(short.body.errors).toEqual({ email: ['The email must be a valid email address.'], password: ['The password must be at least 6 characters.'] });
  });

  it('updates part of a record and bumps lastUpdatedAt', async () => {
    const evse = sim.store.list('Evse')[2]!;
    const before = evse.lastUpdatedAt;
    const res = await api(sim, `${P.evses}/${evse.id}`, { method: 'PATCH', body: { label: 'Bay 3', powerOptions: { maxPower: 11000 } } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: evse.id, label: 'Bay 3', networkId: evse.networkId });
    expect(res.body.data.powerOptions.maxPower).toBe(11000);
    expect(res.body.data.powerOptions.phases).toBe((evse.powerOptions as any).phases);
    expect(res.body.data.lastUpdatedAt > before).toBe(true);
    expect(sim.store.get('Evse', evse.id)!.label).toBe('Bay 3');
    const bad = await api(sim, `${P.evses}/${evse.id}`, { method: 'PATCH', body: { currentType: 'dc-ish' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual({ currentType: ['The selected currentType is invalid.'] });
    expect((await api(sim, `${P.evses}/99999`, { method: 'PATCH', body: { label: 'x' } })).status).toBe(404);
  });

  it('deletes with 204 and no body, taking nested records along', async () => {
    const loc = sim.store.list('Location')[3]!;
    const zones = sim.store.children('ChargingZone', { location: loc.id });
    expect(zones.length).toBeGreaterThan(0);
    const res = await api(sim, `${P.locations}/${loc.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.get('content-type')).toBeNull();
    expect(sim.store.get('Location', loc.id)).toBeUndefined();
    expect(sim.store.children('ChargingZone', { location: loc.id })).toEqual([]);
    expect((await api(sim, `${P.locations}/${loc.id}`)).status).toBe(404);
    expect((await api(sim, `${P.locations}/${loc.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it("deletes a charge point's EVSEs and connectors with it, keeping its sessions", async () => {
    const cp = sim.store.list('ChargePoint').find((c) => sim.store.list('Session').some((s) => s.chargePointId === c.id))!;
    const evses = sim.store.list('Evse').filter((e) => e.chargePointId === cp.id);
    const sessions = sim.store.list('Session').filter((s) => s.chargePointId === cp.id).length;
    expect((await api(sim, `${P.chargePoints}/${cp.id}`, { method: 'DELETE' })).status).toBe(204);
    for (const e of evses) {
      expect(sim.store.get('Evse', e.id)).toBeUndefined();
      expect(sim.store.children('Connector', { evse: e.id })).toEqual([]);
    }
    expect((await api(sim, `${P.evses}?filter[chargePointId]=${cp.id}`)).body.data).toEqual([]);
    expect(sim.store.list('Session').filter((s) => s.chargePointId === cp.id)).toHaveLength(sessions);
  });
});
