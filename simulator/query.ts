/**
 * PHP/Laravel-style query strings, parsed by `qs`: `filter[a][]=1&filter[a][]=2&include[0]=x` become nested
 * values, the way AMPECO's backend reads them (the facade encodes them with `qs` too:
 * src/datasources/http/query.ts). Containers whose keys are all indexes become arrays.
 */
import { parse, type IParseOptions } from 'qs';
import type { JsonSchema } from '../src/definitions/contract-model.js';
import { HttpError } from './http.js';

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryObject = { [key: string]: QueryValue };

/**
 * PHP's own limits where it has them (max_input_vars = 1000 parameters); AMPECO's deepest parameter is
 * `filter[key][]` (depth 2), so 5 levels is generous; a list may be as long as the parameter limit allows,
 * as in PHP. Going past a limit is refused (400) rather than silently truncated, so that a facade bug
 * shows here instead of as a wrong answer.
 */
const OPTIONS: IParseOptions = {
  depth: 5,
  strictDepth: true,
  arrayLimit: 1000,
  parameterLimit: 1000,
  throwOnLimitExceeded: true,
  // `a=1&a=2` is '2', as in PHP; `a[]=1&a[]=2` still gives a list.
  duplicates: 'last',
  ignoreQueryPrefix: true,
  // Null-prototype objects: any key (`constructor`, `toString`) is data, never an inherited member.
  plainObjects: true,
};

export function parseQuery(search: string): QueryObject {
  try {
    // Without strictNullHandling qs yields only strings, lists and objects: a QueryObject.
    return parse(search, OPTIONS) as QueryObject;
  } catch (error) {
    if (error instanceof RangeError) throw new HttpError(400, `The query string is too complex: ${error.message}`);
    throw error;
  }
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
