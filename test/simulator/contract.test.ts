import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractOperation, ContractResource, JsonSchema } from '../../src/definitions/contract-model.js';
import { contract } from '../../simulator/contract.js';
import { resources, views } from '../../src/definitions/graph.js';
import type { ResourceDefinition, ViewDefinition } from '../../src/definitions/model.js';
import { createStore, validate, type Simulator } from '../../simulator/index.js';
import { loadOpenApi, OPENAPI_MISSING, type OpenApiContract } from '../support/openapi.js';
import { api, SMALL, start, type ApiResponse } from './helpers.js';

/** AMPECO's full contract, validated with Ajv; absent on a machine without it (those tests are skipped). */
const openApi = loadOpenApi();
if (!openApi) console.warn(OPENAPI_MISSING);

type OaSchema = { [keyword: string]: unknown };

/** The schema of an operation's success answer in AMPECO's document. */
function successSchema(oa: OpenApiContract, operationId: string): OaSchema | undefined {
  const op = oa.operation(operationId);
  const status = [...op.responses.keys()].find((s) => s >= 200 && s < 300);
  return status === undefined ? undefined : op.responses.get(status);
}

/** The operation answers with the record itself, not wrapped in `data` (a currency's read, the tenant's contact details). */
function answersBare(oa: OpenApiContract, operationId: string): boolean {
  const schema = successSchema(oa, operationId);
  return schema !== undefined && !(schema.properties as Record<string, unknown> | undefined)?.data;
}

/** The record schema of an answer (its `data`, a listing's item, or the bare body) is a `oneOf`/`anyOf` of variants. */
function recordHasVariants(oa: OpenApiContract, operationId: string): boolean {
  const body = successSchema(oa, operationId);
  let record = (body?.properties as Record<string, OaSchema> | undefined)?.data ?? body;
  if (record?.type === 'array') record = record.items as OaSchema | undefined;
  return Boolean(record?.oneOf ?? record?.anyOf);
}

/** Every operation the simulator answers a record or a listing for. */
const servedOperations: ContractOperation[] = [
  ...Object.values(contract.resources).flatMap((r) => Object.values(r.operations)),
  ...Object.values(contract.views).flatMap((r) => Object.values(r.operations)),
].filter((op): op is ContractOperation => Boolean(op));

const shipped = JSON.stringify(contract);

/** A difference Ajv finds between an answer and AMPECO's contract that the simulator cannot close, with why. */
interface Gap {
  reason: string;
  /** Whether the gap is still there: several close when `npm run generate` ships what the simulator needs. */
  open: boolean;
  /** The issues it explains; every issue of `operations` when absent. */
  issue?: RegExp;
  operations?: ReadonlySet<string>;
}

const KNOWN_GAPS: Gap[] = [
  {
    reason: "getPaymentTerminal's variants (one per terminal type) share an open base and differ only in optional fields: every record matches several, so `oneOf` fails for AMPECO's own answers too",
    open: true,
    operations: new Set(['getPaymentTerminal']),
  },
  {
    reason: 'invoiceDetailsRead: the SoftOne and Ecpay invoice-manager variants require nothing and leave other fields open, so every record matches both and `oneOf` fails',
    open: true,
    operations: new Set(['invoiceDetailsRead']),
  },
  // Open until the reduced contract (src/__generated__/graph.json) carries what these need; each closes by itself then.
  { reason: 'the shipped contract drops `multipleOf`: fabricated numbers have two decimals', open: !shipped.includes('"multipleOf":'), issue: / must be multiple of / },
  { reason: 'the shipped contract drops `pattern`: times and country codes are fabricated as words', open: !shipped.includes('"pattern":'), issue: / must match pattern "/ },
  { reason: 'the shipped contract drops `writeOnly`: request-only properties are served', open: !shipped.includes('"writeOnly":'), issue: / boolean schema is false$/ },
  {
    reason: 'the shipped operations do not say which answers are bare (no `data` wrapper): the simulator wraps them',
    open: !shipped.includes('"bare":'),
    operations: new Set(openApi ? servedOperations.filter((op) => answersBare(openApi, op.operationId)).map((op) => op.operationId) : []),
  },
  {
    reason: 'the shipped contract merges a scalar narrowed by `allOf` (`type: string, allOf: [{ enum }]`) into an empty object',
    open: shipped.includes('"properties":{}'),
    operations: new Set(
      [...Object.values(contract.resources), ...Object.values(contract.views)]
        .filter((r) => JSON.stringify(r.record).includes('"properties":{}'))
        .flatMap((r) => Object.values(r.operations).map((op) => op.operationId)),
    ),
  },
  {
    reason: 'the shipped contract merges oneOf/anyOf records without keeping their `variants`: a record with every variant\'s fields matches none, or several',
    open: !shipped.includes('"variants":'),
    operations: new Set(openApi ? servedOperations.filter((op) => recordHasVariants(openApi, op.operationId)).map((op) => op.operationId) : []),
  },
];

/** Ajv's issues with a 200 (or other success) body, less the known gaps. */
function ajvIssues(operationId: string, body: unknown, status = 200): string[] {
  const gaps = KNOWN_GAPS.filter((g) => g.open && (!g.operations || g.operations.has(operationId)));
  return openApi!.responseIssues(operationId, status, body).filter((issue) => !gaps.some((g) => !g.issue || g.issue.test(issue)));
}

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ seed: 11 });
});
afterAll(() => sim.close());

/** Every include and every query flag the operation declares, switched on. */
function everything(res: ContractResource, op: ContractOperation): string {
  const names = new Set(op.query.map((q) => q.name));
  const parts = names.has('include') || names.has('include[]') ? res.includes.map((i) => `include[]=${i}`) : [];
  for (const flag of res.flags) {
    if (!names.has(flag.name)) continue;
    if (flag.schema.type === 'boolean') parts.push(`${flag.name}=true`);
    else if (flag.schema.enum?.length) parts.push(`${flag.name}=${String(flag.schema.enum[flag.schema.enum.length - 1])}`);
  }
  return parts.join('&');
}

function fill(path: string, params: Record<string, string | number>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

type SimRecord = Record<string, unknown>;

/** The record of a read's answer: its `data`, or the body where the answer is bare. */
const recordOfRead = (body: unknown): SimRecord => {
  const b = body as SimRecord;
  return 'data' in b ? (b.data as SimRecord) : b;
};

/** One answer of the simulator: the URL asked, the operation it answers, its 200 body and the records in it. */
interface Served {
  url: string;
  kind: 'list' | 'read';
  op: ContractOperation;
  body: unknown;
  records: SimRecord[];
}

/**
 * Every listing page (one listing per distinct parent chain) and a read of up to 25 records of a resource,
 * with every include and flag; fetched once per resource and shared by the tests that check them.
 */
const servedCache = new Map<string, Promise<Served[]>>();
function served(def: ResourceDefinition): Promise<Served[]> {
  let pending = servedCache.get(def.name);
  if (!pending) {
    pending = fetchServed(def);
    servedCache.set(def.name, pending);
  }
  return pending;
}

async function fetchServed(def: ResourceDefinition): Promise<Served[]> {
  const res = contract.resources[def.name]!;
  const records = sim.store.list(def.name);
  const out: Served[] = [];
  const chains = new Map<string, Record<string, number>>();
  for (const r of records) {
    const parents = sim.store.parentsOf(def.name, r.id as string | number)!;
    chains.set(JSON.stringify(parents), parents);
  }
  const list = res.operations.list;
  for (const parents of list ? chains.values() : []) {
    let next: string | null = `${fill(list!.path, parents)}?per_page=50&${everything(res, list!)}`;
    while (next) {
      const page: ApiResponse<{ data: SimRecord[]; links?: { next?: string | null }; meta?: unknown }> = await api(sim, next);
      expect(page.status, next).toBe(200);
      expect(Array.isArray(page.body.data), `${next} data`).toBe(true);
      if (res.pagination !== 'none') expect(page.body, `${next} envelope`).toEqual(expect.objectContaining({ links: expect.any(Object), meta: expect.any(Object) }));
      out.push({ url: next, kind: 'list', op: list!, body: page.body, records: page.body.data });
      next = page.body.links?.next ?? null;
    }
  }
  const read = res.operations.read!;
  for (const r of records.slice(0, 25)) {
    const params = { ...sim.store.parentsOf(def.name, r.id as string | number), [def.idParam]: r.id as number };
    const url = `${fill(read.path, params)}?${everything(res, read)}`;
    const one = await api<unknown>(sim, url);
    expect(one.status, url).toBe(200);
    out.push({ url, kind: 'read', op: read, body: one.body, records: [recordOfRead(one.body)] });
  }
  return out;
}

describe('contract conformance', () => {
  for (const def of resources) {
    const res = contract.resources[def.name]!;
    it(`${def.name}: every listed and read record is valid against the record schema, with every include and flag`, async () => {
      const records = sim.store.list(def.name);
      expect(records.length).toBeGreaterThan(0);
      let seen = 0;
      for (const answer of await served(def)) {
        for (const record of answer.records) expect(validate(res.record, record), `${def.name} ${String(record.id)}`).toEqual([]);
        if (answer.kind === 'list') seen += answer.records.length;
        else for (const gated of res.includes) if (res.record.properties?.[gated]) expect(answer.records[0], `${def.name} include ${gated}`).toHaveProperty(gated);
      }
      // Every stored record is listed once, over every parent chain; a resource without a listing is only read.
      expect(seen).toBe(res.operations.list ? records.length : 0);
    });

    it.skipIf(!openApi)(`${def.name}: every listing page and read is valid against AMPECO's OpenAPI 200 schema (Ajv)`, async () => {
      const answers = await served(def);
      expect(answers.filter((a) => a.kind === 'list').length > 0).toBe(Boolean(res.operations.list));
      expect(answers.filter((a) => a.kind === 'read').length).toBeGreaterThan(0);
      for (const answer of answers) {
        expect(ajvIssues(answer.op.operationId, answer.body), `${answer.op.operationId} ${answer.url}`).toEqual([]);
      }
    });
  }

  it.skipIf(!openApi)(`stored records are valid against AMPECO's OpenAPI read schema (Ajv)`, () => {
    for (const type of sim.store.types()) {
      const read = contract.resources[type]!.operations.read!;
      const bare = answersBare(openApi!, read.operationId);
      for (const record of sim.store.list(type)) {
        const json = JSON.parse(JSON.stringify(record)) as unknown;
        expect(ajvIssues(read.operationId, bare ? json : { data: json }), `${type} ${String(record.id)}`).toEqual([]);
      }
    }
  });

  it('stored records are valid against the contract too (what tests compare with)', () => {
    for (const type of sim.store.types()) {
      for (const record of sim.store.list(type)) {
        expect(validate(contract.resources[type]!.record, JSON.parse(JSON.stringify(record))), `${type} ${String(record.id)}`).toEqual([]);
      }
    }
  });

  it('keeps relations consistent', () => {
    const { store } = sim;
    for (const cp of store.list('ChargePoint')) {
      expect(store.get('Location', cp.locationId!)).toBeDefined();
      if (cp.chargingZoneId != null) expect(store.get('ChargingZone', cp.chargingZoneId)!.locationId).toBe(cp.locationId);
      // EVSE network ids run 1..n per charge point.
      const networkIds = store.list('Evse').filter((e) => e.chargePointId === cp.id).map((e) => Number(e.networkId));
      expect(networkIds).toEqual(networkIds.map((_, i) => i + 1));
    }
    for (const c of store.list('Connector')) {
      const parents = store.parentsOf('Connector', c.id)!;
      expect(store.get('Evse', parents.evse!)!.chargePointId).toBe(parents.chargePoint);
    }
    const activeEvses = new Set<number>();
    for (const s of store.list('Session')) {
      const evse = store.get('Evse', s.evseId)!;
      expect(evse.chargePointId).toBe(s.chargePointId);
      if (s.connectorId != null) expect(store.parentsOf('Connector', s.connectorId)!.evse).toBe(s.evseId);
      if (s.userId != null) expect(store.get('User', s.userId)).toBeDefined();
      if (s.status === 'active') {
        expect(activeEvses.has(s.evseId)).toBe(false);
        activeEvses.add(s.evseId);
        expect(s.stoppedAt).toBeNull();
        expect(evse.hardwareStatus).toBe('charging');
      } else {
        expect(Date.parse(s.stoppedAt!)).toBeGreaterThan(Date.parse(s.startedAt));
      }
    }
    expect(activeEvses.size).toBeGreaterThan(0);
    expect(store.list('Session').filter((s) => s.status === 'finished').length).toBeGreaterThan(store.count('Session') * 0.8);
  });
});

/** A value for a view's argument (a path parameter no owner fills): its first enum value, a date, a number or a word. */
function argValue(schema: JsonSchema): string {
  const branch = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema;
  if (branch.enum?.length) return String(branch.enum[0]);
  if (branch.format === 'date') return '2026-05-04';
  return branch.type === 'integer' || branch.type === 'number' ? '1' : 'word';
}

/** The path of a view for an owner record; `override` replaces parameter values. */
function viewPath(view: ViewDefinition, owner: SimRecord | undefined, override: Record<string, string> = {}): string {
  const res = contract.views[view.operationId]!;
  const op = res.operations.list ?? res.operations.read!;
  const params: Record<string, string> = {};
  for (const p of op.pathParams) {
    const field = view.ownerParams[p.name];
    params[p.name] = override[p.name] ?? (field ? String(owner?.[field]) : argValue(p.schema));
  }
  return fill(op.path, params);
}

const isPaged = (view: ViewDefinition): boolean => view.shape !== 'object' && contract.views[view.operationId]!.pagination !== 'none';

/** The first record of the view's owner type (undefined for a view of Query). */
const ownerRecord = (view: ViewDefinition): SimRecord | undefined => (view.owner ? sim.store.list(view.owner)[0] : undefined);

/** The records of a view's answer: its one record, or the listed ones. */
function viewRecords(view: ViewDefinition, body: unknown): unknown[] {
  return view.shape === 'object' ? [recordOfRead(body)] : ((body as { data: unknown[] }).data);
}

/** `<type>Id` fields naming a resource of the graph, and the resource. */
const idFieldTypes = new Map(resources.map((r) => [`${r.name.charAt(0).toLowerCase()}${r.name.slice(1)}Id`, r.name]));

describe('view conformance', () => {
  for (const view of views) {
    const res = contract.views[view.operationId]!;
    const name = `${view.operationId} (${view.owner ?? 'Query'}.${view.field})`;

    it(`${name}: answers 200 for an existing owner, valid against the record schema and AMPECO's OpenAPI 200 schema (Ajv), and the same when read again`, async () => {
      const owner = ownerRecord(view);
      if (view.owner) expect(owner, `a ${view.owner} to read the view of`).toBeDefined();
      const url = `${viewPath(view, owner)}${isPaged(view) ? '?per_page=100' : ''}`;
      const first = await api<unknown>(sim, url);
      expect(first.status, `${url} ${first.text}`).toBe(200);
      const records = viewRecords(view, first.body);
      expect(Array.isArray(records), url).toBe(true);
      for (const record of records) expect(validate(res.record, record), url).toEqual([]);
      if (openApi) expect(ajvIssues(view.operationId, first.body), url).toEqual([]);
      for (const record of records) {
        if (!view.ownsType) {
          // A view typed as an entity answers records of that entity, or their ids.
          const id = typeof record === 'object' && record !== null ? (record as SimRecord).id : record;
          expect(sim.store.get(view.type, id as number), `${url}: ${view.type} ${String(id)}`).toBeDefined();
          continue;
        }
        for (const [field, value] of Object.entries(record as SimRecord)) {
          const type = idFieldTypes.get(field);
          if (type && (typeof value === 'number' || typeof value === 'string')) expect(sim.store.get(type, value), `${url}: ${field} ${value}`).toBeDefined();
        }
      }
      const again = await api<unknown>(sim, url);
      expect(again.body, url).toEqual(first.body);
    });

    if (Object.keys(view.ownerParams).length) {
      it(`${name}: 404 for an owner that does not exist, or a malformed id`, async () => {
        const owner = ownerRecord(view);
        for (const param of Object.keys(view.ownerParams)) {
          for (const value of ['999999', 'x']) {
            const url = viewPath(view, owner, { [param]: value });
            const res404 = await api(sim, url);
            expect(res404.status, url).toBe(404);
          }
        }
      });
    }

    if (isPaged(view)) {
      it(`${name}: pages to the end through the records of one whole page`, async () => {
        const base = viewPath(view, ownerRecord(view));
        const whole = await api<{ data: unknown[]; meta: { total?: number } }>(sim, `${base}?per_page=100`);
        expect(whole.status).toBe(200);
        const paged: unknown[] = [];
        let pages = 0;
        let next: string | null = `${base}?per_page=2`;
        while (next) {
          const page: ApiResponse<{ data: unknown[]; links: { next: string | null } }> = await api(sim, next);
          expect(page.status, next).toBe(200);
          expect(page.body.data.length, next).toBeLessThanOrEqual(2);
          paged.push(...page.body.data);
          next = page.body.links.next;
          pages++;
          expect(pages, 'runaway paging').toBeLessThan(100);
        }
        expect(paged).toEqual(whole.body.data);
        expect(pages).toBe(Math.max(1, Math.ceil(whole.body.data.length / 2)));
        if (res.pagination === 'page') expect(whole.body.meta.total).toBe(whole.body.data.length);
      });
    }
  }

  it('answers the same records for the same seed, whatever was asked before', async () => {
    const other = await start({ seed: 11 });
    try {
      // Another order, with other owners' views asked first: records depend on the seed and the path only.
      for (const view of [...views].reverse()) {
        const second = view.owner ? sim.store.list(view.owner)[1] : undefined;
        if (second) await api(other, viewPath(view, second));
      }
      for (const view of views) {
        const url = `${viewPath(view, ownerRecord(view))}${isPaged(view) ? '?per_page=100' : ''}`;
        const [a, b] = await Promise.all([api<unknown>(sim, url), api<unknown>(other, url)]);
        expect(viewRecords(view, b.body), url).toEqual(viewRecords(view, a.body));
      }
    } finally {
      await other.close();
    }
  });
});

describe('seeding', () => {
  it('is deterministic per seed and honours sizes', () => {
    const a = createStore({ seed: 5, size: SMALL }).store;
    const b = createStore({ seed: 5, size: SMALL }).store;
    const c = createStore({ seed: 6, size: SMALL }).store;
    expect(a.counts()).toEqual(expect.objectContaining({ Location: 4, ChargePoint: 8, Evse: 14, Connector: 20, User: 12, Session: 60 }));
    for (const type of a.types()) expect(JSON.stringify(a.list(type))).toBe(JSON.stringify(b.list(type)));
    expect(JSON.stringify(a.list('Session'))).not.toBe(JSON.stringify(c.list('Session')));
    const zones = a.list('Location').map((l) => a.children('ChargingZone', { location: l.id }).length);
    expect(zones.every((n) => n >= 1 && n <= 3)).toBe(true);
  });

  it('seeds the default tenant, and 100k sessions for the benchmark (its seeding time is reported there)', () => {
    const defaults = createStore().store.counts();
    expect(defaults).toMatchObject({ Location: 20, ChargePoint: 100, Evse: 200, Connector: 300, User: 500, Session: 5000 });
    const big = createStore({ size: { sessions: 100_000 } }).store;
    expect(big.count('Session')).toBe(100_000);
  });
});
