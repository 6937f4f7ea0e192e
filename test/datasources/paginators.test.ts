/**
 * The paginators' arithmetic against fake page sources: no HTTP, every request they make recorded.
 */
import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../../src/datasources/envelope.js';
import type { Position } from '../../src/datasources/cursor.js';
import { cursorWindow, everyRow, numberedWindow, readWhole, unpagedWindow, windowFromRows, type PageSource, type Window } from '../../src/datasources/paginators.js';
import type { ListingEnvelope, RestRecord } from '../../src/datasources/records.js';
import { PageWalk } from '../../src/datasources/request-limits.js';

const rows = (n: number, from = 1): RestRecord[] => Array.from({ length: n }, (_, i) => ({ id: from + i }));
const ids = (nodes: RestRecord[]): unknown[] => nodes.map((node) => node.id);
/** Each record of a window with the position its cursor would encode. */
const found = (w: Window): { node: RestRecord; at: Position }[] => w.nodes.map((node, i) => ({ node, at: w.positionAfter(i) }));
const walk = (maxPages = 20): PageWalk => new PageWalk('the test listing', maxPages);

/** A source and the requests it was asked for. */
function recorded(answer: (request: PageRequest) => ListingEnvelope): { source: PageSource; requests: PageRequest[] } {
  const requests: PageRequest[] = [];
  return {
    requests,
    source: (request) => {
      requests.push(request);
      return Promise.resolve(answer(request));
    },
  };
}

/** Cursor paging over `data` as AMPECO does it: the cursor is the offset, pages are `per_page` long (or `pageSize` when fixed). */
function cursorListing(data: RestRecord[], pageSize?: number) {
  return recorded((r) => {
    if (r.kind !== 'cursor') throw new Error(`a cursor listing was asked for ${r.kind}`);
    const at = r.cursor ? Number(r.cursor) : 0;
    const end = at + (pageSize ?? r.perPage);
    return { data: data.slice(at, end), meta: { next_cursor: end < data.length ? String(end) : null } };
  });
}

/** Page-number paging over `data`, with Laravel's meta. */
function numberedListing(data: RestRecord[]) {
  return recorded((r) => {
    if (r.kind !== 'numbered') throw new Error(`a numbered listing was asked for ${r.kind}`);
    return {
      data: data.slice((r.page - 1) * r.perPage, r.page * r.perPage),
      meta: { current_page: r.page, last_page: Math.max(1, Math.ceil(data.length / r.perPage)), total: data.length, per_page: r.perPage },
    };
  });
}

describe('cursorWindow', () => {
  it('reads one page of `first` rows from the start, and ends the page at AMPECO’s next cursor', async () => {
    const { source, requests } = cursorListing(rows(10));
    const w = await cursorWindow(source, { upstream: null, skip: 0 }, 3, walk());
    expect(requests).toEqual([{ kind: 'cursor', cursor: '', perPage: 3 }]);
    expect(ids(w.nodes)).toEqual([1, 2, 3]);
    expect(found(w).map((f) => f.at)).toEqual([
      { kind: 'cursor', upstream: null, skip: 1 },
      { kind: 'cursor', upstream: null, skip: 2 },
      { kind: 'cursor', upstream: '3', skip: 0 },
    ]);
    expect(w).toMatchObject({ hasNextPage: true, totalCount: null });
  });

  it('resumes inside a page: asks for skip + first rows and drops the skipped ones', async () => {
    const { source, requests } = cursorListing(rows(10));
    const w = await cursorWindow(source, { upstream: '3', skip: 2 }, 4, walk());
    expect(requests).toEqual([{ kind: 'cursor', cursor: '3', perPage: 6 }]);
    expect(ids(w.nodes)).toEqual([6, 7, 8, 9]);
    expect(found(w).at(-1)?.at).toEqual({ kind: 'cursor', upstream: '9', skip: 0 });
    expect(w.hasNextPage).toBe(true);
  });

  it('carries a skip past a short page over to the next page', async () => {
    // Pages of 4 whatever per_page says: a skip of 6 passes the whole first page and 2 rows of the
    // second; each request asks for the rows still wanted plus the skip still to pass.
    const { source, requests } = cursorListing(rows(12), 4);
    const w = await cursorWindow(source, { upstream: null, skip: 6 }, 3, walk());
    expect(requests.map((r) => (r.kind === 'cursor' ? [r.cursor, r.perPage] : r.kind))).toEqual([
      ['', 9],
      ['4', 5],
      ['8', 1],
    ]);
    expect(ids(w.nodes)).toEqual([7, 8, 9]);
    // The last row is the first of a page not read to its end: its position is inside that page.
    expect(found(w).at(-1)?.at).toEqual({ kind: 'cursor', upstream: '8', skip: 1 });
    expect(w.hasNextPage).toBe(true);
  });

  it('collects `first` rows across pages and reports no next page at the end of the listing', async () => {
    const { source, requests } = cursorListing(rows(5), 2);
    const w = await cursorWindow(source, { upstream: null, skip: 0 }, 10, walk());
    expect(requests).toHaveLength(3);
    expect(ids(w.nodes)).toEqual([1, 2, 3, 4, 5]);
    expect(w.hasNextPage).toBe(false);
  });

  it('ends when AMPECO repeats a cursor, without reading the repeated page again', async () => {
    const { source, requests } = recorded(() => ({ data: rows(2), meta: { next_cursor: 'same' } }));
    const w = await cursorWindow(source, { upstream: null, skip: 0 }, 10, walk());
    expect(requests.map((r) => r.kind === 'cursor' && r.cursor)).toEqual(['', 'same']);
    expect(w.nodes).toHaveLength(4);
    expect(w.hasNextPage).toBe(false);
  });

  it('ends at an empty page even when it names a next cursor', async () => {
    const { source, requests } = recorded((r) => (r.kind === 'cursor' && r.cursor === '' ? { data: rows(2), meta: { next_cursor: 'a' } } : { data: [], meta: { next_cursor: 'b' } }));
    const w = await cursorWindow(source, { upstream: null, skip: 0 }, 10, walk());
    expect(requests).toHaveLength(2);
    expect(w).toMatchObject({ hasNextPage: false });
    expect(ids(w.nodes)).toEqual([1, 2]);
  });

  it('takes the next cursor from links.next when meta has none', async () => {
    const { source } = recorded(() => ({ data: rows(2), links: { next: 'https://tenant.example/x?cursor=abc&per_page=2' } }));
    const w = await cursorWindow(source, { upstream: null, skip: 0 }, 2, walk());
    expect(found(w).at(-1)?.at).toEqual({ kind: 'cursor', upstream: 'abc', skip: 0 });
  });

  it('refuses a cursor that never ends past the page cap (LIST_TOO_LONG)', async () => {
    let n = 0;
    const { source, requests } = recorded(() => ({ data: rows(1, ++n), meta: { next_cursor: `c${n}` } }));
    await expect(cursorWindow(source, { upstream: null, skip: 0 }, 50, walk(5))).rejects.toMatchObject({ extensions: { code: 'LIST_TOO_LONG', limit: 5 } });
    expect(requests).toHaveLength(5);
  });
});

describe('numberedWindow', () => {
  it('reads the page of size `first` holding the offset, with totalCount from meta', async () => {
    const { source, requests } = numberedListing(rows(25));
    const w = await numberedWindow(source, 0, 10, walk());
    expect(requests).toEqual([{ kind: 'numbered', page: 1, perPage: 10 }]);
    expect(ids(w.nodes)).toEqual(rows(10).map((r) => r.id));
    expect(found(w).at(-1)?.at).toEqual({ kind: 'offset', offset: 10 });
    expect(w).toMatchObject({ hasNextPage: true, totalCount: 25 });
  });

  it('covers an offset between page boundaries with the two pages around it', async () => {
    const { source, requests } = numberedListing(rows(25));
    const w = await numberedWindow(source, 15, 10, walk());
    expect(requests.map((r) => r.kind === 'numbered' && r.page)).toEqual([2, 3]);
    expect(ids(w.nodes)).toEqual(rows(10, 16).map((r) => r.id));
    expect(w).toMatchObject({ hasNextPage: false, totalCount: 25 });
  });

  it('stops at an empty page whatever the meta claims', async () => {
    const { source, requests } = recorded(() => ({ data: [], meta: { last_page: 9, total: 90 } }));
    const w = await numberedWindow(source, 0, 10, walk());
    expect(requests).toHaveLength(1);
    expect(w).toMatchObject({ nodes: [], hasNextPage: false, totalCount: 90 });
  });
});

describe('unpagedWindow', () => {
  it('reads the whole listing once and pages locally', async () => {
    const { source, requests } = recorded(() => ({ data: rows(7) }));
    const w = await unpagedWindow(source, 2, 3, walk());
    expect(requests).toEqual([{ kind: 'whole' }]);
    expect(ids(w.nodes)).toEqual([3, 4, 5]);
    expect(found(w).at(-1)?.at).toEqual({ kind: 'offset', offset: 5 });
    expect(w).toMatchObject({ hasNextPage: true, totalCount: 7 });
    expect((await unpagedWindow(source, 5, 3, walk())).hasNextPage).toBe(false);
  });
});

describe('windowFromRows', () => {
  it('positions rows as the start of their filtered listing, in its paging', () => {
    const cursored = windowFromRows(rows(3), 2, 'cursor');
    expect(found(cursored)).toEqual([
      { node: { id: 1 }, at: { kind: 'cursor', upstream: null, skip: 1 } },
      { node: { id: 2 }, at: { kind: 'cursor', upstream: null, skip: 2 } },
    ]);
    expect(cursored).toMatchObject({ hasNextPage: true, totalCount: null });
    const numbered = windowFromRows(rows(2), 2, 'numbered');
    expect(found(numbered).map((f) => f.at)).toEqual([
      { kind: 'offset', offset: 1 },
      { kind: 'offset', offset: 2 },
    ]);
    expect(numbered.hasNextPage).toBe(false);
  });
});

describe('readWhole', () => {
  it('reads a cursor listing to its end in pages of 100', async () => {
    const { source, requests } = cursorListing(rows(250));
    const scan = await readWhole(source, 'cursor', 5, walk());
    expect(requests.map((r) => r.kind === 'cursor' && [r.cursor, r.perPage])).toEqual([
      ['', 100],
      ['100', 100],
      ['200', 100],
    ]);
    expect(scan.rows).toHaveLength(250);
    expect(scan.complete).toBe(true);
  });

  it('is incomplete when it stops at maxPages before the end', async () => {
    const { source, requests } = cursorListing(rows(250));
    const scan = await readWhole(source, 'cursor', 2, walk());
    expect(requests).toHaveLength(2);
    expect(scan).toMatchObject({ complete: false });
    expect(scan.rows).toHaveLength(200);
  });

  it('stops as soon as `enough` says so', async () => {
    const { source, requests } = cursorListing(rows(250));
    const scan = await readWhole(source, 'cursor', 3, walk(), (seen) => seen.some((r) => r.id === 42));
    expect(requests).toHaveLength(1);
    expect(scan).toMatchObject({ complete: false });
  });

  it('is incomplete when AMPECO repeats a cursor', async () => {
    const { source, requests } = recorded(() => ({ data: rows(100), meta: { next_cursor: 'same' } }));
    const scan = await readWhole(source, 'cursor', 3, walk());
    expect(requests).toHaveLength(2);
    expect(scan.complete).toBe(false);
  });

  it('follows page numbers up to meta.last_page', async () => {
    const { source, requests } = numberedListing(rows(150));
    const scan = await readWhole(source, 'numbered', 3, walk());
    expect(requests).toEqual([
      { kind: 'numbered', page: 1, perPage: 100 },
      { kind: 'numbered', page: 2, perPage: 100 },
    ]);
    expect(scan).toMatchObject({ complete: true });
    expect(scan.rows).toHaveLength(150);
  });

  it('reads an unpaged listing in one call', async () => {
    const { source, requests } = recorded(() => ({ data: rows(3) }));
    expect(await readWhole(source, 'whole', 3, walk())).toEqual({ rows: rows(3), complete: true });
    expect(requests).toEqual([{ kind: 'whole' }]);
  });

  it('refuses a cursor that never ends when the page cap is below maxPages', async () => {
    let n = 0;
    const { source, requests } = recorded(() => ({ data: rows(100), meta: { next_cursor: `c${++n}` } }));
    await expect(readWhole(source, 'cursor', 10, walk(3))).rejects.toMatchObject({ extensions: { code: 'LIST_TOO_LONG' } });
    expect(requests).toHaveLength(3);
  });
});

describe('everyRow', () => {
  const pages = (ends: (string | null)[]) => {
    const asked: (string | null)[] = [];
    const pageAfter = (after: string | null) => {
      asked.push(after);
      const i = asked.length - 1;
      return Promise.resolve({ nodes: [{ id: i + 1 }], hasNextPage: ends[i] !== null, endCursor: ends[i] ?? null });
    };
    return { asked, pageAfter };
  };

  it('follows endCursor until hasNextPage is false', async () => {
    const { asked, pageAfter } = pages(['a', 'b', null]);
    expect((await everyRow(pageAfter, walk())).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(asked).toEqual([null, 'a', 'b']);
  });

  it('ends when a page’s endCursor repeats one already followed', async () => {
    const { asked, pageAfter } = pages(['a', 'a', 'a']);
    expect(await everyRow(pageAfter, walk())).toHaveLength(2);
    expect(asked).toEqual([null, 'a']);
  });

  it('refuses more pages than the cap', async () => {
    const { pageAfter } = pages(['a', 'b', 'c', 'd', 'e']);
    await expect(everyRow(pageAfter, walk(3))).rejects.toMatchObject({ extensions: { code: 'LIST_TOO_LONG' } });
  });
});
