/**
 * Listing envelopes and page queries: where the next page starts, which paging a resource uses, and
 * the query of each page (its JSON, key order included, is the listing dedupe key).
 */
import { describe, expect, it } from 'vitest';
import { listingOf, nextCursor, pageQuery, pagingOf, scanPageQuery } from '../../src/datasources/envelope.js';
import { spec } from '../../src/datasources/registry.js';

describe('nextCursor', () => {
  it.each([
    ['meta.next_cursor wins', { data: [], meta: { next_cursor: 'm' }, links: { next: '/x?cursor=l' } }, 'm'],
    ['links.next, absolute', { data: [], links: { next: 'https://t.example/api?per_page=5&cursor=abc' } }, 'abc'],
    ['links.next, relative', { data: [], links: { next: '/api?cursor=rel' } }, 'rel'],
    ['links.next without a cursor', { data: [], links: { next: '/api?page=2' } }, null],
    ['links.next that is no URL', { data: [], links: { next: 'http://[' } }, null],
    ['no next', { data: [], meta: { next_cursor: null }, links: { next: null } }, null],
  ])('%s', (_name, env, expected) => {
    expect(nextCursor(env)).toBe(expected);
  });
});

describe('listingOf', () => {
  it('passes a listing, refuses anything without a data array', () => {
    const env = { data: [{ id: 1 }], meta: { total: 1 } };
    expect(listingOf(env, '/p')).toBe(env);
    for (const body of [undefined, null, 'x', [], { data: {} }, { items: [] }]) expect(() => listingOf(body, '/p')).toThrow('AMPECO sent a listing without data for /p');
  });
});

describe('pagingOf', () => {
  it.each([
    ['Location', 'cursor'], // cursor only
    ['Session', 'cursor'], // both: cursors preferred
    ['ChargePointModel', 'numbered'],
    ['Connector', 'whole'],
  ])('%s pages by %s', (type, paging) => {
    expect(pagingOf(spec(type))).toBe(paging);
  });
});

describe('page queries', () => {
  const base = { filter: { userId: '3' }, include: ['connectors'] };
  it('a connection page puts its paging after the base', () => {
    expect(JSON.stringify(pageQuery(base, { kind: 'cursor', cursor: '', perPage: 10 }))).toBe('{"filter":{"userId":"3"},"include":["connectors"],"cursor":"","per_page":10}');
    expect(JSON.stringify(pageQuery(base, { kind: 'numbered', page: 2, perPage: 10 }))).toBe('{"filter":{"userId":"3"},"include":["connectors"],"page":2,"per_page":10}');
    expect(pageQuery(base, { kind: 'whole' })).toBe(base);
  });

  it('a scan page puts per_page first', () => {
    expect(JSON.stringify(scanPageQuery(base, { kind: 'cursor', cursor: 'c', perPage: 100 }))).toBe('{"filter":{"userId":"3"},"include":["connectors"],"per_page":100,"cursor":"c"}');
    expect(JSON.stringify(scanPageQuery(base, { kind: 'numbered', page: 3, perPage: 100 }))).toBe('{"filter":{"userId":"3"},"include":["connectors"],"per_page":100,"page":3}');
    expect(scanPageQuery(base, { kind: 'whole' })).toBe(base);
  });
});
