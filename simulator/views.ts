/**
 * Views (ViewDefinition in src/definitions/model.ts): GETs whose records have no id of their own (a
 * tenant's settings, a charge point's status logs, a circuit's consumption) or that list another
 * type's records under an owner (a firmware version's models). Nothing here names a view: records
 * are fabricated from the view's record schema on first request, deterministically per seed and
 * owner path, and kept, so that repeated reads and every page of a listing agree.
 */
import type { ContractOperation, JsonSchema } from '../src/definitions/contract-model.js';
import { fabricateRecord, recordMaker, type FabricateContext } from './fabricate.js';
import { answersBare, merge, pageReply, pathParam, readListingFilters, readPaging, serialize, type RequestInfo, type Runtime } from './handlers.js';
import { notFound, unprocessable, type Reply } from './http.js';
import { lcfirst, type ResourceModel, type ViewModel } from './model.js';
import { Rng } from './prng.js';
import { isScalar, type Row, type ViewEntry } from './store.js';
import type { SimRecord } from './types.js';

const NO_PARENTS: Readonly<Record<string, number>> = Object.freeze({});
const LIST_COUNT: [number, number] = [1, 5];
const PAGED_COUNT: [number, number] = [2, 30];
/** Records of another type a view lists under one owner, at most. */
const ENTITY_LIMIT = 50;

interface ViewPath {
  /** The path with every parameter resolved: what the view's records are kept by. */
  key: string;
  /** Records of the resources the owner parameters name, by parameter. */
  owners: Map<string, { model: ResourceModel; row: Row }>;
  /** The other path parameters (`key`, `date`, `weekDay`), coerced. */
  args: Record<string, string | number>;
}

/** Checks every path parameter: an owner that does not exist (or a malformed id) is a 404, an argument outside its enum a 422. */
function resolvePath(rt: Runtime, v: ViewModel, req: RequestInfo): ViewPath {
  const owners = new Map<string, { model: ResourceModel; row: Row }>();
  const args: Record<string, string | number> = {};
  const values: Record<string, string | number> = {};
  for (const p of v.op.pathParams) {
    const value = pathParam(v.op, req, p.name);
    const target = v.ownerParams.get(p.name);
    if (target) {
      const row = rt.store.row(target.name, value);
      if (!row) throw notFound(target.name, value);
      owners.set(p.name, { model: target, row });
      values[p.name] = row.key;
    } else {
      if (!v.ownerParams.has(p.name)) args[p.name] = value;
      values[p.name] = value;
    }
  }
  return { key: `${v.def.operationId} ${JSON.stringify(values)}`, owners, args };
}

/** The owner record itself (the parameter its `id` fills), when the view has an owner. */
function ownerOf(v: ViewModel, path: ViewPath): { model: ResourceModel; row: Row } | undefined {
  for (const [param, field] of Object.entries(v.def.ownerParams)) if (field === 'id') return path.owners.get(param);
  return undefined;
}

function entryFor(rt: Runtime, key: string, make: () => ViewEntry): ViewEntry {
  let entry = rt.store.viewEntries.get(key);
  if (!entry) {
    entry = make();
    rt.store.viewEntries.set(key, entry);
  }
  return entry;
}

function typedId(schema: JsonSchema | undefined, key: number): string | number {
  return schema?.type === 'string' ? String(key) : key;
}

/**
 * To-one fields point at records the store holds: the owner's id in `<owner>Id`, an existing record
 * in other `xId` fields naming a resource (by type name or by a relation's `via`), existing ids in
 * `xIds` lists. Fields naming no resource keep their fabricated value.
 */
function fillIds(rt: Runtime, v: ViewModel, rec: SimRecord, rng: Rng, path: ViewPath): void {
  const owner = ownerOf(v, path);
  const props = v.record.properties ?? {};
  for (const [name, schema] of Object.entries(props)) {
    if (rec[name] === undefined || rec[name] === null) continue;
    if (owner && name === `${lcfirst(owner.model.name)}Id`) {
      rec[name] = typedId(schema, owner.row.key);
      continue;
    }
    const single = rt.model.idFields.get(name);
    const many = name.endsWith('Ids') && schema.type === 'array' && isScalarSchema(schema.items) ? rt.model.idFields.get(name.slice(0, -1)) : undefined;
    const target = single ?? many;
    if (!target || (single && !isScalarSchema(schema))) continue;
    const rows = rt.store.table(target.name).rows;
    if (!rows.length) {
      if (single && schema.nullable) rec[name] = null;
      continue;
    }
    if (single) rec[name] = typedId(schema, rng.pick(rows).key);
    else {
      const keys = new Set<number>();
      const n = rng.int(0, Math.min(3, rows.length));
      while (keys.size < n) keys.add(rng.pick(rows).key);
      rec[name] = [...keys].sort((a, b) => a - b).map((k) => typedId(schema.items, k));
    }
  }
}

function isScalarSchema(s: JsonSchema | undefined): boolean {
  return s?.type === 'string' || s?.type === 'integer' || s?.type === 'number' || s?.type === 'boolean';
}

/**
 * An argument the record carries names it (a price period read by `date` has that `date`; a
 * configuration read by `key` has that `key.name`).
 */
function applyArgs(v: ViewModel, rec: SimRecord, args: Record<string, string | number>): void {
  for (const [param, value] of Object.entries(args)) {
    const prop = v.record.properties?.[param];
    if (!prop) continue;
    if (prop.type === 'object' && prop.properties?.name) {
      const inner = rec[param];
      rec[param] = { ...(inner && typeof inner === 'object' ? inner : {}), name: String(value) };
    } else if (isScalar(value)) rec[param] = value;
  }
}

/** `count` records; list items that have an `id` are numbered 1..count in their list. */
function fabricateRecords(rt: Runtime, v: ViewModel, path: ViewPath, count: number, rng: Rng, numbered: boolean): SimRecord[] {
  const fab: FabricateContext = { rng, epochMs: rt.epochMs, pOptional: 1, pNull: 0.15, requiredOnly: false };
  const make = recordMaker(v.record);
  const out: SimRecord[] = [];
  for (let index = 0; index < count; index++) {
    const rec = make(fab) as SimRecord;
    if (numbered && v.record.properties?.id) rec.id = typedId(v.record.properties.id, index + 1);
    fillIds(rt, v, rec, rng, path);
    applyArgs(v, rec, path.args);
    v.hooks.seed?.(rec, { rng, store: rt.store, epochMs: rt.epochMs, index, count });
    out.push(rec);
  }
  return out;
}

/**
 * A view of one record read by an argument (`.../configurations/{key}`) answers the record of that
 * name in the list view above it, when that list holds one; otherwise a fabricated one.
 */
function fromSiblingList(rt: Runtime, v: ViewModel, req: RequestInfo, path: ViewPath): SimRecord | undefined {
  const params = Object.keys(path.args);
  if (params.length !== 1) return undefined;
  const param = params[0]!;
  const sibling = rt.model.views.find((w) => w !== v && w.kind !== 'object' && !w.entity && w.def.type === v.def.type && v.op.path === `${w.op.path}/{${param}}`);
  if (!sibling) return undefined;
  const siblingPath = resolvePath(rt, sibling, req);
  const entry = listEntry(rt, sibling, siblingPath);
  const wanted = String(path.args[param]);
  const found = entry.rows.find((r) => {
    const value = r.data[param];
    if (value && typeof value === 'object') return String((value as Record<string, unknown>).name) === wanted;
    return isScalar(value) && String(value) === wanted;
  });
  return found?.data;
}

function listEntry(rt: Runtime, v: ViewModel, path: ViewPath): { rows: Row[] } {
  const entry = entryFor(rt, path.key, () => {
    const rng = Rng.derive(rt.seed, 'view', path.key);
    const [min, max] = v.hooks.count ?? (v.kind === 'paged' ? PAGED_COUNT : LIST_COUNT);
    const records = fabricateRecords(rt, v, path, rng.int(min, max), rng, true);
    return { rows: records.map((data, i) => ({ key: i + 1, data, parents: NO_PARENTS })) };
  });
  return entry as { rows: Row[] };
}

/**
 * A view typed as an entity lists that entity's records. Under an owner they are the ones sharing a
 * to-one target with it (a firmware version's vendor is its models' vendor); without such a link, a
 * stable random few.
 */
function entityRows(rt: Runtime, v: ViewModel, entity: ResourceModel, path: ViewPath): Row[] {
  const entry = entryFor(rt, path.key, () => {
    const table = rt.store.table(entity.name);
    const owner = ownerOf(v, path);
    let rows: Row[] | undefined;
    if (owner) {
      for (const mine of owner.model.def.relations) {
        if (mine.kind !== 'one' || !mine.via || mine.via.includes('.')) continue;
        const theirs = entity.def.relations.find((r) => r.kind === 'one' && r.target === mine.target && r.via && !r.via.includes('.'));
        const value = owner.row.data[mine.via];
        if (!theirs?.via || !isScalar(value) || value === null) continue;
        rows = table.lookup(theirs.via, String(value)).slice(0, ENTITY_LIMIT);
        break;
      }
    }
    if (!rows) {
      const rng = Rng.derive(rt.seed, 'view', path.key);
      const picked = new Set<Row>();
      const n = rng.int(0, Math.min(10, table.rows.length));
      while (picked.size < n) picked.add(rng.pick(table.rows));
      rows = [...picked].sort((a, b) => a.key - b.key);
    }
    return { rows };
  }) as { rows: Row[] };
  // Records deleted since are gone from the view too.
  return entry.rows.filter((r) => rt.store.table(entity.name).byKey.get(r.key) === r);
}

/** Properties served only with their `withX` flag on (`withBreakdown`). */
function hiddenProps(v: ViewModel, req: RequestInfo): Set<string> {
  const hidden = new Set<string>();
  const required = new Set(v.record.required ?? []);
  for (const flag of v.contract.flags) {
    if (!flag.name.startsWith('with')) continue;
    const prop = lcfirst(flag.name.slice(4));
    if (!v.record.properties?.[prop] || required.has(prop)) continue;
    const raw = req.query[flag.name];
    if (!(raw === '' || raw === 'true' || raw === '1')) hidden.add(prop);
  }
  return hidden;
}

function without(rec: SimRecord, hidden: Set<string>): SimRecord {
  if (!hidden.size) return rec;
  const out: SimRecord = {};
  for (const [k, value] of Object.entries(rec)) if (!hidden.has(k)) out[k] = value;
  return out;
}

export function readView(rt: Runtime, v: ViewModel, req: RequestInfo): Reply {
  const path = resolvePath(rt, v, req);
  const hidden = hiddenProps(v, req);
  if (v.kind === 'object') {
    const entry = objectEntry(rt, v, req, path);
    if (!entry.record) throw notFound();
    const record = without(entry.record, hidden);
    return { status: 200, body: answersBare(v.op) ? record : { data: record } };
  }
  const errors: Record<string, string[]> = {};
  const predicates = readListingFilters(v.filters, req.query, errors);
  const paging = readPaging(v.kind === 'list' ? 'none' : v.contract.pagination, req.query, errors);
  if (Object.keys(errors).length) throw unprocessable(errors);
  const entity = v.entity;
  if (entity) {
    const asIds = isScalarSchema(v.record);
    const toData = (rows: Row[]): unknown[] =>
      rows.map((r) => (asIds ? typedId(v.record, r.key) : serialize(rt, entity, r, { includes: new Set(), flags: {} })));
    return pageReply(req, paging, entityRows(rt, v, entity, path), false, predicates, toData);
  }
  const rows = v.hooks.rows ? computedRows(rt, v, path) : listEntry(rt, v, path).rows;
  return pageReply(req, paging, rows, false, predicates, (list) => list.map((r) => without(r.data, hidden)));
}

/** The one record of an object view for this path: made on first use (from a sibling list, or fabricated) and kept; null once deleted. */
function objectEntry(rt: Runtime, v: ViewModel, req: RequestInfo, path = resolvePath(rt, v, req)): { record: SimRecord | null } {
  return entryFor(rt, path.key, () => {
    const record = fromSiblingList(rt, v, req, path) ?? fabricateRecords(rt, v, path, 1, Rng.derive(rt.seed, 'view', path.key), false)[0]!;
    return { record };
  }) as { record: SimRecord | null };
}

/** Rows of a view whose hook computes its records from the store (ViewHooks.rows), keyed by their ids. */
function computedRows(rt: Runtime, v: ViewModel, path: ViewPath): Row[] {
  const records = v.hooks.rows!({ store: rt.store, owner: ownerOf(v, path)?.row });
  return records
    .map((data, i) => ({ key: typeof data.id === 'number' ? data.id : i + 1, data, parents: NO_PARENTS }))
    .sort((a, b) => a.key - b.key);
}

// ---------------------------------------------------------------------------------------------
// Writes: what a PUT/POST/PATCH/DELETE on a view's path (or below a list view's) does to its records

/** A defined view by the operationId of its read. */
export function viewByOperation(rt: Runtime, operationId: string): ViewModel | undefined {
  return rt.model.views.find((v) => v.def.operationId === operationId);
}

/** Whether a view record is the one a path argument names: its property of that name (or that object's `name`), else its `id`. */
function named(rec: SimRecord, param: string, value: string, byId: boolean): boolean {
  const prop = rec[param];
  if (prop !== undefined) return prop !== null && typeof prop === 'object' ? String((prop as SimRecord).name) === value : isScalar(prop) && String(prop) === value;
  return byId && isScalar(rec.id) && String(rec.id) === value;
}

/** Stamps read-only date-times of a written view record (`lastUpdatedAt`, `sharedAt`) with the time of the write. */
function stamp(schema: JsonSchema, rec: SimRecord, now: Date): void {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.readOnly && prop.type === 'string' && (prop.format === 'date-time' || /At$/.test(key))) rec[key] = now.toISOString();
  }
}

/**
 * A request body in a view record's terms: the keys the record has (snake_case matched to camelCase),
 * without what the request marks read-only; `defaults` adds the request's defaults for absent keys
 * (a PUT replaces: what it leaves out is the default again).
 */
function viewShape(body: Record<string, unknown>, request: JsonSchema | undefined, record: JsonSchema, defaults: boolean): SimRecord {
  const props = record.properties ?? {};
  const out: SimRecord = {};
  if (defaults) {
    for (const [key, prop] of Object.entries(request?.properties ?? {})) if (prop.default !== undefined && props[key] && !prop.readOnly) out[key] = prop.default;
  }
  for (const [k, value] of Object.entries(body)) {
    if (request?.properties?.[k]?.readOnly) continue;
    const key = props[k] ? k : props[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] ? k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : undefined;
    if (key && key !== 'id') out[key] = value;
  }
  return out;
}

/**
 * Upserts (or, with `patch` null, deletes) the record of a list view named by a path argument
 * (`param` = `value`): a price period of a date, a configuration key, a template variable by id.
 * A cached record of the object view below the list (`{list}/{param}`) is dropped, so that its next
 * read finds the list's. Returns the record, or undefined when there was none to change (PATCH/DELETE).
 */
export function writeListRecord(
  rt: Runtime,
  list: ViewModel,
  req: RequestInfo,
  param: string,
  value: string,
  patch: SimRecord | null,
  mode: 'merge' | 'replace' | 'update',
): SimRecord | undefined {
  const path = resolvePath(rt, list, req);
  const rows = listEntry(rt, list, path).rows;
  const byId = !list.record.properties?.[param];
  const i = rows.findIndex((r) => named(r.data, param, value, byId));
  const below = rt.model.views.find((w) => w.kind === 'object' && w.op.path === `${list.op.path}/{${param}}`);
  if (below) rt.store.viewEntries.delete(resolvePath(rt, below, { ...req, params: { ...req.params, [param]: value } }).key);
  if (patch === null) {
    if (i === -1) return undefined;
    const [removed] = rows.splice(i, 1);
    return removed!.data;
  }
  const found = rows[i];
  if (found) {
    if (mode === 'replace') {
      for (const key of Object.keys(found.data)) if (key !== 'id' && key !== param) delete found.data[key];
    }
    merge(found.data, patch);
    stamp(list.record, found.data, req.now);
    return found.data;
  }
  if (mode === 'update') return undefined;
  const data: SimRecord = { ...patch };
  applyArgs(list, data, { [param]: value });
  const key = (rows[rows.length - 1]?.key ?? 0) + 1;
  if (list.record.properties?.id && data.id === undefined) data.id = typedId(list.record.properties.id, key);
  stamp(list.record, data, req.now);
  rows.push({ key, data, parents: NO_PARENTS });
  return data;
}

/** Replaces, merges into or deletes (`patch` null) the one record of an object view. Returns the record as it is now. */
export function writeObjectView(rt: Runtime, v: ViewModel, req: RequestInfo, patch: SimRecord | null, mode: 'merge' | 'replace'): SimRecord | null {
  const path = resolvePath(rt, v, req);
  const entry = objectEntry(rt, v, req, path);
  if (patch === null) {
    entry.record = null;
    return null;
  }
  const record: SimRecord = mode === 'merge' && entry.record ? entry.record : { ...(entry.record ?? {}) };
  if (mode === 'replace') for (const key of Object.keys(record)) if (v.record.properties?.[key]?.readOnly !== true) delete record[key];
  merge(record, patch);
  applyArgs(v, record, path.args);
  stamp(v.record, record, req.now);
  entry.record = record;
  return record;
}

/** The outcome of a write on a view's path: the record written (null: deleted); undefined when the path is no view's. */
export type ViewWrite = { record: SimRecord | null } | undefined;

/**
 * A write on a view's path changes what the view later answers, generically by path and method:
 * - on an object view's path (`contact-details`, `energy-mix`, `invoice-details`): PUT and POST replace
 *   its record with the body (the request's defaults for what it leaves out), PATCH merges, DELETE
 *   removes it (a later read is a 404);
 * - below a list view, by an argument its records carry (`price-periods/date/{date}`,
 *   `configurations/{key}`, `variables/{variable}`): the record of that argument in every such list is
 *   upserted, merged or deleted;
 * - on a list view's path: POST adds a record; PUT with one list of ids (`{partnerIds}`) replaces the
 *   list by records of those ids.
 */
export function writeViewPath(rt: Runtime, op: ContractOperation, req: RequestInfo, body: Record<string, unknown> | undefined): ViewWrite {
  const views = rt.model.views.filter((v) => !v.entity && !v.hooks.rows);
  const template = op.path;
  const own = views.find((v) => v.op.path === template);
  const param = /\{([^}]+)\}$/.exec(template)?.[1];
  const value = param === undefined ? undefined : String(pathParam(op, req, param));
  const lists =
    param === undefined || value === undefined
      ? []
      : views.filter((v) => v.kind !== 'object' && template.startsWith(`${v.op.path}/`) && (v.record.properties?.[param] || `${v.op.path}/{${param}}` === template));
  if (!own && !lists.length) return undefined;
  const request = op.requestBody?.schema;
  const method = op.method;

  if (method === 'DELETE') {
    let found = own?.kind === 'object' && objectEntry(rt, own, req).record !== null;
    for (const list of lists) if (writeListRecord(rt, list, req, param!, value!, null, 'merge')) found = true;
    if (!found) throw notFound();
    if (own?.kind === 'object') writeObjectView(rt, own, req, null, 'replace');
    return { record: null };
  }
  const input = body ?? {};
  let record: SimRecord | null | undefined;
  for (const list of lists) {
    const patch = viewShape(input, request, list.record, method !== 'PATCH');
    const written = writeListRecord(rt, list, req, param!, value!, patch, method === 'PATCH' ? (own ? 'merge' : 'update') : 'replace');
    if (written === undefined) throw notFound();
    if (`${list.op.path}/{${param}}` === template) record = written;
  }
  if (own?.kind === 'object') {
    // With a list right above it, the object view answers the list's record.
    if (record) objectEntry(rt, own, req).record = record;
    else record = writeObjectView(rt, own, req, viewShape(input, request, own.record, method !== 'PATCH'), method === 'PATCH' ? 'merge' : 'replace');
  } else if (own) {
    record = writeListPath(rt, own, req, input, request, method);
  }
  return { record: record ?? null };
}

/** POST adds a record to a list view; PUT with one list of ids replaces its records by records of those ids. */
function writeListPath(rt: Runtime, v: ViewModel, req: RequestInfo, body: Record<string, unknown>, request: JsonSchema | undefined, method: string): SimRecord | null {
  const idLists = Object.entries(body).filter(([k, value]) => /Ids$/.test(k) && Array.isArray(value));
  if (method === 'PUT' && idLists.length === 1 && v.record.properties?.id) {
    const rows = listEntry(rt, v, resolvePath(rt, v, req)).rows;
    const ids = [...new Set((idLists[0]![1] as unknown[]).map(Number))].filter(Number.isSafeInteger).sort((a, b) => a - b);
    rows.splice(0, rows.length, ...ids.map((id) => ({ key: id, data: newViewRecord(rt, v, req, {}, id), parents: NO_PARENTS })));
    return null;
  }
  return addListRecord(rt, v, req, body, request);
}

/** A record for a list view made from a body: required fields fabricated, the body's fields, the id, the write's time. */
function newViewRecord(rt: Runtime, v: ViewModel, req: RequestInfo, patch: SimRecord, key: number): SimRecord {
  const fab: FabricateContext = { rng: rt.rng, epochMs: req.now.getTime(), pOptional: 0, pNull: 0, requiredOnly: true };
  const data = { ...fabricateRecord(v.record, fab), ...patch };
  if (v.record.properties?.id) data.id = typedId(v.record.properties.id, key);
  stamp(v.record, data, req.now);
  return data;
}

/** Appends a record made from `body` (a request of schema `request`) to a list view's records; returns it. */
export function addListRecord(rt: Runtime, v: ViewModel, req: RequestInfo, body: Record<string, unknown>, request: JsonSchema | undefined): SimRecord {
  const rows = listEntry(rt, v, resolvePath(rt, v, req)).rows;
  const key = (rows[rows.length - 1]?.key ?? 0) + 1;
  const data = newViewRecord(rt, v, req, viewShape(body, request, v.record, true), key);
  rows.push({ key, data, parents: NO_PARENTS });
  return data;
}
