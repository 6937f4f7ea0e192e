/**
 * Valid arguments for every mutation of the schema, made from AMPECO's contract: a request body is
 * sampled from the operation's own (raw) schema, so it is what AMPECO accepts (one variant of a
 * `oneOf`, formats, patterns, bounds, enums), and then carried into the mutation's GraphQL input
 * types as variables. The contract tests send them and check that what the facade makes of them
 * upstream is still what the contract accepts.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { actionSpecs, specs } from '../../src/datasources/registry.js';
import { graphqlFieldName, lowerFirst } from '../../src/definitions/naming.js';
import type { OpenApiContract } from './openapi.js';

type Schema = { [keyword: string]: unknown };

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a mutation writes: a resource's create, update or delete, or an action (a command). */
export interface MutationPlan {
  field: GraphQLField<unknown, unknown>;
  kind: 'create' | 'update' | 'delete' | 'action';
  operationId: string;
  /** The record type it writes (for an action: the record it acts on, if any). */
  type?: string;
}

/** Every mutation of the schema with the contract operation it sends; throws for one it cannot place. */
export function mutationPlans(schema: GraphQLSchema): MutationPlan[] {
  const byName = new Map<string, Omit<MutationPlan, 'field'>>();
  for (const s of specs.values()) {
    for (const kind of ['create', 'update', 'delete'] as const) {
      const operationId = s.operations[kind];
      if (operationId) byName.set(`${kind}${s.name}`, { kind, operationId, type: s.name });
    }
  }
  for (const [mutation, a] of actionSpecs) byName.set(mutation, { kind: 'action', operationId: a.operationId, type: a.target?.type });
  return Object.values(schema.getMutationType()!.getFields()).map((field) => {
    const plan = byName.get(field.name);
    if (!plan) throw new Error(`Mutation ${field.name} is neither a resource's write nor an action`);
    return { field, ...plan };
  });
}

/** `allOf` parts merged into one schema (properties joined, required concatenated). */
function flatten(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  let out: Schema = { ...rest };
  for (const part of (allOf as unknown[]).filter(isSchema).map(flatten)) {
    out = {
      ...out,
      ...part,
      ...(out.properties || part.properties ? { properties: { ...(out.properties as object), ...(part.properties as object) } } : {}),
      ...(out.required || part.required ? { required: [...((out.required as string[]) ?? []), ...((part.required as string[]) ?? [])] } : {}),
    };
  }
  return out;
}

/** Strings with a pattern in the contract: a value each pattern accepts. */
const PATTERN_SAMPLES: Record<string, string> = {
  '^\\d{2}:\\d{2}$': '10:00',
  '^\\d{2}:\\d{2}:\\d{2}$': '10:00:00',
  '^([01]?[0-9]|2[0-3]):[0-5][0-9]$': '10:00',
  '^[A-Z]{2}$': 'BG',
};

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2026-11-25T10:00:00Z',
  datetime: '2026-11-25T10:00:00Z',
  datatime: '2026-11-25T10:00:00Z',
  date: '2026-11-25',
  // RFC 3339's full-time, which Prism checks; the contract tests' own checker also takes AMPECO's HH:MM.
  time: '10:00:00',
  email: 'driver@example.com',
  uri: 'https://example.com/file',
  url: 'https://example.com/file',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
};

export interface SampleOptions {
  /** An existing record's id for a field naming one (`locationId`), where ids must exist (the simulator). */
  idFor?: (field: string) => string | number | undefined;
  /** Whether a value is valid against a schema: a `oneOf` is sampled from a branch whose value matches that branch alone. */
  accepts?: (schema: Schema, value: unknown) => boolean;
  /** Only the properties the schema requires (a `oneOf` branch whose full sample also fits a looser branch). */
  requiredOnly?: boolean;
}

/** An object schema with the properties and requirements of a branch added (a `oneOf` beside fields of its own). */
function joined(outer: Schema, branch: Schema): Schema {
  const properties = outer.properties || branch.properties ? { properties: { ...(outer.properties as object), ...(branch.properties as object) } } : {};
  const required = outer.required || branch.required ? { required: [...((outer.required as string[]) ?? []), ...((branch.required as string[]) ?? [])] } : {};
  return { ...outer, ...branch, ...properties, ...required };
}

function number(schema: Schema, integer: boolean): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let value = min !== undefined ? Math.max(min, integer ? 1 : 1.5) : integer ? 1 : 1.5;
  if (max !== undefined && value > max) value = min ?? max;
  const step = typeof schema.multipleOf === 'number' ? schema.multipleOf : undefined;
  if (step) value = Math.round(Math.ceil(value / step - 1e-9) * step * 1e6) / 1e6;
  return integer ? Math.ceil(value) : value;
}

/** A value of `schema` (read-only properties left out, null never chosen): the contract's idea of a valid request part. */
export function sampleOf(raw: unknown, name = '', options: SampleOptions = {}): unknown {
  if (!isSchema(raw)) return 'Sample';
  const schema = flatten(raw);
  const branches = ((schema.oneOf ?? schema.anyOf) as unknown[] | undefined)?.filter(isSchema);
  if (branches?.length) {
    const { oneOf: _o, anyOf: _a, ...outer } = schema;
    const usable = branches.filter((b) => b.nullable !== true && b.type !== 'null');
    // Each branch's value with every field, then with its required fields only: that one may no longer
    // fit a looser branch (`{ enabled }` beside `{ enabled, type, ... }`).
    const candidates = usable.flatMap((b) => {
      const full = sampleOf(joined(outer, flatten(b)), name, options);
      return schema.oneOf && !options.requiredOnly ? [full, sampleOf(joined(outer, flatten(b)), name, { ...options, requiredOnly: true })] : [full];
    });
    // `oneOf` holds a value that exactly one branch accepts: the first such sample.
    const alone = schema.oneOf && options.accepts ? candidates.find((c) => branches.filter((b) => options.accepts!(b, c)).length === 1) : undefined;
    return alone ?? candidates[0] ?? null;
  }
  const values = Array.isArray(schema.enum) ? schema.enum.filter((v) => v !== null) : [];
  if (values.length) return values[0];
  if ('default' in schema && schema.default !== null && schema.type !== 'object' && schema.type !== 'array') return schema.default;
  const id = /(^id|[a-z]Ids?)$/.test(name) ? options.idFor?.(name) : undefined;
  switch (schema.type) {
    case 'integer':
      return id !== undefined && /^\d+$/.test(String(id)) ? Number(id) : number(schema, true);
    case 'number':
      return id !== undefined && /^\d+$/.test(String(id)) ? Number(id) : number(schema, false);
    case 'boolean':
      return true;
    case 'array': {
      const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
      return Array.from({ length: count }, () => sampleOf(schema.items, name, options));
    }
    case 'string': {
      if (id !== undefined) return String(id);
      if (typeof schema.pattern === 'string') {
        const sample = PATTERN_SAMPLES[schema.pattern];
        if (sample === undefined) throw new Error(`No sample for the pattern ${schema.pattern} of ${name}`);
        return sample;
      }
      const formatted = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined;
      if (formatted) return formatted;
      if (/email/i.test(name)) return 'driver@example.com';
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
      return 'Sample'.padEnd(min, 'x').slice(0, max);
    }
    default: {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const out: Record<string, unknown> = {};
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      for (const [key, property] of Object.entries(properties)) {
        if (!isSchema(property) || flatten(property).readOnly === true || (options.requiredOnly && !required.has(key))) continue;
        out[key] = sampleOf(property, key, options);
      }
      return out;
    }
  }
}

/**
 * A contract value as a variable of GraphQL input type `type`: enums by their GraphQL name, ids as
 * strings. Keys the input type has no field for are listed in `dropped` (the facade cannot send them).
 */
export function toVariable(value: unknown, type: GraphQLInputType, path: string, dropped: string[]): unknown {
  if (isNonNullType(type)) return toVariable(value, type.ofType, path, dropped);
  if (isListType(type)) return (Array.isArray(value) ? value : [value]).map((v, i) => toVariable(v, type.ofType, `${path}.${i}`, dropped));
  if (isEnumType(type)) {
    const found = type.getValues().find((v) => v.value === value);
    if (!found) throw new Error(`${path}: ${JSON.stringify(value)} is no value of ${type.name}`);
    return found.name;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      // The schema names AMPECO's snake_case keys in camelCase.
      const name = fields[key] ? key : graphqlFieldName(key);
      const field = fields[name];
      if (field) out[name] = toVariable(v, field.type, `${path}.${name}`, dropped);
      else dropped.push(`${path}.${key}`);
    }
    return out;
  }
  if (isScalarType(type) && type.name === 'ID') return String(value);
  return value;
}

/** A mutation's request: its operation text and variables; `dropped` names contract fields it cannot carry. */
export interface MutationRequest {
  query: string;
  variables: Record<string, unknown>;
  dropped: string[];
}

/**
 * The mutation with every argument set: the body sampled from the contract operation's schema (an
 * array body: one item), the other arguments from `argument` (ids, enum path values), or the first
 * value of an enum. `selection` is what to select on the payload.
 */
export function mutationRequest(
  plan: MutationPlan,
  contract: OpenApiContract,
  /** A record id for an argument naming one (`id`, `chargePointId`). */
  argument: (name: string) => string | undefined,
  selection: string,
  options: SampleOptions = {},
): MutationRequest {
  const variables: Record<string, unknown> = {};
  const dropped: string[] = [];
  const operation = contract.operation(plan.operationId);
  const body = operation.requestBody?.schema;
  const pathArgs = plan.kind === 'action' ? (actionSpecs.get(plan.field.name)?.pathArgs ?? {}) : {};
  for (const arg of plan.field.args) {
    if (arg.name === 'input') {
      if (!body) throw new Error(`${plan.field.name} takes an input, ${plan.operationId} declares no body`);
      variables.input = toVariable(sampleOf(body, '', { accepts: (schema, value) => contract.accepts(schema, value), ...options }), arg.type, 'input', dropped);
      continue;
    }
    // An action's path value that is no record id (a reset type, a date, a week day): one the contract accepts.
    const param = Object.entries(pathArgs).find(([, a]) => a.arg === arg.name)?.[0];
    const paramSchema = operation.pathParams.find((p) => p.name === param)?.schema;
    const isId = !paramSchema || paramSchema.type === 'integer' || (paramSchema.type === 'string' && !paramSchema.enum && !paramSchema.format);
    const value = isId ? argument(arg.name) : toVariable(sampleOf(paramSchema, param), arg.type, arg.name, dropped);
    if (value !== undefined) variables[arg.name] = value;
    else if (isNonNullType(arg.type)) throw new Error(`${plan.field.name}: no value for its argument ${arg.name}`);
  }
  const used = plan.field.args.filter((a) => a.name in variables);
  const declared = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `mutation${declared ? `(${declared})` : ''} { ${plan.field.name}${passed ? `(${passed})` : ''} { ${selection} } }`;
  return { query, variables, dropped };
}

/** The payload fields every mutation answers with, plus what tells a command's outcome and a write's record. */
export function payloadSelection(plan: MutationPlan): string {
  const payload = getNamedType(plan.field.type);
  const fields = 'getFields' in payload ? (payload.getFields() as Record<string, unknown>) : {};
  const record = plan.type ? lowerFirst(plan.type) : undefined;
  return [
    'userErrors { field message }',
    'accepted' in fields ? 'accepted' : '',
    'deletedId' in fields ? 'deletedId' : '',
    record && plan.kind !== 'action' && record in fields ? `${record} { id }` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * Mutations for which no request is valid by AMPECO's contract, with why: whatever is sent, a checker
 * taking the contract at its word (Prism, Ajv) refuses it. The contract tests expect each still to be
 * refused: an entry goes when AMPECO fixes its contract.
 */
export const UNSENDABLE: Record<string, string> = {
  createPaymentTerminal:
    'the body is a oneOf of twelve open variants (one per terminal type, but each allows every terminalType): four of them require only the common fields, so every body matches several',
  updatePaymentTerminal: 'the body is a oneOf of twelve open variants with nothing required: every body matches all of them',
  createRoamingProvider: 'the body is a oneOf of two open variants (OICP, OCPI) that require only platformId: every body matches both',
};
