/**
 * The REST shapes of AMPECO listings: which page to ask for, the query that asks for it, and what
 * comes back (`data`, `links`, `meta`) including where the next page starts.
 */
import type { QueryParams } from './http/index.js';
import type { ListingEnvelope } from './records.js';
import type { ResourceSpec } from './registry.js';

/** AMPECO's per_page maximum, and therefore the largest `first`. */
export const MAX_PAGE_SIZE = 100;

/** How a listing pages: by AMPECO's cursors, by page numbers, or not at all (one answer holds everything). */
export type Paging = 'cursor' | 'numbered' | 'whole';

/** One upstream page to read. */
export type PageRequest =
  | { kind: 'cursor'; cursor: string; perPage: number }
  | { kind: 'numbered'; page: number; perPage: number }
  | { kind: 'whole' };

/** Cursor paging wherever AMPECO offers it: page numbers are deprecated (sunset June 2026). */
export function pagingOf(s: Pick<ResourceSpec, 'contract'>): Paging {
  const { pagination } = s.contract;
  if (pagination === 'cursor' || pagination === 'both') return 'cursor';
  return pagination === 'none' ? 'whole' : 'numbered';
}

/**
 * The query of one page of a connection: `base` (filter, embedding) and then the paging. The
 * listing dedupe key is this object's JSON, key order included (see scanPageQuery).
 */
export function pageQuery(base: QueryParams, request: PageRequest): QueryParams {
  if (request.kind === 'cursor') return Object.assign({}, base, { cursor: request.cursor, per_page: request.perPage });
  if (request.kind === 'numbered') return Object.assign({}, base, { page: request.page, per_page: request.perPage });
  return base;
}

/** The query of one page of a scan: as pageQuery, but per_page comes before the cursor or page number. */
export function scanPageQuery(base: QueryParams, request: PageRequest): QueryParams {
  if (request.kind === 'cursor') return Object.assign({}, base, { per_page: request.perPage, cursor: request.cursor });
  if (request.kind === 'numbered') return Object.assign({}, base, { per_page: request.perPage, page: request.page });
  return base;
}

/** A listing's body, or an error naming the path when AMPECO sent something else. */
export function listingOf(body: unknown, path: string): ListingEnvelope {
  if (!isListing(body)) throw new Error(`AMPECO sent a listing without data for ${path}`);
  return body;
}

/** Whether a body is a listing: an object with a `data` list. */
export function isListing(body: unknown): body is ListingEnvelope {
  return typeof body === 'object' && body !== null && 'data' in body && Array.isArray(body.data);
}

/** AMPECO's cursor of the page after this one (from `meta.next_cursor` or the `links.next` URL), or null. */
export function nextCursor(env: ListingEnvelope): string | null {
  if (env.meta?.next_cursor) return env.meta.next_cursor;
  if (!env.links?.next) return null;
  try {
    return new URL(env.links.next, 'http://upstream.invalid').searchParams.get('cursor');
  } catch {
    return null;
  }
}
