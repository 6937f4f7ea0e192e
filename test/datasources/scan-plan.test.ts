/**
 * The scan planner's decisions, table-driven: given what is known of a collection, how many reads a
 * scan would replace and how many calls a round trip holds, scan (and how far) or not.
 */
import { describe, expect, it } from 'vitest';
import type { CollectionSize } from '../../src/datasources/collection-stats.js';
import { spec } from '../../src/datasources/registry.js';
import {
  childScannable,
  groupingPath,
  idScannable,
  maxNumericId,
  MAX_SCAN_PAGES,
  MIN_KEYS_FOR_SCAN,
  planScan,
  scanPaysOff,
  scanSize,
  type ScanQuestion,
} from '../../src/datasources/scan-plan.js';

const seen = (size: Omit<CollectionSize, 'at'>): CollectionSize => ({ ...size, at: 0 });

describe('scanSize', () => {
  it.each([
    ['never seen, no ids to guess from: probe one page', undefined, undefined, { pages: 1, known: false, seen: false }],
    ['never seen: guessed from the largest id', undefined, 250, { pages: 3, known: false, seen: false }],
    ['never seen, id 0', undefined, 0, { pages: 1, known: false, seen: false }],
    ['an exact count', seen({ count: 250 }), 9999, { pages: 3, known: true, seen: true }],
    ['an exact count on a page boundary', seen({ count: 200 }), undefined, { pages: 2, known: true, seen: true }],
    ['an empty collection still takes a page', seen({ count: 0 }), undefined, { pages: 1, known: true, seen: true }],
    ['a lower bound: at least one page more', seen({ atLeast: 200 }), undefined, { pages: 3, known: false, seen: true }],
    ['a lower bound inside a page', seen({ atLeast: 150 }), undefined, { pages: 2, known: false, seen: true }],
  ])('%s', (_name, size, maxId, expected) => {
    expect(scanSize(size, maxId)).toEqual(expected);
  });
});

describe('scanPaysOff', () => {
  it.each([
    // pages, calls, factor, maxInFlight, hidden, pays off
    [1, 4, 4, 32, 0, true],
    [1, 3, 4, 32, 0, false], // not 4× fewer calls
    [2, 8, 4, 32, 0, false], // 8 reads are one round trip; two sequential pages are two
    [2, 8, 4, 32, 1, true], // ...unless one of them runs behind the level above
    [2, 64, 4, 32, 0, true], // 64 reads take two round trips anyway
    [3, 100, 2, 32, 0, true],
    [MAX_SCAN_PAGES + 1, 10_000, 2, 32, 10, false], // never more than MAX_SCAN_PAGES
  ])('%i pages for %i calls (factor %i, %i in flight, %i hidden): %s', (pages, calls, factor, maxInFlight, hidden, expected) => {
    expect(scanPaysOff(pages, calls, factor, maxInFlight, hidden)).toBe(expected);
  });
});

describe('planScan', () => {
  const q = (question: Partial<ScanQuestion> & Pick<ScanQuestion, 'purpose' | 'keys'>): ScanQuestion => ({ size: undefined, maxInFlight: 32, ...question });
  it.each<[string, ScanQuestion, number | undefined]>([
    [`ids: fewer than ${MIN_KEYS_FOR_SCAN} are read one by one`, q({ purpose: 'ids', keys: MIN_KEYS_FOR_SCAN - 1, size: seen({ count: 10 }) }), undefined],
    ['ids: a collection never seen is probed with one page', q({ purpose: 'ids', keys: 4 }), 1],
    ['ids: a guess of 3 pages needs 12 ids', q({ purpose: 'ids', keys: 10, maxId: 250 }), undefined],
    ['ids: a guess of 3 pages for 100 ids reads exactly 3', q({ purpose: 'ids', keys: 100, maxId: 250 }), 3],
    ['ids: a known size reads one page more', q({ purpose: 'ids', keys: 100, size: seen({ count: 250 }) }), 4],
    ['ids: 3 pages cost more round trips than 40 reads at 32 in flight', q({ purpose: 'ids', keys: 40, size: seen({ count: 250 }) }), undefined],
    ['ids: ...but not at 10 in flight', q({ purpose: 'ids', keys: 40, size: seen({ count: 250 }), maxInFlight: 10 }), 4],
    ['ids: a collection too large', q({ purpose: 'ids', keys: 1000, size: seen({ count: 350 }) }), undefined],
    ['children: 4 parents, one known page', q({ purpose: 'children', keys: 4, size: seen({ count: 50 }) }), 2],
    [`children: fewer than ${MIN_KEYS_FOR_SCAN} parents`, q({ purpose: 'children', keys: 3, size: seen({ count: 50 }) }), undefined],
    ['children: 4 parents and 3 pages is no saving', q({ purpose: 'children', keys: 4, size: seen({ count: 250 }) }), undefined],
    ['prefetch: never for a collection never seen', q({ purpose: 'children', keys: 50, ahead: 1 }), undefined],
    ['prefetch: any number of keys (2 parents, one page)', q({ purpose: 'children', keys: 2, ahead: 1, size: seen({ count: 30 }) }), 2],
    ['prefetch: two pages behind one level above', q({ purpose: 'children', keys: 5, ahead: 1, size: seen({ atLeast: 150 }) }), 2],
    ['prefetch: two pages with no level above to hide behind', q({ purpose: 'children', keys: 5, ahead: 0, size: seen({ atLeast: 150 }) }), undefined],
    ['prefetch: ids need 4× fewer calls', q({ purpose: 'ids', keys: 3, ahead: 2, size: seen({ count: 30 }) }), undefined],
    ['prefetch: ids of a one-page collection', q({ purpose: 'ids', keys: 4, ahead: 2, size: seen({ count: 30 }) }), 2],
  ])('%s', (_name, question, maxPages) => {
    expect(planScan(question)?.maxPages).toBe(maxPages);
  });
});

describe('planScan with a tight budget: fewest calls', () => {
  const tight = (question: Partial<ScanQuestion> & Pick<ScanQuestion, 'purpose' | 'keys'>): ScanQuestion => ({
    size: undefined,
    maxInFlight: 32,
    budgetTight: true,
    pageCap: 20,
    ...question,
  });
  it.each<[string, ScanQuestion, number | undefined, number | undefined]>([
    // name, question, maxPages with a tight budget, maxPages for the same question with room in the budget
    ['84 ids of a 5-page collection: 5 sequential pages rather than 84 reads', tight({ purpose: 'ids', keys: 84, size: seen({ count: 500 }) }), 6, undefined],
    ['35 ids of a 5-page collection (session monitor: users)', tight({ purpose: 'ids', keys: 35, size: seen({ count: 500 }) }), 6, undefined],
    ['7 ids of a 5-page collection (charge point detail: users)', tight({ purpose: 'ids', keys: 7, size: seen({ count: 500 }) }), 6, undefined],
    ['5 ids of a 5-page collection: no saving, read them', tight({ purpose: 'ids', keys: 5, size: seen({ count: 500 }) }), undefined, undefined],
    ['one id of a known one-page collection: the scan answers later needs too', tight({ purpose: 'ids', keys: 1, size: seen({ count: 100 }) }), 2, undefined],
    ['one id of a collection only guessed to be one page: read it', tight({ purpose: 'ids', keys: 1, maxId: 12 }), undefined, undefined],
    ['a guess from the ids: 3 pages for 10 ids', tight({ purpose: 'ids', keys: 10, maxId: 250 }), 3, undefined],
    ['more pages than FACADE_MAX_LIST_PAGES: never complete, read the ids', tight({ purpose: 'ids', keys: 400, size: seen({ count: 2500 }) }), undefined, undefined],
    ['63 parents, a 2-page collection', tight({ purpose: 'children', keys: 63, size: seen({ count: 200 }) }), 3, 3],
    ['one parent, a known one-page collection (a tie)', tight({ purpose: 'children', keys: 1, size: seen({ count: 100 }) }), 2, undefined],
    ['one parent, a 2-page collection: its filtered listing', tight({ purpose: 'children', keys: 1, size: seen({ count: 200 }) }), undefined, undefined],
    // With room, a one-page prefetch saves a round trip; tight, it waits: the listing above may come back empty.
    ['prefetch of a known one-page collection only with room', tight({ purpose: 'ids', keys: 20, ahead: 1, size: seen({ count: 20 }) }), undefined, 2],
    ['no prefetch of 2 pages: how many will be wanted is a guess', tight({ purpose: 'children', keys: 26, ahead: 2, size: seen({ count: 200 }) }), undefined, 3],
    ['no prefetch of a collection never seen', tight({ purpose: 'ids', keys: 20, ahead: 1 }), undefined, undefined],
    ['no prefetch of children from a lower bound', tight({ purpose: 'children', keys: 30, ahead: 1, size: seen({ atLeast: 100 }) }), undefined, 2],
    // Only a complete scan groups children: of a collection of unknown size, one of at most half as many pages as listings.
    ['30 parents, a collection of at least 300: up to 15 pages', tight({ purpose: 'children', keys: 30, size: seen({ atLeast: 300 }) }), 15, undefined],
    ['30 parents, a collection of at least 1500: the listings', tight({ purpose: 'children', keys: 30, size: seen({ atLeast: 1_500 }) }), undefined, undefined],
    // A try that fell short is made once: a request whose parents come in one batch (16) does not
    // repeat the smaller try of one whose came in two (5 and 11).
    ['16 parents, after a 2-page try fell short: the listings', tight({ purpose: 'children', keys: 16, size: seen({ atLeast: 200, cutShort: true }) }), undefined, undefined],
    ['16 parents, at least 200 seen by a read that found what it sought: up to 8 pages', tight({ purpose: 'children', keys: 16, size: seen({ atLeast: 200 }) }), 8, undefined],
    ['5 parents, a collection never seen: up to 2 pages', tight({ purpose: 'children', keys: 5 }), 2, 1],
    ['3 parents, a collection never seen: one page, or the listings with room', tight({ purpose: 'children', keys: 3 }), 1, undefined],
    ['30 ids, a collection of at least 300: its pages may still hold most', tight({ purpose: 'ids', keys: 30, size: seen({ atLeast: 300 }) }), 4, undefined],
  ])('%s', (_name, question, tightPages, roomyPages) => {
    expect(planScan(question)?.maxPages).toBe(tightPages);
    expect(planScan({ ...question, budgetTight: false })?.maxPages).toBe(roomyPages);
  });
});

describe('groupingPath', () => {
  it.each<[string, string, string | undefined]>([
    ['Evse', 'chargePointId', 'chargePointId'],
    ['ChargePoint', 'userId', 'user.id'],
    ['ChargePoint', 'circuitId', undefined],
  ])('%s by %s: %s', (type, filterKey, expected) => {
    expect(groupingPath(spec(type), filterKey)).toBe(expected);
  });
});

describe('maxNumericId', () => {
  it.each<[string[], number | undefined]>([
    [['3', '12', '7'], 12],
    [['3', 'a7'], undefined],
    [[], undefined],
  ])('%j -> %s', (ids, expected) => {
    expect(maxNumericId(ids)).toBe(expected);
  });
});

describe('what can be scanned', () => {
  it.each<[string, string[], boolean]>([
    ['Location', [], true],
    ['Location', ['chargingZones'], true],
    ['Session', ['+withAuthorization'], true],
    ['User', ['+withAmountDue'], false], // a flag reads take and listings do not
    ['Connector', [], false], // a sub-resource: no root listing
    ['ChargePointModel', [], true],
  ])('by-id reads of %s with %j: %s', (type, embedding, expected) => {
    expect(idScannable(spec(type), embedding)).toBe(expected);
  });

  it.each<[string, string, string[], boolean]>([
    ['Evse', 'chargePointId', ['connectors'], true],
    ['ChargePoint', 'locationId', [], true],
    ['Session', 'userId', ['+withAuthorization'], true],
    ['ChargePoint', 'userId', [], true], // the owner's id is `user.id` on the record
    ['ChargePoint', 'circuitId', [], false], // the record does not carry the filter's value: no grouping
    ['ChargingZone', 'locationId', [], false], // a sub-resource
  ])('children of %s by %s with %j: %s', (type, filterKey, embedding, expected) => {
    expect(childScannable(spec(type), filterKey, embedding)).toBe(expected);
  });
});
