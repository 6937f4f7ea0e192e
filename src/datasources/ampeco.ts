/**
 * The per-request gateway to AMPECO. One instance per GraphQL request (see src/context.ts), so
 * its DataLoader caches never outlive the request nor cross credentials. Resolvers ask it for
 * records by id, listings and writes; it decides the REST calls: dedupe, batching of a tick's
 * loads into parallel calls, include[] embedding, and priming by-id caches from every listing.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { AmpecoHttpClient } from './http/index.js';
import { credentialKey, UpstreamNotFoundError, type QueryParams } from './http/index.js';
import { InMemoryCollectionStats, type CollectionStats } from './collection-stats.js';
import { toRestBody } from './body.js';
import { CursorCodec, listingScope, type Position } from './cursor.js';
import { checkId, checkPathValue } from './ids.js';
import { PageWalk, RequestLimits, type RequestLimitSettings } from './request-limits.js';
import { readPath, type ListingEnvelope, type RestRecord } from './records.js';
import { actionSpecs, fillPath, spec, type ResourceSpec } from './registry.js';

/** AMPECO's per_page maximum, and therefore the largest `first`. */
export const MAX_PAGE_SIZE = 100;

/**
 * Scans: AMPECO has no multi-id read, so N records of one type cost N calls, unless one listing
 * holds them all. A scan reads a listing page by page (sequentially: cursors) and is chosen only
 * when it needs clearly fewer calls, and at most this many pages, so round trips stay few.
 */
const MAX_SCAN_PAGES = 3;
/** Fewer ids (or parents) than this are always read one by one, in parallel. */
const MIN_KEYS_FOR_SCAN = 4;

export interface DataSourceOptions {
  /** Naive mode: no dedupe, caching, priming, scans or id-only shortcuts; the benchmark's baseline. */
  naive?: boolean;
  /** Collection sizes learnt by earlier requests (shared, per credential). */
  stats?: CollectionStats;
  /** Upstream calls in flight at once (the client's cap): how many reads one round trip holds. */
  maxInFlight?: number;
  /** Signs and checks connection cursors; a per-process random secret when not given. */
  cursors?: CursorCodec;
  /** This request's upstream budget, deadline and page cap. */
  limits?: RequestLimitSettings;
}

const fallbackCursors = new CursorCodec(Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'));

const fallbackStats = new InMemoryCollectionStats();

/**
 * Dispatch a batch after the current I/O callbacks rather than at the end of this tick: sibling
 * listings answer in separate callbacks, and their children's loads should still share a batch.
 */
const collectAcrossCallbacks = (dispatch: () => void): void => {
  setImmediate(dispatch);
};

export interface ReadOptions {
  /** include[] values to embed (must be values the resource accepts). */
  include?: string[];
  /** Id of the immediate parent, for sub-resources. */
  parentId?: string;
}

export interface ListOptions extends ReadOptions {
  first: number;
  after?: string | null;
  filter?: Record<string, unknown> | null;
}

export interface Page {
  edges: { cursor: string; node: RestRecord }[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: number | null;
}

/** What the pagination strategies of `list` share. */
interface ListingRequest {
  s: ResourceSpec;
  path: string;
  base: Record<string, unknown>;
  parentId: string | undefined;
  first: number;
  /** What the cursors of this listing are bound to. */
  scope: string;
  walk: PageWalk;
}

interface ReadKey {
  type: string;
  id: string;
  parentId: string | undefined;
  include: string[];
}

const keyOf = (k: ReadKey): string => `${k.type}:${k.parentId ?? ''}/${k.id}|${[...k.include].sort().join(',')}`;

export class AmpecoDataSource {
  /** One by-id loader per type, so a slow batch of one type (a scan) never holds up another. */
  private readonly records = new Map<string, DataLoader<ReadKey, RestRecord | null, string>>();
  private readonly listings: DataLoader<string, ListingEnvelope>;
  /** One loader per kind of has-many (target, filter key, embedding, extra filter): keys are parent ids. */
  private readonly childLoaders = new Map<string, DataLoader<string, RestRecord[] | null>>();
  /** Root records seen in listings this request, with the include[]/flags they were listed with. */
  private readonly listed = new Map<string, { record: RestRecord; embedding: Set<string> }>();
  /** Whole-collection scans started ahead of by-id reads (see prefetchIdScan), by type and embedding. */
  private readonly prefetchedIdScans = new Map<string, Promise<{ rows: RestRecord[]; complete: boolean }>>();
  /** Scans started ahead of need (see prefetchScan), by the same key as childLoaders. */
  private readonly prefetchedScans = new Map<string, Promise<{ rows: RestRecord[]; complete: boolean }>>();
  /** Listings under way, by type: a by-id read waits for them, as they may hold its record. */
  private readonly listingsInFlight = new Map<string, Set<Promise<unknown>>>();
  private readonly naive: boolean;
  private readonly stats: CollectionStats;
  private readonly credential: string;
  private readonly maxInFlight: number;
  private readonly cursors: CursorCodec;
  /** This request's upstream budget, deadline and page cap. */
  readonly limits: RequestLimits;

  constructor(
    private readonly http: AmpecoHttpClient,
    private readonly token: string | null,
    options: DataSourceOptions = {},
  ) {
    const naive = (this.naive = options.naive ?? false);
    this.stats = options.stats ?? fallbackStats;
    this.maxInFlight = options.maxInFlight ?? 32;
    this.cursors = options.cursors ?? fallbackCursors;
    this.limits = new RequestLimits(options.limits);
    this.credential = token ? credentialKey(token) : 'anonymous';
    // Identical listing calls within one request are made once.
    this.listings = new DataLoader(async (urls) => Promise.all(urls.map((u) => this.fetchListing(u).catch((e: unknown) => e as Error))), {
      batch: false,
      cache: !naive,
    });
  }

  private recordLoader(type: string): DataLoader<ReadKey, RestRecord | null, string> {
    let loader = this.records.get(type);
    if (!loader) {
      loader = new DataLoader((keys) => this.fetchRecords(keys), {
        cacheKeyFn: keyOf,
        cache: !this.naive,
        batch: !this.naive,
        batchScheduleFn: collectAcrossCallbacks,
      });
      this.records.set(type, loader);
    }
    return loader;
  }

  /** Whether lookahead optimisations (include[] embedding, skipped id-only reads) apply. */
  get optimised(): boolean {
    return !this.naive;
  }

  /** One record by id; null when AMPECO has none. */
  async get(type: string, id: string, options: ReadOptions = {}): Promise<RestRecord | null> {
    const s = spec(type);
    checkId(s, id);
    const include = this.includesFor(s, options.include) ?? [];
    const parentLink = s.parents?.at(-1);
    const embed = parentLink && spec(parentLink.resource).embeds.get(type);
    if (parentLink && embed && include.length === 0) {
      // A sub-resource its parent embeds is read through the parent. Asked for here, in the
      // caller's tick, the parent's read joins that tick's batch: a query needing both an EVSE and
      // one of its connectors makes one call, with include[]=connectors.
      if (options.parentId === undefined) throw missingParentId(s);
      const parent = await this.get(parentLink.resource, options.parentId, { include: [embed.include] });
      if (!parent) return null;
      const children = await this.embedded(parentLink.resource, parent, type);
      return children.find((c) => String(c.id) === String(id)) ?? null;
    }
    return this.recordLoader(type).load({ type, id: String(id), parentId: options.parentId, include });
  }

  /** One page of a listing, as a connection. Both of AMPECO's paginations sit behind it. */
  async list(type: string, options: ListOptions): Promise<Page> {
    const s = spec(type);
    if (!s.operations.list) throw new Error(`${type} has no listing`);
    checkPageSize(options.first);
    const usesCursor = usesCursorPaging(s);
    const scope = listingScope(type, options.parentId, options.filter);
    const start: Position = options.after
      ? this.cursors.decode(options.after, scope)
      : usesCursor
        ? { kind: 'cursor', upstream: null, skip: 0 }
        : { kind: 'offset', offset: 0 };
    if ((start.kind === 'cursor') !== usesCursor) throw badCursor();
    const request: ListingRequest = {
      s,
      path: await this.collectionPath(s, options.parentId),
      base: { filter: options.filter ?? undefined, ...embeddingQuery(this.includesFor(s, options.include) ?? []) },
      parentId: options.parentId,
      first: options.first,
      scope,
      walk: new PageWalk(`a page of ${type} records`, this.limits.settings.maxListPages),
    };
    if (start.kind === 'cursor') return this.listByCursor(request, start.upstream, start.skip);
    if (s.contract.pagination === 'none') return this.listUnpaged(request, start.offset);
    return this.listByPage(request, start.offset);
  }

  /** Cursor listings: from AMPECO's cursor `upstream`, skipping `skip` rows, across pages as needed. */
  private async listByCursor(r: ListingRequest, from: string | null, skipFirst: number): Promise<Page> {
    const found: { node: RestRecord; at: Position }[] = [];
    let upstream = from;
    let skip = skipFirst;
    for (;;) {
      const want = r.first - found.length;
      r.walk.step();
      const env = await this.listingCall(r.s, r.path, { ...r.base, cursor: upstream ?? '', per_page: Math.min(MAX_PAGE_SIZE, skip + want) }, r.parentId);
      const rows = env.data.slice(skip, skip + want);
      const pageCursor = upstream;
      rows.forEach((node, i) => found.push({ node, at: { kind: 'cursor', upstream: pageCursor, skip: skip + i + 1 } }));
      const consumedPage = skip + rows.length >= env.data.length;
      // A `next` that repeats a cursor already read, or follows an empty page, ends the listing.
      const next = r.walk.continues(upstream, nextCursor(env), env.data.length) ? nextCursor(env) : null;
      if (found.length >= r.first || !consumedPage || !next) {
        // A fully consumed page continues at AMPECO's own next cursor: clean, skip-free paging.
        if (consumedPage && next && found.length) found[found.length - 1]!.at = { kind: 'cursor', upstream: next, skip: 0 };
        return this.page(r.scope, found, !consumedPage || Boolean(next), null);
      }
      // A skip past this page (a cursor made from a scan) carries over to the next one.
      skip = Math.max(0, skip - env.data.length);
      upstream = next;
    }
  }

  /** Unpaged listings answer everything at once: page locally. */
  private async listUnpaged(r: ListingRequest, offset: number): Promise<Page> {
    r.walk.step();
    const env = await this.listingCall(r.s, r.path, r.base, r.parentId);
    const found = env.data.slice(offset, offset + r.first).map((node, i) => ({ node, at: { kind: 'offset', offset: offset + i + 1 } as const }));
    return this.page(r.scope, found, offset + found.length < env.data.length, env.data.length);
  }

  /** Page-numbered listings: read the page(s) covering [offset, offset + first). */
  private async listByPage(r: ListingRequest, from: number): Promise<Page> {
    const found: { node: RestRecord; at: Position }[] = [];
    let offset = from;
    let totalCount: number | null = null;
    for (;;) {
      const page = Math.floor(offset / r.first) + 1;
      r.walk.step();
      const env = await this.listingCall(r.s, r.path, { ...r.base, page, per_page: r.first }, r.parentId);
      totalCount = env.meta?.total ?? totalCount;
      const inPage = offset - (page - 1) * r.first;
      const rows = env.data.slice(inPage, inPage + (r.first - found.length));
      rows.forEach((node, i) => found.push({ node, at: { kind: 'offset', offset: offset + i + 1 } }));
      offset += rows.length;
      const more = page < (env.meta?.last_page ?? page) || (totalCount !== null && offset < totalCount);
      // An empty page ends the listing whatever the meta claims.
      if (found.length >= r.first || !more || rows.length === 0) {
        return this.page(r.scope, found, more && rows.length > 0, totalCount);
      }
    }
  }

  /** A connection page whose cursors are signed only when a client reads them. */
  private page(scope: string, found: { node: RestRecord; at: Position }[], hasNextPage: boolean, totalCount: number | null): Page {
    const cursors = this.cursors;
    const edges = found.map(({ node, at }) => ({
      node,
      get cursor(): string {
        return cursors.encode(at, scope);
      },
    }));
    return { edges, hasNextPage, endCursor: found.length ? cursors.encode(found.at(-1)!.at, scope) : null, totalCount };
  }

  /** A connection page cut from a parent's full child list (from a scan); its cursors resume through the filtered listing. */
  private pageFromRows(type: string, filter: Record<string, unknown>, rows: RestRecord[], first: number): Page {
    const cursorPaged = usesCursorPaging(spec(type));
    const found = rows.slice(0, first).map((node, i): { node: RestRecord; at: Position } => ({
      node,
      at: cursorPaged ? { kind: 'cursor', upstream: null, skip: i + 1 } : { kind: 'offset', offset: i + 1 },
    }));
    return this.page(listingScope(type, undefined, filter), found, rows.length > first, null);
  }

  /** Every record of a small filtered listing (a charge point's EVSEs), all pages, up to the page cap. */
  async listAll(type: string, filter: Record<string, unknown>, options: ReadOptions = {}): Promise<RestRecord[]> {
    const out: RestRecord[] = [];
    const walk = new PageWalk(`every ${type} record matching ${JSON.stringify(filter)}`, this.limits.settings.maxListPages);
    let after: string | null = null;
    for (;;) {
      walk.step();
      const page = await this.list(type, { ...options, filter, first: MAX_PAGE_SIZE, after });
      out.push(...page.edges.map((e) => e.node));
      if (!page.hasNextPage || !walk.continues(after, page.endCursor, page.edges.length)) return out;
      after = page.endCursor;
    }
  }

  /**
   * A page of one parent's children through a filtered listing (a location's charge points).
   * When many parents ask in the same tick, one scan of the unfiltered listing may serve them all.
   */
  async childPage(type: string, filterKey: string, parentId: string, options: Omit<ListOptions, 'parentId'>): Promise<Page> {
    checkPageSize(options.first);
    const filter = { ...(options.filter ?? {}), [filterKey]: parentId };
    if (!options.after) {
      const rows = await this.childrenFromScan(type, filterKey, parentId, options);
      if (rows) return this.pageFromRows(type, filter, rows, options.first);
    }
    return this.list(type, { ...options, filter });
  }

  /** All children of one parent (a charge point's EVSEs); batched across parents like childPage. */
  async allChildren(type: string, filterKey: string, parentId: string, options: ReadOptions = {}): Promise<RestRecord[]> {
    const rows = await this.childrenFromScan(type, filterKey, parentId, { include: options.include });
    return rows ?? this.listAll(type, { [filterKey]: parentId }, options);
  }

  /** Children embedded in a parent record through include[] (a location's charging zones). */
  async embedded(parentType: string, parent: RestRecord, childType: string): Promise<RestRecord[]> {
    const p = spec(parentType);
    const embed = p.embeds.get(childType);
    if (!embed) throw new Error(`${parentType} does not embed ${childType}`);
    let rows = parent[embed.field];
    if (!Array.isArray(rows)) {
      const full = await this.get(parentType, String(parent.id), { include: [embed.include], parentId: parentIdOf(p, parent) });
      rows = full?.[embed.field];
    }
    return Array.isArray(rows) ? this.adoptChildren(p, parent, childType, rows as RestRecord[]) : [];
  }

  async create(type: string, input: unknown, parentId?: string): Promise<RestRecord> {
    const s = spec(type);
    const op = s.contract.operations.create;
    if (!op) throw new Error(`${type} cannot be created`);
    const path = await this.collectionPath(s, parentId);
    const res = await this.call<{ data: RestRecord }>('POST', path, { body: toRestBody(input, op.requestBody?.schema) });
    const record = await this.stamp(s, res.data, parentId);
    this.afterWrite(s, record, parentId);
    return record;
  }

  async update(type: string, id: string, input: unknown, parentId?: string): Promise<RestRecord> {
    const s = spec(type);
    const op = s.contract.operations.update;
    if (!op) throw new Error(`${type} cannot be updated`);
    const path = await this.itemPath(s, id, parentId);
    const res = await this.call<{ data: RestRecord }>(op.method, path, { body: toRestBody(input, op.requestBody?.schema) });
    const record = await this.stamp(s, res.data, parentId);
    this.afterWrite(s, record, parentId);
    return record;
  }

  async remove(type: string, id: string, parentId?: string): Promise<void> {
    const s = spec(type);
    if (!s.contract.operations.delete) throw new Error(`${type} cannot be deleted`);
    await this.call('DELETE', await this.itemPath(s, id, parentId), {});
    this.forgetAll();
  }

  /** Sends an action (OCPP command); returns how AMPECO took it and its answer body, if any. */
  async action(
    mutation: string,
    pathValues: Record<string, string>,
    input: unknown,
  ): Promise<{ outcome: 'ACCEPTED' | 'SCHEDULED' | 'DONE'; body: Record<string, unknown> }> {
    const a = actionSpecs.get(mutation);
    if (!a) throw new Error(`Unknown action ${mutation}`);
    for (const param of a.operation.pathParams) {
      checkPathValue(param.schema, pathValues[param.name] ?? '', a.pathArgs[param.name]?.arg ?? param.name, `${param.name} of ${mutation}`);
    }
    const path = fillPath(a.operation.path, pathValues);
    const body = a.body ? (toRestBody(input ?? {}, a.operation.requestBody?.schema) as Record<string, unknown>) : undefined;
    const res = await this.send<Record<string, unknown>>(a.operation.method, path, { body });
    this.forgetAll();
    // 202 = accepted for now; a 204 where 202 is also possible = scheduled for later.
    const accepts = a.operation.responses.some((r) => r.status === 202);
    const outcome = res.status === 202 ? 'ACCEPTED' : res.status === 204 && accepts ? 'SCHEDULED' : 'DONE';
    return { outcome, body: res.body && typeof res.body === 'object' ? res.body : {} };
  }

  // ---- scans ---------------------------------------------------------------------------------

  /**
   * Starts, now, the scan that children of many parents will want later: a scan does not depend
   * on the parents' ids, so its pages can run while the levels above are still being read. Used
   * by the root resolvers' lookahead; only for collections earlier requests have seen (an exact
   * or a lower bound of their size), and only when its pages fit in the round trips the levels
   * above take anyway.
   */
  prefetchScan(
    type: string,
    filterKey: string,
    options: { include?: string[]; filter?: Record<string, unknown> | null },
    expectedParents: number,
    levelsAbove: number,
  ): void {
    const scannable = this.scannable(type, filterKey, options);
    if (!scannable || this.prefetchedScans.has(scannable.key)) return;
    const { s, embedding, filter, collection } = scannable;
    const size = this.pagesFor(collection);
    if (!size.seen || !this.scanPaysOff(size, expectedParents, 2, levelsAbove)) return;
    const scan = this.scan(s, filter, embedding, size.pages + (size.known ? 1 : 0), collection);
    scan.catch(() => undefined); // surfaced, if ever awaited, by the children that use it
    this.prefetchedScans.set(scannable.key, scan);
  }

  /**
   * The to-one counterpart of prefetchScan: many records will each name one record of `type` (the
   * model of each of 100 charge points); when that collection is small, start reading it whole now.
   */
  prefetchIdScan(type: string, options: { include?: string[] }, expectedIds: number, levelsAbove: number): void {
    const s = spec(type);
    const embedding = this.includesFor(s, options.include) ?? [];
    const key = JSON.stringify([type, embedding]);
    if (this.naive || this.prefetchedIdScans.has(key) || s.parents?.length || !s.operations.list || !listAccepts(s, embedding)) return;
    const collection = JSON.stringify([type, null]);
    const size = this.pagesFor(collection);
    if (!size.seen || !this.scanPaysOff(size, expectedIds, 4, levelsAbove)) return;
    const scan = this.scan(s, null, embedding, size.pages + (size.known ? 1 : 0), collection);
    scan.catch(() => undefined); // surfaced, if ever awaited, by the reads that use it
    this.prefetchedIdScans.set(key, scan);
  }

  /** Whether children of this kind can be grouped out of one scan, and under which key. */
  private scannable(type: string, filterKey: string, options: { include?: string[]; filter?: Record<string, unknown> | null }) {
    const s = spec(type);
    const embedding = this.includesFor(s, options.include) ?? [];
    // Grouping needs the filter's value on each record; a nested-only link cannot be grouped.
    if (this.naive || !s.contract.record.properties?.[filterKey] || s.parents?.length || !listAccepts(s, embedding)) return undefined;
    const filter = options.filter ?? null;
    return { s, embedding, filter, key: JSON.stringify([type, filterKey, embedding, filter]), collection: JSON.stringify([type, filter]) };
  }

  private childrenFromScan(
    type: string,
    filterKey: string,
    parentId: string,
    options: { include?: string[]; filter?: Record<string, unknown> | null },
  ): Promise<RestRecord[] | null> {
    const scannable = this.scannable(type, filterKey, options);
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

  private async scanChildren(
    s: ResourceSpec,
    filterKey: string,
    parentIds: readonly string[],
    embedding: string[],
    filter: Record<string, unknown> | null,
    collection: string,
    prefetched: Promise<{ rows: RestRecord[]; complete: boolean }> | undefined,
  ): Promise<(RestRecord[] | null)[]> {
    const none = parentIds.map(() => null);
    const size = this.pagesFor(collection);
    if (!prefetched && (parentIds.length < MIN_KEYS_FOR_SCAN || !this.scanPaysOff(size, parentIds.length, 2))) return none;
    const scan = await (prefetched ?? this.scan(s, filter, embedding, size.pages + (size.known ? 1 : 0), collection)).catch(() => undefined);
    if (!scan?.complete) return none;
    const groups = new Map<string, RestRecord[]>();
    for (const row of scan.rows) {
      const owner = String(readPath(row, filterKey));
      const list = groups.get(owner);
      if (list) list.push(row);
      else groups.set(owner, [row]);
    }
    return parentIds.map((id) => groups.get(String(id)) ?? []);
  }

  /** Pages a full scan of a collection is expected to take, and whether that is known or a guess. */
  private pagesFor(collection: string, maxId?: number): { pages: number; known: boolean; seen: boolean } {
    const size = this.stats.get(this.credential, collection);
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
  private scanPaysOff({ pages }: { pages: number }, calls: number, factor: number, hidden = 0): boolean {
    if (pages > MAX_SCAN_PAGES || pages * factor > calls) return false;
    return pages === 1 || pages <= hidden + Math.ceil(calls / this.maxInFlight);
  }

  /** Reads a listing from its start, up to `maxPages` pages or until `enough` says stop. */
  private async scan(
    s: ResourceSpec,
    filter: Record<string, unknown> | null,
    embedding: string[],
    maxPages: number,
    collection: string,
    enough: (rows: RestRecord[]) => boolean = () => false,
  ): Promise<{ rows: RestRecord[]; complete: boolean }> {
    const path = await this.collectionPath(s, undefined);
    const usesCursor = usesCursorPaging(s);
    const unpaged = s.contract.pagination === 'none';
    const rows: RestRecord[] = [];
    const walk = new PageWalk(`every ${s.name} record`, Math.min(maxPages, this.limits.settings.maxListPages));
    let cursor = '';
    for (let page = 1; page <= maxPages; page++) {
      const paging = unpaged ? {} : { per_page: MAX_PAGE_SIZE, ...(usesCursor ? { cursor } : { page }) };
      walk.step();
      const env = await this.listingCall(s, path, { filter: filter ?? undefined, ...embeddingQuery(embedding), ...paging }, undefined);
      rows.push(...env.data);
      const next = unpaged ? null : usesCursor ? nextCursor(env) : page < (env.meta?.last_page ?? page) ? String(page + 1) : null;
      if (!next || env.data.length === 0) {
        this.stats.record(this.credential, collection, { count: rows.length });
        return { rows, complete: true };
      }
      // A cursor that does not advance: the listing cannot be read to its end, so the scan is not complete.
      if (enough(rows) || !walk.continues(cursor, next, env.data.length)) break;
      cursor = next;
    }
    this.stats.record(this.credential, collection, { atLeast: rows.length });
    return { rows, complete: false };
  }

  /**
   * Many distinct ids of one type in a tick: when the whole collection is a few pages, scanning
   * it is far cheaper than one call per id. Returns the records found; the rest are read by id.
   */
  private async scanForIds(type: string, ids: string[], embedding: string[]): Promise<Map<string, RestRecord>> {
    const found = new Map<string, RestRecord>();
    const s = spec(type);
    const prefetched = this.prefetchedIdScans.get(JSON.stringify([type, embedding]));
    if (prefetched) {
      const scan = await prefetched.catch(() => undefined);
      for (const row of scan?.rows ?? []) if (ids.includes(String(row.id))) found.set(String(row.id), row);
      return found;
    }
    if (this.naive || ids.length < MIN_KEYS_FOR_SCAN || s.parents?.length || !s.operations.list || !listAccepts(s, embedding)) return found;
    const numeric = ids.every((id) => /^\d+$/.test(id));
    const collection = JSON.stringify([type, null]);
    const size = this.pagesFor(collection, numeric ? Math.max(...ids.map(Number)) : undefined);
    if (!this.scanPaysOff(size, ids.length, 4)) return found;
    const wanted = new Set(ids);
    const scan = await this.scan(s, null, embedding, size.pages + (size.known ? 1 : 0), collection, (rows) => {
      for (const row of rows) if (wanted.has(String(row.id))) found.set(String(row.id), row);
      return found.size === wanted.size;
    });
    for (const row of scan.rows) if (wanted.has(String(row.id))) found.set(String(row.id), row);
    return found;
  }

  // ---- internals -------------------------------------------------------------------------

  private requireToken(): string {
    if (!this.token) {
      throw new GraphQLError('No AMPECO API token: send `Authorization: Bearer <token>` or configure AMPECO_API_TOKEN.', {
        // No HTTP status override: a 200 keeps the rest of the response (and gateways) working.
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    return this.token;
  }

  private async call<T>(method: string, path: string, opts: { query?: Record<string, unknown>; body?: unknown }): Promise<T> {
    return (await this.send<T>(method, path, opts)).body as T;
  }

  /** The one place requests leave for AMPECO, with this request's credential, budget and deadline. */
  private async send<T>(method: string, path: string, opts: { query?: Record<string, unknown>; body?: unknown }) {
    const token = this.requireToken();
    this.limits.spend();
    const signal = this.limits.signal();
    try {
      return await this.http.request<T>({
        method: method as 'GET',
        path,
        query: opts.query as QueryParams | undefined,
        body: opts.body,
        token,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw this.limits.deadlineError();
      throw error;
    }
  }

  /** Keeps the include[] values and `+withX` flags this resource accepts. */
  private includesFor(s: ResourceSpec, include: string[] | undefined): string[] | undefined {
    const flags = new Set(s.contract.flags.map((f) => `+${f.name}`));
    const valid = (include ?? []).filter((i) => s.contract.includes.includes(i) || flags.has(i));
    return valid.length ? [...new Set(valid)].sort() : undefined;
  }

  private async listingCall(s: ResourceSpec, path: string, query: Record<string, unknown>, parentId: string | undefined): Promise<ListingEnvelope> {
    const url = `${path}?${JSON.stringify(query)}`;
    const embedded = [...((query.include as string[] | undefined) ?? []), ...Object.keys(query).filter((k) => k.startsWith('with')).map((k) => `+${k}`)];
    let pending = this.listings.load(url);
    if (!this.naive && !s.parents?.length) {
      // Index the rows the moment they arrive, so by-id reads waiting on this listing find them.
      const embedding = new Set(embedded);
      const tracked = pending.then((env) => {
        for (const r of env.data) this.listed.set(`${s.name}:/${r.id}`, { record: r, embedding });
        return env;
      });
      const inFlight = this.listingsInFlight.get(s.name) ?? new Set();
      this.listingsInFlight.set(s.name, inFlight.add(tracked));
      const settle = (): void => void inFlight.delete(tracked);
      tracked.then(settle, settle);
      pending = tracked;
    }
    // A failed call rejects here (DataLoader turns an Error value into a rejection of that key).
    const result = await pending;
    return { ...result, data: await Promise.all(result.data.map((r) => this.remember(s, r, parentId, embedded))) };
  }

  /** A root record a listing of this request already returned with (at least) this embedding. */
  private fromListings(key: ReadKey): RestRecord | undefined {
    if (key.parentId !== undefined) return undefined;
    const hit = this.listed.get(`${key.type}:/${key.id}`);
    return hit && key.include.every((i) => hit.embedding.has(i)) ? hit.record : undefined;
  }

  private async fetchListing(key: string): Promise<ListingEnvelope> {
    const at = key.indexOf('?');
    const path = key.slice(0, at);
    const query = JSON.parse(key.slice(at + 1)) as Record<string, unknown>;
    const body = await this.call<ListingEnvelope>('GET', path, { query });
    if (!body || !Array.isArray(body.data)) throw new Error(`AMPECO sent a listing without data for ${path}`);
    return body;
  }

  /** The batch function of one type's by-id loader. */
  private async fetchRecords(keys: readonly ReadKey[]): Promise<(RestRecord | null | Error)[]> {
    const type = keys[0]!.type;
    const groupOf = (k: ReadKey): string => `${k.parentId ?? ''}/${k.id}`;
    // Loads of the same record with different include[] sets in one batch become one call.
    const pending = new Map<string, { key: ReadKey; include: Set<string> }>();
    for (const k of keys) {
      const g = pending.get(groupOf(k));
      if (g) k.include.forEach((i) => g.include.add(i));
      else pending.set(groupOf(k), { key: k, include: new Set(k.include) });
    }
    const results = new Map<string, RestRecord | null | Error>();
    const settle = (group: string, record: RestRecord | null | Error | undefined): void => {
      if (record === undefined) return;
      results.set(group, record);
      pending.delete(group);
    };
    // A listing of this type already under way may hold these records: wait for it first.
    const inFlight = [...(this.listingsInFlight.get(type) ?? [])];
    if (inFlight.length) await Promise.allSettled(inFlight);
    for (const [group, { key, include }] of pending) settle(group, this.fromListings({ ...key, include: [...include] }));
    // Many ids: a scan of the collection may hold them all; the rest are read one by one.
    const embedding = [...new Set([...pending.values()].flatMap((g) => [...g.include]))].sort();
    const found = await this.scanForIds(type, [...pending.values()].map((g) => g.key.id), embedding).catch(() => new Map<string, RestRecord>());
    for (const [group, { key }] of pending) settle(group, found.get(key.id));
    await Promise.all(
      [...pending].map(async ([group, { key, include }]) => {
        try {
          results.set(group, await this.fetchRecord(type, key.id, key.parentId, [...include].sort()));
        } catch (error) {
          results.set(group, error as Error);
        }
      }),
    );
    return keys.map((k) => results.get(groupOf(k)) ?? null);
  }

  private async fetchRecord(type: string, id: string, parentId: string | undefined, include: string[]): Promise<RestRecord | null> {
    const s = spec(type);
    try {
      const path = await this.itemPath(s, id, parentId);
      const body = await this.call<{ data: RestRecord }>('GET', path, { query: embeddingQuery(include) });
      return await this.remember(s, body.data, parentId, include);
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return null;
      throw error;
    }
  }

  /** Stamps parent ids on a record read under a parent, and primes the by-id cache with it. */
  private async remember(s: ResourceSpec, record: RestRecord, parentId: string | undefined, include: string[]): Promise<RestRecord> {
    const stamped = await this.stamp(s, record, parentId);
    if (this.naive) return stamped;
    const key = { type: s.name, id: String(stamped.id), parentId: parentIdOf(s, stamped), include: [] as string[] };
    this.recordLoader(s.name).prime(key, stamped);
    if (include.length) this.recordLoader(s.name).prime({ ...key, include: [...include].sort() }, stamped);
    for (const [childType, embed] of s.embeds) {
      const rows = stamped[embed.field];
      if (Array.isArray(rows)) stamped[embed.field] = this.adoptChildren(s, stamped, childType, rows as RestRecord[]);
    }
    return stamped;
  }

  private adoptChildren(p: ResourceSpec, parent: RestRecord, childType: string, rows: RestRecord[]): RestRecord[] {
    const c = spec(childType);
    return rows.map((row) => {
      const child: RestRecord = { ...row };
      for (const link of c.parents ?? []) {
        child[link.field] ??= link.resource === p.name ? parent.id : readPath(parent, link.field);
      }
      if (!this.naive) this.recordLoader(childType).prime({ type: childType, id: String(child.id), parentId: parentIdOf(c, child), include: [] }, child);
      return child;
    });
  }

  private async stamp(s: ResourceSpec, record: RestRecord, parentId: string | undefined): Promise<RestRecord> {
    const links = s.parents ?? [];
    if (!links.length || links.every((l) => record[l.field] !== undefined && record[l.field] !== null)) return record;
    const out: RestRecord = { ...record };
    const immediate = links.at(-1)!;
    out[immediate.field] ??= parentId;
    if (links.length > 1 && parentId !== undefined) {
      const parent = await this.get(immediate.resource, parentId);
      for (const link of links.slice(0, -1)) out[link.field] ??= parent ? readPath(parent, link.field) : undefined;
    }
    return out;
  }

  /** Path parameters of every parent, resolved from the immediate parent's record where needed. */
  private async parentParams(s: ResourceSpec, parentId: string | undefined): Promise<Record<string, string>> {
    const links = s.parents ?? [];
    if (!links.length) return {};
    const immediate = links.at(-1)!;
    if (parentId === undefined) throw missingParentId(s);
    checkId(spec(immediate.resource), parentId, `${immediate.resource.replace(/^./, (c) => c.toLowerCase())}Id`);
    const params: Record<string, string> = { [immediate.param]: parentId };
    if (links.length > 1) {
      const parent = await this.get(immediate.resource, parentId);
      if (!parent) {
        const parentSpec = spec(immediate.resource);
        throw new UpstreamNotFoundError({ status: 404, method: 'GET', path: `${await this.collectionPath(parentSpec, undefined)}/${parentId}` });
      }
      for (const link of links.slice(0, -1)) params[link.param] = String(readPath(parent, link.field));
    }
    return params;
  }

  private async collectionPath(s: ResourceSpec, parentId: string | undefined): Promise<string> {
    return fillPath(s.path, await this.parentParams(s, parentId));
  }

  private async itemPath(s: ResourceSpec, id: string, parentId: string | undefined): Promise<string> {
    checkId(s, id);
    return `${await this.collectionPath(s, parentId)}/${encodeURIComponent(id)}`;
  }

  private afterWrite(s: ResourceSpec, record: RestRecord, parentId: string | undefined): void {
    this.forgetAll();
    this.recordLoader(s.name).prime({ type: s.name, id: String(record.id), parentId: parentIdOf(s, record) ?? parentId, include: [] }, record);
  }

  /**
   * After a write nothing this request cached is trusted: a write (or an OCPP command) can change
   * other records too (a parent's embedded children, an EVSE's status after a stop).
   */
  private forgetAll(): void {
    for (const loader of this.records.values()) loader.clearAll();
    this.listings.clearAll();
    this.childLoaders.clear();
    this.prefetchedScans.clear();
    this.prefetchedIdScans.clear();
    this.listed.clear();
  }
}

function parentIdOf(s: ResourceSpec, record: RestRecord): string | undefined {
  const link = s.parents?.at(-1);
  if (!link) return undefined;
  const value = readPath(record, link.field);
  return value === undefined || value === null ? undefined : String(value);
}

function nextCursor(env: ListingEnvelope): string | null {
  if (env.meta?.next_cursor) return env.meta.next_cursor;
  if (!env.links?.next) return null;
  try {
    return new URL(env.links.next, 'http://upstream.invalid').searchParams.get('cursor');
  } catch {
    return null;
  }
}


/** Whether the listing accepts every include[] value and flag (some flags exist on reads only). */
function listAccepts(s: ResourceSpec, embedding: string[]): boolean {
  const list = s.contract.operations.list;
  if (!list) return false;
  const names = new Set(list.query.map((q) => q.name));
  const includes = new Set(list.query.filter((q) => q.name.startsWith('include')).flatMap((q) => (q.schema.items?.enum ?? []).map(String)));
  return embedding.every((e) => (e.startsWith('+') ? names.has(e.slice(1)) : includes.has(e)));
}

/** `['connectors', '+withAuthorization']` -> `{ include: ['connectors'], withAuthorization: true }`. */
function embeddingQuery(embedding: string[]): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  const include = embedding.filter((e) => !e.startsWith('+'));
  if (include.length) query.include = include;
  for (const flag of embedding.filter((e) => e.startsWith('+'))) query[flag.slice(1)] = true;
  return query;
}

/** Cursor paging wherever AMPECO offers it: page numbers are deprecated (sunset June 2026). */
function usesCursorPaging(s: ResourceSpec): boolean {
  return s.contract.pagination === 'cursor' || s.contract.pagination === 'both';
}

function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new GraphQLError(`\`first\` must be between 1 and ${MAX_PAGE_SIZE} (AMPECO's page size limit); got ${first}.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
    });
  }
}

/** A sub-resource asked for without its parent's id (or with an empty one): AMPECO has no path for it. */
function missingParentId(s: ResourceSpec): GraphQLError {
  const parent = s.parents!.at(-1)!.resource;
  const argumentName = `${parent.replace(/^./, (c) => c.toLowerCase())}Id`;
  return new GraphQLError(`\`${argumentName}\` must not be empty: a ${s.name} is addressed through its ${parent}.`, {
    extensions: { code: 'BAD_USER_INPUT', argumentName },
  });
}

function badCursor(): GraphQLError {
  return new GraphQLError('The `after` cursor does not belong to this listing.', { extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
}
