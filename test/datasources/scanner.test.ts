/**
 * Scans run against the simulator over real HTTP: whole collections read in place of many reads,
 * children grouped by parent, prefetches, and the sizes they teach later requests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { InMemoryCollectionStats } from '../../src/datasources/collection-stats.js';
import { RestGateway } from '../../src/datasources/gateway.js';
import type { AmpecoHttpClient } from '../../src/datasources/http/index.js';
import { RecordCache } from '../../src/datasources/record-cache.js';
import { readPath } from '../../src/datasources/records.js';
import { RequestLimits } from '../../src/datasources/request-limits.js';
import { Scanner } from '../../src/datasources/scanner.js';
import { NAIVE, OPTIMISED, strategyFor, type FetchStrategy } from '../../src/datasources/strategy.js';
import { closeSimulatorAndClient, simulatorAndClient } from '../support/simulator-client.js';
import { SMALL_WORLD, TOKEN } from '../support/stack.js';

let sim: Simulator;
let http: AmpecoHttpClient;

beforeAll(async () => {
  ({ sim, http } = await simulatorAndClient());
});

afterAll(() => closeSimulatorAndClient({ sim, http }));

beforeEach(() => sim.clearLog());

function wire(options: { strategy?: FetchStrategy; maxInFlight?: number; stats?: InMemoryCollectionStats } = {}) {
  const strategy = options.strategy ?? OPTIMISED;
  const stats = options.stats ?? new InMemoryCollectionStats();
  const readParent = (type: string, id: string) => cache.read({ type, id, parentId: undefined, include: [] });
  const gateway = new RestGateway(http, TOKEN, new RequestLimits(), readParent);
  const cache: RecordCache = new RecordCache(gateway, strategy, { readParent, scanForIds: (type, ids, embedding) => scanner.forIds(type, ids, embedding) });
  const scanner: Scanner = new Scanner(cache, gateway, { strategy, stats, credential: 'test', maxInFlight: options.maxInFlight ?? 32, maxListPages: 20 });
  return { scanner, cache, stats };
}

const paths = (): string[] => sim.log.map((e) => e.path.replace('/public-api/resources', ''));
const idsOf = (type: string, n: number): string[] => sim.store.list(type).slice(0, n).map((r) => String(r.id));
const childrenOf = (type: string, key: string, parentId: string): unknown[] =>
  sim.store
    .list(type)
    .filter((r) => String(readPath(r, key)) === parentId)
    .map((r) => r.id);

describe('strategy', () => {
  it('is chosen once from the naive switch; naive turns every capability off', () => {
    expect(strategyFor(false)).toBe(OPTIMISED);
    expect(strategyFor(true)).toBe(NAIVE);
    expect(Object.values(NAIVE).filter((v) => v === true)).toEqual([]);
    expect(Object.values(OPTIMISED).filter((v) => v === false)).toEqual([]);
  });
});

describe('by-id scans', () => {
  it('finds many ids of a one-page collection with one listing, and learns its size', async () => {
    const { scanner, stats } = wire();
    const ids = idsOf('User', 5);
    const found = await scanner.forIds('User', ids, []);
    expect([...found.keys()].sort()).toEqual([...ids].sort());
    expect(paths()).toEqual(['/users/v1.0']);
    expect(stats.get('test', JSON.stringify(['User', null]))).toMatchObject({ count: SMALL_WORLD.users });
  });

  it('leaves fewer than four ids to be read one by one', async () => {
    const { scanner } = wire();
    expect((await scanner.forIds('User', idsOf('User', 3), [])).size).toBe(0);
    expect(sim.log).toHaveLength(0);
  });

  it('never scans in naive mode', async () => {
    const { scanner } = wire({ strategy: NAIVE });
    expect((await scanner.forIds('User', idsOf('User', 10), [])).size).toBe(0);
    expect(sim.log).toHaveLength(0);
  });

  it('stops once it found every id, and records a lower bound of the size', async () => {
    // 260 sessions: three pages. At one call per round trip, 12 reads are worth a 3-page scan.
    const { scanner, stats } = wire({ maxInFlight: 1 });
    const ids = sim.store
      .list('Session')
      .slice(0, 12)
      .map((s) => String(s.id));
    expect(ids).toHaveLength(12);
    const found = await scanner.forIds('Session', ids, []);
    expect(found.size).toBe(12);
    expect(paths()).toEqual(['/sessions/v1.0']);
    expect(stats.get('test', JSON.stringify(['Session', null]))).toMatchObject({ atLeast: 100 });
  });
});

describe('child scans', () => {
  it('serves the children of four parents asking in one tick from one scan, grouped by parent', async () => {
    const { scanner } = wire();
    const parents = idsOf('ChargePoint', 4);
    const lists = await Promise.all(parents.map((p) => scanner.children('Evse', 'chargePointId', p, { include: ['connectors'] })));
    expect(lists.map((l) => l?.map((r) => r.id))).toEqual(parents.map((p) => childrenOf('Evse', 'chargePointId', p)));
    expect(lists[0]?.[0]).toHaveProperty('connectors');
    expect(sim.log.map((e) => [e.path.replace('/public-api/resources', ''), decodeURIComponent(e.query)])).toEqual([['/evses/v2.1', 'cursor=&include[]=connectors&per_page=100']]);
  });

  it('leaves three parents to their filtered listings', async () => {
    const { scanner } = wire();
    const lists = await Promise.all(idsOf('ChargePoint', 3).map((p) => scanner.children('Evse', 'chargePointId', p, {})));
    expect(lists).toEqual([null, null, null]);
    expect(sim.log).toHaveLength(0);
  });

  it('cannot group by a field the records do not carry', async () => {
    const { scanner } = wire();
    expect(await scanner.children('ChargePoint', 'circuitId', '1', {})).toBeNull();
  });

  it("groups an owner's records by the id of the owner object they carry (`user.id` for userId)", async () => {
    const { scanner } = wire();
    const owners = [...new Set(sim.store.list('ChargePoint').map((c) => (c.user as { id: unknown } | null)?.id).filter((id) => id !== null && id !== undefined))]
      .slice(0, 4)
      .map(String);
    const users = [...owners, ...idsOf('User', 4).filter((u) => !owners.includes(u))].slice(0, 4);
    const lists = await Promise.all(users.map((u) => scanner.children('ChargePoint', 'userId', u, {})));
    expect(lists.map((l) => l?.map((r) => r.id))).toEqual(users.map((u) => childrenOf('ChargePoint', 'user.id', u)));
    expect(lists.some((l) => (l?.length ?? 0) > 0)).toBe(true);
    expect(paths()).toEqual(['/charge-points/v2.0']);
  });
});

describe('prefetches', () => {
  it('start nothing for a collection never seen, and a scan at once for one seen before', async () => {
    const stats = new InMemoryCollectionStats();
    const first = wire({ stats });
    first.scanner.prefetchChildren('Evse', 'chargePointId', {}, 10, 1);
    expect(sim.log).toHaveLength(0);
    // An earlier request's scan taught the size.
    await Promise.all(idsOf('ChargePoint', 4).map((p) => first.scanner.children('Evse', 'chargePointId', p, {})));
    sim.clearLog();

    const { scanner } = wire({ stats });
    scanner.prefetchChildren('Evse', 'chargePointId', {}, 10, 1);
    // Two parents would not scan on their own; the prefetched scan serves them.
    const [p, q] = idsOf('ChargePoint', 2);
    const lists = await Promise.all([p!, q!].map((id) => scanner.children('Evse', 'chargePointId', id, {})));
    expect(lists.map((l) => l?.map((r) => r.id))).toEqual([childrenOf('Evse', 'chargePointId', p!), childrenOf('Evse', 'chargePointId', q!)]);
    expect(paths()).toEqual(['/evses/v2.1']);
  });

  it('an id prefetch serves the by-id scan of its type; forget drops it', async () => {
    const stats = new InMemoryCollectionStats();
    await wire({ stats }).scanner.forIds('ChargePointModel', idsOf('ChargePointModel', 4), []);
    sim.clearLog();

    const { scanner } = wire({ stats });
    scanner.prefetchIds('ChargePointModel', undefined, 50, 1);
    const ids = idsOf('ChargePointModel', 2);
    expect([...(await scanner.forIds('ChargePointModel', ids, [])).keys()].sort()).toEqual([...ids].sort());
    expect(paths()).toEqual(['/charge-point-models/v1.0']);

    scanner.forget();
    expect((await scanner.forIds('ChargePointModel', ids, [])).size).toBe(0); // two ids: read one by one
    expect(sim.log).toHaveLength(1);
  });
});

describe('what reads through the cache', () => {
  it('a scan primes the records it read', async () => {
    const { scanner, cache } = wire();
    const ids = idsOf('User', 4);
    await scanner.forIds('User', ids, []);
    const other = idsOf('User', 10)[9]!;
    const record = await cache.read({ type: 'User', id: other, parentId: undefined, include: [] });
    expect(String(record?.id)).toBe(other);
    expect(sim.log).toHaveLength(1);
  });
});

describe('with a tight rate budget: fewest calls', () => {
  const tightStats = (): InMemoryCollectionStats => new InMemoryCollectionStats(undefined, undefined, () => true);
  const sessionScan = JSON.stringify(['Session', null]);

  it('scans 3 pages for 4 ids, where room in the budget reads them one by one', async () => {
    const ids = sim.store.list('Session').slice(-4).map((s) => String(s.id));
    const pages = Math.ceil(sim.store.list('Session').length / 100);
    expect(pages).toBe(3);
    const roomy = new InMemoryCollectionStats();
    roomy.record('test', sessionScan, { count: SMALL_WORLD.sessions });
    expect((await wire({ stats: roomy }).scanner.forIds('Session', ids, [])).size).toBe(0);
    expect(sim.log).toHaveLength(0);

    const tight = tightStats();
    tight.record('test', sessionScan, { count: SMALL_WORLD.sessions });
    const found = await wire({ stats: tight }).scanner.forIds('Session', ids, []);
    expect([...found.keys()].sort()).toEqual([...ids].sort());
    expect(paths()).toEqual(['/sessions/v1.0', '/sessions/v1.0', '/sessions/v1.0']);
  });

  it('reads a known one-page collection in place of one record, and its rows then serve the children of a parent', async () => {
    const stats = tightStats();
    stats.record('test', JSON.stringify(['ChargePoint', null]), { count: SMALL_WORLD.chargePoints });
    const { scanner } = wire({ stats });
    const cp = sim.store.list('ChargePoint')[5]!;
    expect([...(await scanner.forIds('ChargePoint', [String(cp.id)], [])).keys()]).toEqual([String(cp.id)]);
    const locationId = String(cp.locationId);
    const siblings = await scanner.children('ChargePoint', 'locationId', locationId, {});
    expect(siblings?.map((r) => r.id)).toEqual(childrenOf('ChargePoint', 'locationId', locationId));
    expect(paths()).toEqual(['/charge-points/v2.0']);
  });

  it('with room in the budget, the same two needs are left to a read and a filtered listing', async () => {
    const stats = new InMemoryCollectionStats();
    stats.record('test', JSON.stringify(['ChargePoint', null]), { count: SMALL_WORLD.chargePoints });
    const { scanner } = wire({ stats });
    const cp = sim.store.list('ChargePoint')[5]!;
    expect((await scanner.forIds('ChargePoint', [String(cp.id)], [])).size).toBe(0);
    expect(await scanner.children('ChargePoint', 'locationId', String(cp.locationId), {})).toBeNull();
    expect(sim.log).toHaveLength(0);
  });

  it('tries a scan for the children of a collection never seen once: after it fell short, the listings', async () => {
    // 260 sessions, three pages; their grouping key is the charge point.
    const stats = tightStats();
    const first = wire({ stats }).scanner;
    // Two parents: a try of at most one page (half as many as their listings), which falls short.
    const two = await Promise.all(idsOf('ChargePoint', 2).map((p) => first.children('Session', 'chargePointId', p, {})));
    expect(two).toEqual([null, null]);
    expect(paths()).toEqual(['/sessions/v1.0']);
    expect(stats.get('test', sessionScan)).toMatchObject({ atLeast: 100, cutShort: true });

    // The next request brings more parents at once, enough for a longer try: none, they take their listings.
    sim.clearLog();
    const later = wire({ stats }).scanner;
    const six = await Promise.all(idsOf('ChargePoint', 6).map((p) => later.children('Session', 'chargePointId', p, {})));
    expect(six).toEqual([null, null, null, null, null, null]);
    expect(sim.log).toHaveLength(0);
  });

  it('starts no multi-page scan ahead of need; a one-page one still', async () => {
    const stats = tightStats();
    stats.record('test', sessionScan, { count: SMALL_WORLD.sessions });
    stats.record('test', JSON.stringify(['Evse', null]), { count: SMALL_WORLD.evses });
    const { scanner } = wire({ stats });
    scanner.prefetchIds('Session', undefined, 200, 2);
    scanner.prefetchChildren('Evse', 'chargePointId', {}, 10, 1);
    const parents = idsOf('ChargePoint', 2);
    const lists = await Promise.all(parents.map((p) => scanner.children('Evse', 'chargePointId', p, {})));
    expect(lists.map((l) => l?.map((r) => r.id))).toEqual(parents.map((p) => childrenOf('Evse', 'chargePointId', p)));
    expect(paths()).toEqual(['/evses/v2.1']);
  });
});
