/**
 * Query-string encoding for the AMPECO Public API (Laravel conventions):
 *   filter[chargePointId]=12, filter[a][b]=x, filter[roamingOperatorIds][]=1&filter[roamingOperatorIds][]=2,
 *   include[]=connectors, cursor=, page=2, per_page=100, withAuthorization=true.
 *
 * The output is canonical (object keys sorted at every level, include[] sorted and deduplicated) so equal
 * requests give byte-equal strings: they are used as cache and dedupe keys. Percent-encoding is exactly
 * URLSearchParams' (brackets become %5B/%5D, spaces '+'), which Laravel decodes as usual.
 */

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

function scalarToString(value: unknown, name: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Query parameter ${name} is not a finite number.`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`Query parameter ${name} is an invalid Date.`);
    return value.toISOString();
  }
  throw new TypeError(`Query parameter ${name} has an unsupported type (${typeof value}).`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Appends a deep value under `name` (already bracketed), depth-first with sorted keys. */
function appendDeep(out: URLSearchParams, name: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      // Scalars use the Laravel list form k[]=v; objects inside lists need an index to stay grouped.
      if (isPlainObject(item) || Array.isArray(item)) appendDeep(out, `${name}[${index}]`, item);
      else {
        const s = scalarToString(item, name);
        if (s !== undefined) out.append(`${name}[]`, s);
      }
    });
    return;
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value).sort()) appendDeep(out, `${name}[${key}]`, value[key]);
    return;
  }
  const s = scalarToString(value, name);
  if (s !== undefined) out.append(name, s);
}

/** Encodes params into a query string without the leading '?'; '' when there is nothing to send. */
export function encodeQuery(params: QueryParams | undefined): string {
  if (!params) return '';
  const out = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (key === 'cursor') {
      // Presence matters: some listings switch to cursor mode only when `cursor` is sent, even empty.
      if (value !== undefined) out.append('cursor', value === null ? '' : (scalarToString(value, key) ?? ''));
    } else if (key === 'include') {
      if (value === undefined || value === null) continue;
      if (!Array.isArray(value)) throw new TypeError('Query parameter include must be an array of strings.');
      for (const rel of [...new Set(value.map((v) => String(v)))].sort()) out.append('include[]', rel);
    } else if (key === 'filter') {
      if (value === undefined || value === null) continue;
      if (!isPlainObject(value)) throw new TypeError('Query parameter filter must be an object.');
      appendDeep(out, 'filter', value);
    } else {
      appendDeep(out, key, value);
    }
  }
  return out.toString();
}
