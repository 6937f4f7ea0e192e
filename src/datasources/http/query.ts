/**
 * Query-string encoding for the AMPECO Public API (Laravel conventions), done by `qs`:
 *   filter[chargePointId]=12, filter[a][b]=x, filter[roamingOperatorIds][]=1&filter[roamingOperatorIds][]=2,
 *   include[]=connectors, cursor=, page=2, per_page=100, withAuthorization=true.
 *
 * The output is canonical (object keys sorted at every level, include[] sorted and deduplicated) so equal
 * requests give byte-equal strings: they are used as cache and dedupe keys. Keys and values are
 * percent-encoded by qs's RFC 1738 format (brackets become %5B/%5D, spaces '+'; unlike URLSearchParams it
 * leaves `~ ( )` as they are and escapes `*`), which Laravel decodes either way. The simulator parses these
 * strings with `qs` too (simulator/query.ts); test/query-roundtrip.test.ts checks the two agree.
 */
import { stringify, type IStringifyOptions } from 'qs';

export type QueryScalar = string | number | boolean | Date | null | undefined;

export interface QueryParams {
  /** Deep-object filter: nested objects -> filter[a][b]=, arrays -> filter[k][]=v; null/undefined skipped. */
  filter?: Record<string, unknown>;
  /** Embedded relations -> include[]=x (sorted, deduplicated). */
  include?: readonly string[];
  /**
   * Cursor pagination. A string (even '') or null is sent as `cursor=<value>`: '' and null both mean "first
   * page, cursor mode"; leave it undefined to send no cursor at all.
   */
  cursor?: string | null;
  /** Page pagination (deprecated upstream; only where a listing has no cursor). */
  page?: number;
  per_page?: number;
  /** Flags such as withAuthorization, clockAlignedInterval. */
  [flag: string]: QueryScalar | Record<string, unknown> | readonly string[];
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * A total order on keys: indexes first, numerically (so qs, which sorts an array's indexes with the same
 * comparator, keeps list order), then the rest by UTF-16 code units like `Array.prototype.sort()`.
 */
function compareKeys(a: string, b: string): number {
  const ai = ARRAY_INDEX.test(a);
  const bi = ARRAY_INDEX.test(b);
  if (ai !== bi) return ai ? -1 : 1;
  if (ai) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

const isContainer = (value: unknown): boolean => typeof value === 'object' && value !== null && !(value instanceof Date);

/** qs's per-value hook (`prefix` is the unencoded key, e.g. `filter[ids][]`): refuses what has no query form. */
function checkValue(prefix: string, value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Query parameter ${prefix} is not a finite number.`);
      return value;
    case 'symbol':
    case 'function':
      throw new TypeError(`Query parameter ${prefix} has an unsupported type (${typeof value}).`);
    default:
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError(`Query parameter ${prefix} is an invalid Date.`);
        return value.toISOString();
      }
      // Scalars use the Laravel list form k[]=v; objects inside lists need an index to stay grouped (k[0][a]=).
      if (Array.isArray(value) && value.some(isContainer)) return { ...value };
      return value;
  }
}

const OPTIONS: IStringifyOptions = {
  arrayFormat: 'brackets',
  format: 'RFC1738',
  skipNulls: true,
  sort: compareKeys,
  filter: checkValue,
};

/** Characters qs's RFC 1738 format leaves as they are: a key or value made only of them needs no escaping. */
const PLAIN = /^[A-Za-z0-9_.-]*$/;
/** `[` and `]` as qs writes them. */
const OPEN = '%5B';
const CLOSE = '%5D';

/** A scalar as qs writes it, when that needs no escaping; undefined for anything else (qs decides). */
function plainScalar(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value : typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : undefined;
  return text !== undefined && PLAIN.test(text) ? text : undefined;
}

/**
 * An object's keys in qs's order, when all are plain and none is an array index: compareKeys then
 * orders them as the default sort does, without its two regular-expression tests per comparison.
 */
function plainKeys(value: object): string[] | undefined {
  const keys = Object.keys(value);
  for (const key of keys) if (!PLAIN.test(key) || ARRAY_INDEX.test(key)) return undefined;
  return keys.sort();
}

/**
 * What qs writes for `value` under the (already encoded) key `prefix`, pushed onto `parts`, for the
 * common case where nothing needs escaping: keys and scalars of plain characters, objects, and lists of
 * scalars. False as soon as anything else turns up (a Date, a cursor with `+/=`, a list of objects):
 * the caller then lets qs encode the whole query. Most listings ask for `cursor=&per_page=N` and a
 * filter by id, so they skip qs's general walk (about a tenth of a simple query's own CPU time).
 */
function encodePlain(prefix: string, value: unknown, parts: string[]): boolean {
  if (value === null || value === undefined) return true; // skipNulls
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const text = plainScalar(item);
      if (text === undefined) return false;
      parts.push(`${prefix}${OPEN}${CLOSE}=${text}`);
    }
    return true;
  }
  if (typeof value === 'object') {
    if (value instanceof Date) return false;
    const keys = plainKeys(value);
    if (!keys) return false;
    for (const key of keys) {
      if (!encodePlain(`${prefix}${OPEN}${key}${CLOSE}`, (value as Record<string, unknown>)[key], parts)) return false;
    }
    return true;
  }
  const text = plainScalar(value);
  if (text === undefined) return false;
  parts.push(`${prefix}=${text}`);
  return true;
}

/** qs's encoding of a query's root object: what encodeQuery falls back on (exported for the test that holds the two equal). */
export function encodeWithQs(root: Record<string, unknown>): string {
  return stringify(root, OPTIONS);
}

/** What qs would write for this root object when nothing in it needs escaping; undefined otherwise. */
export function encodePlainly(root: Record<string, unknown>): string | undefined {
  const keys = plainKeys(root);
  if (!keys) return undefined;
  const parts: string[] = [];
  for (const key of keys) {
    if (!encodePlain(key, root[key], parts)) return undefined;
  }
  return parts.join('&');
}

/** Encodes params into a query string without the leading '?'; '' when there is nothing to send. */
export function encodeQuery(params: QueryParams | undefined): string {
  if (!params) return '';
  // Built key by key (not a rest spread then a copy): this runs for every upstream call.
  const root: Record<string, unknown> = {};
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (key === 'cursor') {
      // Presence matters: some listings switch to cursor mode only when `cursor` is sent, even empty.
      if (value !== undefined) root.cursor = value ?? '';
    } else if (key === 'include') {
      if (value === undefined || value === null) continue;
      if (!Array.isArray(value)) throw new TypeError('Query parameter include must be an array of strings.');
      root.include = [...new Set((value as readonly unknown[]).map((v) => String(v)))].sort();
    } else if (key === 'filter') {
      if (value === undefined || value === null) continue;
      if (!isContainer(value) || Array.isArray(value)) throw new TypeError('Query parameter filter must be an object.');
      root.filter = value;
    } else {
      root[key] = value;
    }
  }
  return encodePlainly(root) ?? encodeWithQs(root);
}
