/**
 * Scans: a whole (small) collection read in a few pages in place of many point reads (the models
 * of 100 charge points) or many filtered listings (the EVSEs of 50 charge points). When to scan is
 * scan-plan.ts's decision; this runs the scans, records what they learn of the collection's size,
 * groups children by parent (one DataLoader per kind of has-many, its keys parent ids), and keeps
 * scans started ahead of need by the root resolvers' lookahead. When the credential's rate budget
 * is tight, the plan aims at fewest calls (scan-plan.ts), and a scan already read for one need of the
 * request answers the others of the same collection (ids, or children grouped by parent).
 */
import DataLoader from 'dataloader';
import type { CollectionSize, CollectionStats } from './collection-stats.js';
import { embeddingQuery, includesFor } from './embedding.js';
import { pagingOf, scanPageQuery } from './envelope.js';
import type { RestGateway } from './gateway.js';
import { readWhole } from './paginators.js';
import { collectAcrossCallbacks, type RecordCache } from './record-cache.js';
import { readPath, type RestRecord } from './records.js';
import { spec, type ResourceSpec } from './registry.js';
import { PageWalk } from './request-limits.js';
import { childScannable, groupingPath, idScannable, maxNumericId, planScan } from './scan-plan.js';
import type { FetchStrategy } from './strategy.js';

export interface ScanResult {
  rows: RestRecord[];
  complete: boolean;
}

export interface ScannerOptions {
  strategy: FetchStrategy;
  /** Collection sizes learnt by earlier requests (shared, per credential). */
  stats: CollectionStats;
  /** Hash of the request's credential: sizes are kept per credential, and so is the rate budget asked about. */
  credential: string;
  /** Upstream calls in flight at once: how many reads one round trip holds. */
  maxInFlight: number;
  /** The request's page cap (FACADE_MAX_LIST_PAGES). */
  maxListPages: number;
}

/** Which children, and with which embedding: the options of childPage, allChildren and prefetchScan. */
export interface ChildrenQuery {
  include?: string[];
  filter?: Record<string, unknown> | null;
}

/** The key of a collection in the size statistics: the type and the filter it is listed with. */
const collectionKey = (type: string, filter: Record<string, unknown> | null): string => JSON.stringify([type, filter]);

/** A scan this request started: the collection it reads and the embedding its rows carry. */
interface StartedScan {
  collection: string;
  embedding: ReadonlySet<string>;
  result: Promise<ScanResult>;
}

export class Scanner {
  /** Whole-collection scans started ahead of by-id reads (see prefetchIds), by type and embedding. */
  private readonly prefetchedIdScans = new Map<string, Promise<ScanResult>>();
  /** Scans started ahead of need (see prefetchChildren), by the same key as childLoaders. */
  private readonly prefetchedScans = new Map<string, Promise<ScanResult>>();
  /** One loader per kind of has-many (target, filter key, embedding, extra filter): keys are parent ids. */
  private readonly childLoaders = new Map<string, DataLoader<string, RestRecord[] | null>>();
  /** Every scan this request started, for the needs of a tight budget to share (few: one per collection read whole). */
  private readonly started: StartedScan[] = [];

  constructor(
    private readonly cache: RecordCache,
    private readonly gateway: RestGateway,
    private readonly options: ScannerOptions,
  ) {}

  /**
   * Many distinct ids of one type in a tick: when the whole collection is a few pages, scanning
   * it is far cheaper than one call per id. Returns the records found; the rest are read by id.
   */
  async forIds(type: string, ids: string[], embedding: string[]): Promise<Map<string, RestRecord>> {
    const found = new Map<string, RestRecord>();
    const prefetched = this.prefetchedIdScans.get(JSON.stringify([type, embedding]));
    if (prefetched) {
      const scan = await prefetched.catch(() => undefined);
      for (const row of scan?.rows ?? []) if (ids.includes(String(row.id))) found.set(String(row.id), row);
      return found;
    }
    const s = spec(type);
    if (!this.options.strategy.scan || !idScannable(s, embedding)) return found;
    const collection = collectionKey(type, null);
    const wanted = new Set(ids);
    const earlier = this.earlierScan(collection, embedding);
    if (earlier) {
      // Found there or read one by one: the budget is tight, and this collection was read once already.
      for (const row of (await earlier.catch(() => undefined))?.rows ?? []) if (wanted.has(String(row.id))) found.set(String(row.id), row);
      return found;
    }
    const plan = planScan({ purpose: 'ids', size: this.sizeOf(collection), keys: ids.length, maxId: maxNumericId(ids), ...this.planning() });
    if (!plan) return found;
    const keep = (rows: RestRecord[]): void => {
      for (const row of rows) if (wanted.has(String(row.id))) found.set(String(row.id), row);
    };
    const scan = await this.read(s, null, embedding, plan.maxPages, collection, (rows) => {
      keep(rows);
      return found.size === wanted.size;
    });
    keep(scan.rows);
    return found;
  }

  /** One parent's children out of a scan shared by the parents asking in the same tick; null when no scan serves them. */
  children(type: string, filterKey: string, parentId: string, query: ChildrenQuery): Promise<RestRecord[] | null> {
    const scannable = this.scannable(type, filterKey, query);
    if (!scannable) return Promise.resolve(null);
    const { s, embedding, filter, key, collection } = scannable;
    let loader = this.childLoaders.get(key);
    if (!loader) {
      loader = new DataLoader((parentIds) => this.scanChildren(s, filterKey, parentIds, embedding, filter, collection, this.prefetchedScans.get(key)), {
        batchScheduleFn: collectAcrossCallbacks,
      });
      this.childLoaders.set(key, loader);
    }
    return loader.load(parentId);
  }

  /**
   * Starts, now, the scan that children of many parents will want later: a scan does not depend
   * on the parents' ids, so its pages can run while the levels above are still being read. Only
   * for collections earlier requests have seen, and only when its pages fit in the round trips
   * the levels above take anyway.
   */
  prefetchChildren(type: string, filterKey: string, query: ChildrenQuery, expectedParents: number, levelsAbove: number): void {
    const scannable = this.scannable(type, filterKey, query);
    if (!scannable || this.prefetchedScans.has(scannable.key)) return;
    const { s, embedding, filter, collection } = scannable;
    const plan = planScan({ purpose: 'children', size: this.sizeOf(collection), keys: expectedParents, ahead: levelsAbove, ...this.planning() });
    if (!plan) return;
    const scan = this.read(s, filter, embedding, plan.maxPages, collection);
    scan.catch(() => undefined); // surfaced, if ever awaited, by the children that use it
    this.prefetchedScans.set(scannable.key, scan);
  }

  /**
   * The to-one counterpart of prefetchChildren: many records will each name one record of `type`
   * (the model of each of 100 charge points); when that collection is small, start reading it whole now.
   */
  prefetchIds(type: string, include: string[] | undefined, expectedIds: number, levelsAbove: number): void {
    const s = spec(type);
    const embedding = includesFor(s, include) ?? [];
    const key = JSON.stringify([type, embedding]);
    if (!this.options.strategy.scan || this.prefetchedIdScans.has(key) || !idScannable(s, embedding)) return;
    const collection = collectionKey(type, null);
    const plan = planScan({ purpose: 'ids', size: this.sizeOf(collection), keys: expectedIds, ahead: levelsAbove, ...this.planning() });
    if (!plan) return;
    const scan = this.read(s, null, embedding, plan.maxPages, collection);
    scan.catch(() => undefined); // surfaced, if ever awaited, by the reads that use it
    this.prefetchedIdScans.set(key, scan);
  }

  /** Drops scans and their groupings (after a write, nothing read before is trusted). */
  forget(): void {
    this.childLoaders.clear();
    this.prefetchedScans.clear();
    this.prefetchedIdScans.clear();
    this.started.length = 0;
  }

  /** The planner's inputs besides the question: asked at each decision, as the budget moves while the request runs. */
  private planning(): { maxInFlight: number; budgetTight: boolean; pageCap: number } {
    return {
      maxInFlight: this.options.maxInFlight,
      budgetTight: this.options.stats.budgetTight?.(this.options.credential) ?? false,
      pageCap: this.options.maxListPages,
    };
  }

  /**
   * With a tight budget, a scan of `collection` this request already started (done or under way) whose
   * rows carry at least `embedding`: its rows serve this need too, for no further call. With room in the
   * budget, none: waiting for a scan under way may cost more time than a call.
   */
  private earlierScan(collection: string, embedding: readonly string[]): Promise<ScanResult> | undefined {
    if (!this.started.length || !this.planning().budgetTight) return undefined;
    return this.started.find((s) => s.collection === collection && embedding.every((e) => s.embedding.has(e)))?.result;
  }

  /** Whether children of this kind can be grouped out of one scan, and under which key. */
  private scannable(type: string, filterKey: string, query: ChildrenQuery) {
    const s = spec(type);
    const embedding = includesFor(s, query.include) ?? [];
    if (!this.options.strategy.scan || !childScannable(s, filterKey, embedding)) return undefined;
    const filter = query.filter ?? null;
    return { s, embedding, filter, key: JSON.stringify([type, filterKey, embedding, filter]), collection: collectionKey(type, filter) };
  }

  /** The batch function of a child loader: one scan (prefetched, or now if it pays off) grouped by parent. */
  private async scanChildren(
    s: ResourceSpec,
    filterKey: string,
    parentIds: readonly string[],
    embedding: string[],
    filter: Record<string, unknown> | null,
    collection: string,
    prefetched: Promise<ScanResult> | undefined,
  ): Promise<(RestRecord[] | null)[]> {
    const none = parentIds.map(() => null);
    let pending = prefetched ?? this.earlierScan(collection, embedding);
    if (!pending) {
      const plan = planScan({ purpose: 'children', size: this.sizeOf(collection), keys: parentIds.length, ...this.planning() });
      if (!plan) return none;
      pending = this.read(s, filter, embedding, plan.maxPages, collection);
    }
    const scan = await pending.catch(() => undefined);
    if (!scan?.complete) return none;
    const groups = new Map<string, RestRecord[]>();
    const path = groupingPath(s, filterKey)!;
    for (const row of scan.rows) {
      const owner = String(readPath(row, path));
      const list = groups.get(owner);
      if (list) list.push(row);
      else groups.set(owner, [row]);
    }
    return parentIds.map((id) => groups.get(String(id)) ?? []);
  }

  private sizeOf(collection: string): CollectionSize | undefined {
    return this.options.stats.get(this.options.credential, collection);
  }

  /** Reads a listing from its start, up to `maxPages` pages or until `enough` says stop, and records what it learnt of its size. */
  private read(
    s: ResourceSpec,
    filter: Record<string, unknown> | null,
    embedding: string[],
    maxPages: number,
    collection: string,
    enough?: (rows: RestRecord[]) => boolean,
  ): Promise<ScanResult> {
    const result = this.readPages(s, filter, embedding, maxPages, collection, enough);
    this.started.push({ collection, embedding: new Set(embedding), result });
    return result;
  }

  private async readPages(
    s: ResourceSpec,
    filter: Record<string, unknown> | null,
    embedding: string[],
    maxPages: number,
    collection: string,
    enough?: (rows: RestRecord[]) => boolean,
  ): Promise<ScanResult> {
    const path = await this.gateway.collectionPath(s, undefined);
    const base = { filter: filter ?? undefined, ...embeddingQuery(embedding) };
    // Within the request's page cap: a scan that would need more ends incomplete rather than failing.
    const pages = Math.min(maxPages, this.options.maxListPages);
    const walk = new PageWalk(`every ${s.name} record`, pages);
    const scan = await readWhole((request) => this.cache.listing(s, path, scanPageQuery(base, request), undefined), pagingOf(s), pages, walk, enough);
    // A scan that stopped early (enough rows, a cursor that did not advance, its page budget spent) saw a
    // lower bound only; without `enough`, it read what it was allowed and fell short.
    this.options.stats.record(
      this.options.credential,
      collection,
      scan.complete ? { count: scan.rows.length } : enough ? { atLeast: scan.rows.length } : { atLeast: scan.rows.length, cutShort: true },
    );
    return scan;
  }
}
