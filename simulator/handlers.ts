/**
 * Generic handlers for resource operations (list, read, create, update, delete), driven by the
 * contract operation and the resource model: nothing here knows a resource by name.
 */
import type { ContractOperation, JsonSchema, Pagination } from '../src/definitions/contract-model.js';
import { fabricateRecord, type FabricateContext } from './fabricate.js';
import { fabricateLazy, type LazyContext, type WriteContext } from './hooks.js';
import { HttpError, notFound, unprocessable, type Reply } from './http.js';
import type { FilterPlan, Model, ResourceModel } from './model.js';
import { Rng } from './prng.js';
import { asList, coerceScalar, type QueryObject, type QueryValue } from './query.js';
import { isScalar, lowerBound, valueAt, type Row, type SimulatorStore, type Table } from './store.js';
import type { SimRecord } from './types.js';
import { isNullable, issuesToErrors, validate } from './validate.js';

export interface Runtime {
  model: Model;
  store: SimulatorStore;
  seed: number;
  epochMs: number;
  /** For values created at run time (deterministic for a given sequence of requests). */
  rng: Rng;
}

export interface RequestInfo {
  origin: string;
  pathname: string;
  /** Raw query string without `?`. */
  search: string;
  query: QueryObject;
  params: Record<string, string>;
  body: unknown;
  now: Date;
}

const DEFAULT_PER_PAGE = 100;
const MAX_PER_PAGE = 100;

// ---------------------------------------------------------------------------------------------
// Path resolution

/** Path parameter value typed by its schema; malformed ids are "not found", as route binding does. */
export function pathParam(op: ContractOperation, req: RequestInfo, name: string): string | number {
  const raw = req.params[name] ?? '';
  const schema = op.pathParams.find((p) => p.name === name)?.schema ?? { type: 'string' };
  const c = coerceScalar(schema, raw, name);
  if (!c.ok) {
    if (schema.enum) throw unprocessable({ [name]: [c.message] });
    throw notFound();
  }
  return c.value as string | number;
}

/** Checks every parent in the path exists and that each nested parent belongs to the outer one. */
export function resolveParents(rt: Runtime, m: ResourceModel, op: ContractOperation, req: RequestInfo): Record<string, number> {
  const parents: Record<string, number> = {};
  let outerRow: Row | undefined;
  let outerName: string | undefined;
  for (const link of m.parents) {
    const id = pathParam(op, req, link.param);
    const row = rt.store.row(link.resource, id);
    if (!row) throw notFound(link.resource, id);
    if (outerRow && outerName) {
      const linkModel = rt.model.resources.get(link.resource);
      const outerParam = m.parents.find((p) => p.resource === outerName)?.param;
      const rel = linkModel?.def.relations.find((r) => r.kind === 'one' && r.target === outerName && r.via);
      const owner = rel?.via ? valueAt(row.data, rel.via.split('.')) : outerParam ? row.parents[outerParam] : undefined;
      if (owner !== undefined && (!isScalar(owner) || String(owner) !== String(outerRow.key))) throw notFound(link.resource, id);
    }
    parents[link.param] = row.key;
    outerRow = row;
    outerName = link.resource;
  }
  return parents;
}

function resolveItem(rt: Runtime, m: ResourceModel, op: ContractOperation, req: RequestInfo): Row {
  const parents = resolveParents(rt, m, op, req);
  const id = pathParam(op, req, m.def.idParam);
  const row = rt.store.row(m.name, id);
  if (!row || m.parents.some((l) => row.parents[l.param] !== parents[l.param])) throw notFound(m.name, id);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Query: includes, flags, filters

interface Shape {
  includes: Set<string>;
  flags: Record<string, unknown>;
}

function declares(op: ContractOperation, name: string): boolean {
  return op.query.some((q) => q.name === name);
}

function readShape(m: ResourceModel, op: ContractOperation, query: QueryObject, errors: Record<string, string[]>): Shape {
  const includes = new Set<string>();
  if (declares(op, 'include') || declares(op, 'include[]')) {
    asList(query.include).forEach((value, i) => {
      if (m.includes.has(value)) includes.add(value);
      else errors[`include.${i}`] = [`The selected include.${i} is invalid.`];
    });
  }
  const flags: Record<string, unknown> = {};
  for (const q of op.query) {
    const flag = m.flags.get(q.name);
    const raw = query[q.name];
    if (!flag) continue;
    if (raw === undefined) {
      if (q.schema.default !== undefined) flags[q.name] = q.schema.default;
      continue;
    }
    // `?withAuthorization` (no value) means true, as PHP reads it.
    const text = typeof raw === 'string' ? (raw === '' && q.schema.type === 'boolean' ? 'true' : raw) : undefined;
    const c = text === undefined ? { ok: false as const, message: `The ${q.name} must be a scalar.` } : coerceScalar(q.schema, text, q.name);
    if (c.ok) flags[q.name] = c.value;
    else errors[q.name] = [c.message];
  }
  return { includes, flags };
}

export interface Predicate {
  /** `link`: the row's association named `path[0]` (Row.links) has one of `values` as its target. */
  kind: 'eq' | 'in' | 'contains' | 'after' | 'before' | 'link';
  path: string[];
  values: (string | number | boolean | null)[];
}

function readFilters(plans: FilterPlan[], raw: QueryValue | undefined, prefix: string, basePath: string[], errors: Record<string, string[]>, out: Predicate[]): void {
  if (raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) return;
  for (const plan of plans) {
    const value = raw[plan.filter.key];
    if (value === undefined) continue;
    const field = `${prefix}.${plan.filter.key}`;
    if (plan.kind === 'object') {
      readFilters(plan.children, value, field, [...basePath, ...plan.path], errors, out);
      continue;
    }
    const schema: JsonSchema = plan.filter.array ? plan.filter.schema.items ?? { type: 'string' } : plan.filter.schema;
    let texts: string[];
    if (plan.filter.array) texts = asList(value);
    else if (typeof value === 'string') texts = [value];
    else {
      errors[field] = [`The ${field} must be a string.`];
      continue;
    }
    const values: (string | number | boolean | null)[] = [];
    texts.forEach((text, i) => {
      const name = plan.filter.array ? `${field}.${i}` : field;
      const c = coerceScalar(schema, text, name);
      if (c.ok) values.push(c.value);
      else errors[name] = [c.message];
    });
    if (plan.kind === 'ignored' || values.length === 0) continue;
    const path = [...basePath, ...plan.path];
    if (plan.kind === 'after' || plan.kind === 'before') values[0] = Date.parse(String(values[0]));
    out.push({ kind: plan.kind, path, values });
  }
}

function sameScalar(field: unknown, wanted: string | number | boolean | null): boolean {
  if (wanted === null) return field === null || field === undefined;
  if (field === null || field === undefined) return false;
  if (typeof field === 'number') return Number(wanted) === field;
  if (typeof field === 'boolean') return typeof wanted === 'boolean' ? wanted === field : (wanted === 'true' || wanted === '1') === field;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a string; an off-contract list or object compares by its String() text, as it always has
  return String(wanted) === String(field);
}

function matches(row: Row, predicates: Predicate[]): boolean {
  for (const p of predicates) {
    if (p.kind === 'link') {
      const link = row.links?.[p.path[0]!];
      if (!link || !p.values.some((w) => sameScalar(link.key, w))) return false;
      continue;
    }
    const v = p.path.length === 1 ? row.data[p.path[0]!] : valueAt(row.data, p.path);
    switch (p.kind) {
      case 'eq':
        if (!sameScalar(v, p.values[0]!)) return false;
        break;
      case 'in':
        if (!p.values.some((w) => sameScalar(v, w))) return false;
        break;
      case 'contains':
        if (!Array.isArray(v) || !p.values.some((w) => v.some((x) => sameScalar(x, w)))) return false;
        break;
      case 'after':
        if (typeof v !== 'string' || Date.parse(v) < (p.values[0] as number)) return false;
        break;
      case 'before':
        if (typeof v !== 'string' || Date.parse(v) > (p.values[0] as number)) return false;
        break;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Serialization

export function serialize(rt: Runtime, m: ResourceModel, row: Row, shape: Shape): SimRecord {
  const out: SimRecord = {};
  const data = row.data;
  for (const key in m.record.properties) {
    const gate = m.gates.get(key);
    if (!gate) {
      const v = data[key];
      if (v !== undefined) out[key] = v;
      continue;
    }
    const on = gate.include ? shape.includes.has(gate.include) : shape.flags[gate.flag as string] === true;
    if (!on) continue;
    if (gate.relation) out[key] = embedded(rt, m, row, gate.relation.target, gate.relation.filter, m.record.properties[key] as JsonSchema);
    else if (data[key] !== undefined) out[key] = data[key];
    else out[key] = lazy(rt, m, row, key, shape.flags);
  }
  return out;
}

function lazy(rt: Runtime, m: ResourceModel, row: Row, key: string, flags: Record<string, unknown>): unknown {
  const rng = Rng.derive(rt.seed, 'lazy', m.name, row.key, key);
  const ctx: LazyContext = {
    rng,
    store: rt.store,
    flags,
    fab: { rng, epochMs: rt.epochMs, pOptional: 0.7, pNull: 0.15, requiredOnly: false },
  };
  const hook = m.hooks.lazy?.[key];
  return hook ? hook(row.data, ctx) : fabricateLazy(m.record.properties?.[key] ?? {}, ctx, key);
}

/** Records of another resource embedded by an include, shaped like the embedding schema's items. */
function embedded(rt: Runtime, owner: ResourceModel, row: Row, target: string, filter: string | undefined, schema: JsonSchema): SimRecord[] {
  const tm = rt.model.resources.get(target);
  if (!tm) return [];
  const link = tm.parents.find((p) => p.resource === owner.name);
  let rows: Row[];
  const table = rt.store.table(target);
  if (link) rows = table.lookup(`@${link.param}`, String(row.key));
  else if (filter) rows = table.lookup(filter, String(row.key));
  else rows = [];
  const itemProps = schema.items?.properties;
  const ordered = tm.order === 'desc' ? [...rows].reverse() : rows;
  return ordered.map((r) => {
    const full = serialize(rt, tm, r, { includes: new Set(), flags: {} });
    if (!itemProps) return full;
    const out: SimRecord = {};
    for (const k in itemProps) if (full[k] !== undefined) out[k] = full[k];
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Listing

export interface Cursor {
  key: number;
  next: boolean;
}

function encodeCursor(key: number, next: boolean): string {
  return Buffer.from(JSON.stringify({ id: key, _pointsToNextItems: next })).toString('base64url');
}

function decodeCursor(text: string): Cursor | undefined {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { id?: unknown; _pointsToNextItems?: unknown };
    const key = typeof v.id === 'string' ? Number(v.id) : v.id;
    if (typeof key !== 'number' || !Number.isSafeInteger(key) || typeof v._pointsToNextItems !== 'boolean') return undefined;
    return { key, next: v._pointsToNextItems };
  } catch {
    return undefined;
  }
}

function intParam(query: QueryObject, name: string, fallback: number, min: number, max: number | undefined, errors: Record<string, string[]>): number {
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) {
    errors[name] = [`The ${name} must be an integer.`];
    return fallback;
  }
  const n = Number(raw);
  if (n < min) errors[name] = [`The ${name} must be at least ${min}.`];
  else if (max !== undefined && n > max) errors[name] = [`The ${name} must not be greater than ${max}.`];
  return n;
}

function linkTo(req: RequestInfo, set: Record<string, string>): string {
  const params = new URLSearchParams(req.search);
  params.delete('page');
  params.delete('cursor');
  for (const [k, v] of Object.entries(set)) params.set(k, v);
  const qs = params.toString();
  return `${req.origin}${req.pathname}${qs ? `?${qs}` : ''}`;
}

/**
 * Rows in listing order after (forward) or before (backward) `key`, matching the predicates;
 * stops after `limit`. The candidate list is ascending by key whatever the listing order.
 */
function scan(rows: Row[], desc: boolean, key: number | undefined, forward: boolean, limit: number, predicates: Predicate[]): Row[] {
  const up = forward !== desc;
  let i: number;
  if (key === undefined) i = up ? 0 : rows.length - 1;
  else {
    const lb = lowerBound(rows, key);
    i = up ? (rows[lb]?.key === key ? lb + 1 : lb) : lb - 1;
  }
  const out: Row[] = [];
  const step = up ? 1 : -1;
  for (; i >= 0 && i < rows.length && out.length < limit; i += step) {
    const row = rows[i]!;
    if (predicates.length === 0 || matches(row, predicates)) out.push(row);
  }
  return out;
}

/** The smallest ascending candidate list: the parent's children, or an index bucket for an equality filter. */
function candidates(table: Table, m: ResourceModel, parents: Record<string, number>, predicates: Predicate[]): { rows: Row[]; rest: Predicate[] } {
  const inner = m.parents[m.parents.length - 1];
  if (inner) {
    const rows = table.lookup(`@${inner.param}`, String(parents[inner.param]));
    return { rows, rest: predicates };
  }
  let best: { rows: Row[]; index: number } | undefined;
  predicates.forEach((p, index) => {
    const value = p.values[0];
    if (p.kind !== 'eq' || value === null || value === undefined) return;
    // Index buckets are keyed by String(field value): only integer and string fields key the same way the filter compares.
    let field: JsonSchema | undefined = m.record;
    for (const k of p.path) field = field?.properties?.[k];
    let bucket: string;
    if (field?.type === 'integer' && /^-?\d+$/.test(String(value))) bucket = String(Number(value));
    else if (field?.type === 'string') bucket = String(value);
    else return;
    const rows = table.lookup(p.path.join('.'), bucket);
    if (!best || rows.length < best.rows.length) best = { rows, index };
  });
  if (!best) return { rows: table.rows, rest: predicates };
  const chosen = best;
  return { rows: chosen.rows, rest: predicates.filter((_, i) => i !== chosen.index) };
}

export function listRecords(rt: Runtime, m: ResourceModel, op: ContractOperation, req: RequestInfo): Reply {
  const parents = resolveParents(rt, m, op, req);
  const errors: Record<string, string[]> = {};
  const { query } = req;
  const shape = readShape(m, op, query, errors);
  const predicates: Predicate[] = [];
  readFilters(m.filters, query.filter, 'filter', [], errors, predicates);
  const paging = readPaging(m.contract.pagination, query, errors);
  if (Object.keys(errors).length) throw unprocessable(errors);
  const { rows, rest } = candidates(rt.store.table(m.name), m, parents, predicates);
  return pageReply(req, paging, rows, m.order === 'desc', rest, (list) => list.map((r) => serialize(rt, m, r, shape)));
}

/** How a listing request asks to be paged: by cursor, by page number, or not at all. */
export interface Paging {
  style: Pagination;
  useCursor: boolean;
  perPage: number;
  page: number;
  cursor?: Cursor;
}

/** The paging parameters of a listing request; problems go to `errors` (a 422). */
export function readPaging(style: Pagination, query: QueryObject, errors: Record<string, string[]>): Paging {
  const useCursor = style === 'cursor' || (style === 'both' && query.cursor !== undefined);
  const perPage = style === 'none' ? Infinity : intParam(query, 'per_page', DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, errors);
  const page = style === 'page' || (style === 'both' && !useCursor) ? intParam(query, 'page', 1, 1, undefined, errors) : 1;
  let cursor: Cursor | undefined;
  if (useCursor && typeof query.cursor === 'string' && query.cursor !== '') {
    cursor = decodeCursor(query.cursor);
    if (!cursor) errors.cursor = ['The cursor is invalid.'];
  } else if (useCursor && query.cursor !== undefined && typeof query.cursor !== 'string') {
    errors.cursor = ['The cursor must be a string.'];
  }
  return { style, useCursor, perPage, page, cursor };
}

/** A listing's filters read from the query: the predicates of the filters that apply; problems go to `errors`. */
export function readListingFilters(plans: FilterPlan[], query: QueryObject, errors: Record<string, string[]>): Predicate[] {
  const predicates: Predicate[] = [];
  readFilters(plans, query.filter, 'filter', [], errors, predicates);
  return predicates;
}

/**
 * Every record a top-level listing of `type` answers for these filters (as a query string carries them:
 * `{ chargePointId: '7' }`), all pages, in listing order: the reading, candidates and matching of
 * listRecords. For what must agree with the simulator's listings without asking over HTTP (the bench's
 * minimum call counts).
 */
export function filteredRecords(store: SimulatorStore, type: string, filter: QueryObject): SimRecord[] {
  const table = store.table(type);
  const m = table.model;
  if (m.parents.length) throw new Error(`${type} is listed under its parent, not on its own`);
  const errors: Record<string, string[]> = {};
  const predicates = readListingFilters(m.filters, { filter }, errors);
  if (Object.keys(errors).length) throw new Error(`the simulator refuses this filter on ${type}: ${JSON.stringify(errors)}`);
  const { rows, rest } = candidates(table, m, {}, predicates);
  return scan(rows, m.order === 'desc', undefined, true, Number.POSITIVE_INFINITY, rest).map((r) => r.data);
}

/**
 * One page of `rows` (ascending by key; listed in descending order when `desc`) that match
 * `predicates`, in the envelope of the paging style: `{data}` unpaged, Laravel's cursor or length-aware
 * paginator otherwise.
 */
export function pageReply(req: RequestInfo, paging: Paging, rows: Row[], desc: boolean, rest: Predicate[], toData: (rows: Row[]) => unknown[]): Reply {
  const { style, useCursor, perPage, page, cursor } = paging;
  const path = `${req.origin}${req.pathname}`;

  if (style === 'none') {
    return { status: 200, body: { data: toData(scan(rows, desc, undefined, true, Infinity, rest)) } };
  }

  if (useCursor) {
    let pageRows: Row[];
    let hasNext: boolean;
    let hasPrev: boolean;
    if (!cursor || cursor.next) {
      pageRows = scan(rows, desc, cursor?.key, true, perPage + 1, rest);
      hasNext = pageRows.length > perPage;
      if (hasNext) pageRows.pop();
      hasPrev = cursor !== undefined && pageRows.length > 0 && scan(rows, desc, pageRows[0]!.key, false, 1, rest).length > 0;
    } else {
      pageRows = scan(rows, desc, cursor.key, false, perPage + 1, rest);
      hasPrev = pageRows.length > perPage;
      if (hasPrev) pageRows.pop();
      pageRows.reverse();
      hasNext = pageRows.length > 0 && scan(rows, desc, pageRows[pageRows.length - 1]!.key, true, 1, rest).length > 0;
    }
    const nextCursor = hasNext ? encodeCursor(pageRows[pageRows.length - 1]!.key, true) : null;
    const prevCursor = hasPrev ? encodeCursor(pageRows[0]!.key, false) : null;
    return {
      status: 200,
      body: {
        data: toData(pageRows),
        links: {
          first: null,
          last: null,
          prev: prevCursor ? linkTo(req, { cursor: prevCursor }) : null,
          next: nextCursor ? linkTo(req, { cursor: nextCursor }) : null,
        },
        meta: { path, per_page: perPage, next_cursor: nextCursor, prev_cursor: prevCursor },
      },
    };
  }

  // Page pagination needs the total, hence every match.
  const all = rest.length ? rows.filter((r) => matches(r, rest)) : rows;
  const total = all.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  const end = Math.min(start + perPage, total);
  const pageRows: Row[] = [];
  for (let i = start; i < end; i++) pageRows.push(all[desc ? total - 1 - i : i]!);
  const pageUrl = (n: number): string => linkTo(req, { page: String(n) });
  return {
    status: 200,
    body: {
      data: toData(pageRows),
      links: {
        first: pageUrl(1),
        last: pageUrl(lastPage),
        prev: page > 1 ? pageUrl(page - 1) : null,
        next: page < lastPage ? pageUrl(page + 1) : null,
      },
      meta: {
        current_page: page,
        from: pageRows.length ? start + 1 : null,
        last_page: lastPage,
        links: pageLinks(page, lastPage, pageUrl),
        path,
        per_page: perPage,
        to: pageRows.length ? end : null,
        total,
      },
    },
  };
}

/** Laravel's paginator window: all pages up to 13, else both ends and three either side of the current one. */
function pageLinks(current: number, last: number, url: (n: number) => string): { url: string | null; label: string; active: boolean }[] {
  const numbers: (number | '...')[] = [];
  if (last <= 13) for (let i = 1; i <= last; i++) numbers.push(i);
  else if (current <= 7) numbers.push(...range(1, 10), '...', last - 1, last);
  else if (current > last - 7) numbers.push(1, 2, '...', ...range(last - 9, last));
  else numbers.push(1, 2, '...', ...range(current - 3, current + 3), '...', last - 1, last);
  return [
    { url: current > 1 ? url(current - 1) : null, label: '&laquo; Previous', active: false },
    ...numbers.map((n) => (n === '...' ? { url: null, label: '...', active: false } : { url: url(n), label: String(n), active: n === current })),
    { url: current < last ? url(current + 1) : null, label: 'Next &raquo;', active: false },
  ];
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Read and writes

/**
 * Whether the operation answers with the record itself rather than wrapped in `data` (a currency's
 * read, a tenant's contact details): the contract marks such answers `bare`, or, where the operation
 * still carries its response schema, the schema has no `data`.
 */
export function answersBare(op: ContractOperation): boolean {
  const response = op.responses.find((r) => r.status >= 200 && r.status < 300) as { bare?: boolean; schema?: JsonSchema } | undefined;
  if (!response) return false;
  return response.bare === true || (response.schema !== undefined && !response.schema.properties?.data);
}

/** A read's or write's body: the record in `data`, or bare where the operation answers so. */
export function recordBody(op: ContractOperation, record: unknown): unknown {
  return answersBare(op) ? record : { data: record };
}

export function readRecord(rt: Runtime, m: ResourceModel, op: ContractOperation, req: RequestInfo): Reply {
  const row = resolveItem(rt, m, op, req);
  const errors: Record<string, string[]> = {};
  const shape = readShape(m, op, req.query, errors);
  if (Object.keys(errors).length) throw unprocessable(errors);
  return { status: 200, body: recordBody(op, serialize(rt, m, row, shape)) };
}

/** Stands for a request body that is not JSON; reported only when the operation reads the body. */
export const MALFORMED_BODY = Symbol('malformed body');

/** The request body as an object, validated against the operation's request schema. */
export function validBody(op: ContractOperation, body: unknown): Record<string, unknown> {
  if (body === MALFORMED_BODY) throw new HttpError(400, 'The request body is not valid JSON.');
  if (body === undefined || body === null) body = {};
  // An array only where the operation takes one (a bulk insert); its hook reads it as the list it is.
  if (typeof body !== 'object' || (Array.isArray(body) && op.requestBody?.schema.type !== 'array')) throw new HttpError(400, 'The request body must be a JSON object.');
  const schema = op.requestBody?.schema;
  if (schema) {
    const issues = validate(schema, body, { mode: 'request' });
    if (issues.length) throw unprocessable(issuesToErrors(issues));
  }
  return body as Record<string, unknown>;
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A request body in the record's terms: snake_case keys map to the record's camelCase fields
 * (user bodies use `first_name` where the record has `firstName`), fields the server owns (readOnly
 * in the request, or in the record when the request does not declare them) and unknown ones are
 * dropped, and null clears a non-nullable field.
 */
export function toRecordShape(value: Record<string, unknown>, bodySchema: JsonSchema | undefined, recordSchema: JsonSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const recordProps = recordSchema?.properties ?? {};
  for (const [k, v] of Object.entries(value)) {
    if (bodySchema?.properties?.[k]?.readOnly) continue;
    const key = recordProps[k] ? k : recordProps[camel(k)] ? camel(k) : undefined;
    if (!key) continue;
    const prop = recordProps[key] as JsonSchema;
    // Read-only in the record is the server's, unless the request declares it (a downtime period's
    // evseId, given once on create); a secret (a password) is never kept readable.
    if (prop.readOnly && (!bodySchema?.properties?.[k] || /password/i.test(key))) continue;
    if (v === null && !isNullable(prop)) out[key] = undefined;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && prop.type === 'object' && prop.properties) {
      out[key] = toRecordShape(v as Record<string, unknown>, bodySchema?.properties?.[k], prop);
    } else out[key] = v;
  }
  return out;
}

export function merge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete target[k];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof target[k] === 'object' && target[k] !== null && !Array.isArray(target[k])) {
      merge(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    } else target[k] = v;
  }
}

/** To-one references in a write must name existing records, as Laravel's `exists` rule checks. */
export function checkReferences(rt: Runtime, m: ResourceModel, patch: Record<string, unknown>): void {
  const errors: Record<string, string[]> = {};
  for (const rel of m.def.relations) {
    if (rel.kind !== 'one' || !rel.via || !rt.model.resources.has(rel.target)) continue;
    const value = valueAt(patch, rel.via.split('.'));
    if (value === undefined || value === null) continue;
    if ((typeof value !== 'number' && typeof value !== 'string') || !rt.store.row(rel.target, value)) {
      errors[rel.via] = [`The selected ${rel.via} is invalid.`];
    }
  }
  if (Object.keys(errors).length) throw unprocessable(errors);
}

export function createRecord(rt: Runtime, m: ResourceModel, op: ContractOperation, req: RequestInfo): Reply {
  const parents = resolveParents(rt, m, op, req);
  const body = validBody(op, req.body);
  const row = insertRecord(rt, m, toRecordShape(body, op.requestBody?.schema, m.record), parents, req.now);
  return { status: op.responses[0]?.status ?? 201, body: recordBody(op, serialize(rt, m, row, { includes: new Set(), flags: {} })) };
}

/**
 * Stores a record written through the API: the server's values (required fields fabricated, the
 * create hook), then `patch` (a body in the record's terms, see toRecordShape), then the id, the
 * parents' ids and the timestamps. References in the patch must exist (422 otherwise).
 */
export function insertRecord(rt: Runtime, m: ResourceModel, patch: Record<string, unknown>, parents: Record<string, number>, now: Date): Row {
  checkReferences(rt, m, patch);
  const table = rt.store.table(m.name);
  const key = table.nextKey;
  const fab: FabricateContext = { rng: rt.rng, epochMs: now.getTime(), pOptional: 0, pNull: 0, requiredOnly: true };
  const rec = fabricateRecord(m.record, fab, new Set(m.gates.keys()));
  const ctx: WriteContext = { rng: rt.rng, store: rt.store, now, parents };
  m.hooks.create?.(rec, ctx);
  merge(rec, patch);
  const props = m.record.properties ?? {};
  if (props.id) rec.id = m.idIsString ? String(key) : key;
  for (const link of m.parents) if (props[link.field]) rec[link.field] = parents[link.param];
  const stamp = now.toISOString();
  if (props.createdAt) rec.createdAt = stamp;
  if (props.lastUpdatedAt) rec.lastUpdatedAt = stamp;
  return table.insert(rec, parents, key);
}

export function updateRecord(rt: Runtime, m: ResourceModel, op: ContractOperation, req: RequestInfo): Reply {
  const row = resolveItem(rt, m, op, req);
  const body = validBody(op, req.body);
  const errors: Record<string, string[]> = {};
  const shape = readShape(m, op, req.query, errors);
  if (Object.keys(errors).length) throw unprocessable(errors);
  patchRecord(rt, m, row, toRecordShape(body, op.requestBody?.schema, m.record), req.now);
  return { status: op.responses[0]?.status ?? 200, body: recordBody(op, serialize(rt, m, row, shape)) };
}

/** Applies `patch` (in the record's terms) to a stored record, checking its references, and bumps `lastUpdatedAt`. */
export function patchRecord(rt: Runtime, m: ResourceModel, row: Row, patch: Record<string, unknown>, now: Date): void {
  checkReferences(rt, m, patch);
  merge(row.data, patch);
  if (m.record.properties?.lastUpdatedAt) row.data.lastUpdatedAt = now.toISOString();
  rt.store.table(m.name).touch();
}

export function deleteRecord(rt: Runtime, m: ResourceModel, op: ContractOperation, req: RequestInfo): Reply {
  const row = resolveItem(rt, m, op, req);
  removeCascade(rt, m, row.key);
  return { status: op.responses[0]?.status ?? 204 };
}

/**
 * Nested records go with their parent (a location's zones), and so do records a hook names as
 * owned (a charge point's EVSEs); other references are left dangling (sessions keep their history).
 */
export function removeCascade(rt: Runtime, m: ResourceModel, key: number): void {
  if (!rt.store.table(m.name).remove(key)) return;
  for (const child of rt.model.resources.values()) {
    for (const link of child.parents) {
      if (link.resource !== m.name) continue;
      for (const r of [...rt.store.table(child.name).lookup(`@${link.param}`, String(key))]) removeCascade(rt, child, r.key);
    }
  }
  for (const name of m.hooks.cascade ?? []) {
    const owned = rt.model.resources.get(name);
    const via = owned?.def.relations.find((r) => r.kind === 'one' && r.target === m.name && r.via)?.via;
    if (!owned || !via) continue;
    for (const r of [...rt.store.table(name).lookup(via, String(key))]) removeCascade(rt, owned, r.key);
  }
}
