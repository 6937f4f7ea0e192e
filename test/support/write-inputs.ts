/**
 * Inputs for the graph's write mutations, made from the contract the simulator runs on (the reduced
 * request schemas of src/__generated__/graph.json) with the samplers of ./samples.ts: a valid input
 * (required fields, enums, formats, lengths; ids of records the simulator holds where a field names
 * one), one field of an update to change and read back, and an input the contract refuses although
 * GraphQL lets it through (an empty required string, a string too long, a number out of range, a
 * required field left out), with where the refusal should point.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { contract } from '../../simulator/contract.js';
import type { Simulator } from '../../simulator/index.js';
import { actionSpecs, spec, specs } from '../../src/datasources/registry.js';
import type { ContractOperation, JsonSchema } from '../../src/definitions/contract-model.js';
import { graphqlFieldName } from '../../src/definitions/naming.js';
import { mutationPlans, sampleOf, toVariable, type MutationPlan } from './samples.js';

export type { MutationPlan };
export { mutationPlans };

/** The contract operation a mutation sends, whole (constraints and all), as the simulator validates it. */
export function operationOf(plan: MutationPlan): ContractOperation {
  const op = plan.kind === 'action' ? contract.actions[actionSpecs.get(plan.field.name)!.operationId] : contract.resources[plan.type!]?.operations[plan.kind];
  if (!op) throw new Error(`${plan.field.name}: no ${plan.kind} operation in the simulator's contract`);
  return op;
}

/** A resource's record schema, whole. */
const recordOf = (type: string): JsonSchema | undefined => contract.resources[type]?.record;

/** Body fields holding ids whose type their name does not say. */
const ID_ALIASES: Record<string, string> = { planId: 'SubscriptionPlan', satelliteChargePointId: 'ChargePoint', template: 'ConfigurationTemplate' };

/** The resource type a field or argument holding an id names (`locationId`, `evseIds`, `chargePointId`), if the simulator holds it. */
export function typeNamed(sim: Simulator, field: string): string | undefined {
  const base = field.replace(/Ids$/, 'Id');
  const alias = ID_ALIASES[base];
  if (alias) return alias;
  return sim.store.model.idFields.get(base)?.name;
}

/** The id of the first record of the type `field` names, as a string; undefined when it names none. */
export function firstIdFor(sim: Simulator, field: string): string | undefined {
  const type = typeNamed(sim, field);
  const first = type ? sim.store.list(type)[0] : undefined;
  return first ? String(first.id) : undefined;
}

/** The mutation's `input` argument, if it takes one. */
export function inputArg(plan: MutationPlan): GraphQLField<unknown, unknown>['args'][number] | undefined {
  return plan.field.args.find((a) => a.name === 'input');
}

/**
 * A valid input: the contract's request body sampled (ids of records the simulator holds; without a
 * simulator, 1) and carried into the GraphQL input type.
 */
export function validInput(plan: MutationPlan, sim: Simulator | undefined): Record<string, unknown> | unknown[] | undefined {
  const arg = inputArg(plan);
  const body = operationOf(plan).requestBody?.schema;
  if (!arg || !body) return undefined;
  const dropped: string[] = [];
  const sample = sampleOf(body, '', {
    idFor: (name) => {
      const id = sim ? firstIdFor(sim, name) : undefined;
      return id === undefined ? undefined : /^\d+$/.test(id) ? Number(id) : id;
    },
  });
  const value = toVariable(conform(sample, arg.type), arg.type, 'input', dropped);
  if (dropped.length) throw new Error(`${plan.field.name}: the input cannot carry ${dropped.join(', ')}`);
  return value as Record<string, unknown>;
}

/**
 * A sampled value made to fit the GraphQL input type where the contract's schema says less than the
 * input type (a field the reduced schema keeps as a plain string that GraphQL types as an enum): such
 * a field takes the enum's first value.
 */
function conform(value: unknown, type: GraphQLInputType): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return Array.isArray(value) ? value.map((v) => conform(v, inner.ofType)) : value;
  if (isEnumType(inner)) return inner.getValues().some((v) => v.value === value) ? value : inner.getValues()[0]?.value;
  if (isInputObjectType(inner) && value && typeof value === 'object') {
    const fields = inner.getFields();
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => {
        const field = fields[k] ?? fields[graphqlFieldName(k)];
        return [k, field ? conform(v, field.type) : v];
      }),
    );
  }
  return value;
}

/** `mutation($a: T, ...) { name(a: $a, ...) { selection } }` for the arguments `variables` holds. */
export function mutationText(plan: MutationPlan, variables: Record<string, unknown>, selection: string): string {
  const used = plan.field.args.filter((a) => a.name in variables);
  const declared = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `mutation${declared ? `(${declared})` : ''} { ${plan.field.name}${passed ? `(${passed})` : ''} { ${selection} } }`;
}

function inputFields(type: GraphQLInputType): Record<string, GraphQLInputField> {
  const named = getNamedType(type);
  return isInputObjectType(named) ? named.getFields() : {};
}

export interface UpdateProbe {
  /** The GraphQL input field changed (top level). */
  field: string;
  /** What to select to read it back (`name`, `question { locale translation }`). */
  selection: string;
  /** New values to choose from (GraphQL variables: enums by name), as many as it takes to differ from any one current value. */
  values: unknown[];
}

const NUMERIC_FORMATS = new Set(['float', 'double', 'decimal', 'int32', 'int64']);

/** Two strings within `schema`'s length bounds. */
function strings(schema: JsonSchema): string[] {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Infinity;
  return ['Updated', 'Changed'].map((base) => base.padEnd(min, 'z').slice(0, max));
}

/** Two numbers within `schema`'s bounds (and step). */
function numbers(schema: JsonSchema, integer: boolean): number[] {
  const fits = (n: number): boolean =>
    (!integer || Number.isInteger(n)) &&
    (schema.minimum === undefined || n >= schema.minimum) &&
    (schema.maximum === undefined || n <= schema.maximum) &&
    (schema.multipleOf === undefined || Math.abs(n / schema.multipleOf - Math.round(n / schema.multipleOf)) < 1e-9);
  return [7, 3, 2, 10, 0, schema.minimum, schema.maximum].filter((n): n is number => typeof n === 'number' && fits(n)).slice(0, 2);
}

/**
 * One field of an update's input to change and read back: a top-level field the record type reads
 * under the same name, with values to set it to: a plain string, an enum, a boolean, a number, a
 * date-time, the id of another record of the type it names, or a list of objects of such fields (a
 * translation). Passwords and other fields the record does not read back are left out.
 */
export function updateProbe(plan: MutationPlan, schema: GraphQLSchema, sim: Simulator): UpdateProbe | undefined {
  const body = operationOf(plan).requestBody?.schema;
  const recordType = schema.getType(plan.type!);
  const arg = inputArg(plan);
  if (!body?.properties || !arg || !isObjectType(recordType)) return undefined;
  const fields = inputFields(arg.type);
  const readable = recordType.getFields();
  const record = recordOf(plan.type!)?.properties ?? {};
  const ranked: { rank: number; probe: UpdateProbe }[] = [];
  const add = (rank: number, field: string, values: unknown[], selection = field): void => {
    if (values.length >= 2) ranked.push({ rank, probe: { field, selection, values } });
  };
  for (const [key, prop] of Object.entries(body.properties)) {
    const name = graphqlFieldName(key);
    const inputField = fields[name];
    const out = readable[name];
    const held = record[name] ?? record[key];
    // Read-only in the record: the server's to set (a user's emailVerified, password), whatever the request says.
    if (!inputField || !out || !held || held.writeOnly || held.readOnly || prop.readOnly || prop.writeOnly || /password/i.test(name) || prop.anyOf || prop.oneOf) continue;
    const inType = getNamedType(inputField.type);
    const outType = getNamedType(out.type);
    const list = isListType(isNonNullType(inputField.type) ? inputField.type.ofType : inputField.type);
    if (list) {
      // A list of objects of plain strings (translations): one item, its strings changed.
      const item = prop.items;
      if (!isInputObjectType(inType) || !isObjectType(outType) || !item?.properties) continue;
      const subs = Object.keys(inType.getFields()).filter((f) => item.properties![f]?.type === 'string' && !item.properties![f].enum && !item.properties![f].format && outType.getFields()[f]);
      if (subs.length !== Object.keys(inType.getFields()).length || !subs.length) continue;
      add(4, name, ['Updated', 'Changed'].map((text) => [Object.fromEntries(subs.map((f) => [f, f === 'locale' ? 'en' : text]))]), `${name} { ${subs.join(' ')} }`);
      continue;
    }
    if (inType.name !== outType.name && !(inType.name === 'ID' && outType.name === 'ID')) continue;
    if (/(^id|Ids)$/.test(name)) continue;
    if (name.endsWith('Id')) {
      const type = typeNamed(sim, name);
      if (type && inType.name === 'ID') add(5, name, sim.store.list(type).slice(0, 2).map((r) => String(r.id)));
      continue;
    }
    if (isEnumType(inType) && prop.enum) {
      add(1, name, inType.getValues().filter((v) => prop.enum!.includes(v.value as string)).map((v) => v.name).slice(0, 2));
    } else if (inType.name === 'DateTime' && (prop.format === 'date-time' || prop.format === 'datetime')) {
      add(6, name, ['2026-11-24T09:00:00Z', '2026-11-23T08:00:00Z']);
    } else if (prop.format && !NUMERIC_FORMATS.has(prop.format)) {
      continue;
    } else if (inType.name === 'String' && prop.type === 'string' && !prop.enum && !prop.pattern) {
      add(0, name, strings(prop));
    } else if (inType.name === 'Boolean') {
      add(2, name, [true, false]);
    } else if ((inType.name === 'Int' || inType.name === 'Float') && !prop.enum) {
      add(3, name, numbers(prop, inType.name === 'Int' || prop.type === 'integer'));
    }
  }
  return ranked.sort((a, b) => a.rank - b.rank)[0]?.probe;
}

export interface InvalidInput {
  input: Record<string, unknown>;
  /** Where the refusal should point: `['input', ...GraphQL field path]`. */
  field: string[];
  /** What was broken, for the test's name. */
  how: string;
}

/** Strings of a format (where GraphQL carries them as String) that the format refuses. */
const BAD_FORMATS: Record<string, string> = { email: 'not-an-email', date: '25.11.2026', time: '25:99', url: 'not a url', uri: 'not a uri', 'date-time': 'yesterday' };

/** `value` with `path` (keys and list indexes) set to `replacement`, or left out when `replacement` is `LEAVE_OUT`. */
function replaced(value: unknown, path: string[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) return value.map((item, i) => (String(i) === head ? replaced(item, rest, replacement) : item));
  const obj = { ...(value as Record<string, unknown>) };
  if (!rest.length && replacement === LEAVE_OUT) delete obj[head];
  else obj[head] = replaced(obj[head], rest, replacement);
  return obj;
}

const LEAVE_OUT = Symbol('leave out');

/**
 * The valid input broken in one field in a way GraphQL lets through and the contract does not: a
 * required string sent empty, a string too long or too short, a number outside its bounds, a string
 * its pattern or format refuses, a field the contract requires left out (where the input type makes
 * it optional), or a reference to a record that does not exist. Top-level fields first, then fields
 * of nested objects and of a list's first item.
 */
export function invalidInput(plan: MutationPlan, valid: Record<string, unknown>): InvalidInput | undefined {
  const body = operationOf(plan).requestBody?.schema;
  const arg = inputArg(plan);
  if (!body?.properties || !arg) return undefined;
  const candidates: { depth: number; path: string[]; value: unknown; how: string }[] = [];
  const walk = (schema: JsonSchema, type: GraphQLInputType, at: unknown, path: string[]): void => {
    const fields = inputFields(type);
    const required = new Set(schema.required ?? []);
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      const name = graphqlFieldName(key);
      const inputField = fields[name];
      if (!inputField || prop.readOnly || !at || typeof at !== 'object' || !(name in at)) continue;
      const here = [...path, name];
      const label = here.join('.');
      const nullable = isNonNullType(inputField.type) ? inputField.type.ofType : inputField.type;
      const named = getNamedType(inputField.type);
      const current = (at as Record<string, unknown>)[name];
      const broken = (value: unknown, how: string): void => void candidates.push({ depth: path.length, path: here, value, how: `${label} ${how}` });
      if (isListType(nullable)) {
        if (required.has(key)) broken([], 'empty');
        if (isInputObjectType(named) && prop.items?.properties && Array.isArray(current) && current.length) walk(prop.items, named, current[0], [...here, '0']);
        continue;
      }
      if (isInputObjectType(named)) {
        if (prop.properties) walk(prop, named, current, here);
        continue;
      }
      if ((named.name === 'String' || named.name === 'ID') && prop.type === 'string' && !prop.enum) {
        if (required.has(key) && !prop.nullable) broken('', 'empty');
        if (prop.maxLength !== undefined) broken('x'.repeat(prop.maxLength + 1), `longer than ${prop.maxLength}`);
        if (prop.minLength !== undefined && prop.minLength > 1) broken('x', `shorter than ${prop.minLength}`);
        if (prop.pattern) broken('?', `not matching ${prop.pattern}`);
        else if (prop.format && BAD_FORMATS[prop.format]) broken(BAD_FORMATS[prop.format], `not a valid ${prop.format}`);
      }
      if ((named.name === 'Int' || named.name === 'Float') && !prop.enum) {
        if (prop.minimum !== undefined) broken(prop.minimum - 1, `below ${prop.minimum}`);
        else if (prop.maximum !== undefined) broken(prop.maximum + 1, `above ${prop.maximum}`);
      }
      if (required.has(key) && !isNonNullType(inputField.type)) broken(LEAVE_OUT, 'left out');
    }
  };
  walk(body, arg.type, valid, []);
  // References: a resource's write names a record by a to-one field (`locationId`), a command's body by
  // an id field (`userId`, `chargePointIds`); one that does not exist is refused.
  if (plan.kind !== 'action') {
    for (const rel of spec(plan.type!).relations) {
      if (rel.kind !== 'one' || !rel.via || rel.via.includes('.') || !(rel.via in valid)) continue;
      candidates.push({ depth: 1, path: [rel.via], value: '99999999', how: `${rel.via} naming no ${rel.target}` });
    }
  } else if (!Array.isArray(valid)) {
    for (const [key, prop] of Object.entries(body.properties)) {
      const name = graphqlFieldName(key);
      const target = /Ids?$/.test(key) ? (ID_ALIASES[key.replace(/Ids$/, 'Id')] ?? key.replace(/Ids?$/, '').replace(/^./, (c) => c.toUpperCase())) : undefined;
      const type = prop.type === 'array' ? prop.items?.type : prop.type;
      const targetRecord = target && specs.has(target) ? recordOf(target) : undefined;
      if (!targetRecord || !(name in valid) || (type === 'string' && targetRecord.properties?.id?.type === 'integer')) continue;
      candidates.push({ depth: 1, path: prop.type === 'array' ? [name, '0'] : [name], value: '99999999', how: `${name} naming no ${target}` });
    }
  }
  const chosen = candidates.sort((a, b) => a.depth - b.depth)[0];
  if (!chosen) return undefined;
  return { input: replaced(valid, chosen.path, chosen.value) as Record<string, unknown>, field: ['input', ...chosen.path], how: chosen.how };
}

/** Everything the simulator's store holds (records, associations, views' records): equal before and after a refused write. */
export function storeSnapshot(sim: Simulator): string {
  const tables = sim.store.types().map((type) => [type, sim.store.table(type).rows.map((r) => [r.key, r.data, r.links ?? null])]);
  return JSON.stringify([tables, [...sim.store.viewEntries.entries()]]);
}

/**
 * The arguments of a command other than `input`: a path value the contract constrains (an enum, a
 * date) sampled from its schema; an id naming a resource, the first record of it (an EVSE's id with
 * its charge point's, an EVSE network id of the charge point's first EVSE); any other value, "1".
 */
export function commandArgs(plan: MutationPlan, sim: Simulator): Record<string, unknown> {
  const action = actionSpecs.get(plan.field.name)!;
  const out: Record<string, unknown> = {};
  const names = plan.field.args.map((a) => a.name);
  // A charge point with an EVSE, when the command names both (or the EVSE by network id).
  const evse = names.includes('chargePointId') && (names.includes('evseId') || names.includes('evseNetworkId')) ? sim.store.list('Evse')[0] : undefined;
  for (const arg of plan.field.args) {
    if (arg.name === 'input') continue;
    const param = Object.entries(action.pathArgs).find(([, a]) => a.arg === arg.name)?.[0];
    const schema = action.operation.pathParams.find((p) => p.name === param)?.schema;
    if (evse && arg.name === 'chargePointId') out[arg.name] = String(evse.chargePointId);
    else if (evse && arg.name === 'evseId') out[arg.name] = String(evse.id);
    else if (evse && arg.name === 'evseNetworkId') out[arg.name] = String(evse.networkId);
    else if (schema && (schema.enum || schema.format)) {
      const dropped: string[] = [];
      out[arg.name] = toVariable(sampleOf(schema, param), arg.type, arg.name, dropped);
    } else out[arg.name] = firstIdFor(sim, arg.name) ?? '1';
  }
  return out;
}
