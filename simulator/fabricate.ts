/**
 * Fabricates values from a contract JSON schema with the seeded PRNG. Every resource gets
 * schema-valid records for free (including the ~90 resources still to come); per-resource
 * hooks then overlay realistic values and relations. Schemas are compiled once into closures
 * because seeding 100k sessions walks the session schema 100k times.
 */
import type { JsonSchema } from '../src/definitions/contract-model.js';
import { Rng } from './prng.js';
import { isNullable } from './validate.js';

export interface FabricateContext {
  rng: Rng;
  /** Upper bound (ms) of fabricated date-times; they fall within the two years before it. */
  epochMs: number;
  /** Probability that an optional property is present. */
  pOptional: number;
  /** Probability that a nullable value is null. */
  pNull: number;
  /** Only required properties (and ones with a default); empty arrays. For records created through the API. */
  requiredOnly: boolean;
}

type Gen = (ctx: FabricateContext) => unknown;

/**
 * Keywords of AMPECO's schemas the reduced contract may carry beyond `JsonSchema`'s: a property only
 * sent in requests (`writeOnly`), string patterns and number steps. Honoured when present.
 */
type Schema = JsonSchema & { writeOnly?: boolean; pattern?: string; multipleOf?: number; variants?: JsonSchema[] };

const WORDS = [
  'alpha', 'amber', 'beacon', 'cedar', 'delta', 'ember', 'falcon', 'harbor', 'iris', 'juniper', 'kestrel',
  'lumen', 'maple', 'nova', 'orchid', 'pulse', 'quartz', 'river', 'summit', 'tidal', 'umber', 'vertex', 'willow',
];
const LOCALES = ['en', 'de', 'bg', 'fr', 'nl'];
const DAY_MS = 86_400_000;

const cache = new WeakMap<JsonSchema, Map<string, Gen>>();

/** A value valid against `schema`; `name` (the property name) steers string contents. */
export function fabricate(schema: JsonSchema, ctx: FabricateContext, name = ''): unknown {
  return compile(schema, name)(ctx);
}

/**
 * An object for a record schema, leaving out `skip` (properties served lazily, like include-
 * gated ones, so they cost no memory in the store).
 */
export function fabricateRecord(schema: JsonSchema, ctx: FabricateContext, skip?: ReadonlySet<string>): Record<string, unknown> {
  return recordMaker(schema, skip)(ctx) as Record<string, unknown>;
}

/**
 * `fabricateRecord` compiled once, for seeding many records of one type. A record the contract
 * merged from `oneOf`/`anyOf` variants (which it keeps as `variants`) is one variant's record: the
 * union of every variant's fields would match none of them.
 */
export function recordMaker(schema: JsonSchema, skip?: ReadonlySet<string>): Gen {
  const variants = (schema as Schema).variants?.filter((v) => v.properties);
  if (!variants?.length) return objectGen(schema, skip);
  const gens = variants.map((v) => objectGen(v, skip));
  return (ctx) => ctx.rng.pick(gens)(ctx);
}

interface PropertyPlan {
  key: string;
  gen: Gen;
  required: boolean;
  nullable: boolean;
  hasDefault: boolean;
}

/**
 * A schema for a property that `required` names but `properties` does not declare (AMPECO's utility
 * requires a `lastUpdatedAt` it never describes), guessed from its name: `...At` is a date-time,
 * `id`/`...Id` an integer, anything else a string.
 */
export function guessedSchema(name: string): JsonSchema {
  if (/At$/.test(name)) return { type: 'string', format: 'date-time' };
  if (name === 'id' || /Id$/.test(name)) return { type: 'integer' };
  return { type: 'string' };
}

/** The schema with a guessed property for every required name it does not declare (itself when there is none). */
export function withRequiredProperties(schema: JsonSchema): JsonSchema {
  const props = schema.properties ?? {};
  const missing = (schema.required ?? []).filter((key) => !props[key]);
  if (!missing.length) return schema;
  return { ...schema, properties: { ...props, ...Object.fromEntries(missing.map((key) => [key, guessedSchema(key)])) } };
}

/**
 * Whether a property may be fabricated null: nullable, except an enum that does not list null (OpenAPI
 * 3.0 reads `nullable` with an enum so; AMPECO's `allOf: [{ enum }]` beside `nullable`, merged by the
 * reduced contract, means exactly that: a booking request's `evseCriteria.currentType`).
 */
function fabricatedNull(prop: JsonSchema): boolean {
  return prop.enum ? prop.enum.includes(null) : isNullable(prop);
}

function plan(schema: JsonSchema, skip?: ReadonlySet<string>): PropertyPlan[] {
  const required = new Set(schema.required ?? []);
  // Write-only properties are never served: AMPECO accepts them in requests only.
  return Object.entries(withRequiredProperties(schema).properties ?? {})
    .filter(([key, prop]) => !skip?.has(key) && !(prop as Schema).writeOnly)
    .map(([key, prop]) => ({
      key,
      gen: compile(prop, key),
      required: required.has(key),
      nullable: fabricatedNull(prop),
      hasDefault: prop.default !== undefined,
    }));
}

function objectGen(schema: JsonSchema, skip?: ReadonlySet<string>): Gen {
  let props: PropertyPlan[] | undefined;
  return (ctx) => {
    // Planned on first use: compiling eagerly would recurse forever on self-referencing schemas.
    props ??= plan(schema, skip);
    const out: Record<string, unknown> = {};
    const { rng } = ctx;
    for (const p of props) {
      if (!p.required) {
        if (ctx.requiredOnly ? !p.hasDefault : rng.next() >= ctx.pOptional) continue;
      }
      if (p.nullable && !p.hasDefault && rng.next() < (p.required ? ctx.pNull / 2 : ctx.pNull)) out[p.key] = null;
      else out[p.key] = p.gen(ctx);
    }
    return out;
  };
}

export function compile(schema: JsonSchema, name: string): Gen {
  let byName = cache.get(schema);
  if (!byName) cache.set(schema, (byName = new Map<string, Gen>()));
  let gen = byName.get(name);
  if (!gen) {
    gen = build(schema, name);
    byName.set(name, gen);
  }
  return gen;
}

function build(schema: JsonSchema, name: string): Gen {
  if (schema.default !== undefined && schema.default !== null) {
    const value = schema.default;
    return typeof value === 'object' ? () => structuredClone(value) : () => value;
  }
  if (schema.enum) {
    const values = schema.enum.filter((v) => v !== null && v !== '');
    const fallback = schema.enum.filter((v) => v !== null);
    const pool = values.length ? values : fallback;
    return pool.length ? (ctx) => ctx.rng.pick(pool) : () => null;
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) {
    const gens = branches.map((b) => compile(b, name));
    return (ctx) => ctx.rng.pick(gens)(ctx);
  }
  switch (schema.type) {
    case 'object':
      return objectGen(schema);
    case 'array': {
      const item = compile(schema.items ?? { type: 'string' }, name);
      // Lists of enum values read as sets (capabilities, facilities): no repeats.
      const distinct = Boolean(schema.items?.enum);
      return (ctx) => {
        if (ctx.requiredOnly) return [];
        const n = ctx.rng.int(0, 3);
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const v = item(ctx);
          if (!distinct || !out.includes(v)) out.push(v);
        }
        return out;
      };
    }
    case 'integer': {
      const step = (schema as Schema).multipleOf;
      return step ? stepGen(schema, step, 1) : integerGen(schema, name);
    }
    case 'number': {
      // Ids the contract types as `number` are whole numbers in AMPECO (array items compile under the array's name).
      if (name === 'id' || /[a-z]Ids?$/.test(name)) return integerGen(schema, name);
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? Math.max(min + 1, 500);
      const step = (schema as Schema).multipleOf;
      return step ? stepGen(schema, step, 0) : (ctx) => ctx.rng.float(min, max, 2);
    }
    case 'boolean':
      return (ctx) => ctx.rng.chance(0.5);
    case 'string':
      return stringGen(schema, name);
    default:
      // An untyped schema accepts anything; a short string is the least surprising value.
      return (ctx) => ctx.rng.pick(WORDS);
  }
}

/** Multiples of `step` within the schema's bounds (`multipleOf`), written with no more decimals than the step has. */
function stepGen(schema: JsonSchema, step: number, fallbackMin: number): Gen {
  const decimals = (String(step).split('.')[1] ?? '').length;
  const min = schema.minimum ?? fallbackMin;
  const max = schema.maximum ?? Math.max(min + step, 500);
  const lo = Math.ceil(min / step - 1e-9);
  const hi = Math.max(lo, Math.floor(max / step + 1e-9));
  return (ctx) => Number((ctx.rng.int(lo, hi) * step).toFixed(decimals));
}

function integerGen(schema: JsonSchema, name: string): Gen {
  const lower = name.toLowerCase();
  let min = schema.minimum ?? 1;
  let max = schema.maximum ?? 1000;
  if (schema.minimum === undefined && schema.maximum === undefined) {
    if (lower.endsWith('year')) [min, max] = [2026, 2036];
    else if (lower === 'port') [min, max] = [1024, 65535];
    else if (lower.includes('profile') || lower.includes('level')) [min, max] = [0, 3];
  }
  return (ctx) => ctx.rng.int(min, max);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

const COUNTRY_CODES = ['DE', 'FR', 'NL', 'BG', 'AT', 'BE', 'GB'];

/** Kinds of text a `pattern` may ask for: times of day and ISO country codes (the patterns AMPECO's contract uses). */
const PATTERN_KINDS: Gen[] = [
  (ctx) => `${pad2(ctx.rng.int(0, 23))}:${pad2(ctx.rng.int(0, 3) * 15)}`,
  (ctx) => `${pad2(ctx.rng.int(0, 23))}:${pad2(ctx.rng.int(0, 3) * 15)}:00`,
  (ctx) => ctx.rng.pick(COUNTRY_CODES),
];

/** The first kind whose samples all match the pattern; undefined for a pattern none fits (or an invalid one). */
function patternGen(pattern: string, fallback: Gen): Gen | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const probe: FabricateContext = { rng: new Rng(1), epochMs: 0, pOptional: 1, pNull: 0, requiredOnly: false };
  const fits = (gen: Gen): boolean => Array.from({ length: 16 }, () => String(gen(probe))).every((s) => re.test(s));
  if (fits(fallback)) return fallback;
  return PATTERN_KINDS.find(fits);
}

function stringGen(schema: JsonSchema, name: string): Gen {
  const plain = rawStringGen(schema, name);
  const pattern = (schema as Schema).pattern;
  const raw = pattern ? (patternGen(pattern, plain) ?? plain) : plain;
  const { minLength, maxLength } = schema;
  if (minLength === undefined && maxLength === undefined) return raw;
  return (ctx) => {
    let s = String(raw(ctx));
    if (maxLength !== undefined && s.length > maxLength) s = s.slice(0, maxLength);
    if (minLength !== undefined && s.length < minLength) s = s.padEnd(minLength, 'x');
    return s;
  };
}

function rawStringGen(schema: JsonSchema, name: string): Gen {
  const lower = name.toLowerCase();
  switch (schema.format) {
    case 'date-time':
    case 'datetime':
      return (ctx) => new Date(ctx.epochMs - ctx.rng.int(0, 730 * DAY_MS)).toISOString();
    case 'date':
      return (ctx) => new Date(ctx.epochMs - ctx.rng.int(0, 730) * DAY_MS).toISOString().slice(0, 10);
    case 'time':
      return (ctx) => `${pad2(ctx.rng.int(0, 23))}:${pad2(ctx.rng.int(0, 3) * 15)}`;
    case 'email':
      return (ctx) => `${ctx.rng.pick(WORDS)}.${ctx.rng.int(1, 9999)}@example.com`;
    case 'integer':
      return (ctx) => String(ctx.rng.int(1, 1000));
    case 'url':
    case 'uri':
      return (ctx) => `https://example.com/${ctx.rng.pick(WORDS)}/${ctx.rng.int(1, 9999)}`;
    default:
      break;
  }
  if (lower.includes('email')) return (ctx) => `${ctx.rng.pick(WORDS)}.${ctx.rng.int(1, 9999)}@example.com`;
  if (lower.includes('url') || lower === 'original' || lower === 'thumbnail') {
    return (ctx) => `https://cdn.example.com/images/${ctx.rng.pick(WORDS)}-${ctx.rng.int(1, 9999)}.jpg`;
  }
  if (lower === 'mimetype') return () => 'image/jpeg';
  if (lower.includes('currency')) return () => 'EUR';
  if (lower.endsWith('countrycode')) return (ctx) => ctx.rng.pick(COUNTRY_CODES);
  if (lower === 'locale' || lower === 'language') return (ctx) => ctx.rng.pick(LOCALES);
  if (lower === 'timezone') return () => 'Europe/Berlin';
  if (lower.includes('phone')) return (ctx) => `+4915${ctx.rng.int(10_000_000, 99_999_999)}`;
  if (lower.endsWith('id') || lower.includes('serial') || lower === 'iccid' || lower === 'imsi') {
    return (ctx) => ctx.rng.int(0x10000000, 0x7fffffff).toString(16).toUpperCase();
  }
  if (lower.includes('name') || lower === 'label' || lower === 'title') {
    return (ctx) => `${cap(ctx.rng.pick(WORDS))} ${cap(ctx.rng.pick(WORDS))}`;
  }
  if (lower.includes('description') || lower === 'translation' || lower === 'message') {
    return (ctx) => `${cap(ctx.rng.pick(WORDS))} ${ctx.rng.pick(WORDS)} ${ctx.rng.pick(WORDS)}.`;
  }
  return (ctx) => `${ctx.rng.pick(WORDS)}-${ctx.rng.int(1, 999)}`;
}

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
