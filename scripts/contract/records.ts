/**
 * Renders `src/__generated__/records.ts`: the TypeScript shape of each resource's record as AMPECO
 * sends it (the contract's record schema), plus the parent ids the datasource stamps on
 * sub-resources. graphql-codegen maps each GraphQL type to its record (codegen.ts `mappers`), so
 * resolvers are type-checked against the wire shape.
 */
import type { ResourceDefinition } from '../../src/definitions/model.js';
import type { Contract, JsonSchema } from '../../src/definitions/contract-model.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `T[]`, parenthesised when T is a union. */
const arrayOf = (item: string[]): string => (item.length === 1 ? `${item[0]}[]` : `(${item.join(' | ')})[]`);

const literal = (value: string | number | boolean): string =>
  typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(value);

const key = (name: string): string => (IDENTIFIER.test(name) ? name : literal(name));

/** The TypeScript type of a value matching `schema`; `indent` is the indentation of the line it starts on. */
export function tsType(schema: JsonSchema, indent = ''): string {
  return members(schema, indent).join(' | ');
}

/** The members of the union type of `schema`, each once. */
function members(schema: JsonSchema, indent: string): string[] {
  const out = new Set(baseMembers(schema, indent));
  if (schema.nullable === true || (schema.enum ?? []).includes(null)) out.add('null');
  return [...out];
}

function baseMembers(schema: JsonSchema, indent: string): string[] {
  const values = schema.enum?.filter((v) => v !== null);
  if (values?.length) return values.map(literal);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) return branches.flatMap((b) => members(b, indent));
  switch (schema.type) {
    case 'string':
      return ['string'];
    case 'integer':
    case 'number':
      return ['number'];
    case 'boolean':
      return ['boolean'];
    case 'array':
      return [arrayOf(schema.items ? members(schema.items, indent) : ['unknown'])];
    case 'object':
    case undefined:
      if (schema.properties && Object.keys(schema.properties).length) return [objectType(schema, indent)];
      if (typeof schema.additionalProperties === 'object') return [`Record<string, ${tsType(schema.additionalProperties, indent)}>`];
      return [schema.type === 'object' ? 'Record<string, unknown>' : 'unknown'];
  }
}

/** An inline object type: optional unless required; an open object keeps an index signature. */
function objectType(schema: JsonSchema, indent: string, extra: string[] = []): string {
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(
    ([name, prop]) => `${inner}${key(name)}${required.has(name) ? '' : '?'}: ${tsType(prop, inner)};`,
  );
  lines.push(...extra.map((line) => `${inner}${line}`));
  if (schema.additionalProperties === true) lines.push(`${inner}[field: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * The record of one resource. `id` is required whatever the contract says (every record the
 * datasource hands out has one; the SDL makes it `ID!`). Parent ids are required too: the datasource
 * stamps them on every record read under a parent (src/datasources/parent-links.ts), from the path
 * (a string) or the parent's record (the parent's id, as the contract types it).
 */
function recordType(def: ResourceDefinition, record: JsonSchema): string {
  const schema: JsonSchema = structuredClone(record);
  const properties = (schema.properties ??= {});
  const stamped = new Set((def.parents ?? []).map((p) => p.field));
  // Every record handed out has an id (a listing row without one could not be read back), whatever the contract's nullability.
  properties.id = { ...(properties.id ?? { type: 'string' }), nullable: false };
  schema.required = [...new Set([...(schema.required ?? []), 'id', ...stamped])];
  for (const field of stamped) delete properties[field];
  const extra = (def.parents ?? []).flatMap((p) => [
    `/** The id of the ${p.resource} it sits under (stamped by the datasource when AMPECO leaves it out). */`,
    `${key(p.field)}: number | string;`,
  ]);
  return `/** ${def.description} As AMPECO sends it. */\nexport type ${def.name}Record = ${objectType(schema, '', extra)};`;
}

export function renderRecordTypes(contract: Contract, resources: ResourceDefinition[]): string {
  const blocks = resources.map((def) => {
    const res = contract.resources[def.name];
    if (!res) throw new Error(`${def.name} missing from the contract extract`);
    return recordType(def, res.record);
  });
  const map = resources.map((def) => `  ${def.name}: ${def.name}Record;`).join('\n');
  return [
    '/*\n * Each resource\'s record as AMPECO sends it. Type aliases, not interfaces: an alias has an implicit\n * index signature, so every record is also a RestRecord (src/datasources/records.ts).\n */',
    ...blocks,
    `/** Each resource's record, by GraphQL type name. */\nexport interface RecordTypes {\n${map}\n}`,
    '/** A resource type name (a GraphQL entity of this subgraph). */\nexport type ResourceName = keyof RecordTypes;',
    `/** The resource type names, in definition order. */\nexport const resourceNames: readonly ResourceName[] = [${resources.map((d) => literal(d.name)).join(', ')}];`,
    '/** The record of resource type `T` as the datasource hands it out. */\nexport type RecordOf<T extends ResourceName> = RecordTypes[T];',
  ].join('\n\n');
}
