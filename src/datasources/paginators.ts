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

/**
 * A connection page before its cursors are signed (see connection-page.ts): its records, and the
 * position just after each (what that record's cursor encodes), worked out only when a cursor is read.
 */
export interface Window {
  nodes: RestRecord[];
  positionAfter(index: number): Position;
  hasNextPage: boolean;
  totalCount: number | null;
}

/** Positions counted from an offset: the record at `index` is followed by offset `from + index + 1`. */
const offsetsFrom =
  (from: number) =>
  (index: number): Position => ({ kind: 'offset', offset: from + index + 1 });

/** Cursor listings: `first` rows from AMPECO's cursor `upstream` (null: the start), skipping `skip`, across pages as needed. */
export async function cursorWindow(
  source: PageSource,
  from: { upstream: string | null; skip: number },
  first: number,
  walk: PageWalk,
): Promise<Window> {
  const nodes: RestRecord[] = [];
  // Where each upstream page's rows start in `nodes`, the cursor that page was read at and the rows skipped in it.
  const pages: { start: number; upstream: string | null; skip: number }[] = [];
  let upstream = from.upstream;
  let skip = from.skip;
  for (;;) {
    const want = first - nodes.length;
    walk.step();
    const env = await source({ kind: 'cursor', cursor: upstream ?? '', perPage: Math.min(MAX_PAGE_SIZE, skip + want) });
    const rows = env.data.slice(skip, skip + want);
    pages.push({ start: nodes.length, upstream, skip });
    for (const row of rows) nodes.push(row);
    const consumedPage = skip + rows.length >= env.data.length;
    // A `next` that repeats a cursor already read, or follows an empty page, ends the listing.
    const candidate = nextCursor(env);
    const next = walk.continues(upstream, candidate, env.data.length) ? candidate : null;
    if (nodes.length >= first || !consumedPage || !next) {
      // A fully consumed page continues at AMPECO's own next cursor: clean, skip-free paging.
      const resume: Position | undefined = consumedPage && next ? { kind: 'cursor', upstream: next, skip: 0 } : undefined;
      const positionAfter = (index: number): Position => {
        if (resume && index === nodes.length - 1) return resume;
        let page = pages[0]!;
        for (const p of pages) if (p.start <= index) page = p;
        return { kind: 'cursor', upstream: page.upstream, skip: page.skip + (index - page.start) + 1 };
      };
      return { nodes, positionAfter, hasNextPage: !consumedPage || Boolean(next), totalCount: null };
    }
    // A skip past this page (a cursor made from a scan) carries over to the next one.
    skip = Math.max(0, skip - env.data.length);
    upstream = next;
  }
}

/** Page-numbered listings: read the page(s) of size `first` covering [offset, offset + first). */
export async function numberedWindow(source: PageSource, from: number, first: number, walk: PageWalk): Promise<Window> {
  const nodes: RestRecord[] = [];
  let offset = from;
  let totalCount: number | null = null;
  for (;;) {
    const page = Math.floor(offset / first) + 1;
    walk.step();
    const env = await source({ kind: 'numbered', page, perPage: first });
    totalCount = env.meta?.total ?? totalCount;
    const inPage = offset - (page - 1) * first;
    const rows = env.data.slice(inPage, inPage + (first - nodes.length));
    for (const row of rows) nodes.push(row);
    offset += rows.length;
    const more = page < (env.meta?.last_page ?? page) || (totalCount !== null && offset < totalCount);
    // An empty page ends the listing whatever the meta claims.
    if (nodes.length >= first || !more || rows.length === 0) {
      return { nodes, positionAfter: offsetsFrom(from), hasNextPage: more && rows.length > 0, totalCount };
    }
  }
}

/** Unpaged listings answer everything at once: page locally. */
export async function unpagedWindow(source: PageSource, offset: number, first: number, walk: PageWalk): Promise<Window> {
  walk.step();
  const env = await source({ kind: 'whole' });
  const nodes = env.data.slice(offset, offset + first);
  return { nodes, positionAfter: offsetsFrom(offset), hasNextPage: offset + nodes.length < env.data.length, totalCount: env.data.length };
}

/** The first `first` of a parent's full child list (from a scan), positioned as its filtered listing would be. */
export function windowFromRows(rows: RestRecord[], first: number, paging: Paging): Window {
  const positionAfter = paging === 'cursor' ? (index: number): Position => ({ kind: 'cursor', upstream: null, skip: index + 1 }) : offsetsFrom(0);
  return { nodes: rows.slice(0, first), positionAfter, hasNextPage: rows.length > first, totalCount: null };
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
  pageAfter: (after: string | null) => Promise<{ nodes: RestRecord[]; hasNextPage: boolean; endCursor: string | null }>,
  walk: PageWalk,
): Promise<RestRecord[]> {
  const out: RestRecord[] = [];
  let after: string | null = null;
  for (;;) {
    walk.step();
    const page = await pageAfter(after);
    out.push(...page.nodes);
    if (!page.hasNextPage || !walk.continues(after, page.endCursor, page.nodes.length)) return out;
    after = page.endCursor;
  }
}
