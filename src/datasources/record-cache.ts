/**
 * What one request has read, and the loaders that read it: a by-id DataLoader per type (a slow
 * batch of one type, a scan, never holds up another), a listing loader that makes identical
 * listing calls once, and the priming that lets every record a listing or an include[] returned
 * answer later by-id reads. A by-id read waits for listings of its type already under way, as
 * they may hold its record. Whether any of this shares or caches is the strategy's say.
 */
import DataLoader from 'dataloader';
import { UpstreamBadResponseError, type QueryParams } from './http/index.js';
import { embeddingOf, embeddingQuery } from './embedding.js';
import { hasId, nullIfNotFound, type RestGateway } from './gateway.js';
import { linkChild, parentIdOf, stampParents, type ParentReader } from './parent-links.js';
import type { ListingEnvelope, RestRecord } from './records.js';
import { spec, type ResourceSpec } from './registry.js';
import type { FetchStrategy } from './strategy.js';

/** A by-id read: the record, the parent it sits under (sub-resources) and the embedding it needs. */
export interface ReadKey {
  type: string;
  id: string;
  parentId: string | undefined;
  include: string[];
}

export interface RecordCacheSources {
  /** A sub-resource's grandparent ids come from its parent's record. */
  readParent: ParentReader;
  /** The records among `ids` a scan of their collection found, when a scan pays off (none otherwise). */
  scanForIds(type: string, ids: string[], embedding: string[]): Promise<Map<string, RestRecord>>;
}

const keyOf = (k: ReadKey): string => `${k.type}:${k.parentId ?? ''}/${k.id}|${includeKey(k.include)}`;
/** include[] in a canonical order; most reads have none or one, and sorting those would only allocate. */
const includeKey = (include: readonly string[]): string => (include.length < 2 ? (include[0] ?? '') : [...include].sort().join(','));

/** The listing dedupe key: the path and the query as built (key order included). */
const listingKeyOf = (path: string, query: QueryParams): string => `${path}?${JSON.stringify(query)}`;

/**
 * Dispatch a batch after the current I/O callbacks rather than at the end of this tick: sibling
 * listings answer in separate callbacks, and their children's loads should still share a batch.
 */
export const collectAcrossCallbacks = (dispatch: () => void): void => {
  setImmediate(dispatch);
};

export class RecordCache {
  private readonly records = new Map<string, DataLoader<ReadKey, RestRecord | null, string>>();
  /** Listing calls of this request by path and query: an identical one is made once (a batch has nothing to gain). */
  private readonly listings = new Map<string, Promise<ListingEnvelope>>();
  /**
   * Records this request already holds, by read key: read by id, written, or listed under a parent or
   * with embedded children. A by-id read finds them here before its loader is asked (no promise, no batch).
   */
  private readonly known = new Map<string, RestRecord>();
  /** Root records seen in listings this request, by type then id, with the include[]/flags they were listed with. */
  private readonly listed = new Map<string, Map<string, { record: RestRecord; embedding: Set<string> }>>();
  /**
   * Pages of root records that arrived but are not yet in `listed`: they are indexed when a by-id read
   * first looks, so a query that only lists (most do) pays nothing per row.
   */
  private arrived: { type: string; rows: RestRecord[]; embedding: Set<string> }[] = [];
  /** Listings under way, by type: a by-id read waits for them, as they may hold its record. */
  private readonly listingsInFlight = new Map<string, Set<Promise<unknown>>>();

  constructor(
    private readonly gateway: RestGateway,
    private readonly strategy: FetchStrategy,
    private readonly sources: RecordCacheSources,
  ) {}

  /** One record by id: one this request already holds, else through its type's loader; null when AMPECO has none. */
  read(key: ReadKey): Promise<RestRecord | null> {
    const held = this.held(key);
    return held ? Promise.resolve(held) : this.load(key);
  }

  /** One record by id through its type's loader (batched, deduped), for a key `held` did not answer. */
  load(key: ReadKey): Promise<RestRecord | null> {
    return this.recordLoader(key.type).load(key);
  }

  /** The record this request already holds for `key` (read, or listed with at least that embedding), if any. */
  held(key: ReadKey): RestRecord | undefined {
    if (!this.strategy.prime) return undefined;
    // Queries that only list hold nothing by read key: no key to build for each row's lookup.
    return (this.known.size ? this.known.get(keyOf(key)) : undefined) ?? this.fromListings(key);
  }

  /** One page of a listing whose rows are no entity's records (a view's): deduped, never primed. */
  rawListing(path: string, query: QueryParams): Promise<ListingEnvelope> {
    return this.listingCall(path, query);
  }

  /** One page of a listing of `s` under `parentId`; its rows are stamped with their parents and remembered. */
  async listing(s: ResourceSpec, path: string, query: QueryParams, parentId: string | undefined): Promise<ListingEnvelope> {
    const embedded = embeddingOf(query);
    let pending = this.listingCall(path, query);
    const root = !s.parents?.length;
    if (this.strategy.prime && root) {
      // Noted the moment the rows arrive, so by-id reads waiting on this listing find them.
      const embedding = new Set(embedded);
      const tracked = pending.then((env) => {
        this.arrived.push({ type: s.name, rows: env.data, embedding });
        return env;
      });
      const inFlight = this.listingsInFlight.get(s.name) ?? new Set();
      this.listingsInFlight.set(s.name, inFlight.add(tracked));
      const settle = (): void => void inFlight.delete(tracked);
      tracked.then(settle, settle);
      pending = tracked;
    }
    const result = await pending;
    // A row without an id could be neither keyed nor read back: the page is AMPECO's failure, not ours.
    if (!result.data.every((r) => typeof r === 'object' && r !== null && hasId(r))) {
      throw new UpstreamBadResponseError({ status: null, method: 'GET', path }, `a listing of ${s.name} records with a row without an id`);
    }
    // Root records with nothing embedded are handed out as AMPECO sent them (and found through `listed`).
    if (root && !s.embeds.size) return result;
    return Object.assign({}, result, { data: await Promise.all(result.data.map((r) => this.remember(s, r, parentId, embedded))) });
  }

  /** Stamps parent ids on a record read under a parent, and keeps it (and its embedded children) for later by-id reads. */
  async remember(s: ResourceSpec, record: RestRecord, parentId: string | undefined, include: string[]): Promise<RestRecord> {
    const stamped = await stampParents(s, record, parentId, this.sources.readParent);
    if (!this.strategy.prime) return stamped;
    const key: ReadKey = { type: s.name, id: String(stamped.id), parentId: parentIdOf(s, stamped), include: [] };
    this.known.set(keyOf(key), stamped);
    if (include.length) this.known.set(keyOf({ type: key.type, id: key.id, parentId: key.parentId, include }), stamped);
    for (const [childType, embed] of s.embeds) {
      const rows = stamped[embed.field];
      if (Array.isArray(rows)) stamped[embed.field] = this.adopt(s, stamped, childType, rows as RestRecord[]);
    }
    return stamped;
  }

  /** Children embedded in `parent`, with their parents' ids, primed as records of their own. */
  adopt(p: ResourceSpec, parent: RestRecord, childType: string, rows: RestRecord[]): RestRecord[] {
    const c = spec(childType);
    return rows.map((row) => {
      const child = linkChild(c, p, parent, row);
      if (this.strategy.prime) this.known.set(keyOf({ type: childType, id: String(child.id), parentId: parentIdOf(c, child), include: [] }), child);
      return child;
    });
  }

  /** The record a write answered with, as the one thing this request knows after it. */
  primeWritten(s: ResourceSpec, record: RestRecord, parentId: string | undefined): void {
    if (this.strategy.prime) this.known.set(keyOf({ type: s.name, id: String(record.id), parentId: parentIdOf(s, record) ?? parentId, include: [] }), record);
  }

  /** Drops every record and listing read so far (after a write, nothing cached is trusted). */
  forgetAll(): void {
    for (const loader of this.records.values()) loader.clearAll();
    this.listings.clear();
    this.known.clear();
    this.listed.clear();
    this.arrived = [];
  }

  /** One listing call, or the same call already made by this request (its answer or its failure). */
  private listingCall(path: string, query: QueryParams): Promise<ListingEnvelope> {
    if (!this.strategy.dedupe) return this.gateway.listing(path, query);
    const key = listingKeyOf(path, query);
    let call = this.listings.get(key);
    if (!call) this.listings.set(key, (call = this.gateway.listing(path, query)));
    return call;
  }

  private recordLoader(type: string): DataLoader<ReadKey, RestRecord | null, string> {
    let loader = this.records.get(type);
    if (!loader) {
      loader = new DataLoader((keys) => this.fetchRecords(keys), {
        cacheKeyFn: keyOf,
        cache: this.strategy.dedupe,
        batch: this.strategy.batch,
        batchScheduleFn: collectAcrossCallbacks,
      });
      this.records.set(type, loader);
    }
    return loader;
  }

  /** A root record a listing of this request already returned with (at least) this embedding. */
  private fromListings(key: ReadKey): RestRecord | undefined {
    if (key.parentId !== undefined) return undefined;
    if (this.arrived.length) {
      for (const { type, rows, embedding } of this.arrived) {
        let byId = this.listed.get(type);
        if (!byId) this.listed.set(type, (byId = new Map<string, { record: RestRecord; embedding: Set<string> }>()));
        for (const record of rows) byId.set(String(record.id), { record, embedding });
      }
      this.arrived = [];
    }
    const hit = this.listed.get(key.type)?.get(key.id);
    return hit && key.include.every((i) => hit.embedding.has(i)) ? hit.record : undefined;
  }

  /** The batch function of one type's by-id loader: listings under way, then a scan, then one read per record. */
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
    for (const [group, { key, include }] of pending) settle(group, this.fromListings({ type: key.type, id: key.id, parentId: key.parentId, include: [...include] }));
    // Many ids: a scan of the collection may hold them all; the rest are read one by one.
    const embedding = [...new Set([...pending.values()].flatMap((g) => [...g.include]))].sort();
    const found = await this.sources.scanForIds(type, [...pending.values()].map((g) => g.key.id), embedding).catch(() => new Map<string, RestRecord>());
    for (const [group, { key }] of pending) settle(group, found.get(key.id));
    await Promise.all(
      [...pending].map(async ([group, { key, include }]) => {
        try {
          results.set(group, await this.fetchRecord(type, key.id, key.parentId, [...include].sort()));
        } catch (error) {
          results.set(group, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    return keys.map((k) => results.get(groupOf(k)) ?? null);
  }

  private async fetchRecord(type: string, id: string, parentId: string | undefined, include: string[]): Promise<RestRecord | null> {
    const s = spec(type);
    return nullIfNotFound(async () => {
      const path = await this.gateway.itemPath(s, id, parentId);
      return this.remember(s, await this.gateway.item(path, embeddingQuery(include)), parentId, include);
    });
  }
}
