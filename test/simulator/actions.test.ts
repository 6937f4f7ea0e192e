import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../src/definitions/contract-model.js';
import { contract } from '../../simulator/contract.js';
import { actions, resources } from '../../src/definitions/graph.js';
import type { Simulator } from '../../simulator/index.js';
import { api, P, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start();
});
afterAll(() => sim.close());

const A = `${P.actions}/charge-point/v1.0`;

/** An EVSE of an enabled charge point that is enabled and not charging. */
function freeEvse(s: Simulator, exclude: number[] = []) {
  return s.store.list('Evse').find((e) => {
    const cp = s.store.get('ChargePoint', e.chargePointId)!;
    const busy = s.store.list('Session').some((x) => x.evseId === e.id && x.status === 'active');
    return e.status === 'enabled' && cp.status === 'enabled' && !busy && !exclude.includes(e.id);
  })!;
}

describe('start and stop', () => {
  it('starts a session on an EVSE and stops it', async () => {
    const evse = freeEvse(sim);
    const user = sim.store.list('User').find((u) => u.status === 'enabled')!;
    const before = new Set(sim.store.list('Session').map((s) => s.id));
    const res = await api(sim, `${P.actions}/evse/v1.0/${evse.id}/start`, { method: 'POST', body: { userId: Number(user.id), idTag: 'RFID-1' } });
    expect(res.status).toBe(202);
    const added = sim.store.list('Session').filter((s) => !before.has(s.id));
    expect(added).toHaveLength(1);
    expect(res.body).toEqual({ success: true, sessionId: Number(added[0]!.id), authorizationId: added[0]!.authorizationId });

    const read = await api(sim, `${P.sessions}/${res.body.sessionId}`);
    expect(read.body.data).toMatchObject({
      id: String(res.body.sessionId), status: 'active', evseId: evse.id, chargePointId: evse.chargePointId,
      userId: Number(user.id), idTag: 'RFID-1', stoppedAt: null, authorizationId: res.body.authorizationId,
    });
    expect((await api(sim, `${P.evses}/${evse.id}`)).body.data.hardwareStatus).toBe('charging');
    // Newest first: the new session heads the listing.
    expect((await api(sim, `${P.sessions}?per_page=1`)).body.data[0].id).toBe(String(res.body.sessionId));

    const again = await api(sim, `${P.actions}/evse/v1.0/${evse.id}/start`, { method: 'POST' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ success: false, sessionId: null, errorCode: 'SESSION_EXISTS' });

    const stop = await api(sim, `${A}/${evse.chargePointId}/stop/${res.body.sessionId}`, { method: 'POST' });
    expect(stop.status).toBe(202);
    expect(stop.text).toBe('');
    expect(stop.headers.get('content-type')).toBeNull();
    const done = sim.store.get('Session', res.body.sessionId)!;
    expect(done.status).toBe('finished');
    expect(done.stoppedAt).toEqual(expect.any(String));
    expect(sim.store.get('Evse', evse.id)!.hardwareStatus).toBe('available');

    const twice = await api(sim, `${A}/${evse.chargePointId}/stop/${res.body.sessionId}`, { method: 'POST' });
    expect(twice.status).toBe(406);
  });

  it('starts on a charge point by picking a free EVSE (the contract answers no sessionId there)', async () => {
    const evse = freeEvse(sim);
    const res = await api(sim, `${A}/${evse.chargePointId}/start`, { method: 'POST', body: {} });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ success: true, authorizationId: expect.any(Number) });
    const started = sim.store.list('Session')[0]!;
    expect(started).toMatchObject({ status: 'active', chargePointId: evse.chargePointId, authorizationId: res.body.authorizationId, userId: null });
    const connectors = sim.store.children('Connector', { evse: started.evseId });
    expect(started.connectorId).toBe(connectors[0]?.id ?? null);
  });

  it('answers 404 for unknown records and 422 for invalid bodies', async () => {
    expect((await api(sim, `${P.actions}/evse/v1.0/99999/start`, { method: 'POST' })).status).toBe(404);
    expect((await api(sim, `${A}/99999/start`, { method: 'POST' })).status).toBe(404);
    const cp = sim.store.list('ChargePoint')[0]!;
    expect((await api(sim, `${A}/${cp.id}/stop/99999`, { method: 'POST' })).status).toBe(404);
    const other = sim.store.list('Session').find((s) => s.chargePointId !== cp.id)!;
    expect((await api(sim, `${A}/${cp.id}/stop/${other.id}`, { method: 'POST' })).status).toBe(404);

    const evse = freeEvse(sim);
    const bad = await api(sim, `${P.actions}/evse/v1.0/${evse.id}/start`, { method: 'POST', body: { userId: 'me', connectorId: 1.5 } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual({ userId: ['The userId must be an integer.'], connectorId: ['The connectorId must be an integer.'] });
    const ghost = await api(sim, `${P.actions}/evse/v1.0/${evse.id}/start`, { method: 'POST', body: { userId: 99999 } });
    expect(ghost.status).toBe(422);
    expect(ghost.body.errors).toEqual({ userId: ['The selected user id is invalid.'] });
  });
});

describe('other charge point commands', () => {
  it('resets hard or soft', async () => {
    const cp = sim.store.list('ChargePoint')[0]!;
    for (const type of ['hard', 'soft']) {
      const res = await api(sim, `${A}/${cp.id}/reset/${type}`, { method: 'POST' });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ success: true });
    }
    expect((await api(sim, `${A}/${cp.id}/reset/medium`, { method: 'POST' })).status).toBe(422);
    expect((await api(sim, `${A}/99999/reset/hard`, { method: 'POST' })).status).toBe(404);
  });

  it('changes availability of an EVSE by network id', async () => {
    const evse = freeEvse(sim);
    const url = `${A}/${evse.chargePointId}/change-availability`;
    const res = await api(sim, url, { method: 'POST', body: { type: 'Inoperative', evseNetworkId: Number(evse.networkId) } });
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    expect(sim.store.get('Evse', evse.id)!.hardwareStatus).toBe('unavailable');
    await api(sim, url, { method: 'POST', body: { type: 'Operative', evseNetworkId: Number(evse.networkId) } });
    expect(sim.store.get('Evse', evse.id)!.hardwareStatus).toBe('available');

    const invalid = await api(sim, url, { method: 'POST', body: { type: 'Sleeping' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors).toEqual({ type: ['The selected type is invalid.'] });
    const missing = await api(sim, url, { method: 'POST', body: {} });
    expect(missing.body.errors).toEqual({ type: ['The type field is required.'] });
    const noEvse = await api(sim, url, { method: 'POST', body: { type: 'Operative', evseNetworkId: 77 } });
    expect(noEvse.status).toBe(422);
    expect(noEvse.body.errors).toEqual({ evseNetworkId: ['The selected evse network id is invalid.'] });
  });

  it('schedules (204) making a charging EVSE inoperative', async () => {
    // A session of its own makes the EVSE charging.
    const evse = freeEvse(sim);
    expect((await api(sim, `${P.actions}/evse/v1.0/${evse.id}/start`, { method: 'POST', body: {} })).body.success).toBe(true);
    expect(sim.store.get('Evse', evse.id)!.hardwareStatus).toBe('charging');
    const res = await api(sim, `${A}/${evse.chargePointId}/change-availability`, { method: 'POST', body: { type: 'Inoperative', evseNetworkId: Number(evse.networkId) } });
    expect(res.status).toBe(204);
    expect(sim.store.get('Evse', evse.id)!.hardwareStatus).toBe('charging');
  });

  it('unlocks an EVSE addressed by its network id', async () => {
    const evse = sim.store.list('Evse')[0]!;
    const res = await api(sim, `${A}/${evse.chargePointId}/unlock/${evse.networkId}`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ success: true });
    expect((await api(sim, `${A}/${evse.chargePointId}/unlock/42`, { method: 'POST' })).status).toBe(404);
  });
});

describe('actions added by definitions alone', () => {
  it('routes /start/{evse} (network id) and unknown actions generically from the contract', async () => {
    const base = contract.actions.chargePointStartChargingSessionWithoutEvse!;
    const withEvse = contract.actions.evseStartChargingWithEvseId!;
    const reset = contract.actions.chargePointReset!;
    const extended: Contract = {
      ...contract,
      actions: {
        ...contract.actions,
        chargePointStartChargingSession: {
          ...base,
          operationId: 'chargePointStartChargingSession',
          path: `${base.path}/{evse}`,
          pathParams: [...base.pathParams, { name: 'evse', schema: { type: 'integer' }, required: true }],
          responses: withEvse.responses,
        },
        chargePointSyncConfiguration: { ...reset, operationId: 'chargePointSyncConfiguration', path: '/public-api/actions/charge-point/v1.0/{chargePoint}/sync-configuration', pathParams: [reset.pathParams[0]!] },
      },
    };
    const more = [
      { ...actions[0]!, mutation: 'startOnNetworkId', operationId: 'chargePointStartChargingSession' },
      { ...actions[0]!, mutation: 'syncConfiguration', operationId: 'chargePointSyncConfiguration', body: false },
    ];
    const sim2 = await start({ contract: extended, definitions: { resources, actions: [...actions, ...more] } });
    try {
      const evse = freeEvse(sim2);
      const res = await api(sim2, `${A}/${evse.chargePointId}/start/${evse.networkId}`, { method: 'POST', body: { userId: 1 } });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ success: true, sessionId: expect.any(Number) });
      expect(sim2.store.get('Session', res.body.sessionId)).toMatchObject({ evseId: evse.id, status: 'active', userId: 1 });
      expect((await api(sim2, `${A}/${evse.chargePointId}/start/99`, { method: 'POST' })).status).toBe(404);
      const sync = await api(sim2, `${A}/${evse.chargePointId}/sync-configuration`, { method: 'POST' });
      expect(sync.status).toBe(202);
      expect(sync.body).toEqual({ success: true });
      expect((await api(sim2, `${A}/99999/sync-configuration`, { method: 'POST' })).status).toBe(404);
    } finally {
      await sim2.close();
    }
  });
});

describe('effects later reads show', () => {
  const R = '/public-api/resources';

  it("a write on a view's path changes what the view answers: PUT replaces (defaults for what it leaves out), DELETE removes", async () => {
    const rate = sim.store.list('ElectricityRate')[0]!;
    const mix = `${R}/electricity-rates/v2.0/${String(rate.id)}/energy-mix`;
    const put = await api(sim, mix, { method: 'PUT', body: { solar: 60, wind: 40 } });
    expect(put.status).toBe(200);
    expect((await api(sim, mix)).body.data).toEqual(put.body.data);
    expect(put.body.data).toEqual({ solar: 60, wind: 40, hydro: 0, nuclear: 0, coal: 0, naturalGas: 0, otherRenewable: 0, otherNonRenewable: 0 });

    const contact = `${R}/contact-details/v2.0`;
    expect((await api(sim, contact, { method: 'PUT', body: { email: 'ops@example.com' } })).body).toMatchObject({ email: 'ops@example.com' });
    expect((await api(sim, contact, { method: 'DELETE' })).status).toBe(204);
    expect((await api(sim, contact)).status).toBe(404);
    expect((await api(sim, contact, { method: 'DELETE' })).status).toBe(404);
  });

  it('a write below a list view, by an argument its records carry, upserts or deletes that record in every list holding it', async () => {
    const rate = sim.store.list('ElectricityRate')[1]!;
    const base = `${R}/electricity-rates/v2.0/${String(rate.id)}/price-periods`;
    const periods = [{ startsAt: '00:00', endsAt: '24:00', price: 0.2 }];
    const put = await api(sim, `${base}/date/2026-12-31`, { method: 'PUT', body: { periods } });
    expect(put.status).toBe(200);
    expect(put.body.data).toEqual({ date: '2026-12-31', periods });
    expect((await api(sim, `${base}/date/2026-12-31`)).body.data).toEqual({ date: '2026-12-31', periods });
    for (const list of [`${base}/date`, base]) {
      expect(((await api(sim, list)).body.data as { date?: string }[]).filter((p) => p.date === '2026-12-31')).toEqual([expect.objectContaining({ date: '2026-12-31', periods })]);
    }
    expect((await api(sim, `${base}/date/2026-12-31`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(sim, `${base}/date/2026-12-31`)).status).toBe(404);
    for (const list of [`${base}/date`, base]) {
      expect(((await api(sim, list)).body.data as { date?: string }[]).some((p) => p.date === '2026-12-31')).toBe(false);
    }
  });

  it("POST on a list view's path adds a record; PUT of a list of ids replaces its records", async () => {
    const cp = sim.store.list('ChargePoint')[0]!;
    const partners = sim.store.list('Partner').slice(0, 2).map((p) => p.id as number);
    const shared = `${R}/charge-points/v2.0/${cp.id}/shared-partners`;
    expect((await api(sim, shared, { method: 'PUT', body: { partnerIds: partners } })).status).toBe(204);
    expect(((await api(sim, shared)).body.data as { id: number }[]).map((p) => p.id)).toEqual(partners);
    const before = (await api(sim, `${R}/consents/v1.0`)).body.data as unknown[];
    const user = Number(sim.store.list('User')[0]!.id);
    expect((await api(sim, `${R}/consents/v1.0`, { method: 'POST', body: { userId: user, termVersionId: 3, status: 'agreed' } })).status).toBe(201);
    const after = (await api(sim, `${R}/consents/v1.0`)).body.data as unknown[];
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length)).toEqual([expect.objectContaining({ userId: user, termVersionId: 3, status: 'agreed' })]);
  });

  it("attaching a charge point to a circuit lists it by filter[circuitId] and in the circuit's priorities; a missing charge point is a 422", async () => {
    const circuit = sim.store.list('Circuit')[2]!;
    const cp = sim.store.list('ChargePoint').find((c) => !sim.store.linked('ChargePoint', 'circuitId', circuit.id as number).includes(c))!;
    const action = `${P.actions}/circuit/v2.0/${String(circuit.id)}`;
    expect((await api(sim, `${action}/attach-charge-point`, { method: 'POST', body: { chargePointId: cp.id, priority: 4 } })).status).toBe(202);
    const listed = (await api(sim, `${P.chargePoints}?filter[circuitId]=${String(circuit.id)}&per_page=100`)).body.data as { id: number }[];
    expect(listed.map((c) => c.id)).toEqual(sim.store.linked('ChargePoint', 'circuitId', circuit.id as number).map((c) => c.id));
    expect(listed.map((c) => c.id)).toContain(cp.id);
    const priorities = (await api(sim, `${R}/circuits/v2.0/${String(circuit.id)}/charge-point-priorities?per_page=100`)).body.data as { id: number; priority: number }[];
    expect(priorities.find((p) => p.id === cp.id)).toMatchObject({ priority: 4 });
    const missing = await api(sim, `${action}/attach-charge-point`, { method: 'POST', body: { chargePointId: 999999 } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual({ chargePointId: ['The selected chargePointId is invalid.'] });
    expect((await api(sim, `${action}/detach-charge-point/${cp.id}`, { method: 'POST' })).status).toBe(202);
    expect(sim.store.linked('ChargePoint', 'circuitId', circuit.id as number)).not.toContain(cp);
    expect((await api(sim, `${action}/detach-charge-point/${cp.id}`, { method: 'POST' })).status).toBe(404);
  });
});
