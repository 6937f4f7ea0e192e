/**
 * A seeded generator of GraphQL operations over the whole schema the facade serves (`buildSchema()`),
 * for the fuzz suite (test/hardening/fuzz.test.ts).
 *
 * Case `i` of seed `s` depends on nothing but (s, i) and the context (the schema, the simulator's
 * ids, a few real cursors), so one failing case can be regenerated alone. Valid cases are
 * type-correct and pass graphql-js validation (checked by the suite); invalid ones break exactly
 * one rule on purpose and say so in `flavour`, and `mustFail` when the facade has to refuse them.
 */
import { isConnection } from '../../src/resolvers/lookahead.js';
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { hash32, Rng } from '../../simulator/prng.js';

export interface FuzzContext {
  schema: GraphQLSchema;
  /** Ids that exist in the simulator's store, by type name. */
  ids: Record<string, string[]>;
  /** The sub-resources addressed through their parent (PaymentMethod through its User), by type. */
  pairs: Record<string, SubResourcePairs>;
  /** Real `endCursor`s the facade issued, by listing (root field name). */
  cursors: Record<string, string>;
  /** Odd strings (fast-check's unicode, see nastyStrings). */
  strings: string[];
}

export interface SubResourcePairs {
  /** The argument of the root fields that carries the parent's id (`userId`). */
  parentArg: string;
  /** The field of the federation key that carries it (`userId` of `@key(fields: "id userId")`). */
  keyField: string;
  /** The parent's type (User). */
  parent: string;
  /** [parentId, id] of records that exist. */
  pairs: [parentId: string, id: string][];
}

export type FuzzBody = { query: string; variables?: unknown; operationName?: string };

export interface FuzzCase {
  seed: number;
  index: number;
  valid: boolean;
  /** What the case exercises: query, mutation, entities, or the rule an invalid case breaks. */
  flavour: string;
  /** The POST body: an object sent as JSON, or a string sent as is. */
  body: FuzzBody | string;
  /** Credential: the simulator's token (default), none, or one AMPECO refuses. */
  auth: 'token' | 'none' | 'wrong';
  /** Set when the facade must refuse the case with an error (with this code, at this path, when given). */
  mustFail?: { code?: string; path?: (string | number)[] };
}

/** The seed of a run: FUZZ_SEED when set, else a fixed one (a CI run is reproducible by default). */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FUZZ_SEED?.trim();
  if (!raw) return 20260601;
  if (raw === 'random') return (Date.now() ^ (Math.random() * 2 ** 31)) >>> 0;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer or "random"; got ${raw}`);
  return n >>> 0;
}

/** Unicode oddities from fast-check (seeded): any code point, lone surrogates, graphemes, control characters. */
export function nastyStrings(seed: number, count = 64): string[] {
  const fixed = ['', ' ', '..', '../..', '../../users', '%2e%2e%2f', '1/../2', '1?per_page=1000', '1#frag', '\u0000', '\n', 'null', 'undefined', '-1', '0', '1e3', '1.5', ' 1 ', '🚗⚡', '\u202e', "' OR 1=1 --", '{"$gt":""}', 'x'.repeat(2_000)];
  const random = fc.sample(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 24 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary-ascii', maxLength: 24 }),
    ),
    { seed, numRuns: count },
  );
  return [...fixed, ...random];
}

/** How an issue can be reproduced: the seed and index, the query and variables (or the raw body). */
export function describeCase(c: FuzzCase): string {
  const body = typeof c.body === 'string' ? `raw body: ${JSON.stringify(c.body.length > 600 ? `${c.body.slice(0, 600)}…(${c.body.length} chars)` : c.body)}` : `query: ${c.body.query}\nvariables: ${truncate(JSON.stringify(c.body.variables ?? null), 1_500)}${c.body.operationName ? `\noperationName: ${c.body.operationName}` : ''}`;
  return `FUZZ_SEED=${c.seed} FUZZ_CASES=${c.index} (${c.valid ? 'valid' : 'invalid'}: ${c.flavour}, auth: ${c.auth})\n${body}`;
}

const truncate = (s: string | undefined, n: number) => (s === undefined ? 'undefined' : s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

type Rule = 'wrong-arg-type' | 'unknown-field' | 'missing-required-arg';

/**
 * Fields the generator leaves out because of a known bug outside the fuzz's reach to fix, so that
 * the suite keeps finding new ones. Each is pinned by a test in test/hardening/fuzz.test.ts that
 * fails once the bug is fixed: then remove the entry here.
 */
export const KNOWN_BUGS: readonly { field: string; query: string; reason: string }[] = [];
const LEFT_OUT = new Set(KNOWN_BUGS.map((b) => b.field));

/** Builds one operation. One instance per case. */
class Builder {
  readonly vars: { name: string; type: string; value: unknown; omit: boolean }[] = [];
  readonly fragments: string[] = [];
  private counter = 0;
  /** The rule this operation must break, until it has been broken once. */
  pending: Rule | undefined;
  broken = false;
  /** The `__typename`s of the `_entities` representations to make, when chosen by the case. */
  entityTypes: string[] | undefined;

  constructor(
    readonly rng: Rng,
    readonly ctx: FuzzContext,
    /** Probability that an argument is passed as a variable. */
    readonly varRate: number,
    readonly maxDepth: number,
  ) {}

  next(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  // ---- values ------------------------------------------------------------------------------

  /** A type-correct JSON value for `type`; `hint` names the argument (ids by resource). */
  value(type: GraphQLInputType, hint: IdHint, depth = 0): unknown {
    if (isNonNullType(type)) return this.value(type.ofType, hint, depth);
    if (isListType(type)) return Array.from({ length: this.rng.int(0, 3) }, () => this.value(type.ofType, hint, depth + 1));
    const named = type as GraphQLNamedType;
    if (isEnumType(named)) return this.rng.pick(named.getValues()).name;
    if (isInputObjectType(named)) {
      const out: Record<string, unknown> = {};
      for (const field of Object.values(named.getFields())) {
        const required = isNonNullType(field.type) && field.defaultValue === undefined;
        if (required || (depth < 3 && this.rng.chance(0.35))) out[field.name] = this.value(field.type, { arg: field.name, resource: hint.resource }, depth + 1);
      }
      return out;
    }
    return this.scalar(named.name, hint);
  }

  scalar(name: string, hint: IdHint): unknown {
    const r = this.rng;
    switch (name) {
      case 'ID':
        return this.id(hint);
      case 'Int':
        if (hint.arg === 'first') return r.weighted<number>([[r.int(1, 10), 75], [r.int(11, 100), 10], [r.pick([0, -1, 101, 2_147_483_647, -2_147_483_648]), 15]]);
        return r.pick([0, 1, -1, 7, 42, r.int(-1_000, 1_000), 2_147_483_647, -2_147_483_648]);
      case 'Float':
        return r.pick([0, 1.5, -0.5, 42.125, 90, -180, 1e308, -1e308, 5e-324, r.float(-1_000, 1_000, 3)]);
      case 'Boolean':
        return r.chance(0.5);
      case 'String':
        return r.chance(0.5) ? r.pick(['en', 'bg', 'Sofia', 'x', 'test@example.com', 'Secret123!', '+359888123456', 'BG', 'EUR']) : r.pick(this.ctx.strings);
      case 'DateTime':
        return r.pick(['2026-05-01T00:00:00Z', '2026-05-31T23:59:59.999+03:00', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', `2026-0${r.int(1, 9)}-1${r.int(0, 9)}T1${r.int(0, 9)}:00:00Z`]);
      case 'Date':
        return r.pick(['2026-05-01', '1970-01-01', '9999-12-31', `2025-1${r.int(0, 2)}-0${r.int(1, 9)}`]);
      case 'JSON':
        return r.pick([{}, { a: 1 }, [1, 'x'], 'text', 0, null, { nested: { deep: [true, null] } }]);
      default:
        return r.pick(this.ctx.strings);
    }
  }

  id(hint: IdHint): string | number {
    const r = this.rng;
    if (hint.arg === 'evseNetworkId') return r.pick(['1', '2', '3', '0', '-1', '99']);
    const known = hint.resource ? this.ctx.ids[hint.resource] : undefined;
    if (known?.length && r.chance(0.7)) return r.pick(known);
    return r.weighted<string | number>([[r.pick(this.ctx.strings), 6], [r.pick(['0', '-1', '424242', '9'.repeat(30), '1.0', '1e3']), 3], [r.int(1, 50), 1]]);
  }

  /** A literal of a value `value()` made for `type`. */
  literal(value: unknown, type: GraphQLInputType): string {
    if (value === null || value === undefined) return 'null';
    if (isNonNullType(type)) return this.literal(value, type.ofType);
    if (isListType(type)) {
      const items = Array.isArray(value) ? value : [value];
      return `[${items.map((v) => this.literal(v, type.ofType)).join(', ')}]`;
    }
    const named = type as GraphQLNamedType;
    if (isEnumType(named)) return typeof value === 'string' ? value : untypedLiteral(value);
    if (isInputObjectType(named)) {
      const fields = named.getFields();
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${this.literal(v, fields[k]!.type)}`)
        .join(', ')}}`;
    }
    if (named.name === 'JSON' || named.name === '_Any') return untypedLiteral(value);
    if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : String(value).replace('e+', 'e');
    if (typeof value === 'boolean') return String(value);
    return stringLiteral(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** A literal of the wrong type for `type` (what validation must refuse). */
  wrongLiteral(type: GraphQLInputType): string {
    const r = this.rng;
    if (isNonNullType(type) && r.chance(0.3)) return 'null';
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) return `[${this.wrongLiteral(inner.ofType)}]`;
    const named = inner as GraphQLNamedType;
    if (isEnumType(named)) return r.pick([stringLiteral(named.getValues()[0]!.name), 'NOT_A_MEMBER_ZZ', '1']);
    if (isInputObjectType(named)) return r.pick(['"x"', '42', '{zzUnknown: 1}', 'true']);
    switch (named.name) {
      case 'Int':
        return r.pick(['"ten"', '1.5', 'true', '99999999999', '{a: 1}']);
      case 'Float':
        return r.pick(['"x"', 'true', '[{a: 1}]']);
      case 'Boolean':
        return r.pick(['"true"', '1', 'TRUE']);
      case 'DateTime':
      case 'Date':
        return r.pick(['"yesterday"', '42', '"2026-13-45"']);
      default: // String, ID and custom string scalars
        return r.pick(['{zz: 1}', 'true', '1.5', 'SOME_ENUM']);
    }
  }

  // ---- arguments ---------------------------------------------------------------------------

  args(field: GraphQLField<unknown, unknown>, parent: GraphQLObjectType): string {
    const parts: string[] = [];
    const args = [...field.args];
    let skip: GraphQLArgument | undefined;
    if (this.pending === 'missing-required-arg') {
      skip = args.find((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      if (skip) this.markBroken();
    }
    let corrupt: GraphQLArgument | undefined;
    if (this.pending === 'wrong-arg-type') {
      const candidates = args.filter((a) => !['JSON', '_Any'].includes(getNamedType(a.type).name));
      corrupt = candidates.length ? this.rng.pick(candidates) : undefined;
      if (corrupt) this.markBroken();
    }
    const pair = this.pairFor(field.name, parent);
    for (const arg of args) {
      if (arg === skip) continue;
      if (arg === corrupt) {
        parts.push(`${arg.name}: ${this.wrongLiteral(arg.type)}`);
        continue;
      }
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (!required && !this.rng.chance(arg.name === 'first' ? 0.8 : 0.4)) continue;
      let value: unknown;
      if (arg.name === 'after') value = this.after(field.name);
      else if (pair && arg.name in pair) value = pair[arg.name];
      else if (!required && this.rng.chance(0.05)) value = null;
      else value = this.value(arg.type, { arg: arg.name, resource: resourceOf(arg.name, field.name, this.ctx) });
      if (field.name === '_entities' && arg.name === 'representations') value = this.representations();
      parts.push(`${arg.name}: ${this.argValue(arg.type, value)}`);
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  /** An argument as a literal or, sometimes, as a variable. */
  argValue(type: GraphQLInputType, value: unknown): string {
    if (!this.rng.chance(this.varRate)) return this.literal(value, type);
    const name = this.next('v');
    const omit = !isNonNullType(type) && this.rng.chance(0.1);
    this.vars.push({ name, type: String(type), value, omit });
    return `$${name}`;
  }

  /** A real cursor of this listing (or of another one: refused once cursors are bound to their listing). */
  after(fieldName: string): string | null {
    const own = this.ctx.cursors[fieldName];
    const all = Object.values(this.ctx.cursors);
    if (own && this.rng.chance(0.8)) return own;
    return all.length && this.rng.chance(0.5) ? this.rng.pick(all) : null;
  }

  /** A coherent parent id (and id) for the root fields of sub-resources addressed through their parent. */
  pairFor(fieldName: string, parent: GraphQLObjectType): Record<string, string> | undefined {
    if (!['Query', 'Mutation'].includes(parent.name) || !this.rng.chance(0.7)) return undefined;
    const sub = subResourceOf(fieldName, this.ctx);
    if (!sub?.pairs.length) return undefined;
    const [parentId, id] = this.rng.pick(sub.pairs);
    return { [sub.parentArg]: parentId, id };
  }

  /**
   * `_entities` representations: mostly real keys, sometimes what a confused gateway might send.
   * Of the types in `entityTypes` when set (the suite goes round all entities), else random ones.
   */
  representations(): unknown[] {
    const r = this.rng;
    const members = entityTypes(this.ctx.schema);
    const types = this.entityTypes ?? Array.from({ length: r.int(1, 4) }, () => r.pick(members));
    return types.map((type) => {
      const rep: Record<string, unknown> = { __typename: type, id: this.id({ arg: 'id', resource: type }) };
      const sub = this.ctx.pairs[type];
      if (sub?.pairs.length && r.chance(0.7)) [rep[sub.keyField], rep.id] = r.pick(sub.pairs);
      else if (sub) rep[sub.keyField] = this.id({ arg: sub.keyField, resource: sub.parent });
      return r.weighted<unknown>([
        [rep, 14],
        [{ ...rep, __typename: 'NoSuchType' }, 1],
        [{ __typename: type }, 1],
        [{ __typename: type, id: { nested: true } }, 1],
        [{ id: rep.id }, 1],
        // A sub-resource without its parent's id: its key is incomplete.
        ...(sub ? [[{ __typename: type, id: rep.id }, 1] as [unknown, number]] : []),
      ]);
    });
  }

  // ---- selections --------------------------------------------------------------------------

  /** A selection set of an object type: a few fields, some aliased, some behind fragments. */
  selectionSet(type: GraphQLObjectType, depth: number, aliasAll = false): string {
    const fields = Object.values(type.getFields()).filter((f) => !LEFT_OUT.has(`${type.name}.${f.name}`));
    const canRecurse = depth < this.maxDepth;
    const usable = fields.filter((f) => canRecurse || isLeafType(getNamedType(f.type)));
    const pool = usable.length ? usable : fields.filter((f) => isLeafType(getNamedType(f.type)));
    // A type whose fields are all objects, at the depth limit: only its name can be selected.
    if (pool.length === 0) return '{ __typename }';
    const count = Math.min(pool.length, this.rng.int(1, 4));
    const chosen = shuffle(this.rng, pool).slice(0, count);
    // Members of a union may share field names with different types: aliases keep them apart.
    const parts = chosen.map((f) => this.field(f, type, depth, aliasAll ? this.next('u') : undefined));
    if (this.pending === 'unknown-field' && this.rng.chance(0.5)) {
      // Each is wrong on every type: unknown, a sub-selection on a leaf or unknown, a bare `nodes`.
      parts.splice(this.rng.int(0, parts.length), 0, this.rng.pick(['zzUnknownField', 'colour', 'id { id }', 'nodes', 'chargePointz']));
      this.markBroken();
    }
    // Sometimes a named or an inline fragment holds part of the set (same response names: no conflicts).
    if (parts.length > 1 && this.rng.chance(0.2)) {
      const cut = this.rng.int(1, parts.length - 1);
      const moved = parts.splice(cut);
      if (this.rng.chance(0.5)) {
        const name = this.next('F');
        this.fragments.push(`fragment ${name} on ${type.name} { ${moved.join(' ')} }`);
        parts.push(`...${name}`);
      } else {
        parts.push(`... on ${type.name} { ${moved.join(' ')} }`);
      }
    }
    if (this.rng.chance(0.05)) parts.push('__typename');
    return `{ ${parts.join(' ')} }`;
  }

  /** A field with its arguments and sub-selection; `alias` '' means none, undefined a random one. */
  field(f: GraphQLField<unknown, unknown>, parent: GraphQLObjectType, depth: number, alias?: string): string {
    const name = alias ?? (this.rng.chance(0.15) ? this.next('a') : '');
    const head = `${name ? `${name}: ` : ''}${f.name}${f.args.length ? this.args(f, parent) : ''}`;
    const named = getNamedType(f.type);
    if (isLeafType(named)) return head;
    if (isUnionType(named)) {
      const members = shuffle(this.rng, [...named.getTypes()]).slice(0, this.rng.int(1, 3));
      return `${head} { __typename ${members.map((m) => `... on ${m.name} ${this.selectionSet(m, depth + 1, true)}`).join(' ')} }`;
    }
    if (isObjectType(named)) return `${head} ${this.selectionSet(named, depth + 1)}`;
    return `${head} { __typename }`;
  }

  markBroken(): void {
    this.pending = undefined;
    this.broken = true;
  }

  /** The document: the operation, then its fragments. */
  document(kind: 'query' | 'mutation', selection: string, named: boolean): { query: string; variables?: Record<string, unknown>; operationName?: string } {
    const defs = this.vars.map((v) => `$${v.name}: ${v.type}`);
    const opName = named || defs.length ? this.next('Op') : undefined;
    const head = opName ? `${kind} ${opName}${defs.length ? `(${defs.join(', ')})` : ''} ` : kind === 'query' && this.rng.chance(0.5) ? '' : `${kind} `;
    const query = [`${head}${selection}`, ...this.fragments].join('\n');
    const variables = Object.fromEntries(this.vars.filter((v) => !v.omit).map((v) => [v.name, v.value]));
    return { query, ...(defs.length ? { variables } : {}), ...(opName && this.rng.chance(0.5) ? { operationName: opName } : {}) };
  }
}

interface IdHint {
  arg: string;
  resource?: string | undefined;
}

/** The resource an id argument names: `chargePointId` → ChargePoint; `id` of `updateEvse` → Evse. */
function resourceOf(arg: string, fieldName: string, ctx: FuzzContext): string | undefined {
  const fromArg = arg.endsWith('Id') ? ucfirst(arg.slice(0, -2)) : arg === 'id' ? ucfirst(fieldName.replace(/^(create|update|delete)/, '')) : undefined;
  return fromArg && ctx.ids[fromArg] ? fromArg : undefined;
}

/** The sub-resource a root field reads, lists or writes (`paymentMethods`, `updatePaymentMethod` → PaymentMethod), if any. */
function subResourceOf(fieldName: string, ctx: FuzzContext): SubResourcePairs | undefined {
  const name = ucfirst(fieldName.replace(/^(create|update|delete)(?=[A-Z])/, ''));
  const singular = [name, name.replace(/ies$/, 'y'), name.replace(/s$/, '')];
  return singular.map((n) => ctx.pairs[n]).find(Boolean);
}

/** The members of `_Entity`: the types `_entities` resolves. */
function entityTypes(schema: GraphQLSchema): string[] {
  const union = schema.getType('_Entity');
  return isUnionType(union) ? union.getTypes().map((t) => t.name) : [];
}

const ucfirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function shuffle<T>(rng: Rng, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A GraphQL string literal. Lone surrogates cannot be written in GraphQL source: they become U+FFFD. */
function stringLiteral(s: string): string {
  return JSON.stringify(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

/** A literal of an untyped JSON value (JSON and _Any scalars); keys are made valid names. */
function untypedLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(untypedLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : `k${hash32(k)}`}: ${untypedLiteral(v)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`no GraphQL literal for a ${typeof value}`);
}

const LISTINGS = (schema: GraphQLSchema) =>
  Object.values(schema.getQueryType()!.getFields()).filter((f) => isConnection(getNamedType(f.type)) && f.args.some((a) => a.name === 'after'));

/** Bodies that are not a GraphQL request at all or break the HTTP contract (refused), or are odd but legal (answered). */
const ODD_BUT_LEGAL = [
  // Variables the operation does not declare are ignored, however deep.
  `{"query":"{ contractVersion }","variables":${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}}`,
  '{"query":"{ contractVersion }","variables":null,"operationName":null,"extensions":{}}',
  `{"query":"{ contractVersion }","padding":"${'x'.repeat(50_000)}"}`,
];
const RAW_BODIES: string[] = [
  'not json at all',
  '{"query": 5}',
  '{}',
  'null',
  '[]',
  '"{ contractVersion }"',
  '[{"query":"{ contractVersion }"},{"query":"{ contractVersion }"}]',
  '{"query":"{ contractVersion }","operationName":"Nope"}',
  '{"query":"query A { contractVersion } query B { contractVersion }"}',
  '{"query":"{ contractVersion }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"00ff"}}}',
  '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}}',
  '{"query":"{ contractVersion }","variables":"not an object"}',
  '{"query":"{ contractVersion }","variables":[1,2,3]}',
  '{"query":"{ contractVersion }"',
  `{"query":"{ contractVersion }","padding":"${'x'.repeat(120_000)}"}`,
  `{"query":"${'{ a '.repeat(3_000)}"}`,
];

/** Forged `after` values: never issued by the facade for that listing, whatever they decode to. */
function forgedCursor(rng: Rng, ctx: FuzzContext, field: string): string {
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const real = Object.values(ctx.cursors);
  const tamper = (c: string) => {
    const i = rng.int(0, c.length - 1);
    const ch = c[i] === 'A' ? 'B' : 'A';
    return `${c.slice(0, i)}${ch}${c.slice(i + 1)}`;
  };
  const others = Object.entries(ctx.cursors).filter(([k]) => k !== field).map(([, c]) => c);
  const forged = rng.weighted<() => string>([
    [() => b64({ o: rng.pick([-1, 5, 1e300, 2 ** 53, 1.5]) }), 3],
    [() => b64({ o: '5' }), 1],
    [() => b64({ c: rng.pick([null, 'x', '../../users', 'a'.repeat(500)]), s: rng.pick([0, 3, 1e6, -5]) }), 3],
    [() => b64(rng.pick(ctx.strings)), 2],
    [() => Buffer.from(Array.from({ length: rng.int(1, 40) }, () => rng.int(0, 255))).toString('base64url'), 2],
    [() => rng.pick(['..', '.', 'null', 'a.b', 'a.b.c', '%00', 'eyJvIjo1fQ', 'eyJvIjo1fQ.AAAA', ' '.repeat(3), 'A'.repeat(5_000)]), 3],
    [() => (real.length ? tamper(rng.pick(real)) : b64({ o: 1 })), 3],
    [() => (others.length ? rng.pick(others) : b64({ o: 2 })), 2],
    [() => (real.length ? `${rng.pick(real)}A` : b64({ o: 3 })), 1],
  ])();
  // `after: ""` reads as "from the start", which is fair: it is no forgery.
  return forged === '' ? 'AAAA' : forged;
}

/**
 * What each block of 100 cases holds: how many of each flavour (in a seeded order). Counts rather
 * than odds, so that every run of N cases has the same mix, whatever the seed. Mutations are most
 * of the root fields (218 of 356 when this was written): a quarter of the cases, of 1 to 3
 * mutations each, so that a run of 500 goes round all of them (and round the queries twice).
 */
const FLAVOURS: readonly [flavour: string, perBlock: number][] = [
  ['query', 32],
  ['mutation', 25],
  ['entities', 5],
  ['aliases', 2],
  ['wrong-arg-type', 7],
  ['unknown-field', 5],
  ['missing-required-arg', 5],
  ['malformed', 6],
  ['garbage-variables', 6],
  ['forged-cursor', 5],
  ['raw-body', 2],
];
const BLOCK = FLAVOURS.reduce((n, [, count]) => n + count, 0);
const blocks = new Map<string, string[]>();

/** The flavour of case `index`, and its ordinal among the cases of that flavour (0 for the first). */
export function flavourOf(seed: number, index: number): { flavour: string; ordinal: number } {
  const block = Math.floor(index / BLOCK);
  const key = `${seed}:${block}`;
  let order = blocks.get(key);
  if (!order) {
    order = shuffle(Rng.derive(seed, 'flavours', block), FLAVOURS.flatMap(([flavour, count]) => Array<string>(count).fill(flavour)));
    if (blocks.size > 1_000) blocks.clear();
    blocks.set(key, order);
  }
  const position = index % BLOCK;
  const flavour = order[position]!;
  const perBlock = FLAVOURS.find(([f]) => f === flavour)![1];
  return { flavour, ordinal: block * perBlock + order.slice(0, position).filter((f) => f === flavour).length };
}

/**
 * The items of the `ordinal`-th case that picks from `items` (root fields, entity types): 1 to `most`
 * of them (by turns), the next ones of a seeded order of the whole list. Successive cases go round
 * the list instead of drawing from it: N picks cover min(N, length) items, not about 63% of them.
 */
export function roundRobin<T>(seed: number, list: string, items: readonly T[], ordinal: number, most = 1): T[] {
  const count = 1 + (ordinal % most);
  // The picks of the cases before: ordinal turns of 1, 2, ..., most, 1, 2, ... items.
  const turns = Math.floor(ordinal / most);
  const rest = ordinal % most;
  const start = ordinal + turns * ((most * (most - 1)) / 2) + (rest * (rest - 1)) / 2;
  const order = shuffle(Rng.derive(seed, 'round-robin', list), [...items]);
  return Array.from({ length: count }, (_, j) => order[(start + j) % order.length]!);
}

/** Case `index` of run `seed`. */
export function fuzzCase(ctx: FuzzContext, seed: number, index: number): FuzzCase {
  const rng = Rng.derive(seed, 'case', index);
  const auth = rng.weighted<FuzzCase['auth']>([['token', 94], ['none', 3], ['wrong', 3]]);
  const { flavour, ordinal } = flavourOf(seed, index);
  const base = { seed, index, auth, flavour };
  const schema = ctx.schema;
  const query = schema.getQueryType()!;
  const mutation = schema.getMutationType()!;
  const builder = new Builder(rng, ctx, rng.chance(0.35) ? 0.5 : 0, rng.int(2, 4));
  const rootFields = (type: GraphQLObjectType, filter: (f: GraphQLField<unknown, unknown>) => boolean = () => true) =>
    Object.values(type.getFields()).filter(filter);
  /** The next root fields of this flavour's round (see roundRobin). */
  const turn = (fields: GraphQLField<unknown, unknown>[], most = 1) => roundRobin(seed, flavour, fields, ordinal, most);
  /** A root selection of `count` fields of `type` (each aliased when it repeats). */
  const root = (type: GraphQLObjectType, fields: GraphQLField<unknown, unknown>[]) =>
    `{ ${fields.map((f, i) => builder.field(f, type, 0, fields.slice(0, i).includes(f) ? `r${i}` : undefined)).join(' ')} }`;

  switch (flavour) {
    case 'query': {
      const fields = turn(rootFields(query, (f) => f.name !== '_entities'), 3);
      return { ...base, valid: true, body: builder.document('query', root(query, fields), rng.chance(0.3)) };
    }
    case 'mutation': {
      // Writes run against the simulator only (the suite's stack); they may create, change or delete records.
      const fields = turn(rootFields(mutation), 3);
      return { ...base, valid: true, body: builder.document('mutation', root(mutation, fields), rng.chance(0.3)) };
    }
    case 'entities': {
      const entities = query.getFields()._entities!;
      builder.entityTypes = roundRobin(seed, 'entity-types', entityTypes(schema), ordinal, 4);
      return { ...base, valid: true, body: builder.document('query', root(query, [entities]), rng.chance(0.3)) };
    }
    case 'aliases': {
      // Many aliases of one read: valid, costly; a cost limit may refuse it, nothing may break.
      const f = turn(rootFields(query, (x) => x.args.length > 0 && !x.name.startsWith('_')))[0]!;
      const n = rng.int(10, 40);
      const sel = Array.from({ length: n }, (_, i) => builder.field(f, query, 1, `x${i}`)).join(' ');
      return { ...base, valid: true, body: builder.document('query', `{ ${sel} }`, false) };
    }
    case 'wrong-arg-type':
    case 'missing-required-arg': {
      builder.pending = flavour;
      const withArgs = rootFields(rng.chance(0.2) ? mutation : query, (f) =>
        flavour === 'missing-required-arg' ? f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined) : f.args.some((a) => !['JSON', '_Any'].includes(getNamedType(a.type).name)),
      );
      const target = rng.pick(withArgs);
      const op = rootFields(mutation).includes(target) ? 'mutation' : 'query';
      // The root field's arguments are generated first: it takes the fault.
      const selection = root(op === 'mutation' ? mutation : query, [target]);
      return { ...base, valid: false, body: builder.document(op, selection, false), mustFail: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    }
    case 'unknown-field': {
      builder.pending = 'unknown-field';
      const fields = turn(rootFields(query, (f) => isObjectType(getNamedType(f.type)) && f.name !== '_entities'));
      let selection = root(query, fields);
      if (!builder.broken) selection = selection.replace(/^\{ /, '{ zzUnknownRootField ');
      return { ...base, valid: false, body: builder.document('query', selection, false), mustFail: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    }
    case 'malformed': {
      const fields = turn(rootFields(query, (f) => f.name !== '_entities'));
      const doc = builder.document('query', root(query, fields), false);
      const q = doc.query;
      const lastBrace = q.lastIndexOf('}');
      // Cuts before the last `}` leave a brace open (or a fragment undefined); the others add a stray token.
      const broken = rng.weighted<string>([
        [q.slice(0, rng.int(0, Math.max(0, lastBrace - 1))), 4],
        [`${q} {`, 1],
        [`${q} }`, 1],
        [`${q.slice(0, lastBrace)} ( }`, 1],
        [rng.pick(['', ' ', '}', '{', '{ }', 'query', 'mutation {', '{ chargePoint(id: ) { id } }', '{ chargePoint(id: "1" { id } }', '{ "x" }', '{ ...on }', '\u0000', '{ contractVersion @ }', 'subscription { contractVersion }']), 2],
      ]);
      // `subscription` parses but the schema has none: refused at validation, not parsing.
      return { ...base, valid: false, body: { ...doc, query: broken }, mustFail: {} };
    }
    case 'garbage-variables': {
      const b = new Builder(rng, ctx, 1, 2);
      const f = turn(rootFields(query, (x) => x.args.some((a) => !['JSON', '_Any'].includes(getNamedType(a.type).name))))[0]!;
      const doc = b.document('query', `{ ${b.field(f, query, 0)} }`, false);
      const usable = b.vars.filter((v) => !['JSON', '_Any'].includes(v.type.replace(/[[\]!]/g, '')));
      if (!usable.length || rng.chance(0.2)) {
        return { ...base, valid: false, body: { ...doc, variables: rng.pick(['not an object', [1, 2], 42, true]) }, mustFail: {} };
      }
      const victim = rng.pick(usable);
      const garbage = rng.pick<unknown>([{ zzUnknown: [1, { $where: '1' }] }, [{ zzUnknown: null }], ...(victim.type.endsWith('!') ? [null] : [])]);
      const variables = { ...(doc.variables as Record<string, unknown>), [victim.name]: garbage };
      return { ...base, valid: false, body: { ...doc, variables }, mustFail: { code: 'BAD_USER_INPUT' } };
    }
    case 'forged-cursor': {
      const listings = LISTINGS(schema);
      const f = turn(listings)[0]!;
      // Literals only: this query is written by hand below and declares no variables but $after.
      const builder = new Builder(rng, ctx, 0, 3);
      const selection = builder.selectionSet(getNamedType(f.type) as GraphQLObjectType, 1);
      const required = f.args
        .filter((a) => isNonNullType(a.type))
        .map((a) => `${a.name}: ${builder.literal(builder.value(a.type, { arg: a.name, resource: resourceOf(a.name, f.name, ctx) }), a.type)}`);
      const cursor = forgedCursor(rng, ctx, f.name);
      const asVariable = rng.chance(0.5);
      const args = [...required, `first: ${rng.int(1, 5)}`, `after: ${asVariable ? '$after' : stringLiteral(cursor)}`].join(', ');
      const body = asVariable
        ? { query: `query Forged($after: String) { ${f.name}(${args}) ${selection} }\n${builder.fragments.join('\n')}`, variables: { after: cursor } }
        : { query: `{ ${f.name}(${args}) ${selection} }\n${builder.fragments.join('\n')}` };
      // A cursor of a parent-scoped listing whose parent does not exist may fail upstream first: any error then.
      const scoped = f.args.some((a) => isNonNullType(a.type));
      return { ...base, auth: 'token', valid: false, body, mustFail: scoped ? {} : { code: 'BAD_USER_INPUT', path: [f.name] } };
    }
    default: {
      // 'raw-body'
      if (rng.chance(0.25)) return { ...base, valid: true, body: rng.pick(ODD_BUT_LEGAL) };
      return { ...base, valid: false, body: rng.pick(RAW_BODIES), mustFail: {} };
    }
  }
}

/** Every kind of value `Builder.scalar` knows, so the suite can assert the schema grew no scalar it does not generate. */
export const GENERATED_SCALARS = ['ID', 'Int', 'Float', 'Boolean', 'String', 'DateTime', 'Date', 'JSON', '_Any'];

/** Scalars used as argument or input field types anywhere in the schema. */
export function inputScalars(schema: GraphQLSchema): string[] {
  const out = new Set<string>();
  const visitInput = (type: GraphQLInputType, seen: Set<string>) => {
    const named = getNamedType(type);
    if (isScalarType(named)) out.add(named.name);
    if (isInputObjectType(named) && !seen.has(named.name)) {
      seen.add(named.name);
      for (const f of Object.values(named.getFields())) visitInput(f.type, seen);
    }
  };
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const f of Object.values(root?.getFields() ?? {})) for (const a of f.args) visitInput(a.type, new Set());
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) && !type.name.startsWith('__')) for (const f of Object.values(type.getFields())) for (const a of f.args) visitInput(a.type, new Set());
  }
  return [...out].sort();
}
