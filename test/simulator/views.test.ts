/**
 * Views (GETs whose records have no id of their own): how the simulator answers them beyond their
 * contract (test/simulator/contract.test.ts checks every view against it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../simulator/contract.js';
import type { Simulator } from '../../simulator/index.js';
import { api, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start();
});
afterAll(() => sim.close());

const R = '/public-api/resources';

describe('views read by an argument', () => {
  it("answer the record of that name in the list above them (a charge point's configuration by key)", async () => {
    const cp = sim.store.list('ChargePoint')[0]!;
    const list = await api(sim, `${R}/charge-points/v2.0/${String(cp.id)}/configurations`);
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    for (const record of list.body.data) {
      const one = await api(sim, `${R}/charge-points/v2.0/${String(cp.id)}/configurations/${encodeURIComponent(record.key.name)}`);
      expect(one.status).toBe(200);
      // The first of the list's records with that name.
      expect(one.body).toEqual({ data: list.body.data.find((r: any) => r.key.name === record.key.name) });
    }
  });

  it('answer a fabricated record carrying the argument when the list has none (a price period by date)', async () => {
    const rate = sim.store.list('ElectricityRate')[0]!;
    const dates = await api(sim, `${R}/electricity-rates/v2.0/${String(rate.id)}/price-periods/date`);
    const listed = new Set(dates.body.data.map((r: any) => r.date));
    const date = ['2020-01-01', '2020-01-02', '2020-01-03'].find((d) => !listed.has(d))!;
    const one = await api(sim, `${R}/electricity-rates/v2.0/${String(rate.id)}/price-periods/date/${date}`);
    expect(one.status).toBe(200);
    expect(one.body.data.date).toBe(date);
    const byDay = await api(sim, `${R}/electricity-rates/v2.0/${String(rate.id)}/price-periods/week-day/tue`);
    expect(byDay.body.data.weekDay).toBe('tue');
  });

  it('refuse an argument outside its enum (422) and a malformed date (404)', async () => {
    const rate = sim.store.list('ElectricityRate')[0]!;
    const day = await api(sim, `${R}/electricity-rates/v2.0/${String(rate.id)}/price-periods/week-day/someday`);
    expect(day.status).toBe(422);
    expect(day.body.errors).toEqual({ weekDay: ['The selected weekDay is invalid.'] });
    const date = await api(sim, `${R}/electricity-rates/v2.0/${String(rate.id)}/price-periods/date/not-a-date`);
    expect(date.status).toBe(404);
  });
});

describe('a view typed as an entity', () => {
  it("lists the ids of the records sharing the owner's link (a firmware version's models are its vendor's), in id order", async () => {
    let withModels = 0;
    for (const fw of sim.store.list('FirmwareVersion')) {
      const expected = sim.store.list('ChargePointModel').filter((m) => m.vendorId === fw.chargePointVendorId).map((m) => m.id);
      const res = await api(sim, `${R}/firmware-versions/v1.0/${String(fw.id)}/attached-models`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(expected);
      if (expected.length) withModels++;
    }
    expect(withModels).toBeGreaterThan(0);
  });

  it('leaves out records deleted since', async () => {
    const fw = sim.store.list('FirmwareVersion').find((f) => sim.store.list('ChargePointModel').some((m) => m.vendorId === f.chargePointVendorId))!;
    const url = `${R}/firmware-versions/v1.0/${String(fw.id)}/attached-models`;
    const before = await api(sim, url);
    const [gone, ...rest] = before.body.data as number[];
    const remove = contract.resources.ChargePointModel!.operations.delete!.path.replace(/\{[^}]+\}$/, String(gone));
    expect((await api(sim, remove, { method: 'DELETE' })).status).toBe(204);
    expect((await api(sim, url)).body.data).toEqual(rest);
  });
});

describe('view listings', () => {
  it('filter status logs by createdAfter/createdBefore on their timestamp', async () => {
    const cp = sim.store.list('ChargePoint')[1]!;
    const url = `${R}/charge-points/v2.0/${String(cp.id)}/hardware-status-logs`;
    const all = (await api(sim, url)).body.data as { timestamp: string }[];
    expect(all.length).toBeGreaterThan(1);
    const stamps = all.map((r) => r.timestamp).sort();
    const middle = stamps[Math.floor(stamps.length / 2)]!;
    const after = await api(sim, `${url}?filter[createdAfter]=${encodeURIComponent(middle)}`);
    expect(after.body.data).toEqual(all.filter((r) => r.timestamp >= middle));
    const before = await api(sim, `${url}?filter[createdBefore]=${encodeURIComponent(middle)}`);
    expect(before.body.data).toEqual(all.filter((r) => r.timestamp <= middle));
    const bad = await api(sim, `${url}?filter[createdAfter]=yesterday`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual({ 'filter.createdAfter': ['The filter.createdAfter is not a valid date.'] });
  });

  it('accept and ignore only the time-series window filters', async () => {
    const ignored = Object.fromEntries(Object.entries(sim.store.ignoredFilters()).filter(([key]) => /^[a-z]/.test(key)));
    expect(ignored).toEqual({
      getHistoricalTimeSeries: ['filter[startTime]', 'filter[endTime]'],
      getTimeSeriesForecast: ['filter[startTime]', 'filter[endTime]'],
    });
    const asset = sim.store.list('FlexibilityAsset')[0]!;
    const url = `${R}/flexibility-assets/v1.0/${String(asset.id)}/historical-time-series`;
    const all = await api(sim, url);
    const filtered = await api(sim, `${url}?filter[startTime]=2026-01-01T00:00:00Z`);
    expect(filtered.body.data).toEqual(all.body.data);
  });

  it('serve a flag-gated field only with its flag (partner expenses withBreakdown)', async () => {
    const url = `${R}/partner-expenses/v1.1`;
    const plain = await api(sim, url);
    const full = await api(sim, `${url}?withBreakdown=true`);
    expect(plain.body.data.length).toBeGreaterThan(0);
    expect(plain.body.data.some((r: any) => 'breakdown' in r)).toBe(false);
    expect(full.body.data.every((r: any) => 'breakdown' in r)).toBe(true);
    expect(plain.body.data).toEqual(full.body.data.map(({ breakdown: _b, ...r }: any) => r));
  });

  it('refuse per_page out of 1..100 and a broken cursor with 422, as listings do', async () => {
    const cp = sim.store.list('ChargePoint')[0]!;
    const url = `${R}/charge-points/v2.0/${String(cp.id)}/network-status-logs`;
    expect((await api(sim, `${url}?per_page=0`)).status).toBe(422);
    expect((await api(sim, `${url}?cursor=nonsense`)).body.errors).toEqual({ cursor: ['The cursor is invalid.'] });
  });
});

describe('owners', () => {
  it("answer 404 for a deleted owner's views", async () => {
    const cp = sim.store.list('ChargePoint')[2]!;
    const url = `${R}/charge-points/v2.0/${String(cp.id)}/latest-network-status-log`;
    expect((await api(sim, url)).status).toBe(200);
    expect((await api(sim, `${R}/charge-points/v2.0/${String(cp.id)}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await api(sim, url);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ message: `No query results for model [ChargePoint] ${String(cp.id)}` });
  });

  it('views of Query are one per tenant: the same record on every read', async () => {
    const a = await api(sim, `${R}/settings/v1.0`);
    const b = await api(sim, `${R}/settings/v1.0`);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(Object.keys(a.body)).toEqual(['data']);
    // The tenant's contact details answer the record itself, where the shipped contract marks the answer bare.
    const bare = contract.views.contactDetailsRead!.operations.read!.responses.some((r) => (r as { bare?: boolean }).bare === true);
    const contact = await api(sim, `${R}/contact-details/v2.0`);
    expect(contact.status).toBe(200);
    expect(Object.keys(contact.body)).toEqual(bare ? expect.arrayContaining(['email']) : ['data']);
  });
});
