/**
 * When to scan, decided without I/O. AMPECO has no multi-id read, so N records of one type cost N
 * calls, unless one listing holds them all. A scan reads a listing page by page (sequentially:
 * cursors). Its inputs are what earlier requests learnt of the collection's size
 * (collection-stats.ts), how many reads it would replace, how many calls one round trip holds
 * (the client's in-flight cap), and whether the credential's rate budget is tight.
 *
 * Two aims, by the budget:
 * - latency first (the budget has room): a scan only when it needs clearly fewer calls, and at
 *   most MAX_SCAN_PAGES pages, so round trips stay few; parallel reads otherwise;
 * - fewest calls (the budget is tight: AMPECO's rate limit is per token, and calls are then what
 *   the operator runs out of): a scan whenever it needs fewer calls than the reads it replaces,
 *   however many sequential pages it takes, and in place of one read when the collection is known
 *   to be one page (its rows then answer later needs of the request too); no scan started ahead of
 *   need (how many records will be wanted is a guess: even a one-page scan is a lost call when the
 *   listing above comes back empty); children of a collection of unknown size, by a scan of at most
 *   half as many pages as their listings, tried once (while the size it leaves is remembered).
 */
import type { CollectionSize } from './collection-stats.js';
import { listAccepts } from './embedding.js';
import { MAX_PAGE_SIZE } from './envelope.js';
import type { ResourceSpec } from './registry.js';

/** The most pages a scan may be expected to take. */
export const MAX_SCAN_PAGES = 3;
/** Fewer ids (or parents) than this are always read one by one, in parallel. */
export const MIN_KEYS_FOR_SCAN = 4;

/**
 * What a scan would replace: point reads of ids, or filtered listings of parents' children.
 * Each asks the scan to need this many times fewer calls than what it replaces.
 */
const FACTOR = { ids: 4, children: 2 } as const;
export type ScanPurpose = keyof typeof FACTOR;

/** Pages a full scan of a collection is expected to take, whether that is known or a guess, and whether it was ever seen. */
export interface ScanSize {
  pages: number;
  known: boolean;
  seen: boolean;
}

export function scanSize(size: CollectionSize | undefined, maxId?: number): ScanSize {
  if (size?.count !== undefined) return { pages: Math.max(1, Math.ceil(size.count / MAX_PAGE_SIZE)), known: true, seen: true };
  if (size?.atLeast !== undefined) return { pages: Math.floor(size.atLeast / MAX_PAGE_SIZE) + 1, known: false, seen: true };
  // Never seen: guess from the ids asked for (dense ids from 1), or probe one page.
  return { pages: maxId !== undefined ? Math.max(1, Math.ceil(maxId / MAX_PAGE_SIZE)) : 1, known: false, seen: false };
}

/**
 * A scan of `pages` replaces `calls` separate calls when it needs `factor` times fewer calls, and
 * when its sequential pages add no round trips beyond what the calls (at most maxInFlight per
 * round trip) would take anyway, plus `hidden` round trips it can run behind (a prefetch runs
 * while the levels above it are read).
 */
export function scanPaysOff(pages: number, calls: number, factor: number, maxInFlight: number, hidden = 0): boolean {
  if (pages > MAX_SCAN_PAGES || pages * factor > calls) return false;
  return pages === 1 || pages <= hidden + Math.ceil(calls / maxInFlight);
}

export interface ScanQuestion {
  purpose: ScanPurpose;
  /** The rate budget is tight: plan for fewest calls, even at more round trips. */
  budgetTight?: boolean;
  /** Pages one walk may read (FACADE_MAX_LIST_PAGES): a scan needing more could not complete. */
  pageCap?: number;
  /** What earlier requests learnt of the collection's size. */
  size: CollectionSize | undefined;
  /** Reads the scan would replace: distinct ids, or parents whose children are wanted. */
  keys: number;
  maxInFlight: number;
  /** The largest id asked for when all are numbers: a guess at the size of a collection never seen. */
  maxId?: number;
  /**
   * Set for a prefetch: a scan started this many round trips ahead of need. It runs only for a
   * collection seen before, and for any number of keys (the estimate of them is the caller's).
   */
  ahead?: number;
}

export interface ScanPlan {
  /** Pages to read at most: the expected ones, and one more when the size is known (the collection may have grown). */
  maxPages: number;
}

/** Whether to scan, and how far; undefined means read record by record (or listing by listing). */
export function planScan(q: ScanQuestion): ScanPlan | undefined {
  return q.budgetTight ? planFewestCalls(q) : planLatencyFirst(q);
}

function planLatencyFirst(q: ScanQuestion): ScanPlan | undefined {
  if (q.ahead === undefined && q.keys < MIN_KEYS_FOR_SCAN) return undefined;
  const size = scanSize(q.size, q.maxId);
  if (q.ahead !== undefined && !size.seen) return undefined;
  if (!scanPaysOff(size.pages, q.keys, FACTOR[q.purpose], q.maxInFlight, q.ahead ?? 0)) return undefined;
  return { maxPages: size.pages + (size.known ? 1 : 0) };
}

/** The tight-budget plan: a scan when it makes fewer calls than the reads it replaces (see the top of this file). */
function planFewestCalls(q: ScanQuestion): ScanPlan | undefined {
  const size = scanSize(q.size, q.maxId);
  if (size.pages > (q.pageCap ?? Infinity)) return undefined;
  // Ahead of need, how many records will be wanted is a guess, and none may be: wait for the need.
  if (q.ahead !== undefined) return undefined;
  const plan = { maxPages: size.pages + (size.known ? 1 : 0) };
  if (q.purpose === 'children' && !size.known) {
    // Children are grouped only out of a complete scan, and how many pages this one takes is a guess:
    // worth trying when it may end within half as many pages as the listings it replaces. If it does
    // not, it costs that many calls once: a try that fell short is not made again while its size is
    // remembered, even by a request with more parents (how many come in one batch depends on timing,
    // and a smaller first try would otherwise make every larger one after it try again).
    if (q.size?.cutShort) return undefined;
    const cap = Math.min(Math.floor(q.keys / 2), q.pageCap ?? Infinity);
    return size.pages <= cap ? { maxPages: cap } : undefined;
  }
  if (size.pages < q.keys) return plan;
  return size.known && size.pages === 1 && q.keys === 1 ? plan : undefined;
}

/** The largest of the ids when every one is a number, else undefined. */
export function maxNumericId(ids: readonly string[]): number | undefined {
  return ids.length && ids.every((id) => /^\d+$/.test(id)) ? Math.max(...ids.map(Number)) : undefined;
}

/** Whether by-id reads of this type can be served by a scan of its root listing with this embedding. */
export function idScannable(s: ResourceSpec, embedding: readonly string[]): boolean {
  return !s.parents?.length && Boolean(s.operations.list) && listAccepts(s, embedding);
}

/**
 * Where a record holds the value a listing filter matches: the field of the filter's name, or for an
 * `xId` filter the `id` of an `x` object on the record (a charge point's `user.id` for `userId`), the
 * convention AMPECO's listings follow (and the simulator's). Undefined when the record holds neither.
 */
export function groupingPath(s: ResourceSpec, filterKey: string): string | undefined {
  const props = s.contract.record.properties ?? {};
  if (props[filterKey]) return filterKey;
  const owner = filterKey.endsWith('Id') ? props[filterKey.slice(0, -2)] : undefined;
  if (owner?.type !== 'object') return undefined;
  const id = owner.properties?.id;
  return !id || id.type === 'integer' || id.type === 'string' || id.type === 'number' ? `${filterKey.slice(0, -2)}.id` : undefined;
}

/**
 * Whether children found through `filterKey` can be grouped out of a scan of their listing:
 * grouping needs the filter's value on each record (groupingPath), so a nested-only link cannot be grouped.
 */
export function childScannable(s: ResourceSpec, filterKey: string, embedding: readonly string[]): boolean {
  return groupingPath(s, filterKey) !== undefined && !s.parents?.length && listAccepts(s, embedding);
}
