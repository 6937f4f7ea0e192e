import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { api, collect, P, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start();
});
afterAll(() => sim.close());

const ids = (records: { id: unknown }[]): unknown[] => records.map((r) => r.id);

describe('cursor listings', () => {
  it('answers the cursor envelope with links and meta', async () => {
    const res = await api(sim, `${P.chargePoints}?per_page=3`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(res.body)).toEqual(['data', 'links', 'meta']);
    expect(ids(res.body.data)).toEqual([1, 2, 3]);
    const { links, meta } = res.body;
    expect(links.first).toBeNull();
    expect(links.last).toBeNull();
    expect(links.prev).toBeNull();
    expect(links.next).toMatch(new RegExp(`^${sim.url}${P.chargePoints}\\?per_page=3&cursor=`));
    expect(meta).toEqual({ path: sim.url + P.chargePoints, per_page: 3, next_cursor: expect.any(String), prev_cursor: null });
    expect(new URL(links.next).searchParams.get('cursor')).toBe(meta.next_cursor);
  });

  it('pages through a whole listing in id order, forward and back', async () => {
    const { records, pages } = await collect(sim, `${P.evses}?per_page=4`);
    const expected = sim.store.list('Evse').map((e) => e.id);
    expect(ids(records)).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 4));

    const second = await api(sim, `${P.evses}?per_page=4`).then((r) => api(sim, r.body.links.next));
    expect(ids(second.body.data)).toEqual(expected.slice(4, 8));
    expect(second.body.meta.prev_cursor).toEqual(expect.any(String));
    const back = await api(sim, second.body.links.prev);
    expect(ids(back.body.data)).toEqual(expected.slice(0, 4));
    expect(back.body.meta.prev_cursor).toBeNull();
    expect(back.body.links.next).not.toBeNull();
  });

  it('ends with a null next cursor and keeps filters in links', async () => {
    const total = sim.store.count('Evse');
    const last = await collect(sim, `${P.evses}?per_page=100&filter[chargePointId]=1`);
    expect(last.pages).toBe(1);
    const expected = sim.store.list('Evse').filter((e) => e.chargePointId === 1).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(total);
    expect(ids(last.records)).toEqual(expected);
    const res = await api(sim, `${P.evses}?per_page=1&filter[chargePointId]=1`);
    expect(decodeURIComponent(res.body.links.next)).toContain('filter[chargePointId]=1');
  });

  it('rejects per_page out of 1..100 and broken cursors with 422', async () => {
    for (const q of ['per_page=101', 'per_page=0', 'per_page=abc']) {
      const res = await api(sim, `${P.chargePoints}?${q}`);
      expect(res.status).toBe(422);
      expect(res.body.errors.per_page).toHaveLength(1);
    }
    const res = await api(sim, `${P.chargePoints}?cursor=not-a-cursor`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ cursor: ['The cursor is invalid.'] });
    expect((await api(sim, `${P.chargePoints}?per_page=100`)).status).toBe(200);
  });

  it('serves a nested listing under its parent, 404 for an unknown parent', async () => {
    const loc = sim.store.list('Location')[0]!;
    const res = await api(sim, `${P.locations}/${loc.id}/charging-zones`);
    expect(res.status).toBe(200);
    expect(ids(res.body.data)).toEqual(sim.store.children('ChargingZone', { location: loc.id }).map((z) => z.id));
    expect(res.body.data.every((z: any) => z.locationId === loc.id)).toBe(true);
    expect((await api(sim, `${P.locations}/9999/charging-zones`)).status).toBe(404);
  });

  it('lists connectors (no pagination) as a bare data array, checking the EVSE belongs to the charge point', async () => {
    const evse = sim.store.list('Evse').find((e) => sim.store.children('Connector', { evse: e.id }).length > 0)!;
    const res = await api(sim, `${P.chargePoints}/${evse.chargePointId}/evses/${evse.id}/connectors`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data']);
    expect(ids(res.body.data)).toEqual(sim.store.children('Connector', { evse: evse.id }).map((c) => c.id));
    const otherCp = sim.store.list('ChargePoint').find((cp) => cp.id !== evse.chargePointId)!;
    expect((await api(sim, `${P.chargePoints}/${otherCp.id}/evses/${evse.id}/connectors`)).status).toBe(404);
  });
});

describe("'both' listings (sessions, users)", () => {
  it('use page pagination by default, with Laravel meta', async () => {
    const total = sim.store.count('Session');
    const res = await api(sim, `${P.sessions}?per_page=25&page=2`);
    expect(res.status).toBe(200);
    const { links, meta } = res.body;
    expect(meta).toMatchObject({ current_page: 2, from: 26, to: 50, last_page: Math.ceil(total / 25), per_page: 25, total, path: sim.url + P.sessions });
    expect(links.first).toBe(`${sim.url}${P.sessions}?per_page=25&page=1`);
    expect(links.last).toBe(`${sim.url}${P.sessions}?per_page=25&page=${meta.last_page}`);
    expect(links.prev).toBe(`${sim.url}${P.sessions}?per_page=25&page=1`);
    expect(meta.links[0]).toEqual({ url: links.prev, label: '&laquo; Previous', active: false });
    expect(meta.links.find((l: any) => l.active)).toMatchObject({ label: '2' });
    // Sessions are listed newest first.
    expect(ids(res.body.data)).toEqual(sim.store.list('Session').slice(25, 50).map((s) => s.id));
    const started = res.body.data.map((s: any) => s.startedAt);
    expect([...started].sort().reverse()).toEqual(started);
  });

  it('answer past the last page with empty data', async () => {
    const res = await api(sim, `${P.users}?page=99`);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta).toMatchObject({ current_page: 99, from: null, to: null, total: sim.store.count('User') });
    expect(res.body.links.next).toBeNull();
  });

  it('switch to cursor pagination on an empty cursor', async () => {
    const res = await api(sim, `${P.users}?cursor=&per_page=5`);
    expect(Object.keys(res.body.meta).sort()).toEqual(['next_cursor', 'path', 'per_page', 'prev_cursor']);
    expect(ids(res.body.data)).toEqual(sim.store.list('User').slice(0, 5).map((u) => u.id));
    const bare = await api(sim, `${P.users}?cursor&per_page=5`);
    expect(bare.body.meta).toHaveProperty('next_cursor');
  });

  it('page through the same records with either style', async () => {
    const expected = sim.store.list('Session').map((s) => s.id);
    const byPage = await collect(sim, `${P.sessions}?per_page=7`);
    const byCursor = await collect(sim, `${P.sessions}?per_page=7&cursor=`);
    expect(ids(byPage.records)).toEqual(expected);
    expect(ids(byCursor.records)).toEqual(expected);
    expect(byPage.pages).toBe(Math.ceil(expected.length / 7));
  });
});

describe('filters', () => {
  it('filter by equality with type coercion', async () => {
    const cp = sim.store.list('ChargePoint')[2]!;
    const res = await api(sim, `${P.evses}?filter[chargePointId]=${cp.id}`);
    const expected = sim.store.list('Evse').filter((e) => e.chargePointId === cp.id).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(res.body.data)).toEqual(expected);

    const cps = await api(sim, `${P.chargePoints}?filter[locationId]=${cp.locationId}&filter[type]=${cp.type as string}`);
    expect(ids(cps.body.data)).toEqual(sim.store.list('ChargePoint').filter((c) => c.locationId === cp.locationId && c.type === cp.type).map((c) => c.id));
  });

  it('filter sessions by enum, user and array of ids', async () => {
    const sessions = sim.store.list('Session');
    const active = await collect(sim, `${P.sessions}?filter[status]=active`);
    expect(ids(active.records)).toEqual(sessions.filter((s) => s.status === 'active').map((s) => s.id));
    expect(active.records.length).toBeGreaterThan(0);

    const userId = sessions.find((s) => s.userId !== null)!.userId!;
    const mine = await collect(sim, `${P.sessions}?filter[userId]=${userId}`);
    expect(ids(mine.records)).toEqual(sessions.filter((s) => s.userId === userId).map((s) => s.id));

    const cps = sim.store.list('ChargePoint');
    const wanted = [...new Set(cps.map((c) => c.roamingOperatorId))].slice(0, 2) as number[];
    const q = wanted.map((w) => `filter[roamingOperatorIds][]=${w}`).join('&');
    const res = await collect(sim, `${P.chargePoints}?${q}`);
    expect(ids(res.records)).toEqual(cps.filter((c) => wanted.includes(c.roamingOperatorId as number)).map((c) => c.id));
    const indexed = await collect(sim, `${P.chargePoints}?${wanted.map((w, i) => `filter[roamingOperatorIds][${i}]=${w}`).join('&')}`);
    expect(ids(indexed.records)).toEqual(ids(res.records));
  });

  it('filter by date ranges (startedAfter/Before -> startedAt, lastUpdatedAfter -> lastUpdatedAt)', async () => {
    const sessions = sim.store.list('Session');
    const sorted = sessions.map((s) => s.startedAt).sort();
    const from = sorted[10]!;
    const to = sorted[40]!;
    const res = await collect(sim, `${P.sessions}?filter[startedAfter]=${encodeURIComponent(from)}&filter[startedBefore]=${encodeURIComponent(to)}`);
    const expected = sessions.filter((s) => s.startedAt >= from && s.startedAt <= to).map((s) => s.id);
    expect(expected).toHaveLength(31);
    expect(ids(res.records)).toEqual(expected);

    const locs = sim.store.list('Location');
    const mid = locs.map((l) => l.lastUpdatedAt).sort()[2]!;
    const updated = await collect(sim, `${P.locations}?filter[lastUpdatedAfter]=${encodeURIComponent(mid)}`);
    expect(ids(updated.records)).toEqual(locs.filter((l) => l.lastUpdatedAt >= mid).map((l) => l.id));
  });

  it('filter on nested objects and list membership', async () => {
    const sessions = sim.store.list('Session');
    const withRoaming = sessions.filter((s) => (s.roaming as any)?.roamingOperatorCpoId === 2).map((s) => s.id);
    const res = await collect(sim, `${P.sessions}?filter[roaming][roamingOperatorCpoIds][]=2`);
    expect(ids(res.records)).toEqual(withRoaming);

    // A personal charge point of its own, so that the owner filter has a match whatever the seed holds.
    const userId = Number(sim.store.list('User')[0]!.id);
    const created = await api(sim, P.chargePoints, { method: 'POST', body: { name: 'Owned', type: 'personal', status: 'enabled', user: { id: userId } } });
    expect(created.status).toBe(201);
    const mine = await collect(sim, `${P.chargePoints}?filter[userId]=${userId}`);
    const owned = sim.store.list('ChargePoint').filter((c) => (c.user as { id: number | null }).id === userId).map((c) => c.id);
    expect(owned).toContain(created.body.data.id);
    expect(owned.length).toBeLessThan(sim.store.count('ChargePoint'));
    expect(ids(mine.records)).toEqual(owned);
    const tagged = sim.store.list('Location').find((l) => (l.tags as string[]).length > 0)!;
    const tag = (tagged.tags as string[])[0]!;
    const byTag = await collect(sim, `${P.locations}?filter[tag]=${tag}`);
    expect(ids(byTag.records)).toEqual(sim.store.list('Location').filter((l) => (l.tags as string[]).includes(tag)).map((l) => l.id));
  });

  it('ignore unknown and unmappable filters, reject invalid values with per-field errors', async () => {
    const all = sim.store.count('ChargePoint');
    expect((await api(sim, `${P.chargePoints}?filter[nope]=1`)).body.data).toHaveLength(all);
    expect((await api(sim, `${P.chargePoints}?filter[vendorId]=5`)).body.data).toHaveLength(all);
    const res = await api(sim, `${P.sessions}?filter[status]=running&filter[startedAfter]=yesterday&filter[evseId]=x`);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('The given data was invalid.');
    expect(Object.keys(res.body.errors).sort()).toEqual(['filter.evseId', 'filter.startedAfter', 'filter.status']);
    expect(res.body.errors['filter.status']).toEqual(['The selected filter.status is invalid.']);
  });

  it('find associations kept beside the record: a circuit lists the charge points attached to it (filter[circuitId])', async () => {
    const circuit = sim.store.list('Circuit').find((c) => sim.store.linked('ChargePoint', 'circuitId', c.id as number).length > 0)!;
    const attached = sim.store.linked('ChargePoint', 'circuitId', circuit.id as number);
    expect(attached.length).toBeLessThan(sim.store.count('ChargePoint'));
    const listed = await collect(sim, `${P.chargePoints}?filter[circuitId]=${String(circuit.id)}`);
    expect(ids(listed.records)).toEqual(attached.map((c) => c.id));
    expect(sim.store.ignoredFilters().ChargePoint).not.toContain('filter[circuitId]');
  });
});

describe('include[] and flags', () => {
  it('embed an EVSE connectors only when included, in any include syntax', async () => {
    const evse = sim.store.list('Evse').find((e) => sim.store.children('Connector', { evse: e.id }).length > 0)!;
    const plain = await api(sim, `${P.evses}/${evse.id}`);
    expect(plain.body.data).not.toHaveProperty('connectors');
    const expected = sim.store.children('Connector', { evse: evse.id }).map((c) => c.id);
    for (const q of ['include[]=connectors', 'include=connectors', 'include[0]=connectors']) {
      const res = await api(sim, `${P.evses}/${evse.id}?${q}`);
      expect(ids(res.body.data.connectors)).toEqual(expected);
    }
    const listed = await api(sim, `${P.evses}?include[]=connectors&per_page=100`);
    const row = listed.body.data.find((e: any) => e.id === evse.id);
    expect(ids(row.connectors)).toEqual(expected);
  });

  it("embed a location's charging zones", async () => {
    const res = await api(sim, `${P.locations}?include[]=chargingZones`);
    for (const loc of res.body.data) {
      expect(ids(loc.chargingZones)).toEqual(sim.store.children('ChargingZone', { location: loc.id }).map((z) => z.id));
    }
    const plain = await api(sim, P.locations);
    expect(plain.body.data[0]).not.toHaveProperty('chargingZones');
  });

  it('reject unknown include values', async () => {
    const res = await api(sim, `${P.evses}?include[]=everything`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ 'include.0': ['The selected include.0 is invalid.'] });
  });

  it('add flag-gated session fields only when the flag is set', async () => {
    const s = sim.store.list('Session')[0]!;
    const plain = await api(sim, `${P.sessions}/${s.id}`);
    expect(plain.body.data).not.toHaveProperty('authorization');
    expect(plain.body.data).not.toHaveProperty('chargingPeriods');
    const res = await api(sim, `${P.sessions}/${s.id}?withAuthorization=true&withChargingPeriods=1&withClockAlignedEnergyConsumption=true&clockAlignedInterval=60`);
    expect(res.body.data.authorization).toMatchObject({ id: s.authorizationId, userId: s.userId, createdAt: s.startedAt });
    expect(res.body.data.chargingPeriods[0]).not.toHaveProperty('priceBreakdown');
    const slots = res.body.data.clockAlignedEnergyConsumption;
    expect(slots.length).toBeGreaterThan(0);
    expect(Date.parse(slots[0].end) - Date.parse(slots[0].start)).toBe(3_600_000);
    const withBreakdown = await api(sim, `${P.sessions}/${s.id}?withChargingPeriods=true&withChargingPeriodsPriceBreakdown=true`);
    expect(withBreakdown.body.data.chargingPeriods[0].priceBreakdown).toEqual(expect.any(Array));
    const bad = await api(sim, `${P.sessions}/${s.id}?clockAlignedInterval=20&withAuthorization=maybe`);
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['clockAlignedInterval', 'withAuthorization']);
  });
});
