/**
 * PHP/Laravel-style query strings: `filter[a][]=1&filter[a][]=2&include[0]=x` become nested
 * values, the way AMPECO's backend reads them. Containers whose keys are all indexes become arrays.
 */
import type { JsonSchema } from '../scripts/contract/model.js';

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryObject = { [key: string]: QueryValue };

export function parseQuery(search: string): QueryObject {
  const root: Record<string, unknown> = {};
  const text = search.startsWith('?') ? search.slice(1) : search;
  if (!text) return {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const open = rawKey.indexOf('[');
    const base = open === -1 ? rawKey : rawKey.slice(0, open);
    if (!base) continue;
    const segments = [base];
    if (open !== -1) {
      const re = /\[([^\]]*)\]/gy;
      re.lastIndex = open;
      let m: RegExpExecArray | null;
      while ((m = re.exec(rawKey))) segments.push(m[1] ?? '');
    }
    let node: Record<string, unknown> = root;
    for (let i = 0; i < segments.length; i++) {
      let key = segments[i] as string;
      if (key === '') key = String(nextIndex(node));
      if (i === segments.length - 1) {
        node[key] = value;
      } else {
        const child = node[key];
        if (typeof child !== 'object' || child === null) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
    }
  }
  return normalize(root) as QueryObject;
}

function nextIndex(node: Record<string, unknown>): number {
  let n = 0;
  for (const k of Object.keys(node)) if (/^\d+$/.test(k)) n = Math.max(n, Number(k) + 1);
  return n;
}

function normalize(value: unknown): QueryValue {
  if (typeof value !== 'object' || value === null) return value as string;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => normalize(v));
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, normalize(v)]));
}

/** A list parameter given as `x=a`, `x=a,b`, `x[]=a` or `x[0]=a`. */
export function asList(value: QueryValue | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value === '' ? [] : value.split(',');
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? [v] : []));
  return Object.values(value).flatMap((v) => (typeof v === 'string' ? [v] : []));
}

export type Coerced = { ok: true; value: string | number | boolean | null } | { ok: false; message: string };

const TRUE = new Set(['true', '1']);
const FALSE = new Set(['false', '0']);

/**
 * Reads one scalar query/path value as its schema says (query strings carry only text).
 * Messages follow Laravel's wording, with `field` as the attribute name.
 */
export function coerceScalar(schema: JsonSchema, raw: string, field: string): Coerced {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) {
    for (const b of branches) {
      const c = coerceScalar(b, raw, field);
      if (c.ok) return c;
    }
    return { ok: false, message: `The selected ${field} is invalid.` };
  }
  if (raw === 'null' && schema.enum?.some((e) => e === null || e === 'null')) return { ok: true, value: null };
  let value: string | number | boolean;
  switch (schema.type) {
    case 'integer':
      if (!/^-?\d+$/.test(raw)) return { ok: false, message: `The ${field} must be an integer.` };
      value = Number(raw);
      break;
    case 'number':
      if (raw.trim() === '' || !Number.isFinite(Number(raw))) return { ok: false, message: `The ${field} must be a number.` };
      value = Number(raw);
      break;
    case 'boolean':
      if (TRUE.has(raw)) value = true;
      else if (FALSE.has(raw)) value = false;
      else return { ok: false, message: `The ${field} field must be true or false.` };
      break;
    default:
      value = raw;
      if (schema.format === 'integer' && !/^-?\d+$/.test(raw)) return { ok: false, message: `The ${field} must be an integer.` };
      if ((schema.format === 'date-time' || schema.format === 'date') && Number.isNaN(Date.parse(raw))) {
        return { ok: false, message: `The ${field} is not a valid date.` };
      }
  }
  if (schema.enum && !schema.enum.some((e) => e === value || String(e) === raw)) {
    return { ok: false, message: `The selected ${field} is invalid.` };
  }
  return { ok: true, value };
}
