/**
 * When to scan, decided without I/O. AMPECO has no multi-id read, so N records of one type cost N
 * calls, unless one listing holds them all. A scan reads a listing page by page (sequentially:
 * cursors) and is chosen only when it needs clearly fewer calls, and at most MAX_SCAN_PAGES
 * pages, so round trips stay few. Its inputs are what earlier requests learnt of the
 * collection's size (collection-stats.ts), how many reads it would replace and how many calls
 * one round trip holds (the client's in-flight cap).
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
  if (q.ahead === undefined && q.keys < MIN_KEYS_FOR_SCAN) return undefined;
  const size = scanSize(q.size, q.maxId);
  if (q.ahead !== undefined && !size.seen) return undefined;
  if (!scanPaysOff(size.pages, q.keys, FACTOR[q.purpose], q.maxInFlight, q.ahead ?? 0)) return undefined;
  return { maxPages: size.pages + (size.known ? 1 : 0) };
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
 * Whether children found through `filterKey` can be grouped out of a scan of their listing:
 * grouping needs the filter's value on each record, so a nested-only link cannot be grouped.
 */
export function childScannable(s: ResourceSpec, filterKey: string, embedding: readonly string[]): boolean {
  return Boolean(s.contract.record.properties?.[filterKey]) && !s.parents?.length && listAccepts(s, embedding);
}
