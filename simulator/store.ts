/**
 * The tenant's data: one table per resource, rows kept in ascending id order so that cursor
 * pages are a binary search away even at 100k sessions. Nested records (connectors) keep their
 * parents' ids here because the contract's record has no field for them.
 */
import type { FilterPlan, Model, ResourceModel } from './model.js';
import type { SimRecord } from './types.js';

export interface Row {
  /** Numeric value of the id (sessions and users have string ids). */
  key: number;
  data: SimRecord;
  /** Parent ids by path parameter name, e.g. { chargePoint: 3, evse: 7 }. */
  parents: Readonly<Record<string, number>>;
  /**
   * Associations the record's schema has no field for, by the listing filter that finds them (a
   * charge point's `circuitId`, set by attaching it to a circuit): the target's id and what the
   * association carries (a priority). See ResourceHooks.links.
   */
  links?: Record<string, Link>;
}

export interface Link {
  key: number;
  data: SimRecord;
}

const NO_PARENTS: Readonly<Record<string, number>> = Object.freeze({});

/** The fields tests reach for most; every record carries the full contract shape. */
export interface KnownRecords {
  Location: SimRecord & { id: number; city: string | null; country: string; lastUpdatedAt: string };
  ChargingZone: SimRecord & { id: number; locationId: number; name: string; status: string };
  ChargePoint: SimRecord & { id: number; name: string; locationId?: number; chargingZoneId?: number | null; status: string; lastUpdatedAt: string };
  Evse: SimRecord & { id: number; chargePointId: number; networkId: string; status: string; hardwareStatus: string | null; lastUpdatedAt: string };
  Connector: SimRecord & { id: number; type: string; format?: string; status?: string };
  Session: SimRecord & {
    id: string; chargePointId: number; evseId: number; connectorId?: number | null; userId: number | null;
    status: string; startedAt: string; stoppedAt?: string | null; energy: number; authorizationId: number | null; lastUpdatedAt?: string;
  };
  User: SimRecord & { id: string; email?: string; firstName?: string | null; lastName?: string | null; lastUpdatedAt?: string };
}

export class Table {
  /** Ascending by key. */
  readonly rows: Row[] = [];
  readonly byKey = new Map<number, Row>();
  nextKey = 1;
  /** Bumped on every write; lazily built indexes compare against it. */
  version = 0;
  private indexes = new Map<string, { version: number; map: Map<string, Row[]> }>();

  constructor(readonly model: ResourceModel) {}

  insert(data: SimRecord, parents: Record<string, number> | undefined, key?: number): Row {
    const k = key ?? this.nextKey;
    const row: Row = { key: k, data, parents: parents && Object.keys(parents).length ? parents : NO_PARENTS };
    const last = this.rows[this.rows.length - 1];
    if (!last || last.key < k) this.rows.push(row);
    else this.rows.splice(lowerBound(this.rows, k), 0, row);
    this.byKey.set(k, row);
    this.nextKey = Math.max(this.nextKey, k + 1);
    this.version++;
    return row;
  }

  remove(key: number): Row | undefined {
    const row = this.byKey.get(key);
    if (!row) return undefined;
    this.byKey.delete(key);
    this.rows.splice(lowerBound(this.rows, key), 1);
    this.version++;
    return row;
  }

  touch(): void {
    this.version++;
  }

  /** Rows whose value at `path` (or parent id when `path` is `@param`) stringifies to `value`, in ascending order. */
  lookup(path: string, value: string): Row[] {
    let index = this.indexes.get(path);
    if (!index || index.version !== this.version) {
      const map = new Map<string, Row[]>();
      const get = accessor(path);
      for (const row of this.rows) {
        const v = get(row);
        if (!isScalar(v)) continue;
        const k = String(v);
        let bucket = map.get(k);
        if (!bucket) map.set(k, (bucket = []));
        bucket.push(row);
      }
      index = { version: this.version, map };
      this.indexes.set(path, index);
    }
    return index.map.get(value) ?? [];
  }
}

/** `@param` reads a parent id; `a.b` reads a nested field. */
export function accessor(path: string): (row: Row) => unknown {
  if (path.startsWith('@')) {
    const param = path.slice(1);
    return (row) => row.parents[param];
  }
  const parts = path.split('.');
  if (parts.length === 1) return (row) => row.data[path];
  return (row) => valueAt(row.data, parts);
}

/** A JSON scalar: what ids, keys and filter values are (objects and lists have no text to compare). */
export const isScalar = (v: unknown): v is string | number | boolean | null => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export function valueAt(data: unknown, path: readonly string[]): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function lowerBound(rows: readonly Row[], key: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as Row).key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What a view answers for one owner path: its one record (null once deleted), or its records as rows (keys ascending). */
export type ViewEntry = { record: SimRecord | null } | { rows: Row[] };

export class SimulatorStore {
  /** @internal */
  readonly tables = new Map<string, Table>();
  /** @internal Views' records by operationId and owner path, made on first request (simulator/views.ts). */
  readonly viewEntries = new Map<string, ViewEntry>();

  /** @internal */
  constructor(readonly model: Model) {
    for (const m of model.resources.values()) this.tables.set(m.name, new Table(m));
  }

  /** @internal */
  table(type: string): Table {
    const t = this.tables.get(type);
    if (!t) throw new Error(`Unknown resource type ${type}`);
    return t;
  }

  types(): string[] {
    return [...this.tables.keys()];
  }

  count(type: string): number {
    return this.table(type).rows.length;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.tables].map(([name, t]) => [name, t.rows.length]));
  }

  /**
   * Every record of a type in the order its listing returns them (ascending id; sessions newest
   * first). These are the stored objects: read them, don't mutate them.
   */
  list<T extends keyof KnownRecords>(type: T): KnownRecords[T][];
  list(type: string): SimRecord[];
  list(type: string): SimRecord[] {
    const t = this.table(type);
    const out = t.rows.map((r) => r.data);
    return t.model.order === 'desc' ? out.reverse() : out;
  }

  get<T extends keyof KnownRecords>(type: T, id: string | number): KnownRecords[T] | undefined;
  get(type: string, id: string | number): SimRecord | undefined;
  get(type: string, id: string | number): SimRecord | undefined {
    return this.row(type, id)?.data;
  }

  /** Parent ids of a nested record, e.g. a connector's { chargePoint, evse }. */
  parentsOf(type: string, id: string | number): Record<string, number> | undefined {
    const row = this.row(type, id);
    return row ? { ...row.parents } : undefined;
  }

  /** Records of a nested type under the given parents, e.g. children('Connector', { evse: 7 }). */
  children<T extends keyof KnownRecords>(type: T, parents: Record<string, number | string>): KnownRecords[T][];
  children(type: string, parents: Record<string, number | string>): SimRecord[];
  children(type: string, parents: Record<string, number | string>): SimRecord[] {
    const entries = Object.entries(parents);
    const t = this.table(type);
    const [first, ...rest] = entries;
    const rows = first ? t.lookup(`@${first[0]}`, String(first[1])) : t.rows;
    const out = rows.filter((r) => rest.every(([p, v]) => String(r.parents[p]) === String(v))).map((r) => r.data);
    return t.model.order === 'desc' ? out.reverse() : out;
  }

  /** Records of `type` associated by `link` (a filter key of ResourceHooks.links) with the record `target` names, in listing order. */
  linked(type: string, link: string, target: string | number): SimRecord[] {
    const t = this.table(type);
    const out = t.rows.filter((r) => r.links?.[link] !== undefined && String(r.links[link].key) === String(target)).map((r) => r.data);
    return t.model.order === 'desc' ? out.reverse() : out;
  }

  /** Listing filters accepted but not applied, by resource and by view's operationId (no field to compare them with). */
  ignoredFilters(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const walk = (name: string, plans: FilterPlan[]): void => {
      for (const p of plans) {
        if (p.kind === 'ignored') (out[name] ??= []).push(p.filter.param);
        else if (p.kind === 'object') walk(name, p.children);
      }
    };
    for (const m of this.model.resources.values()) walk(m.name, m.filters);
    for (const v of this.model.views) walk(v.def.operationId, v.filters);
    return out;
  }

  /** @internal */
  row(type: string, id: string | number): Row | undefined {
    const key = typeof id === 'number' ? id : /^\d+$/.test(id) ? Number(id) : NaN;
    return Number.isSafeInteger(key) ? this.table(type).byKey.get(key) : undefined;
  }
}
