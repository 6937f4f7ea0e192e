import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../src/definitions/contract-model.js';
import { contract } from '../../src/__generated__/contract.js';
import { actions, resources } from '../../src/definitions/resources.js';
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
