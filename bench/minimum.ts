/**
 * The fewest upstream calls (and sequential waves) each corpus query can possibly need, computed from
 * the seeded data it touches. The cost model is AMPECO's:
 *   - a point read is one call per record (there is no multi-id read);
 *   - a listing is one call per page of up to 100, with the filters AMPECO offers;
 *   - whatever comes embedded through include[] (an EVSE's connectors, a location's charging zones)
 *     or is already on a record (ids of to-one relations) is free;
 *   - per resource type, the query pays the cheaper of what it needs one by one (point reads, or
 *     filtered listings where those are fewer) and one scan of the whole collection, which holds
 *     every record and every filtered subset of that type.
 * The two figures are separate lower bounds: `calls` may come from a scan read page after page
 * (cursor listings), while `waves` assumes every level's independent calls start together.
 */
import { filteredRecords } from '../simulator/handlers.js';
import type { KnownRecords, SimulatorStore } from '../simulator/store.js';
import { jsonText } from './stats.js';

export interface Minimum {
  calls: number;
  /** Fewest sequential waves: calls whose inputs are known start together. */
  waves: number;
  /** How the minimum is made up, for the report. */
  detail: string;
}

/** What a query needs of one resource type, fetched the cheapest way without a full scan. */
interface Need {
  type:
    | 'Location'
    | 'ChargePoint'
    | 'Evse'
    | 'Session'
    | 'User'
    | 'ChargePointModel'
    | 'ChargePointVendor'
    | 'Circuit'
    | 'ElectricityMeter'
    | 'Partner'
    | 'PartnerSettlementReport'
    | 'PartnerSettlementRecord';
  calls: number;
  what: string;
  /**
   * No scan of the whole type can replace these calls: the records are listed only under their
   * parent's path (a report's records), or what selects them is not on the record (a charge point's circuit).
   */
  noScan?: true;
}

const PAGE = 100;
const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));
const str = (v: unknown): string | undefined => (v === null || v === undefined || v === '' ? undefined : jsonText(v));

type Vars = Record<string, unknown>;
type ChargePoint = KnownRecords['ChargePoint'];

/** Read-only views of the store with the indexes the minimum functions need. */
class World {
  readonly locations: KnownRecords['Location'][];
  readonly chargePoints: ChargePoint[];
  readonly evses: KnownRecords['Evse'][];
  readonly sessions: KnownRecords['Session'][];
  readonly users: KnownRecords['User'][];
  readonly cpById: Map<string, ChargePoint>;
  #groups = new Map<string, Map<string, unknown[]>>();

  constructor(readonly store: SimulatorStore) {
    this.locations = store.list('Location');
    this.chargePoints = store.list('ChargePoint');
    this.evses = store.list('Evse');
    this.sessions = store.list('Session');
    this.users = store.list('User');
    this.cpById = new Map(this.chargePoints.map((c) => [String(c.id), c]));
  }

  /** Records of a listing filtered by `field` = value, in listing order (memoised per field). */
  where<T extends Record<string, unknown>>(name: string, rows: T[], field: (r: T) => unknown, value: unknown): T[] {
    let g = this.#groups.get(name) as Map<string, T[]> | undefined;
    if (!g) {
      g = new Map<string, T[]>();
      for (const r of rows) {
        const k = str(field(r));
        if (k === undefined) continue;
        let bucket = g.get(k);
        if (!bucket) g.set(k, (bucket = []));
        bucket.push(r);
      }
      this.#groups.set(name, g);
    }
    return g.get(String(value)) ?? [];
  }

  /**
   * Rows of `type` a listing filtered by `filter[key]=value` answers, in listing order, as the simulator
   * answers it (simulator/handlers.ts `filteredRecords`: on a record field, on an association kept beside
   * the record, or not at all for a filter it accepts without a field to compare).
   */
  listed(type: string, key: string, value: unknown): Record<string, unknown>[] {
    // A key the simulator does not know it ignores, answering every row: here that is a mistake in the minimum.
    if (!this.store.model.resources.get(type)?.filters.some((f) => f.filter.key === key)) throw new Error(`the simulator has no filter[${key}] on ${type}`);
    return filteredRecords(this.store, type, { [key]: String(value) });
  }

  cpsAt = (locationId: unknown) => this.where('cp.locationId', this.chargePoints, (c) => c.locationId, locationId);
  cpsOwnedBy = (userId: unknown) => this.where('cp.userId', this.chargePoints, (c) => (c.user as { id?: unknown } | null)?.id, userId);
  evsesOf = (cpId: unknown) => this.where('evse.chargePointId', this.evses, (e) => e.chargePointId, cpId);
  sessionsOfCp = (cpId: unknown) => this.where('session.chargePointId', this.sessions, (s) => s.chargePointId, cpId);
  sessionsOfUser = (userId: unknown) => this.where('session.userId', this.sessions, (s) => s.userId, userId);

  distinct(ids: Iterable<unknown>): Set<string> {
    const out = new Set<string>();
    for (const id of ids) {
      const s = str(id);
      if (s !== undefined) out.add(s);
    }
    return out;
  }

  /** EVSEs (connectors included) of some charge points: one listing per charge point. */
  evseListings(cpIds: Iterable<unknown>): number {
    let n = 0;
    for (const id of cpIds) n += pages(this.evsesOf(id).length);
    return n;
  }

  locationsOf(cpIds: Iterable<unknown>): Set<string> {
    return this.distinct([...cpIds].map((id) => this.cpById.get(String(id))?.locationId));
  }
}

/** Per type: the needs one by one, or one scan of the collection when that is fewer calls. */
function combine(w: World, needs: Need[], waves: number): Minimum {
  const byType = new Map<string, Need[]>();
  for (const n of needs) byType.set(n.type, [...(byType.get(n.type) ?? []), n]);
  let calls = 0;
  const parts: string[] = [];
  for (const [type, list] of byType) {
    const oneByOne = list.reduce((sum, n) => sum + n.calls, 0);
    const whats = list.map((n) => n.what).join(' + ');
    const size = w.store.count(type);
    const scan = list.some((n) => n.noScan) ? Infinity : pages(size);
    if (scan < oneByOne) {
      calls += scan;
      parts.push(`${type}: a ${scan}-page scan of all ${size} (instead of ${whats} = ${oneByOne})`);
    } else {
      calls += oneByOne;
      parts.push(`${type}: ${whats}`);
    }
  }
  return { calls, waves, detail: parts.join('; ') };
}

type MinimumFn = (w: World, vars: Vars) => Minimum;

const MINIMA: Record<string, MinimumFn> = {
  'operator-dashboard'(w) {
    const locations = w.locations.slice(0, 5);
    const cps = locations.flatMap((l) => w.cpsAt(l.id).slice(0, 10));
    return combine(
      w,
      [
        { type: 'Location', calls: 1, what: '1 page' },
        { type: 'ChargePoint', calls: locations.length, what: `${locations.length} listings by locationId` },
        { type: 'Evse', calls: w.evseListings(cps.map((c) => c.id)), what: `${cps.length} listings by chargePointId, connectors included` },
      ],
      3,
    );
  },

  'charge-point-detail'(w, vars) {
    const cp = w.cpById.get(String(vars.id));
    if (!cp) return { calls: 1, waves: 1, detail: 'charge point not found: 1 read' };
    const users = w.distinct(w.sessionsOfCp(cp.id).slice(0, 10).map((s) => s.userId));
    const needs: Need[] = [
      { type: 'ChargePoint', calls: 1, what: '1 read' },
      { type: 'Evse', calls: w.evseListings([cp.id]), what: '1 listing by chargePointId, connectors included (covers the sessions\' EVSEs and connectors)' },
      { type: 'Session', calls: 1, what: '1 page by chargePointId' },
      { type: 'User', calls: users.size, what: `${users.size} reads` },
    ];
    if (cp.locationId) needs.push({ type: 'Location', calls: 1, what: '1 read, charging zones included' });
    // The EVSE and session listings need only the given id: they start with the charge point read.
    return combine(w, needs, users.size || cp.locationId ? 2 : 1);
  },

  'session-history'(w) {
    const sessions = w.sessions.slice(0, 100);
    const cps = w.distinct(sessions.map((s) => s.chargePointId));
    const evses = w.distinct(sessions.map((s) => s.evseId));
    const users = w.distinct(sessions.map((s) => s.userId));
    const listings = w.evseListings(cps);
    return combine(
      w,
      [
        { type: 'Session', calls: 1, what: '1 page' },
        { type: 'ChargePoint', calls: cps.size, what: `${cps.size} reads` },
        listings < evses.size
          ? { type: 'Evse', calls: listings, what: `${listings} listings by chargePointId with connectors (fewer than ${evses.size} reads)` }
          : { type: 'Evse', calls: evses.size, what: `${evses.size} reads with connectors` },
        { type: 'User', calls: users.size, what: `${users.size} reads` },
      ],
      2,
    );
  },

  'user-page'(w, vars) {
    const user = w.users.find((u) => String(u.id) === String(vars.id));
    if (!user) return { calls: 1, waves: 1, detail: 'user not found: 1 read' };
    const sessions = w.sessionsOfUser(user.id).slice(0, 20);
    const owned = new Set(w.cpsOwnedBy(user.id).slice(0, 10).map((c) => String(c.id)));
    const cpIds = [...w.distinct(sessions.map((s) => s.chargePointId))].filter((id) => !owned.has(id));
    const locations = w.locationsOf(sessions.map((s) => s.chargePointId));
    return combine(
      w,
      [
        { type: 'User', calls: 1, what: '1 read' },
        { type: 'Session', calls: 1, what: '1 page by userId' },
        { type: 'ChargePoint', calls: 1 + cpIds.length, what: `1 page by userId (owned) + ${cpIds.length} reads` },
        { type: 'Location', calls: locations.size, what: `${locations.size} reads` },
      ],
      1 + (cpIds.length ? 1 : 0) + (locations.size ? 1 : 0),
    );
  },

  'location-page'(w, vars) {
    const cps = w.cpsAt(vars.id).slice(0, 50);
    return combine(
      w,
      [
        { type: 'Location', calls: 1, what: "1 read, charging zones included (they cover each charge point's zone)" },
        { type: 'ChargePoint', calls: 1, what: '1 page by locationId' },
        { type: 'Evse', calls: w.evseListings(cps.map((c) => c.id)), what: `${cps.length} listings by chargePointId` },
      ],
      cps.length ? 2 : 1,
    );
  },

  'charge-point-many-paths'(w, vars) {
    const cp = w.cpById.get(String(vars.id));
    if (!cp) return { calls: 1, waves: 1, detail: 'charge point not found: 1 read' };
    const needs: Need[] = [
      { type: 'ChargePoint', calls: cp.locationId ? 2 : 1, what: cp.locationId ? '1 read + 1 page by locationId' : '1 read' },
      { type: 'Evse', calls: w.evseListings([cp.id]), what: '1 listing by chargePointId, connectors included' },
      { type: 'Session', calls: 1, what: '1 page by chargePointId' },
    ];
    if (cp.locationId) needs.push({ type: 'Location', calls: 1, what: '1 read' });
    return combine(w, needs, cp.locationId ? 2 : 1);
  },

  'federated-charge-points'(w, vars) {
    const reps = (vars.representations as { id: string }[] | undefined) ?? [];
    const ids = w.distinct(reps.map((r) => r.id));
    return combine(w, [{ type: 'ChargePoint', calls: ids.size, what: `${ids.size} reads` }], 1);
  },

  'evse-status-board'(w) {
    const cps = w.distinct(w.evses.slice(0, 100).map((e) => e.chargePointId));
    const locations = w.locationsOf(cps);
    return combine(
      w,
      [
        { type: 'Evse', calls: 1, what: '1 page, connectors included' },
        { type: 'ChargePoint', calls: cps.size, what: `${cps.size} reads` },
        { type: 'Location', calls: locations.size, what: `${locations.size} reads` },
      ],
      3,
    );
  },

  'active-sessions-monitor'(w) {
    const sessions = w.sessions.filter((s) => s.status === 'active').slice(0, 50);
    const users = w.distinct(sessions.map((s) => s.userId));
    const cps = w.distinct(sessions.map((s) => s.chargePointId));
    const locations = w.locationsOf(cps);
    return combine(
      w,
      [
        { type: 'Session', calls: 1, what: '1 page, status filter' },
        { type: 'User', calls: users.size, what: `${users.size} reads` },
        { type: 'ChargePoint', calls: cps.size, what: `${cps.size} reads` },
        { type: 'Location', calls: locations.size, what: `${locations.size} reads` },
      ],
      sessions.length ? 3 : 1,
    );
  },

  'users-recent-sessions'(w) {
    const users = w.users.slice(0, 30);
    const cps = w.distinct(users.flatMap((u) => w.sessionsOfUser(u.id).slice(0, 3)).map((s) => s.chargePointId));
    return combine(
      w,
      [
        { type: 'User', calls: 1, what: '1 page' },
        { type: 'Session', calls: users.length, what: `${users.length} listings by userId` },
        { type: 'ChargePoint', calls: cps.size, what: `${cps.size} reads` },
      ],
      3,
    );
  },

  'hardware-inventory'(w) {
    const cps = w.chargePoints.slice(0, 100);
    const models = w.distinct(cps.map((c) => c.modelId));
    const vendors = w.distinct([...models].map((id) => w.store.get('ChargePointModel', Number(id))?.vendorId));
    return combine(
      w,
      [
        { type: 'ChargePoint', calls: 1, what: '1 page' },
        { type: 'ChargePointModel', calls: models.size, what: `${models.size} reads` },
        { type: 'ChargePointVendor', calls: vendors.size, what: `${vendors.size} reads` },
      ],
      // Scans of the model and vendor catalogues need no ids: all three calls can start together.
      1,
    );
  },
  'circuit-load'(w) {
    const circuits = w.store.list('Circuit').slice(0, 5);
    const meters = w.distinct(circuits.map((c) => c.electricityMeterId));
    const cps = circuits.flatMap((c) => w.listed('ChargePoint', 'circuitId', c.id).slice(0, 10));
    const sessions = cps.flatMap((c) => w.sessionsOfCp(c.id).slice(0, 5));
    const users = w.distinct(sessions.map((s) => s.userId));
    return combine(
      w,
      [
        { type: 'Circuit', calls: 1, what: '1 page' },
        { type: 'ElectricityMeter', calls: meters.size, what: `${meters.size} reads` },
        // A charge point's record does not name its circuit: only the filtered listings tell.
        { type: 'ChargePoint', calls: circuits.length, what: `${circuits.length} listings by circuitId`, noScan: true },
        { type: 'Session', calls: cps.length, what: `${cps.length} listings by chargePointId` },
        { type: 'User', calls: users.size, what: `${users.size} reads` },
      ],
      // The circuits, then their charge points (and meters), then those charge points' sessions, then the drivers.
      1 + (circuits.length ? 1 : 0) + (cps.length ? 1 : 0) + (users.size ? 1 : 0),
    );
  },

  'partner-settlement'(w, vars) {
    if (!w.store.get('Partner', String(vars.id))) return { calls: 1, waves: 1, detail: 'partner not found: 1 read' };
    const reports = w.listed('PartnerSettlementReport', 'partnerId', vars.id).slice(0, 3);
    const cps = w.listed('ChargePoint', 'partnerId', vars.id).slice(0, 10);
    const locations = w.distinct(cps.map((c) => c.locationId));
    return combine(
      w,
      [
        { type: 'Partner', calls: 1, what: '1 read' },
        { type: 'PartnerSettlementReport', calls: 1, what: '1 page by partnerId' },
        { type: 'PartnerSettlementRecord', calls: reports.length, what: `${reports.length} listings under their report`, noScan: true },
        { type: 'ChargePoint', calls: 1, what: '1 page by partnerId' },
        { type: 'Location', calls: locations.size, what: `${locations.size} reads` },
        { type: 'User', calls: 1, what: '1 page by partnerId' },
      ],
      // Every listing filtered by the given id starts with the partner's read; records and locations follow.
      reports.length || locations.size ? 2 : 1,
    );
  },

  'charge-point-table'(w) {
    return combine(w, [{ type: 'ChargePoint', calls: 1, what: '1 page (the link columns are ids already on each record)' }], 1);
  },
};

export function minimumFor(store: SimulatorStore): (query: string, vars: Vars) => Minimum | undefined {
  const world = new World(store);
  return (query, vars) => MINIMA[query]?.(world, vars);
}
