/**
 * The facade's query encoder against the simulator's parser: whatever filter the facade encodes, the
 * simulator (like AMPECO's Laravel) reads back the same values, as text. Both sides use `qs`, so this
 * pins the options they are configured with (list form, skipped nulls, dates, canonical order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQuery, type QueryParams } from '../src/datasources/http/query.js';
import { HttpError } from '../simulator/http.js';
import { parseQuery } from '../simulator/query.js';

/** AMPECO's filter keys are identifiers; the inherited member names check that keys are only data. */
const key = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,11}$/) },
  { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf', 'length') },
);
const scalar = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('[', ']', '&', '=', '+', '%', ' ', '?', '#', '/', ',', '~', '(', '*'), maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.date({ noInvalidDate: true }),
  fc.constant(null),
);
/** What a filter holds: scalars, lists of scalars, nested objects and lists of objects, two levels deep. */
const leaf = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));
const inner = fc.dictionary(key, leaf, { maxKeys: 4 });
const filter = fc.dictionary(key, fc.oneof(leaf, inner, fc.array(inner, { maxLength: 3 })), { maxKeys: 6 });

/** What the parser should give for a value: text, with nulls and empty containers gone (they send nothing). */
function asParsed(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(asParsed).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).flatMap(([k, v]) => {
      const parsed = asParsed(v);
      return parsed === undefined ? [] : [[k, parsed] as const];
    });
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`Not a query value: ${typeof value}`);
}

/** The same object with its keys in another order, at every level. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
}

describe('query strings: facade encoder -> simulator parser', () => {
  it('round-trips random filters with include[], cursor, paging and flags', () => {
    fc.assert(
      fc.property(
        filter,
        fc.array(fc.constantFrom('connectors', 'evses', 'location', 'chargingZones'), { maxLength: 5 }),
        fc.option(fc.string({ unit: 'binary', maxLength: 20 }), { nil: undefined }),
        fc.integer({ min: 1, max: 100 }),
        fc.option(fc.boolean(), { nil: undefined }),
        (filterObject, include, cursor, perPage, withAuthorization) => {
          const params: QueryParams = { filter: filterObject, include, cursor, per_page: perPage, withAuthorization };
          const text = encodeQuery(params);
          const expected = asParsed({
            filter: filterObject,
            include: [...new Set(include)].sort(),
            per_page: perPage,
            withAuthorization,
          }) as Record<string, unknown>;
          // `cursor` is sent even when empty: its presence switches a listing to cursor mode.
          if (cursor !== undefined) expected.cursor = cursor;
          expect(parseQuery(text)).toEqual(expected);
          // Canonical: the same request with keys in another order is the same string (a cache key).
          expect(encodeQuery({ ...(reversed(params) as QueryParams), include: [...include].reverse() })).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps Laravel list form for scalars, indexes for objects in lists, and AMPECO-shaped requests exact', () => {
    const text = encodeQuery({
      filter: { roamingOperatorIds: [1, 2], chargePointId: 12, periods: [{ from: new Date('2026-01-02T03:04:05Z') }, { to: 'x' }] },
      include: ['connectors'],
      cursor: null,
      per_page: 100,
      withAuthorization: true,
    });
    expect(decodeURIComponent(text)).toBe(
      'cursor=&filter[chargePointId]=12&filter[periods][0][from]=2026-01-02T03:04:05.000Z&filter[periods][1][to]=x' +
        '&filter[roamingOperatorIds][]=1&filter[roamingOperatorIds][]=2&include[]=connectors&per_page=100&withAuthorization=true',
    );
    expect(parseQuery(text)).toEqual({
      cursor: '',
      filter: { chargePointId: '12', periods: [{ from: '2026-01-02T03:04:05.000Z' }, { to: 'x' }], roamingOperatorIds: ['1', '2'] },
      include: ['connectors'],
      per_page: '100',
      withAuthorization: 'true',
    });
    // Lists keep their order past ten items (indexes sort numerically, not as text).
    const ids = Array.from({ length: 12 }, (_, i) => 12 - i);
    expect(parseQuery(encodeQuery({ filter: { ids } }))).toEqual({ filter: { ids: ids.map(String) } });
  });

  it('refuses values with no query form', () => {
    expect(() => encodeQuery({ filter: { a: [Number.POSITIVE_INFINITY] } })).toThrow(/filter\[a\]\[\] is not a finite number/);
    expect(() => encodeQuery({ createdAfter: new Date(Number.NaN) })).toThrow(TypeError);
    expect(() => encodeQuery({ filter: { f: Symbol('s') } })).toThrow(TypeError);
  });
});

describe('simulator query parser limits', () => {
  function refusal(search: string): unknown {
    try {
      parseQuery(search);
      return undefined;
    } catch (error) {
      return error;
    }
  }

  it('answers 400 past the depth, parameter and list limits instead of truncating', () => {
    expect(parseQuery('filter[a][b][c][d][]=1')).toEqual({ filter: { a: { b: { c: { d: ['1'] } } } } });
    for (const search of [
      'filter[a][b][c][d][e][f]=1',
      Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&'),
      'filter[ids][1000]=1',
    ]) {
      const error = refusal(search);
      expect(error, search.slice(0, 40)).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
    }
    const thousand = Array.from({ length: 1000 }, (_, i) => `filter[ids][]=${i}`).join('&');
    expect((parseQuery(thousand).filter as { ids: string[] }).ids).toHaveLength(1000);
  });
});
