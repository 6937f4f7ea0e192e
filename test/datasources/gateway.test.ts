/**
 * The REST gateway: paths built from the registry with every id checked first, and the one `send`
 * (credential, call budget, deadline) against the simulator over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { actionOutcome, actionPath, nullIfNotFound, RestGateway } from '../../src/datasources/gateway.js';
import { UpstreamNotFoundError, type AmpecoHttpClient } from '../../src/datasources/http/index.js';
import type { RestRecord } from '../../src/datasources/records.js';
import { actionSpecs, spec } from '../../src/datasources/registry.js';
import { DEFAULT_REQUEST_LIMITS, RequestLimits, type RequestLimitSettings } from '../../src/datasources/request-limits.js';
import { closeSimulatorAndClient, simulatorAndClient } from '../support/simulator-client.js';
import { TOKEN } from '../support/stack.js';

const R = '/public-api/resources';

let sim: Simulator;
let http: AmpecoHttpClient;

beforeAll(async () => {
  ({ sim, http } = await simulatorAndClient());
});

afterAll(() => closeSimulatorAndClient({ sim, http }));

/** A gateway whose parent reads answer from `parents` and are recorded. */
function gateway(options: { token?: string | null; limits?: Partial<RequestLimitSettings>; parents?: Record<string, RestRecord> } = {}) {
  const parentReads: string[] = [];
  const readParent = (type: string, id: string): Promise<RestRecord | null> => {
    parentReads.push(`${type}:${id}`);
    return Promise.resolve(options.parents?.[`${type}:${id}`] ?? null);
  };
  const limits = new RequestLimits({ ...DEFAULT_REQUEST_LIMITS, ...options.limits });
  const token = options.token === undefined ? TOKEN : options.token;
  return { gw: new RestGateway(http, token, limits, readParent), parentReads, limits };
}

describe('paths', () => {
  it('a root collection and item', async () => {
    const { gw } = gateway();
    expect(await gw.collectionPath(spec('Location'), undefined)).toBe(`${R}/locations/v2.0`);
    expect(await gw.itemPath(spec('Location'), '12', undefined)).toBe(`${R}/locations/v2.0/12`);
    expect(await gw.itemPath(spec('Session'), 'ab-7', undefined)).toBe(`${R}/sessions/v1.0/ab-7`);
  });

  it('a sub-resource under its parent, without reading the parent', async () => {
    const { gw, parentReads } = gateway();
    expect(await gw.collectionPath(spec('ChargingZone'), '3')).toBe(`${R}/locations/v2.0/3/charging-zones`);
    expect(await gw.itemPath(spec('ChargingZone'), '8', '3')).toBe(`${R}/locations/v2.0/3/charging-zones/8`);
    expect(parentReads).toEqual([]);
  });

  it('two levels down: the grandparent’s id comes from the parent’s record', async () => {
    const { gw, parentReads } = gateway({ parents: { 'Evse:5': { id: 5, chargePointId: 9 } } });
    expect(await gw.itemPath(spec('Connector'), '1', '5')).toBe(`${R}/charge-points/v2.0/9/evses/5/connectors/1`);
    expect(parentReads).toEqual(['Evse:5']);
  });

  it('two levels down under a parent AMPECO does not have: a 404 naming the parent', async () => {
    const { gw } = gateway();
    const error = await gw.collectionPath(spec('Connector'), '5').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamNotFoundError);
    expect(error).toMatchObject({ extensions: { upstream: { status: 404, path: `${R}/evses/v2.1/5` } } });
  });

  it.each([
    ['an id that is not digits', 'Location', 'abc', undefined, 'id'],
    ['a dot segment', 'Session', '..', undefined, 'id'],
    ['a path walk', 'Location', '1/2', undefined, 'id'],
    ['an empty id', 'Session', '', undefined, 'id'],
    ['no parent id', 'ChargingZone', '1', undefined, 'locationId'],
    ['a parent id that is not digits', 'ChargingZone', '1', '../x', 'locationId'],
  ])('refuses %s before any call (BAD_USER_INPUT on %s)', async (_name, type, id, parentId, argumentName) => {
    const { gw, parentReads } = gateway();
    sim.clearLog();
    await expect(gw.itemPath(spec(type), id, parentId)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName } });
    expect(parentReads).toEqual([]);
    expect(sim.log).toHaveLength(0);
  });
});

describe('actions', () => {
  const start = actionSpecs.get('startChargingSession')!;
  const availability = actionSpecs.get('changeChargePointAvailability')!;

  it('fills an action’s path from checked values', () => {
    expect(actionPath(start, { chargePoint: '12' })).toBe('/public-api/actions/charge-point/v1.0/12/start');
    expect(() => actionPath(start, { chargePoint: 'x' })).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'chargePointId' } }));
    expect(() => actionPath(actionSpecs.get('resetChargePoint')!, { chargePoint: '1', type: 'gentle' })).toThrow(/must be one of hard, soft/);
  });

  it.each([
    ['202', [202], 202, 'ACCEPTED'],
    ['204 where 202 is possible', [202, 204], 204, 'SCHEDULED'],
    ['204 where only 204 is', [204], 204, 'DONE'],
    ['200', [202, 204], 200, 'DONE'],
  ])('a %s answer (responses %j, status %i) is %s', (_name, statuses, status, outcome) => {
    const operation = { ...availability.operation, responses: statuses.map((s) => ({ status: s })) };
    expect(actionOutcome(operation, status)).toBe(outcome);
  });
});

describe('send', () => {
  it('reads a listing and a record', async () => {
    const { gw } = gateway();
    const page = await gw.listing(`${R}/locations/v2.0`, { cursor: '', per_page: 2 });
    expect(page.data).toHaveLength(2);
    const record = await gw.item(`${R}/locations/v2.0/${page.data[0]!.id}`, {});
    expect(record.id).toBe(page.data[0]!.id);
  });

  it('a 404 read is null through nullIfNotFound, other errors are not', async () => {
    const { gw } = gateway();
    expect(await nullIfNotFound(() => gw.item(`${R}/locations/v2.0/999999`, {}))).toBeNull();
    await expect(nullIfNotFound(() => gw.item(`${R}/locations/v2.0/1`, {}).then(() => Promise.reject(new Error('other'))))).rejects.toThrow('other');
  });

  it('without a credential: UNAUTHENTICATED and no upstream call', async () => {
    const { gw, limits } = gateway({ token: null });
    sim.clearLog();
    await expect(gw.listing(`${R}/locations/v2.0`, {})).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(sim.log).toHaveLength(0);
    expect(limits.callsMade).toBe(0);
  });

  it('spends the request’s call budget, and refuses past it without calling', async () => {
    const { gw, limits } = gateway({ limits: { maxUpstreamCalls: 1 } });
    sim.clearLog();
    await gw.listing(`${R}/locations/v2.0`, { per_page: 1, cursor: '' });
    await expect(gw.listing(`${R}/locations/v2.0`, { per_page: 1, cursor: '' })).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_BUDGET_EXCEEDED' } });
    expect(limits.callsMade).toBe(1);
    expect(sim.log).toHaveLength(1);
  });

  it('a call still running at the request’s deadline fails with REQUEST_DEADLINE_EXCEEDED', async () => {
    const { gw } = gateway({ limits: { timeoutMs: 100 } });
    sim.setKnobs({ latencyMs: 1_000 });
    try {
      await expect(gw.listing(`${R}/locations/v2.0`, {})).rejects.toMatchObject({ extensions: { code: 'REQUEST_DEADLINE_EXCEEDED' } });
    } finally {
      sim.setKnobs({ latencyMs: 0 });
    }
  });

  it('a listing answer without data is refused', async () => {
    const { gw } = gateway();
    await expect(gw.listing(`${R}/locations/v2.0/1`, {})).rejects.toThrow(/listing without data/);
  });
});
