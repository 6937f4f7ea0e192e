/**
 * The arithmetic of AMPECO's three paginations, over a "read one page" callback and free of HTTP:
 * where a connection page starts and ends upstream, what `hasNextPage` and `totalCount` are, and
 * how a read of a whole listing ends. Every walk is bounded by a PageWalk (page cap, repeated
 * cursors, empty pages), whatever the upstream answers.
 */
import type { Position } from './cursor.js';
import { MAX_PAGE_SIZE, nextCursor, type PageRequest, type Paging } from './envelope.js';
import type { ListingEnvelope, RestRecord } from './records.js';
import type { PageWalk } from './request-limits.js';

/** Reads one upstream page. */
export type PageSource = (request: PageRequest) => Promise<ListingEnvelope>;

/** A record of a connection page and the position just after it (what its cursor encodes). */
export interface Found {
  node: RestRecord;
  at: Position;
}

/** A connection page before its cursors are signed (see connection-page.ts). */
export interface Window {
  found: Found[];
  hasNextPage: boolean;
  totalCount: number | null;
}

/** Cursor listings: `first` rows from AMPECO's cursor `upstream` (null: the start), skipping `skip`, across pages as needed. */
export async function cursorWindow(
  source: PageSource,
  from: { upstream: string | null; skip: number },
  first: number,
  walk: PageWalk,
): Promise<Window> {
  const found: Found[] = [];
  let upstream = from.upstream;
  let skip = from.skip;
  for (;;) {
    const want = first - found.length;
    walk.step();
    const env = await source({ kind: 'cursor', cursor: upstream ?? '', perPage: Math.min(MAX_PAGE_SIZE, skip + want) });
    const rows = env.data.slice(skip, skip + want);
    const pageCursor = upstream;
    rows.forEach((node, i) => found.push({ node, at: { kind: 'cursor', upstream: pageCursor, skip: skip + i + 1 } }));
    const consumedPage = skip + rows.length >= env.data.length;
    // A `next` that repeats a cursor already read, or follows an empty page, ends the listing.
    const candidate = nextCursor(env);
    const next = walk.continues(upstream, candidate, env.data.length) ? candidate : null;
    if (found.length >= first || !consumedPage || !next) {
      // A fully consumed page continues at AMPECO's own next cursor: clean, skip-free paging.
      const last = found.at(-1);
      if (consumedPage && next && last) last.at = { kind: 'cursor', upstream: next, skip: 0 };
      return { found, hasNextPage: !consumedPage || Boolean(next), totalCount: null };
    }
    // A skip past this page (a cursor made from a scan) carries over to the next one.
    skip = Math.max(0, skip - env.data.length);
    upstream = next;
  }
}

/** Page-numbered listings: read the page(s) of size `first` covering [offset, offset + first). */
export async function numberedWindow(source: PageSource, from: number, first: number, walk: PageWalk): Promise<Window> {
  const found: Found[] = [];
  let offset = from;
  let totalCount: number | null = null;
  for (;;) {
    const page = Math.floor(offset / first) + 1;
    walk.step();
    const env = await source({ kind: 'numbered', page, perPage: first });
    totalCount = env.meta?.total ?? totalCount;
    const inPage = offset - (page - 1) * first;
    const rows = env.data.slice(inPage, inPage + (first - found.length));
    rows.forEach((node, i) => found.push({ node, at: { kind: 'offset', offset: offset + i + 1 } }));
    offset += rows.length;
    const more = page < (env.meta?.last_page ?? page) || (totalCount !== null && offset < totalCount);
    // An empty page ends the listing whatever the meta claims.
    if (found.length >= first || !more || rows.length === 0) {
      return { found, hasNextPage: more && rows.length > 0, totalCount };
    }
  }
}

/** Unpaged listings answer everything at once: page locally. */
export async function unpagedWindow(source: PageSource, offset: number, first: number, walk: PageWalk): Promise<Window> {
  walk.step();
  const env = await source({ kind: 'whole' });
  const found = env.data.slice(offset, offset + first).map((node, i): Found => ({ node, at: { kind: 'offset', offset: offset + i + 1 } }));
  return { found, hasNextPage: offset + found.length < env.data.length, totalCount: env.data.length };
}

/** The first `first` of a parent's full child list (from a scan), positioned as its filtered listing would be. */
export function windowFromRows(rows: RestRecord[], first: number, paging: Paging): Window {
  const found = rows.slice(0, first).map(
    (node, i): Found => ({ node, at: paging === 'cursor' ? { kind: 'cursor', upstream: null, skip: i + 1 } : { kind: 'offset', offset: i + 1 } }),
  );
  return { found, hasNextPage: rows.length > first, totalCount: null };
}

/**
 * A listing from its start in pages of MAX_PAGE_SIZE, up to `maxPages` or until `enough` says stop.
 * Complete when it reached the end; not when it stopped early or AMPECO's cursor did not advance.
 */
export async function readWhole(
  source: PageSource,
  paging: Paging,
  maxPages: number,
  walk: PageWalk,
  enough: (rows: RestRecord[]) => boolean = () => false,
): Promise<{ rows: RestRecord[]; complete: boolean }> {
  const rows: RestRecord[] = [];
  // For numbered paging, the next page number as a string: the walk tracks it like a cursor.
  let cursor = '';
  for (let page = 1; page <= maxPages; page++) {
    walk.step();
    const request: PageRequest =
      paging === 'whole' ? { kind: 'whole' } : paging === 'cursor' ? { kind: 'cursor', cursor, perPage: MAX_PAGE_SIZE } : { kind: 'numbered', page, perPage: MAX_PAGE_SIZE };
    const env = await source(request);
    rows.push(...env.data);
    const next = paging === 'whole' ? null : paging === 'cursor' ? nextCursor(env) : page < (env.meta?.last_page ?? page) ? String(page + 1) : null;
    if (!next || env.data.length === 0) return { rows, complete: true };
    if (enough(rows) || !walk.continues(cursor, next, env.data.length)) break;
    cursor = next;
  }
  return { rows, complete: false };
}

/** Every row of a connection, page after page, until it ends or repeats a cursor. */
export async function everyRow(
  pageAfter: (after: string | null) => Promise<{ edges: { node: RestRecord }[]; hasNextPage: boolean; endCursor: string | null }>,
  walk: PageWalk,
): Promise<RestRecord[]> {
  const out: RestRecord[] = [];
  let after: string | null = null;
  for (;;) {
    walk.step();
    const page = await pageAfter(after);
    out.push(...page.edges.map((e) => e.node));
    if (!page.hasNextPage || !walk.continues(after, page.endCursor, page.edges.length)) return out;
    after = page.endCursor;
  }
}
