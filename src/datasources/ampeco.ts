/**
 * The per-request datasource resolvers use. One instance per GraphQL request (see src/context.ts),
 * so its caches never outlive the request nor cross credentials. Resolvers ask it for records by
 * id, listings and writes; it composes the parts that decide the REST calls:
 *
 * - gateway.ts: paths, the one `send` with the request's budget and deadline, request-level errors;
 * - paginators.ts (+ envelope.ts, connection-page.ts): AMPECO's three paginations as connection pages;
 * - record-cache.ts: by-id loaders, listing dedupe, priming from listings and include[];
 * - scanner.ts (+ scan-plan.ts): whole-collection scans in place of many reads;
 * - strategy.ts: `optimised`, or the benchmark's `naive` baseline, chosen here once.
 *
 * Its public methods are typed by resource name (`get('ChargePoint', ...)` is a ChargePointRecord);
 * the parts handle records generically, as RestRecord (see `typed` below).
 */
import type { RecordOf, ResourceName } from '../__generated__/records.js';
import { credentialKey, UpstreamBadResponseError, type AmpecoHttpClient } from './http/index.js';
import { toRestBody } from './body.js';
import { InMemoryCollectionStats, type CollectionStats } from './collection-stats.js';
import { checkPageSize, startPosition, toPage, type Page } from './connection-page.js';
import { CursorCodec, listingScope } from './cursor.js';
import { embeddingQuery, includesFor, listingIncludesFor } from './embedding.js';
import { MAX_PAGE_SIZE, pageQuery, pagingOf } from './envelope.js';
import { actionOutcome, actionPath, RestGateway, type ActionOutcome } from './gateway.js';
import { checkId, idSchema, pathValueProblem } from './ids.js';
import { cursorWindow, everyRow, numberedWindow, unpagedWindow, windowFromRows, type PageSource } from './paginators.js';
import { missingParentId, parentIdOf, stampParents, type ParentReader } from './parent-links.js';
import { RecordCache, type ReadKey } from './record-cache.js';
import type { RestRecord } from './records.js';
import { actionSpecs, spec, viewSpecs, type ResourceSpec } from './registry.js';
import { PageWalk, RequestLimits, type RequestLimitSettings } from './request-limits.js';
import { Scanner } from './scanner.js';
import { ViewReader, type ViewArgs } from './views.js';
import { strategyFor, type FetchStrategy } from './strategy.js';

export { MAX_PAGE_SIZE } from './envelope.js';
export type { Page } from './connection-page.js';

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

/** A connection page of T's records. */
export interface PageOf<T extends ResourceName> extends Omit<Page, 'edges' | 'nodes'> {
  nodes: RecordOf<T>[];
  edges: { cursor: string; node: RecordOf<T> }[];
}

/*
 * The seam's one narrowing: from the parts' generic RestRecord to RecordOf<T>, on the very promise
 * the parts return (no extra tick, nothing copied). Sound because what `type` names decides which
 * endpoints are read (registry.ts), each of T's endpoints answers with T's record schema (the
 * contract's, which RecordOf<T> is generated from, and which the simulator's answers are checked
 * against), and parent-links.ts stamps the parent ids RecordOf<T> adds. TypeScript cannot follow a
 * type name through the string-keyed registry, so it is said here, once.
 */
function typed<T extends ResourceName>(type: T, rows: Promise<RestRecord>): Promise<RecordOf<T>>;
function typed<T extends ResourceName>(type: T, rows: Promise<RestRecord | null>): Promise<RecordOf<T> | null>;
function typed<T extends ResourceName>(type: T, rows: Promise<RestRecord[]>): Promise<RecordOf<T>[]>;
function typed<T extends ResourceName>(type: T, rows: Promise<Page>): Promise<PageOf<T>>;
function typed<T extends ResourceName>(type: T, row: RestRecord): RecordOf<T>;
function typed(_type: ResourceName, rows: Promise<RestRecord | RestRecord[] | Page | null> | RestRecord): unknown {
  return rows;
}

const fallbackCursors = new CursorCodec(Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'));

const fallbackStats = new InMemoryCollectionStats();

export class AmpecoDataSource {
  /** This request's upstream budget, deadline and page cap. */
  readonly limits: RequestLimits;
  private readonly strategy: FetchStrategy;
  private readonly cursors: CursorCodec;
  private readonly gateway: RestGateway;
  private readonly cache: RecordCache;
  private readonly scanner: Scanner;
  /** Made on a request's first view read: most requests read none. */
  private viewReader: ViewReader | undefined;
  /** A parent's record, for the ids of grandparents (paths, records read under a parent). */
  private readonly readParent: ParentReader = (type, id) => this.read(type, id);

  constructor(http: AmpecoHttpClient, token: string | null, options: DataSourceOptions = {}) {
    this.strategy = strategyFor(options.naive ?? false);
    this.cursors = options.cursors ?? fallbackCursors;
    this.limits = new RequestLimits(options.limits);
    this.gateway = new RestGateway(http, token, this.limits, this.readParent);
    this.cache = new RecordCache(this.gateway, this.strategy, {
      readParent: this.readParent,
      scanForIds: (type, ids, embedding) => this.scanner.forIds(type, ids, embedding),
    });
    this.scanner = new Scanner(this.cache, this.gateway, {
      strategy: this.strategy,
      stats: options.stats ?? fallbackStats,
      credential: token ? credentialKey(token) : 'anonymous',
      maxInFlight: options.maxInFlight ?? 32,
      maxListPages: this.limits.settings.maxListPages,
    });
  }

  /**
   * A view (`Owner.field`, or `Query.field`): one record, a whole small list, or a connection page,
   * as the view's shape says. Its records are value objects (or, for a view of an entity's records,
   * those records as listed).
   */
  view(key: string, owner: RestRecord | null, args: ViewArgs): Promise<unknown> {
    const v = viewSpecs.get(key);
    if (!v) return Promise.reject(new Error(`Unknown view ${key}`));
    const views = (this.viewReader ??= new ViewReader(this.gateway, this.cache, this.cursors, this.limits));
    if (v.shape === 'object') return views.one(v, owner, args);
    if (v.shape === 'list') return views.all(v, owner, args);
    return views.page(v, owner, args);
  }

  /** Whether lookahead optimisations (skipped id-only reads, prefetches) apply. */
  get optimised(): boolean {
    return this.strategy.lookahead;
  }

  /**
   * A record AMPECO handed out (in a listing), read again by its id with more embedded: `with*`
   * flags only a read accepts. An id that cannot address a read is AMPECO's inconsistency, not the
   * client's input, so it is UPSTREAM_BAD_RESPONSE rather than BAD_USER_INPUT.
   */
  reread<T extends ResourceName>(type: T, record: { id: unknown }, options: ReadOptions = {}): Promise<RecordOf<T> | null> {
    const id = typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : '';
    if (pathValueProblem(idSchema(spec(type)), id)) {
      return Promise.reject(new UpstreamBadResponseError({ status: null, method: 'GET', path: spec(type).path }, `AMPECO listed a ${type} whose id cannot be read back`));
    }
    return typed(type, this.read(type, id, options));
  }

  /** One record by id; null when AMPECO has none. */
  get<T extends ResourceName>(type: T, id: string, options: ReadOptions = {}): RecordOf<T> | null | Promise<RecordOf<T> | null> {
    // A record the request already holds is answered as a value: a page of rows that each name one
    // (100 charge points and their models) then completes without a promise per row.
    const key = this.readKey(type, id, options);
    const held = key && this.cache.held(key);
    if (held) return typed(type, held);
    return typed(type, key ? this.cache.load(key) : this.read(type, id, options));
  }

  /** One page of a listing, as a connection. All of AMPECO's paginations sit behind it. */
  list<T extends ResourceName>(type: T, options: ListOptions): Promise<PageOf<T>> {
    return typed(type, this.page(type, options));
  }

  /** Every record of a small filtered listing (a charge point's EVSEs), all pages, up to the page cap. */
  listAll<T extends ResourceName>(type: T, filter: Record<string, unknown>, options: ReadOptions = {}): Promise<RecordOf<T>[]> {
    return typed(type, this.every(type, filter, options));
  }

  /**
   * A page of one parent's children through a filtered listing (a location's charge points).
   * When many parents ask in the same tick, one scan of the unfiltered listing may serve them all.
   */
  childPage<T extends ResourceName>(type: T, filterKey: string, parentId: string, options: Omit<ListOptions, 'parentId'>): Promise<PageOf<T>> {
    return typed(type, this.childrenPage(type, filterKey, parentId, options));
  }

  /** All children of one parent (a charge point's EVSEs); batched across parents like childPage. */
  allChildren<T extends ResourceName>(type: T, filterKey: string, parentId: string, options: ReadOptions = {}): Promise<RecordOf<T>[]> {
    return typed(type, this.children(type, filterKey, parentId, options));
  }

  /** Children embedded in a parent record through include[] (a location's charging zones). */
  embedded<P extends ResourceName, C extends ResourceName>(parentType: P, parent: RecordOf<P>, childType: C): Promise<RecordOf<C>[]> {
    return typed(childType, this.embeddedRows(parentType, parent, childType));
  }

  create<T extends ResourceName>(type: T, input: unknown, parentId?: string): Promise<RecordOf<T>> {
    return typed(type, this.createRecord(type, input, parentId));
  }

  update<T extends ResourceName>(type: T, id: string, input: unknown, parentId?: string): Promise<RecordOf<T>> {
    return typed(type, this.updateRecord(type, id, input, parentId));
  }

  /**
   * The id checked, and the key of its own by-id read; undefined for a sub-resource its parent embeds
   * (asked for without include[]), which is read through the parent instead.
   */
  private readKey(type: string, id: string, options: ReadOptions): ReadKey | undefined {
    const s = spec(type);
    checkId(s, id);
    const include = includesFor(s, options.include) ?? [];
    const parentLink = s.parents?.at(-1);
    if (parentLink && spec(parentLink.resource).embeds.has(type) && include.length === 0) return undefined;
    return { type, id: String(id), parentId: options.parentId, include };
  }

  private async read(type: string, id: string, options: ReadOptions = {}): Promise<RestRecord | null> {
    const key = this.readKey(type, id, options);
    if (key) return this.cache.read(key);
    // A sub-resource its parent embeds is read through the parent. Asked for here, in the caller's
    // tick, the parent's read joins that tick's batch: a query needing both an EVSE and one of its
    // connectors makes one call, with include[]=connectors.
    const s = spec(type);
    const parentLink = s.parents!.at(-1)!;
    const embed = spec(parentLink.resource).embeds.get(type)!;
    if (options.parentId === undefined) throw missingParentId(s);
    const parent = await this.read(parentLink.resource, options.parentId, { include: [embed.include] });
    if (!parent) return null;
    const children = await this.embeddedRows(parentLink.resource, parent, type);
    return children.find((c) => String(c.id) === String(id)) ?? null;
  }

  private async page(type: string, options: ListOptions): Promise<Page> {
    const s = spec(type);
    if (!s.operations.list) throw new Error(`${type} has no listing`);
    checkPageSize(options.first);
    const paging = pagingOf(s);
    const scope = listingScope(type, options.parentId, options.filter);
    const start = startPosition(this.cursors, options.after, scope, paging === 'cursor');
    const path = await this.gateway.collectionPath(s, options.parentId);
    const base = { filter: options.filter ?? undefined, ...embeddingQuery(listingIncludesFor(s, options.include) ?? []) };
    const source: PageSource = (request) => this.cache.listing(s, path, pageQuery(base, request), options.parentId);
    const walk = new PageWalk(`a page of ${type} records`, this.limits.settings.maxListPages);
    const window =
      start.kind === 'cursor'
        ? await cursorWindow(source, start, options.first, walk)
        : paging === 'whole'
          ? await unpagedWindow(source, start.offset, options.first, walk)
          : await numberedWindow(source, start.offset, options.first, walk);
    return toPage(this.cursors, scope, window);
  }

  private async every(type: string, filter: Record<string, unknown>, options: ReadOptions = {}): Promise<RestRecord[]> {
    const walk = new PageWalk(`every ${type} record matching ${JSON.stringify(filter)}`, this.limits.settings.maxListPages);
    return everyRow((after) => this.page(type, Object.assign({}, options, { filter, first: MAX_PAGE_SIZE, after })), walk);
  }

  private async childrenPage(type: string, filterKey: string, parentId: string, options: Omit<ListOptions, 'parentId'>): Promise<Page> {
    checkPageSize(options.first);
    const filter = Object.assign({}, options.filter, { [filterKey]: parentId });
    if (!options.after) {
      const rows = await this.scanner.children(type, filterKey, parentId, options);
      // Its cursors resume through the filtered listing.
      if (rows) return toPage(this.cursors, listingScope(type, undefined, filter), windowFromRows(rows, options.first, pagingOf(spec(type))));
    }
    return this.page(type, Object.assign({}, options, { filter }));
  }

  private async children(type: string, filterKey: string, parentId: string, options: ReadOptions = {}): Promise<RestRecord[]> {
    const rows = await this.scanner.children(type, filterKey, parentId, { include: options.include });
    return rows ?? this.every(type, { [filterKey]: parentId }, options);
  }

  private async embeddedRows(parentType: string, parent: RestRecord, childType: string): Promise<RestRecord[]> {
    const p = spec(parentType);
    const embed = p.embeds.get(childType);
    if (!embed) throw new Error(`${parentType} does not embed ${childType}`);
    let rows = parent[embed.field];
    if (!Array.isArray(rows)) {
      const full = await this.read(parentType, String(parent.id), { include: [embed.include], parentId: parentIdOf(p, parent) });
      rows = full?.[embed.field];
    }
    return Array.isArray(rows) ? this.cache.adopt(p, parent, childType, rows as RestRecord[]) : [];
  }

  private async createRecord(type: string, input: unknown, parentId?: string): Promise<RestRecord> {
    const s = spec(type);
    const op = s.contract.operations.create;
    if (!op) throw new Error(`${type} cannot be created`);
    const path = await this.gateway.collectionPath(s, parentId);
    const written = await this.gateway.write('POST', path, toRestBody(input, op.requestBody?.schema));
    return this.afterWrite(s, await stampParents(s, written, parentId, this.readParent), parentId);
  }

  private async updateRecord(type: string, id: string, input: unknown, parentId?: string): Promise<RestRecord> {
    const s = spec(type);
    const op = s.contract.operations.update;
    if (!op) throw new Error(`${type} cannot be updated`);
    const path = await this.gateway.itemPath(s, id, parentId);
    const written = await this.gateway.write(op.method, path, toRestBody(input, op.requestBody?.schema));
    return this.afterWrite(s, await stampParents(s, written, parentId, this.readParent), parentId);
  }

  async remove(type: ResourceName, id: string, parentId?: string): Promise<void> {
    const s = spec(type);
    if (!s.contract.operations.delete) throw new Error(`${type} cannot be deleted`);
    await this.gateway.delete(await this.gateway.itemPath(s, id, parentId));
    this.forgetAll();
  }

  /** Sends an action (OCPP command); returns how AMPECO took it and its answer body, if any. */
  async action(mutation: string, pathValues: Record<string, string>, input: unknown): Promise<{ outcome: ActionOutcome; body: Record<string, unknown> }> {
    const a = actionSpecs.get(mutation);
    if (!a) throw new Error(`Unknown action ${mutation}`);
    const path = actionPath(a, pathValues);
    const body = a.body ? toRestBody(input ?? {}, a.operation.requestBody?.schema) : undefined;
    const res = await this.gateway.send<Record<string, unknown>>(a.operation.method, path, { body });
    this.forgetAll();
    return { outcome: actionOutcome(a.operation, res.status), body: res.body && typeof res.body === 'object' ? res.body : {} };
  }

  /** Starts, now, a scan that children of many parents will want later (see Scanner.prefetchChildren). */
  prefetchScan(
    type: ResourceName,
    filterKey: string,
    options: { include?: string[]; filter?: Record<string, unknown> | null },
    expectedParents: number,
    levelsAbove: number,
  ): void {
    this.scanner.prefetchChildren(type, filterKey, options, expectedParents, levelsAbove);
  }

  /** Starts, now, a scan of a small collection many records will each name one record of (see Scanner.prefetchIds). */
  prefetchIdScan(type: ResourceName, options: { include?: string[] }, expectedIds: number, levelsAbove: number): void {
    this.scanner.prefetchIds(type, options.include, expectedIds, levelsAbove);
  }

  private afterWrite(s: ResourceSpec, record: RestRecord, parentId: string | undefined): RestRecord {
    this.forgetAll();
    this.cache.primeWritten(s, record, parentId);
    return record;
  }

  /**
   * After a write nothing this request cached is trusted: a write (or an OCPP command) can change
   * other records too (a parent's embedded children, an EVSE's status after a stop).
   */
  private forgetAll(): void {
    this.cache.forgetAll();
    this.scanner.forget();
    this.viewReader?.forget();
  }
}
