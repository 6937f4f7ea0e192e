/**
 * The record cache and its loaders against the simulator over real HTTP: priming from listings and
 * include[], the wait for a listing in flight, batching, dedupe, forgetting after writes, and the
 * naive strategy that does none of it. Each test counts the calls the simulator received.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { RestGateway } from '../../src/datasources/gateway.js';
import type { AmpecoHttpClient } from '../../src/datasources/http/index.js';
import { RecordCache, type ReadKey } from '../../src/datasources/record-cache.js';
import type { RestRecord } from '../../src/datasources/records.js';
import { spec } from '../../src/datasources/registry.js';
import { RequestLimits } from '../../src/datasources/request-limits.js';
import { NAIVE, OPTIMISED, type FetchStrategy } from '../../src/datasources/strategy.js';
import { closeSimulatorAndClient, simulatorAndClient } from '../support/simulator-client.js';
import { TOKEN } from '../support/stack.js';

const R = '/public-api/resources';

let sim: Simulator;
let http: AmpecoHttpClient;

beforeAll(async () => {
  ({ sim, http } = await simulatorAndClient());
});

afterAll(() => closeSimulatorAndClient({ sim, http }));

beforeEach(() => {
  sim.setKnobs({ latencyMs: 0 });
  sim.clearLog();
});

/** A cache over a real gateway; `scanned` answers its by-id scans (none by default) and records what they were asked. */
function cacheWith(strategy: FetchStrategy = OPTIMISED, scanned: (ids: string[]) => RestRecord[] = () => []) {
  const scans: { type: string; ids: string[]; embedding: string[] }[] = [];
  const read = (type: string, id: string, include: string[] = [], parentId?: string): Promise<RestRecord | null> =>
    cache.read({ type, id, parentId, include } satisfies ReadKey);
  const readParent = (type: string, id: string) => read(type, id);
  const gateway = new RestGateway(http, TOKEN, new RequestLimits(), readParent);
  const cache: RecordCache = new RecordCache(gateway, strategy, {
    readParent,
    scanForIds: (type, ids, embedding) => {
      scans.push({ type, ids, embedding });
      return Promise.resolve(new Map(scanned(ids).map((r) => [String(r.id), r])));
    },
  });
  return { cache, read, scans };
}

const calls = (): string[] => sim.log.map((e) => `${e.method} ${e.path.replace(R, '')}${e.query ? `?${decodeURIComponent(e.query)}` : ''}`);
const ids = (type: string, n: number): string[] => sim.store.list(type).slice(0, n).map((r) => String(r.id));

describe('optimised', () => {
  it('a record a listing returned is read from it, without a call', async () => {
    const { cache, read } = cacheWith();
    const page = await cache.listing(spec('Location'), `${R}/locations/v2.0`, { cursor: '', per_page: 3 }, undefined);
    const id = String(page.data[1]!.id);
    expect(await read('Location', id)).toMatchObject({ id: page.data[1]!.id });
    expect(calls()).toEqual(['GET /locations/v2.0?cursor=&per_page=3']);
  });

  it('serves a read from a listing only if the listing carried the include[] it needs', async () => {
    const { cache, read } = cacheWith();
    const page = await cache.listing(spec('Evse'), `${R}/evses/v2.1`, { cursor: '', include: ['connectors'], per_page: 2 }, undefined);
    const id = String(page.data[0]!.id);
    await read('Evse', id, ['connectors']);
    expect(calls()).toHaveLength(1);
    await read('Evse', id, ['chargingProfile']);
    expect(calls().at(-1)).toBe(`GET /evses/v2.1/${id}?include[]=chargingProfile`);
  });

  it('primes the children a parent embeds, stamped with their parents’ ids', async () => {
    const { cache, read } = cacheWith();
    const page = await cache.listing(spec('Evse'), `${R}/evses/v2.1`, { cursor: '', include: ['connectors'], per_page: 2 }, undefined);
    const evse = page.data[0]!;
    const connector = (evse.connectors as RestRecord[])[0]!;
    expect(connector).toMatchObject({ evseId: evse.id, chargePointId: evse.chargePointId });
    expect(await read('Connector', String(connector.id), [], String(evse.id))).toEqual(connector);
    expect(calls()).toHaveLength(1);
  });

  it('a by-id read waits for a listing of its type already in flight, and finds its record there', async () => {
    sim.setKnobs({ latencyMs: 50 });
    const { cache, read } = cacheWith();
    const [id] = ids('ChargePoint', 1);
    const listing = cache.listing(spec('ChargePoint'), `${R}/charge-points/v2.0`, { cursor: '', per_page: 5 }, undefined);
    const record = await read('ChargePoint', id!);
    await listing;
    expect(record).toMatchObject({ id: Number(id) });
    expect(calls()).toEqual(['GET /charge-points/v2.0?cursor=&per_page=5']);
  });

  it('batches one type’s reads of a tick: the same record with two include[] sets is one call', async () => {
    const { read, scans } = cacheWith();
    const [a, b] = ids('Evse', 2);
    const [x, y, z] = await Promise.all([read('Evse', a!, ['connectors']), read('Evse', a!, ['chargingProfile']), read('Evse', b!)]);
    expect(x).toBe(y);
    expect(z).toMatchObject({ id: Number(b) });
    expect(calls().sort()).toEqual([`GET /evses/v2.1/${a}?include[]=chargingProfile&include[]=connectors`, `GET /evses/v2.1/${b}`].sort());
    // The batch offered its ids, with the merged embedding, to a scan first.
    expect(scans).toEqual([{ type: 'Evse', ids: [a, b], embedding: ['chargingProfile', 'connectors'] }]);
  });

  it('reads by id only what a scan did not find', async () => {
    const [a, b, c] = ids('User', 3);
    const { read } = cacheWith(OPTIMISED, (asked) => sim.store.list('User').filter((u) => asked.includes(String(u.id)) && String(u.id) !== c));
    await Promise.all([read('User', a!), read('User', b!), read('User', c!)]);
    expect(calls()).toEqual([`GET /users/v1.0/${c}`]);
  });

  it('makes an identical listing call once, and a read of the same record once', async () => {
    const { cache, read } = cacheWith();
    const path = `${R}/locations/v2.0`;
    await Promise.all([cache.listing(spec('Location'), path, { cursor: '', per_page: 2 }, undefined), cache.listing(spec('Location'), path, { cursor: '', per_page: 2 }, undefined)]);
    const [id] = ids('User', 1);
    await read('User', id!);
    await read('User', id!);
    expect(calls()).toHaveLength(2);
  });

  it('a record AMPECO does not have is null', async () => {
    const { read } = cacheWith();
    expect(await read('Location', '999999')).toBeNull();
  });

  it('a sub-resource read under its parent carries both parents’ ids, the parent read once', async () => {
    const { read } = cacheWith();
    const connector = sim.store.list('Connector')[0]!;
    const parents = sim.store.parentsOf('Connector', connector.id)!;
    const record = await read('Connector', String(connector.id), [], String(parents.evse));
    expect(record).toMatchObject({ id: connector.id, evseId: String(parents.evse), chargePointId: parents.chargePoint });
    expect(calls()).toEqual([`GET /evses/v2.1/${parents.evse}`, `GET /charge-points/v2.0/${parents.chargePoint}/evses/${parents.evse}/connectors/${connector.id}`]);
  });

  it('forgetAll drops what was read; primeWritten keeps only the written record', async () => {
    const { cache, read } = cacheWith();
    const [a, b] = ids('Location', 2);
    await cache.listing(spec('Location'), `${R}/locations/v2.0`, { cursor: '', per_page: 2 }, undefined);
    cache.forgetAll();
    cache.primeWritten(spec('Location'), { id: Number(a), name: 'written' }, undefined);
    expect(await read('Location', a!)).toEqual({ id: Number(a), name: 'written' });
    await read('Location', b!);
    expect(calls()).toEqual(['GET /locations/v2.0?cursor=&per_page=2', `GET /locations/v2.0/${b}`]);
  });
});

describe('naive', () => {
  it('shares nothing: listings repeat, listed records are read again, each read is its own call', async () => {
    const { cache, read, scans } = cacheWith(NAIVE);
    const path = `${R}/locations/v2.0`;
    const page = await cache.listing(spec('Location'), path, { cursor: '', per_page: 2 }, undefined);
    await cache.listing(spec('Location'), path, { cursor: '', per_page: 2 }, undefined);
    const id = String(page.data[0]!.id);
    await Promise.all([read('Location', id), read('Location', id)]);
    expect(calls()).toEqual(['GET /locations/v2.0?cursor=&per_page=2', 'GET /locations/v2.0?cursor=&per_page=2', `GET /locations/v2.0/${id}`, `GET /locations/v2.0/${id}`]);
    expect(scans.map((s) => s.ids)).toEqual([[id], [id]]);
  });

  it('does not prime embedded children, but still stamps them with their parents', async () => {
    const { cache, read } = cacheWith(NAIVE);
    const evse = sim.store.list('Evse')[0]!;
    const parent = await read('Evse', String(evse.id), ['connectors']);
    const [connector] = cache.adopt(spec('Evse'), parent!, 'Connector', parent!.connectors as RestRecord[]);
    expect(connector).toMatchObject({ evseId: evse.id, chargePointId: evse.chargePointId });
    sim.clearLog();
    await read('Connector', String(connector!.id), [], String(evse.id));
    // The parent for the path, the connector, and the parent again to stamp its charge point: nothing is kept.
    expect(calls()).toEqual([`GET /evses/v2.1/${evse.id}`, expect.stringContaining(`/connectors/${connector!.id}`), `GET /evses/v2.1/${evse.id}`]);
  });
});
