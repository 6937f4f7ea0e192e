/**
 * The little that is specific per resource: realistic values over the schema-fabricated records,
 * consistent relations (a session's connector belongs to its EVSE, which belongs to its charge
 * point), and lazily served properties whose content depends on the record. Resources without an
 * entry here are still served, with schema-valid fabricated records.
 */
import type { JsonSchema } from '../src/definitions/contract-model.js';
import { fabricate, type FabricateContext } from './fabricate.js';
import { CITIES, FIRST_NAMES, LAST_NAMES, SITE_KINDS, TAGS, VENDORS, ZONE_NAMES, type City } from './data.js';
import type { Rng } from './prng.js';
import type { KnownRecords, Row, SimulatorStore } from './store.js';
import type { SimRecord } from './types.js';

export interface SeedContext {
  rng: Rng;
  fab: FabricateContext;
  store: SimulatorStore;
  /** The seeded data's "now" (ms). */
  epochMs: number;
  /** 0-based position of this record among the records of its type being seeded. */
  index: number;
  count: number;
  /** Parent ids of a nested record, by path parameter. */
  parents: Record<string, number>;
  /** Scratch space shared by the records of one type during one seeding run. */
  memo: Map<string, unknown>;
  /** The contract's record schema of the type. */
  schema: JsonSchema;
}

export interface WriteContext {
  rng: Rng;
  store: SimulatorStore;
  now: Date;
  parents: Record<string, number>;
}

export interface LazyContext {
  rng: Rng;
  store: SimulatorStore;
  fab: FabricateContext;
  /** Coerced `with*` flags and other query flags of the request. */
  flags: Record<string, unknown>;
}

export interface ResourceHooks {
  /** Listing order by id; default ascending. */
  order?: 'asc' | 'desc';
  /** Records seeded when the `size` option does not say. */
  defaultCount?: number;
  /** Children per parent when the `size` option does not say (nested resources). */
  perParent?: [number, number];
  /** Resources to seed before this one besides parents and to-one targets. */
  seedAfter?: string[];
  /**
   * Probability of each optional property in seeded records; default 1, since AMPECO's resources
   * send every field (null when empty). Below 1 records vary in shape, which costs memory at 100k.
   */
  pOptional?: number;
  /** Optional fields left out of seeded records: references to records the simulator does not hold. */
  omit?: string[];
  /** Resources deleted with a record of this type although not nested under it (a charge point's EVSEs). */
  cascade?: string[];
  /** Filter keys whose field the naming conventions of model.ts cannot find: key -> field path. */
  filterAliases?: Record<string, string>;
  /**
   * Listing filters that find an association the record has no field for (Row.links): filter key ->
   * the type it names. Commands set them (attaching a charge point to a circuit); `seedLinks` seeds them.
   */
  links?: Record<string, string>;
  /** Seeds the associations of `links`, once every type is seeded (its own PRNG: other seeded values stay as they were). */
  seedLinks?(ctx: { rng: Rng; store: SimulatorStore }): void;
  /** Overlays realistic values on a fabricated record before it is stored. */
  seed?(rec: SimRecord, ctx: SeedContext): void;
  /** Server-side values of a record created through the API (before the body is applied). */
  create?(rec: SimRecord, ctx: WriteContext): void;
  /** Values of include-/flag-gated properties that depend on the record; others are fabricated. */
  lazy?: Record<string, (rec: SimRecord, ctx: LazyContext) => unknown>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const iso = (ms: number): string => new Date(ms).toISOString();

function memoOf<T>(ctx: SeedContext, key: string, make: () => T): T {
  let v = ctx.memo.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    ctx.memo.set(key, v);
  }
  return v;
}

/** createdAt in the last two years; lastUpdatedAt after it. */
function stamps(rec: SimRecord, ctx: SeedContext, minCreated?: number): number {
  const floor = Math.max(minCreated ?? 0, ctx.epochMs - 730 * DAY);
  const created = ctx.rng.int(floor, Math.max(floor, ctx.epochMs - 30 * DAY));
  if (ctx.schema.properties?.createdAt) rec.createdAt = iso(created);
  rec.lastUpdatedAt = iso(ctx.rng.int(created, ctx.epochMs));
  return created;
}

function translations(text: string, locale: string): { locale: string; translation: string }[] {
  return locale === 'en' ? [{ locale: 'en', translation: text }] : [{ locale: 'en', translation: text }, { locale, translation: text }];
}

const location: ResourceHooks = {
  defaultCount: 20,
  omit: ['shortDescription', 'additionalDescription'],
  seed(rec, ctx) {
    const { rng } = ctx;
    const city: City = CITIES[ctx.index % CITIES.length] as City;
    const street = rng.pick(city.streets);
    const number = rng.int(1, 240);
    const name = `${city.city} ${street} ${rng.pick(SITE_KINDS)}`;
    rec.name = translations(name, city.locale);
    rec.address = translations(`${street} ${number}`, city.locale);
    rec.streetAddress = translations(`${street} ${number}`, city.locale);
    if (rec.description) rec.description = translations(`Public charging at ${name}.`, 'en');
    rec.geoposition = { latitude: rng.float(city.lat - 0.05, city.lat + 0.05, 6), longitude: rng.float(city.lon - 0.05, city.lon + 0.05, 6) };
    rec.city = city.city;
    rec.region = city.region;
    rec.country = city.country;
    if (city.state) rec.state = city.state;
    else delete rec.state;
    rec.postCode = city.postCode;
    rec.timezone = city.timezone;
    rec.roamingOperatorId = rng.int(1, 3);
    rec.status = rng.chance(0.9) ? 'enabled' : 'disabled';
    rec.tags = rng.chance(0.6) ? [rng.pick(TAGS)] : [];
    rec.externalId = rng.chance(0.5) ? `LOC-${String(ctx.index + 1).padStart(4, '0')}` : null;
    rec.workingHours = rng.chance(0.7)
      ? { isAlwaysOpen: true, stopSessionOutsideWorkingHours: null, alwaysOpenForUserGroupIds: null, hours: null }
      : {
          isAlwaysOpen: false,
          stopSessionOutsideWorkingHours: false,
          alwaysOpenForUserGroupIds: [],
          hours: Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']
            .map((d, i) => [d, i < 5 ? [{ start: '07:00', end: '22:00' }] : [{ start: '09:00', end: '18:00' }]])),
        };
    stamps(rec, ctx);
  },
  create(rec) {
    rec.status = 'enabled';
  },
};

const chargingZone: ResourceHooks = {
  perParent: [1, 3],
  seed(rec, ctx) {
    const used = memoOf(ctx, 'names', () => new Map<number, Set<string>>());
    const locationId = ctx.parents.location ?? 0;
    let names = used.get(locationId);
    if (!names) used.set(locationId, (names = new Set()));
    let name = ctx.rng.pick(ZONE_NAMES);
    while (names.has(name) && names.size < ZONE_NAMES.length) name = ctx.rng.pick(ZONE_NAMES);
    names.add(name);
    rec.name = name;
    rec.status = ctx.rng.chance(0.9) ? 'enabled' : 'disabled';
  },
};

const chargePoint: ResourceHooks = {
  defaultCount: 100,
  cascade: ['Evse'],
  // A charge point's circuit is not on its record: AMPECO lists a circuit's charge points by `filter[circuitId]`.
  links: { circuitId: 'Circuit' },
  seedLinks({ rng, store }) {
    const circuits = store.tables.get('Circuit')?.rows ?? [];
    if (!circuits.length) return;
    for (const row of store.table('ChargePoint').rows) {
      if (rng.chance(0.5)) (row.links ??= {}).circuitId = { key: rng.pick(circuits).key, data: { priority: rng.int(1, 10), evses: {} } };
    }
  },
  omit: ['partner', 'ocppConnectedChargePointId', 'electricityCostReimbursementIntegrationId', 'installationAndMaintenanceCompanyId'],
  seed(rec, ctx) {
    const { rng, store } = ctx;
    const id = rec.id as number;
    const userIds = memoOf(ctx, 'users', () => store.list('User').map((u) => Number(u.id)));
    const type = rng.weighted([['public', 7], ['private', 2], ['personal', 1]] as const);
    rec.type = type;
    const loc = typeof rec.locationId === 'number' ? store.get('Location', rec.locationId) : undefined;
    rec.name = `${loc?.city ?? 'CP'} ${String(id).padStart(3, '0')}`;
    if (loc) {
      const zones = store.children('ChargingZone', { location: loc.id });
      rec.chargingZoneId = zones.length && rng.chance(0.7) ? rng.pick(zones).id : null;
    } else {
      rec.chargingZoneId = null;
    }
    rec.status = rng.weighted([['enabled', 90], ['disabled', 5], ['out of order', 4], ['demo', 1]] as const);
    rec.managedByOperator = type !== 'personal';
    rec.user = { id: type === 'personal' && userIds.length ? rng.pick(userIds) : null, automaticFirmwareUpdatesEnabled: true };
    rec.pin = String(rng.int(0, 9999)).padStart(4, '0');
    rec.network = {
      id: `AMP${String(id).padStart(6, '0')}`,
      protocol: rng.weighted([['ocpp 1.6', 8], ['ocpp 2.0.1', 2]] as const),
      password: `pw${rng.int(100000, 999999)}`,
      ip: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      port: 443,
    };
    rec.networkStatus = rec.status === 'out of order'
      ? 'long-term_unavailable'
      : rng.weighted([['available', 88], ['temporarily_unavailable', 8], ['never_connected', 4]] as const);
    rec.hardwareStatus = rec.status === 'out of order' ? 'faulted' : 'available';
    rec.communicationMode = 'direct_ocpp';
    rec.security = { desiredProfile: 1, currentProfile: 1, hardwareEnabledProfile: 2, desiredProfileStatus: 'applied' };
    rec.autoStartWithoutAuthorization = rng.chance(0.1);
    rec.disableAutoStartEmulation = false;
    rec.enableAutoFaultRecovery = true;
    rec.tags = rng.chance(0.5) ? [rng.pick(TAGS)] : [];
    rec.noticeId = null;
    rec.utilityId = null;
    rec.modelId = rng.int(1, 14);
    rec.roamingOperatorId = loc?.roamingOperatorId ?? 1;
    const created = stamps(rec, ctx);
    rec.firstContactAt = iso(created + rng.int(0, 7) * DAY).slice(0, 10);
    rec.integratedAt = iso(created);
    rec.manufacturedAt = iso(created - rng.int(30, 300) * DAY);
  },
  create(rec, ctx) {
    rec.networkStatus = 'never_connected';
    rec.hardwareStatus = 'available';
    rec.communicationMode = 'direct_ocpp';
    rec.security = { currentProfile: 0 };
    rec.user = { id: null, automaticFirmwareUpdatesEnabled: true };
    rec.network = { id: `AMP${String(ctx.store.table('ChargePoint').nextKey).padStart(6, '0')}`, protocol: 'ocpp 1.6' };
  },
  lazy: {
    lastBootNotification(rec, ctx) {
      if (rec.networkStatus === 'never_connected') return null;
      const v = ctx.rng.pick(VENDORS);
      return {
        model: ctx.rng.pick(v.models),
        vendor: v.vendor,
        chargeBoxSerialNumber: `CB${ctx.rng.int(100000, 999999)}`,
        chargePointSerialNumber: `SN${ctx.rng.int(100000, 999999)}`,
        firmwareVersion: `${ctx.rng.int(1, 5)}.${ctx.rng.int(0, 20)}.${ctx.rng.int(0, 9)}`,
        iccid: null,
        imsi: null,
        meterSerialNumber: null,
        meterType: null,
        lastUpdatedAt: rec.lastUpdatedAt,
      };
    },
  },
};

const MAX_VOLTAGE_AC = '400';

const evse: ResourceHooks = {
  defaultCount: 200,
  omit: ['tariffGroupId'],
  seed(rec, ctx) {
    const { rng, store } = ctx;
    const perCp = memoOf(ctx, 'perCp', () => new Map<number, number>());
    const cpId = rec.chargePointId as number;
    const n = (perCp.get(cpId) ?? 0) + 1;
    perCp.set(cpId, n);
    const cp = store.get('ChargePoint', cpId);
    const dc = memoOf(ctx, 'dc', () => new Map<number, boolean>());
    if (!dc.has(cpId)) dc.set(cpId, rng.chance(0.3));
    const isDc = dc.get(cpId) as boolean;
    rec.networkId = String(n);
    rec.physicalReference = String.fromCharCode(64 + Math.min(n, 26));
    rec.label = `${cp?.name ?? 'EVSE'} ${rec.physicalReference as string}`;
    rec.currentType = isDc ? 'dc' : 'ac';
    rec.status = cp?.status === 'out of order' ? 'out of order' : rng.weighted([['enabled', 94], ['disabled', 4], ['out of order', 2]] as const);
    rec.hardwareStatus = rec.status === 'enabled' ? 'available' : 'unavailable';
    rec.powerOptions = isDc
      ? { maxPower: rng.pick([50000, 100000, 150000]), maxVoltage: MAX_VOLTAGE_AC, maxAmperage: 200, phases: 'three_phase', phaseRotation: 'RST', connectedPhase: null }
      : { maxPower: rng.pick([7400, 11000, 22000]), maxVoltage: MAX_VOLTAGE_AC, maxAmperage: 32, phases: 'three_phase', phaseRotation: 'RST', connectedPhase: null };
    rec.roamingOperatorId = cp?.roamingOperatorId ?? 1;
    rec.roaming = {
      evseId: `DE*AMP*E${String(rec.id).padStart(6, '0')}`,
      tariffIds: [],
      capabilities: ['REMOTE_START_STOP_CAPABLE'],
      physicalReference: rec.physicalReference,
      status: rec.status === 'enabled' ? 'available' : 'inoperative',
    };
    const cpCreated = typeof cp?.createdAt === 'string' ? Date.parse(cp.createdAt) : undefined;
    stamps(rec, ctx, cpCreated);
  },
};

const connector: ResourceHooks = {
  defaultCount: 300,
  seed(rec, ctx) {
    const e = ctx.store.get('Evse', ctx.parents.evse ?? 0);
    if (e?.currentType === 'dc') {
      rec.type = ctx.rng.weighted([['ccs2', 7], ['chademo', 2], ['ccs1', 1]] as const);
      rec.format = 'cable';
    } else {
      rec.type = ctx.rng.weighted([['type2', 9], ['schuko', 1]] as const);
      rec.format = ctx.rng.chance(0.8) ? 'socket' : 'cable';
    }
    rec.status = ctx.rng.chance(0.95) ? 'enabled' : 'disabled';
  },
};

const user: ResourceHooks = {
  defaultCount: 500,
  omit: ['bankDetails'],
  seed(rec, ctx) {
    const { rng } = ctx;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const city = rng.pick(CITIES);
    const slug = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    rec.email = `${slug}${rec.id as string}@example.com`;
    rec.firstName = first;
    rec.middleName = null;
    rec.lastName = last;
    rec.phone = `+49151${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
    rec.country = city.country;
    rec.state = city.state ?? null;
    rec.city = city.city;
    rec.postCode = city.postCode;
    rec.address = `${rng.pick(city.streets)} ${rng.int(1, 200)}`;
    rec.locale = city.locale;
    rec.balance = rng.float(0, 150, 2);
    // Every fourth user owes a subscription amount (no draw of the PRNG: the other values stay as they were).
    if (ctx.schema.properties?.amountDue) rec.amountDue = ctx.index % 4 === 1 ? round(5 + ctx.index * 0.75) : 0;
    rec.status = rng.chance(0.96) ? 'enabled' : 'disabled';
    rec.userGroupIds = rng.chance(0.2) ? [rng.int(1, 5)] : [];
    rec.externalId = null;
    rec.subscriptionId = null;
    rec.password = null;
    rec.requirePasswordReset = false;
    rec.options = { sessionsAllowed: 'single_session' };
    rec.createdBy = rng.chance(0.8) ? 'user' : 'admin';
    const created = stamps(rec, ctx);
    rec.emailVerified = rng.chance(0.85) ? iso(created + rng.int(1, 48) * HOUR) : null;
  },
  create(rec) {
    rec.status = 'enabled';
    rec.createdBy = 'api';
    rec.password = null;
    rec.balance = 0;
  },
};

interface SessionMemo {
  evses: KnownRecords['Evse'][];
  activeEvses: KnownRecords['Evse'][];
  userIds: number[];
  finished: number;
}

const STOP_REASONS = [['standard_stop', 6], ['evdisconnected', 2], ['remote', 1], ['local', 1]] as const;
const PRICE_PER_KWH = 0.45;
const TAX_PERCENT = 20;

const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

/** AMPECO reports a session's energy in Wh; prices are per kWh. */
export const whFromKwh = (kwh: number): number => Math.round(kwh * 1000);

/** Money fields of a session with `energy` kWh. */
export function sessionCosts(energy: number): { amount: number; totalAmount: { withTax: number; withoutTax: number } } {
  const withTax = round(energy * PRICE_PER_KWH);
  return { amount: withTax, totalAmount: { withTax, withoutTax: round(withTax / (1 + TAX_PERCENT / 100)) } };
}

const session: ResourceHooks = {
  // Newest first, as AMPECO's session listing reads in practice and the definitions assume;
  // seeded ids grow with startedAt, so this is also by start time.
  order: 'desc',
  defaultCount: 5000,
  omit: ['bookingId', 'extendingSessionId', 'originalSessionId', 'extendedBySessionId', 'terminalId', 'receiptId', 'tariffSnapshotId', 'paymentMethodId', 'externalSessionId'],
  filterAliases: { endedAfter: 'stoppedAt', endedBefore: 'stoppedAt' },
  seed(rec, ctx) {
    const { rng, store } = ctx;
    const memo = memoOf<SessionMemo>(ctx, 'session', () => {
      const evses = store.list('Evse');
      const enabled = evses.filter((e) => e.status === 'enabled');
      for (let i = enabled.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [enabled[i], enabled[j]] = [enabled[j] as KnownRecords['Evse'], enabled[i] as KnownRecords['Evse']];
      }
      const activeCount = ctx.count >= 10 ? Math.min(Math.max(1, Math.round(ctx.count * 0.01)), Math.max(1, Math.floor(evses.length * 0.2)), enabled.length) : 0;
      return { evses, activeEvses: enabled.slice(0, activeCount), userIds: store.list('User').map((u) => Number(u.id)), finished: ctx.count - activeCount };
    });
    if (memo.evses.length === 0) return;
    const active = ctx.index >= memo.finished;
    const e = active ? (memo.activeEvses[ctx.index - memo.finished] as KnownRecords['Evse']) : rng.pick(memo.evses);
    const connectors = store.children('Connector', { evse: e.id });
    const isDc = e.currentType === 'dc';
    const maxKw = ((e.powerOptions as { maxPower?: number } | undefined)?.maxPower ?? 22000) / 1000;
    const powerKw = round(maxKw * rng.float(0.4, 0.95), 2);
    let startedAt: number;
    let durationMs: number;
    if (active) {
      durationMs = rng.int(5, 180) * MINUTE;
      startedAt = ctx.epochMs - durationMs;
    } else {
      // Spread over the year before the epoch, in id order, ending before any active session began.
      const span = 365 * DAY - 12 * HOUR;
      startedAt = ctx.epochMs - 365 * DAY + Math.floor(((ctx.index + rng.next()) / Math.max(1, memo.finished)) * span);
      durationMs = (isDc ? rng.int(15, 70) : rng.int(30, 600)) * MINUTE;
    }
    const kwh = round(powerKw * (durationMs / HOUR) * rng.float(0.6, 0.95), 3);
    const energy = whFromKwh(kwh);
    const userId = memo.userIds.length && rng.chance(0.85) ? rng.pick(memo.userIds) : null;
    const stopped = startedAt + durationMs;
    Object.assign(rec, {
      chargePointId: e.chargePointId,
      evseId: e.id,
      connectorId: connectors.length ? rng.pick(connectors).id : null,
      status: active ? 'active' : rng.chance(0.97) ? 'finished' : rng.pick(['failed', 'expired']),
      userId,
      startedAt: iso(startedAt),
      stoppedAt: active ? null : iso(stopped),
      energy,
      powerKw: active ? powerKw : 0,
      socPercent: rng.int(10, 95),
      ...sessionCosts(kwh),
      tax: { taxId: 1, taxPercentage: TAX_PERCENT },
      currency: 'EUR',
      paymentType: userId === null ? 'terminal' : rng.weighted([['balance', 5], ['tokenized', 4], ['subscription', 1]] as const),
      paymentStatus: active ? 'pending' : 'paid',
      billingStatus: active ? 'pending' : 'completed',
      authorizationId: 100_000 + ctx.index,
      idTag: userId === null ? `04${rng.int(0x10000000, 0x7fffffff).toString(16).toUpperCase()}` : `U${userId}`,
      evsePhysicalReference: e.physicalReference,
      energyConsumption: { total: energy, grid: energy, local: 0 },
      power: { latest: active ? powerKw : null, peak: round(powerKw * 1.08), average: powerKw },
      lastUpdatedAt: iso(active ? ctx.epochMs : stopped + rng.int(1, 30) * MINUTE),
      nonBillableEnergy: 0,
      electricityCost: round(kwh * 0.12),
      paymentStatusUpdatedAt: active ? null : iso(stopped + rng.int(1, 30) * MINUTE),
    });
    if (rec.estimatedSavings !== undefined) rec.estimatedSavings = round(kwh * 0.05);
    if (active) {
      delete rec.reason;
      e.hardwareStatus = 'charging';
    } else {
      rec.reason = rng.weighted(STOP_REASONS);
    }
    if (rec.roaming) rec.roaming = { cdrIds: [], sessionId: `S${rec.id as string}`, roamingOperatorCpoId: rng.int(1, 3), cpoLastUpdatedAt: rec.lastUpdatedAt };
  },
  lazy: {
    authorization(rec) {
      return {
        id: (rec.authorizationId as number | null) ?? 0,
        method: rec.userId === null ? 'rfid_tag' : 'user_device',
        source: 'local',
        createdAt: rec.startedAt,
        status: 'accepted',
        rejectionReason: null,
        userId: rec.userId ?? null,
        rfidTagUid: rec.userId === null ? (rec.idTag ?? null) : null,
        lastUpdatedAt: rec.startedAt,
      };
    },
    priceBreakdown(rec) {
      return [energyLine((rec.energy as number) / 1000)];
    },
    chargingPeriods(rec, ctx) {
      const start = Date.parse(rec.startedAt as string);
      const end = typeof rec.stoppedAt === 'string' ? Date.parse(rec.stoppedAt) : Date.parse((rec.lastUpdatedAt as string | undefined) ?? (rec.startedAt as string));
      const energy = (rec.energy as number) / 1000; // kWh
      const withBreakdown = ctx.flags.withChargingPeriodsPriceBreakdown === true;
      const idle = end - start > HOUR && rec.status !== 'active';
      const chargeEnd = idle ? end - Math.floor((end - start) * 0.15) : end;
      const periods: { from: number; to: number; energy: number; state: 'charging' | 'idle' }[] = [{ from: start, to: chargeEnd, energy, state: 'charging' }];
      if (idle) periods.push({ from: chargeEnd, to: end, energy: 0, state: 'idle' });
      return periods.map((p, i) => ({
        id: Number(rec.id) * 10 + i,
        energy: Math.round(p.energy * 1000),
        startedAt: iso(p.from),
        stoppedAt: i === periods.length - 1 && rec.status === 'active' ? null : iso(p.to),
        state: p.state,
        chargingState: p.state,
        amount: sessionCosts(p.energy).amount,
        ...(withBreakdown ? { priceBreakdown: [energyLine(p.energy)].map(({ totalPrice: _t, unitPrice: _u, ...line }) => line) } : {}),
      }));
    },
    clockAlignedEnergyConsumption(rec, ctx) {
      const minutes = typeof ctx.flags.clockAlignedInterval === 'number' ? ctx.flags.clockAlignedInterval : 15;
      const step = minutes * MINUTE;
      const start = Date.parse(rec.startedAt as string);
      const end = typeof rec.stoppedAt === 'string' ? Date.parse(rec.stoppedAt) : Date.parse((rec.lastUpdatedAt as string | undefined) ?? (rec.startedAt as string));
      const total = (rec.energy as number) / 1000; // kWh
      const out: unknown[] = [];
      const duration = Math.max(1, end - start);
      for (let slot = Math.floor(start / step) * step; slot < end && out.length < 200; slot += step) {
        const from = Math.max(slot, start);
        const to = Math.min(slot + step, end);
        const kwh = round((total * (to - from)) / duration, 3);
        const cost = sessionCosts(kwh).totalAmount;
        out.push({ start: iso(slot), end: iso(slot + step), energyConsumed: Math.round(kwh * 1000), energyConsumption: { total: kwh, local: 0, grid: kwh }, totalCost: cost });
      }
      return out;
    },
  },
};

function energyLine(kwh: number): Record<string, unknown> {
  const withTax = round(kwh * PRICE_PER_KWH);
  const unitWithout = round(PRICE_PER_KWH / (1 + TAX_PERCENT / 100), 4);
  return {
    type: 'energy',
    currency: 'EUR',
    unit: 'kwh',
    pricePerUnit: { withTax: PRICE_PER_KWH, withoutTax: unitWithout },
    quantity: kwh,
    price: { withTax, withoutTax: round(withTax / (1 + TAX_PERCENT / 100)) },
    taxPercentage: TAX_PERCENT,
    totalPrice: withTax,
    unitPrice: PRICE_PER_KWH,
  };
}

/** A user's vouchers (`filter[userId]`) are the ones the user redeemed. */
const voucher: ResourceHooks = {
  filterAliases: { userId: 'redeemedByUserId' },
};

const HOOKS: Record<string, ResourceHooks> = {
  Voucher: voucher,
  Location: location,
  ChargingZone: chargingZone,
  ChargePoint: chargePoint,
  Evse: evse,
  Connector: connector,
  User: user,
  Session: session,
};

export function hooksFor(name: string): ResourceHooks {
  return HOOKS[name] ?? {};
}

export interface ViewContext {
  rng: Rng;
  store: SimulatorStore;
  /** The seeded data's "now" (ms). */
  epochMs: number;
  /** 0-based position of the record in its list (0 for a view of one record). */
  index: number;
  count: number;
}

/** What is specific to a view (keyed by its operationId); views without an entry are served generically. */
export interface ViewHooks {
  /** Records per owner path of a list view, [min, max]; default [1, 5] unpaged, [2, 30] paged. */
  count?: [number, number];
  /** Filter keys whose field the naming conventions of model.ts cannot find: key -> field path. */
  filterAliases?: Record<string, string>;
  /** Filter keys accepted and ignored, with the reason (their meaning is not a comparison with one field). */
  ignoredFilters?: Record<string, string>;
  /** Overlays realistic values on a fabricated record. */
  seed?(rec: SimRecord, ctx: ViewContext): void;
  /**
   * Records computed from the store on every read instead of fabricated and kept (a list view that
   * shows associations commands change). `owner` is the owner record's row, when the view has one.
   */
  rows?(ctx: { store: SimulatorStore; owner: Row | undefined }): SimRecord[];
}

/** A circuit's charge point priorities are its charge points (Row.links.circuitId), with their EVSEs. */
const circuitChargePointPriorities: ViewHooks = {
  rows({ store, owner }) {
    if (!owner) return [];
    return store.table('ChargePoint').rows.flatMap((cp) => {
      const link = cp.links?.circuitId;
      if (!link || link.key !== owner.key) return [];
      const priority = typeof link.data.priority === 'number' ? link.data.priority : 0;
      const evsePriorities = (link.data.evses ?? {}) as Record<string, number>;
      const evses = (store.tables.get('Evse')?.lookup('chargePointId', String(cp.key)) ?? []).map((e) => ({ id: e.key, priority: evsePriorities[e.key] ?? priority }));
      return [{ id: cp.key, priority, evses }];
    });
  },
};

/** Status logs: `createdAfter`/`createdBefore` bound the entry's `timestamp`. */
const statusLog: ViewHooks = {
  filterAliases: { createdAfter: 'timestamp', createdBefore: 'timestamp' },
};

/** Time series: `startTime`/`endTime` select the slots overlapping a window, which no one-field comparison says. */
const timeSeries: ViewHooks = {
  ignoredFilters: { startTime: 'selects slots overlapping a window', endTime: 'selects slots overlapping a window' },
};

const VIEW_HOOKS: Record<string, ViewHooks> = {
  listChargePointHardwareStatusLogs: statusLog,
  listChargePointNetworkStatusLogs: statusLog,
  listEvseHardwareStatusLogs: statusLog,
  getHistoricalTimeSeries: timeSeries,
  getTimeSeriesForecast: timeSeries,
  circuitChargePointPrioritiesListing: circuitChargePointPriorities,
};

export function viewHooksFor(operationId: string): ViewHooks {
  return VIEW_HOOKS[operationId] ?? {};
}

/** Schema-valid content for a gated property without a hook. */
export function fabricateLazy(schema: Parameters<typeof fabricate>[0], ctx: LazyContext, name: string): unknown {
  return fabricate(schema, ctx.fab, name);
}
