/**
 * Fabricates values from a contract JSON schema with the seeded PRNG. Every resource gets
 * schema-valid records for free (including the ~90 resources still to come); per-resource
 * hooks then overlay realistic values and relations. Schemas are compiled once into closures
 * because seeding 100k sessions walks the session schema 100k times.
 */
import type { JsonSchema } from '../src/definitions/contract-model.js';
import type { Rng } from './prng.js';
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

/** `fabricateRecord` compiled once, for seeding many records of one type. */
export function recordMaker(schema: JsonSchema, skip?: ReadonlySet<string>): Gen {
  return objectGen(schema, skip);
}

interface PropertyPlan {
  key: string;
  gen: Gen;
  required: boolean;
  nullable: boolean;
  hasDefault: boolean;
}

function plan(schema: JsonSchema, skip?: ReadonlySet<string>): PropertyPlan[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => !skip?.has(key))
    .map(([key, prop]) => ({
      key,
      gen: compile(prop, key),
      required: required.has(key),
      nullable: isNullable(prop),
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
    case 'integer':
      return integerGen(schema, name);
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? Math.max(min + 1, 500);
      return (ctx) => ctx.rng.float(min, max, 2);
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

function stringGen(schema: JsonSchema, name: string): Gen {
  const raw = rawStringGen(schema, name);
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
