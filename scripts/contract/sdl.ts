/**
 * Renders GraphQL SDL for the resource shapes of the reduced contract: one object type per
 * resource, nested object types, enums (SCREAMING_CASE, mapped to AMPECO's strings), filter
 * inputs and create/update/action inputs. The graph around them (queries, relations,
 * connections, mutations, payloads) is hand-written in `schema/*.graphql`.
 */
import type { Definitions, ResourceDefinition } from '../../src/definitions/model.js';
import type { Contract, JsonSchema } from '../../src/definitions/contract-model.js';
import { relationFields, renderGraph } from './graph.js';
import { fieldDescriptions as firstFieldDescriptions } from '../../src/definitions/descriptions.js';
import { typeFieldDescriptions } from '../../src/definitions/overlay.js';

const fieldDescriptions: Record<string, Record<string, string>> = { ...typeFieldDescriptions, ...firstFieldDescriptions };
import { graphqlFieldName, naming } from '../../src/definitions/naming.js';

export interface RenderedSdl {
  sdlByDomain: Map<string, string>;
  enumMaps: Record<string, Record<string, string | number>>;
  renamedFields: Record<string, Record<string, string>>;
}

const pascal = (s: string): string =>
  s
    .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))
    .replace(/^./, (c) => c.toUpperCase());

/**
 * A nested type's name: owner and property path in PascalCase, without the stutter of a property
 * that repeats its parent's name (`ChargePoint.chargingProfile.chargingProfileKind` ->
 * `ChargePointChargingProfileKind`, `Location.locationImage` -> `LocationImage`).
 */
export function typeName(owner: string, path: string[]): string {
  const parts = [owner, ...path.map(pascal)];
  const kept: string[] = [];
  for (const part of parts) {
    const previous = kept[kept.length - 1];
    if (previous && part.startsWith(previous) && part !== previous) kept[kept.length - 1] = part;
    else kept.push(part);
  }
  // `...Response` reads like a REST envelope (the schema's naming rule): a delivery response is a delivery result.
  return kept.join('').replace(/Response$/, 'Result');
}

/** `out of order` -> OUT_OF_ORDER, `ocpp 1.6` -> OCPP_1_6, `longTerm` -> LONG_TERM, `15` -> VALUE_15. */
export function enumValueName(value: string | number): string {
  const name = String(value)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (!name) throw new Error(`Cannot name enum value ${JSON.stringify(value)}`);
  return /^[0-9]/.test(name) ? `VALUE_${name}` : name;
}

const isIdField = (name: string): boolean => name === 'id' || /[a-z]Id$/.test(name);
const isIdListField = (name: string): boolean => /[a-z]Ids$/.test(name);

function isStringEnum(s: JsonSchema): boolean {
  return Boolean(s.enum?.some((v) => v !== null));
}

/** Each anyOf/oneOf branch is a string (enum or plain): AMPECO's "one of these string lists" unions. */
function isStringUnion(s: JsonSchema): boolean {
  const branches = s.anyOf ?? s.oneOf;
  return Boolean(branches?.every((b) => b.type === 'string' || (b.type === undefined && b.enum?.every((v) => typeof v === 'string' || v === null))));
}

export class Renderer {
  private readonly blocks = new Map<string, string[]>();
  private readonly typeOwner = new Map<string, string>();
  private readonly enumBySignature = new Map<string, string>();
  readonly enumMaps: Record<string, Record<string, string | number>> = {};
  /** Output fields whose GraphQL name differs from AMPECO's key, per type: GraphQL name -> key. */
  readonly renamedFields: Record<string, Record<string, string>> = {};
  /** Dotted paths of output fields left out of the graph, per owner type (`network.password`). */
  readonly omitted = new Map<string, Set<string>>();

  constructor(private domain: string) {}

  setDomain(domain: string): void {
    this.domain = domain;
  }

  private emit(name: string, block: string): void {
    const signature = block.replace(/^[\s\S]*?(?:type|input|enum) [_A-Za-z0-9]+/, '');
    const existing = this.typeOwner.get(name);
    if (existing !== undefined) {
      if (existing !== signature) throw new Error(`GraphQL name ${name} generated twice with different shapes`);
      return;
    }
    this.typeOwner.set(name, signature);
    const list = this.blocks.get(this.domain) ?? [];
    list.push(block);
    this.blocks.set(this.domain, list);
  }

  has(name: string): boolean {
    return this.typeOwner.has(name) || this.reserved.has(name);
  }

  /** Names of entity and view types: a nested shape never takes one (it gets an `Entry` suffix instead). */
  private readonly reserved = new Set<string>();

  reserve(names: Iterable<string>): void {
    for (const name of names) this.reserved.add(name);
  }

  /** Emits a reserved type under its own name. */
  release(name: string): void {
    this.reserved.delete(name);
  }

  /** Returns the enum's name; identical value lists under one owner type share one enum. */
  enumType(owner: string, suggested: string, values: (string | number)[], alternative?: string, path: string[] = []): string {
    const sorted = [...values].map(String).sort().join('\u0000');
    // Country lists recur across resources: one shared enum per distinct list.
    const shared = values.length > 100 && values.every((v) => /^[A-Z]{2}$/.test(String(v)));
    const signature = shared ? `*:${sorted}` : `${owner}:${sorted}`;
    const known = this.enumBySignature.get(signature);
    if (known) return known;
    // A filter or input enum whose values the record's own enum already covers reuses it.
    const covering = alternative ? this.enumMaps[alternative] : undefined;
    if (covering) {
      const covered = new Set(Object.values(covering).map(String));
      if (values.every((v) => covered.has(String(v)))) return alternative!;
    }
    const base = shared ? 'CountryCode' : suggested;
    let name = base;
    for (let n = 2; this.enumMaps[name] || this.reserved.has(name); n++) name = `${base}${n}`;
    const map: Record<string, string | number> = {};
    for (const value of values) {
      // Two spellings of one value (`SessionStartStopNotification`, `session.start.stop.notification`)
      // would share a name: the dotted one is marked as such, any other repeat numbered.
      let valueName = enumValueName(value);
      if (valueName in map && String(value).includes('.')) valueName = `${valueName}_DOTTED`;
      for (let n = 2; valueName in map; n++) valueName = `${enumValueName(value)}_${n}`;
      map[valueName] = value;
    }
    this.enumMaps[name] = map;
    this.enumBySignature.set(signature, name);
    const what = shared
      ? 'A country, as its ISO 3166-1 alpha-2 code'
      : `The values AMPECO allows for ${path.length ? describePath(owner, path) : `\`${suggested}\``}`;
    this.emit(name, `"${what}; each maps to AMPECO's own spelling."\nenum ${name} {\n${Object.keys(map).map((v) => `  ${v}`).join('\n')}\n}`);
    return name;
  }

  /** GraphQL type (without outer nullability) for a schema found at `path` under `owner`. */
  private baseType(owner: string, path: string[], schema: JsonSchema, mode: 'output' | 'input'): string {
    const field = path[path.length - 1] ?? '';
    const suffix = mode === 'input' ? 'Input' : '';
    if (isStringEnum(schema)) {
      const values = (schema.enum ?? []).filter((v): v is string | number => v !== null && typeof v !== 'boolean');
      const [head = '', ...rest] = path;
      const recordEnum = ['Filter', 'Create', 'Update'].includes(head) ? `${owner}${rest.map(pascal).join('')}` : undefined;
      return this.enumType(owner, typeName(owner, path), values, recordEnum, path);
    }
    if (schema.anyOf || schema.oneOf) return isStringUnion(schema) ? 'String' : 'JSON';
    switch (schema.type) {
      case 'string':
        if (isIdField(field)) return 'ID';
        if (schema.format === 'date-time' || schema.format === 'datetime') return 'DateTime';
        if (schema.format === 'date') return 'Date';
        return 'String';
      case 'integer':
        return isIdField(field) ? 'ID' : 'Int';
      case 'number':
        return isIdField(field) ? 'ID' : 'Float';
      case 'boolean':
        return 'Boolean';
      case 'array': {
        const items = schema.items ?? {};
        const inner =
          isIdListField(field) && (items.type === 'integer' || items.type === 'string')
            ? 'ID'
            : this.baseType(owner, [...path.slice(0, -1), singular(field)], items, mode);
        return `[${inner}${items.nullable ? '' : '!'}]`;
      }
      case 'object':
      case undefined: {
        const props = schema.properties;
        if (!props || Object.keys(props).length === 0) return 'JSON';
        const shared = sharedShape(schema);
        if (shared) return this.objectType([`${shared.name}${suffix}`], owner, path, schema, mode, { description: shared.description });
        // Path segments after the first are the property path; the first may be an input prefix.
        const [head = '', ...rest] = path;
        const isPrefixed = mode === 'input' && (head === 'Create' || head === 'Update');
        const candidates = isPrefixed
          ? [`${typeName(owner, rest)}Input`, `${typeName(owner, path)}Input`, `${owner}${path.map(pascal).join('')}Input`]
          : [`${typeName(owner, path)}${suffix}`, `${owner}${path.map(pascal).join('')}${suffix}`];
        return this.objectType(candidates, owner, path, schema, mode);
      }
    }
  }

  fieldType(owner: string, path: string[], schema: JsonSchema, required: boolean, mode: 'output' | 'input'): string {
    const base = this.baseType(owner, path, schema, mode);
    const nonNull = required && !schema.nullable && !(schema.enum ?? []).includes(null);
    return nonNull ? `${base}!` : base;
  }

  /** Emits an object or input type under the first candidate name free or equal in shape; returns that name. */
  objectType(
    candidateNames: string[],
    owner: string,
    path: string[],
    schema: JsonSchema,
    mode: 'output' | 'input',
    opts: {
      description?: string;
      directives?: string;
      skip?: Set<string>;
      extraFields?: string[];
      fieldDescriptions?: Record<string, string>;
    } = {},
  ): string {
    let candidates = candidateNames;
    const pending = candidates.find((c) => this.typeOwner.get(c) === '(pending)');
    if (pending) return pending; // a recursive shape refers to itself
    if (candidates.every((c) => this.reserved.has(c))) candidates = [...candidates, `${candidates[0]}Entry`];
    const provisional = candidates.find((c) => !this.has(c)) ?? candidates[0]!;
    if (!this.has(provisional)) this.typeOwner.set(provisional, '(pending)');
    const required = new Set(schema.required ?? []);
    const lines: string[] = [];
    const renames: Record<string, string> = {};
    for (const [prop, propSchema] of Object.entries(schema.properties ?? {})) {
      if (opts.skip?.has(prop)) continue;
      if (mode === 'output' && this.omitted.get(owner)?.has([...path, prop].join('.'))) continue;
      if (mode === 'input' && propSchema.readOnly) continue;
      // A write-only property (a password) is accepted on input, never shown.
      if (mode === 'output' && propSchema.writeOnly) continue;
      if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(prop)) throw new Error(`${provisional}.${prop} is not a GraphQL name`);
      const type = this.fieldType(owner, [...path, prop], propSchema, required.has(prop), mode);
      const deprecated = propSchema.deprecated && mode === 'output' ? ' @deprecated(reason: "AMPECO marks this field deprecated.")' : '';
      const description = mode === 'output' ? (opts.fieldDescriptions?.[prop] ?? fieldDescriptions[provisional]?.[prop]) : undefined;
      // snake_case keys get camelCase names (mapped back by resolvers and the request body), unless that name is taken.
      const camel = graphqlFieldName(prop);
      const fieldName = camel !== prop && !(camel in (schema.properties ?? {})) ? camel : prop;
      if (fieldName !== prop) renames[fieldName] = prop;
      lines.push(`${description ? `  "${description.replace(/"/g, '\\"')}"\n` : ''}  ${fieldName}: ${type}${deprecated}`);
    }
    lines.push(...(opts.extraFields ?? []));
    if (lines.length === 0) lines.push('  _empty: Boolean');
    if (this.typeOwner.get(provisional) === '(pending)') this.typeOwner.delete(provisional);
    const keyword = mode === 'input' ? 'input' : 'type';
    const text = opts.description ?? (mode === 'input' ? `What to send as ${describePath(owner, path)}.` : `Part of ${describePath(owner, path)}.`);
    const description = `"""\n${text}\n"""\n`;
    const body = `${opts.directives ? ` ${opts.directives}` : ''} {\n${lines.join('\n')}\n}`;
    const name = candidates.find((c) => !this.has(c) || this.typeOwner.get(c) === body) ?? candidates[candidates.length - 1]!;
    this.emit(name, `${description}${keyword} ${name}${body}`);
    if (mode === 'output' && Object.keys(renames).length) this.renamedFields[name] = renames;
    return name;
  }

  /** Emits a hand-built block (queries, connections, payloads) into the current domain. */
  raw(name: string, block: string): void {
    this.emit(name, block);
  }

  sdl(): Map<string, string> {
    return new Map([...this.blocks].map(([domain, blocks]) => [domain, `${blocks.join('\n\n')}\n`]));
  }
}

/** `<Type>Filter`: one input field per filter of the listing, typed from the contract. */
function renderFilter(r: Renderer, type: string, filters: Contract['resources'][string]['filters']): void {
  const filterSchema: JsonSchema = { type: 'object', properties: {} };
  for (const f of filters) {
    const schema = f.array && f.schema.type !== 'array' ? { type: 'array' as const, items: f.schema } : f.schema;
    // `format: integer` on a string filter means the value is a number sent as text.
    // `format: boolean` likewise is a flag sent as `true`/`false`.
    filterSchema.properties![f.key] = schema.format === 'integer' ? { ...schema, type: 'integer' } : schema.format === 'boolean' ? { ...schema, type: 'boolean' } : schema;
  }
  r.objectType([`${type}Filter`], type, ['Filter'], filterSchema, 'input', {
    description: `Narrows a listing of ${naming(type).pluralLabel}; each field maps to AMPECO's filter of the same name.`,
  });
}

/** `ChargePoint`, [`network`, `credentials`] -> "a charge point's `network.credentials`"; input prefixes read as the write. */
function describePath(owner: string, path: string[]): string {
  const [head = '', ...rest] = path;
  const label = naming(owner).label;
  const article = /^[aeiou]/i.test(label) ? 'an' : 'a';
  if (head === 'Filter') return rest.length ? `the \`${rest.join('.')}\` filter of ${label} listings` : `a filter of ${label} listings`;
  if (head === 'Create' || head === 'Update') {
    const verb = head === 'Create' ? 'creating' : 'changing';
    return rest.length ? `\`${rest.join('.')}\` when ${verb} ${article} ${label}` : `the fields when ${verb} ${article} ${label}`;
  }
  if (head === 'Result') return `what AMPECO answers to \`${lowerFirstWord(owner)}\`${rest.length ? `: its \`${rest.join('.')}\`` : ''}`;
  return path.length ? `${article} ${label}'s \`${path.join('.')}\`` : `${article} ${label}`;
}

const lowerFirstWord = (s: string): string => s.replace(/^./, (c) => c.toLowerCase());

function singular(field: string): string {
  if (field.endsWith('ies')) return `${field.slice(0, -3)}y`;
  if (field.endsWith('sses')) return field.slice(0, -2);
  if (field.endsWith('s') && !field.endsWith('ss')) return field.slice(0, -1);
  return `${field}Item`;
}

/** Small shapes AMPECO repeats everywhere get one shared GraphQL type instead of one per field. */
const SHARED_SHAPES: { name: string; fields: string[]; description: string }[] = [
  { name: 'Translation', fields: ['locale', 'translation'], description: 'A text in one language, for names and descriptions shown to drivers.' },
  { name: 'TimeRange', fields: ['start', 'end'], description: 'A span of the day, from `start` to `end` (local time, `HH:MM`).' },
];

function sharedShape(schema: JsonSchema): { name: string; description: string } | undefined {
  const keys = Object.keys(schema.properties ?? {}).sort().join(',');
  return SHARED_SHAPES.find((s) => [...s.fields].sort().join(',') === keys);
}

/** `chargePointId` of a to-one relation: say what it points at and which field resolves it. */
function referenceDescriptions(def: ResourceDefinition): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of def.relations) {
    if (rel.kind === 'one' && rel.via && !rel.via.includes('.')) {
      out[rel.via] = `Id of the related ${naming(rel.target).label}; select \`${rel.field}\` for the record itself.`;
    }
  }
  return out;
}

export function renderSdl(contract: Contract, definitions: Definitions): RenderedSdl {
  const { resources, actions, views } = definitions;
  const r = new Renderer(resources[0]?.domain ?? 'charging');
  r.reserve([...resources.map((d) => d.name), ...views.filter((v) => v.ownsType).map((v) => v.type)]);
  for (const def of resources) {
    r.setDomain(def.domain);
    r.release(def.name);
    const res = contract.resources[def.name];
    if (!res) throw new Error(`${def.name} missing from the contract extract`);
    // Relation fields replace same-named embedded properties (include[] targets).
    const skip = new Set(def.relations.map((rel) => rel.field));
    r.omitted.set(def.name, new Set(Object.keys(def.omit ?? {})));
    // Parent ids the record lacks are stamped on by the datasource; expose them as ID!.
    const record: JsonSchema = structuredClone(res.record);
    record.properties ??= {};
    for (const parent of def.parents ?? []) {
      if (!record.properties[parent.field]) {
        record.properties[parent.field] = { type: 'integer' };
        record.required = [...(record.required ?? []), parent.field];
      }
    }
    if (record.properties.id) {
      // An entity's id is its key: always there, whatever the contract's nullability.
      record.properties.id = { ...record.properties.id, nullable: false };
      record.required = [...new Set([...(record.required ?? []), 'id'])];
    }
    // A sub-resource is only addressable through its parent, so the parent id is part of its key.
    const parentKey = def.parents?.at(-1)?.field;
    const keyFields = parentKey ? `id ${parentKey}` : 'id';
    // View fields replace same-named include-gated properties too (a circuit's charge point priorities).
    for (const view of views) if (view.owner === def.name) skip.add(view.field);
    r.objectType([def.name], def.name, [], record, 'output', {
      description: def.description,
      directives: `@key(fields: "${keyFields}")`,
      skip,
      extraFields: relationFields(def, contract, views),
      fieldDescriptions: { ...referenceDescriptions(def), ...fieldDescriptions[def.name] },
    });

    if (res.filters.length) {
      renderFilter(r, def.name, res.filters);
    }
    const create = res.operations.create?.requestBody?.schema;
    if (create) r.objectType([`Create${def.name}Input`], def.name, ['Create'], create, 'input');
    const update = res.operations.update?.requestBody?.schema;
    if (update) {
      r.objectType([`Update${def.name}Input`], def.name, ['Update'], { ...update, required: [] }, 'input');
    }
  }
  for (const view of views) {
    const res = contract.views[view.operationId];
    if (!res) throw new Error(`${view.operationId} missing from the contract extract`);
    r.setDomain(view.domain);
    r.release(view.type);
    if (view.ownsType && !r.has(view.type)) {
      r.objectType([view.type], view.type, [], res.record, 'output', { description: view.description, fieldDescriptions: fieldDescriptions[view.type] });
    }
    // Only a paged view takes a filter argument (see graph.ts viewField); a whole list is read unfiltered.
    if (view.shape === 'connection' && res.filters.length && !r.has(`${view.type}Filter`)) renderFilter(r, view.type, res.filters);
  }
  for (const action of actions) {
    const op = contract.actions[action.operationId];
    if (!op) throw new Error(`${action.operationId} missing from the contract extract`);
    const owner = pascal(action.mutation);
    // An action's input sits in the domain of the record it acts on, as its mutation does (graph.ts).
    r.setDomain(resources.find((d) => d.name === action.target?.type)?.domain ?? resources[0]!.domain);
    for (const p of op.pathParams) {
      if (isStringEnum(p.schema)) r.enumType(owner, `${owner}${pascal(p.name)}`, (p.schema.enum ?? []).filter((v): v is string => typeof v === 'string'));
    }
    const body = op.requestBody?.schema;
    if (action.body && body?.properties) r.objectType([`${owner}Input`], owner, [], body, 'input');
    else if (action.body && body?.type === 'array' && body.items?.properties) r.objectType([`${owner}Input`], owner, [], body.items, 'input');
  }
  renderGraph(r, contract, definitions);
  return { sdlByDomain: r.sdl(), enumMaps: r.enumMaps, renamedFields: r.renamedFields };
}
