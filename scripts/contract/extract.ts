import type { Definitions } from '../../src/definitions/model.js';
import type {
  Contract,
  ContractFilter,
  ContractOperation,
  ContractParameter,
  ContractResource,
  JsonSchema,
  Pagination,
} from '../../src/definitions/contract-model.js';

/* The subset of OpenAPI 3.0 read here. */
interface OpenApiSchema extends Record<string, unknown> {
  allOf?: OpenApiSchema[];
}
interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: OpenApiSchema;
}
interface OpenApiOperation {
  operationId: string;
  deprecated?: boolean;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: OpenApiSchema }> };
  responses: Record<string, { content?: Record<string, { schema?: OpenApiSchema }> }>;
}
export interface OpenApiDocument {
  info: { version: string };
  paths: Record<string, Record<string, unknown>>;
}

const KEPT_KEYS = new Set([
  'type', 'format', 'nullable', 'readOnly', 'deprecated', 'enum', 'properties', 'required', 'items',
  'anyOf', 'oneOf', 'additionalProperties', 'minimum', 'maximum', 'minLength', 'maxLength', 'default',
  // What the simulator needs to fabricate valid values and the SDL to leave secrets out of output types.
  'writeOnly', 'pattern', 'multipleOf',
]);

/** Drops prose and examples and merges `allOf` parts into one schema. */
export function simplify(schema: OpenApiSchema | undefined): JsonSchema {
  if (!schema) return {};
  let source: OpenApiSchema = schema;
  if (schema.allOf) {
    const parts = [schema, ...schema.allOf.map(partOf)];
    // Parts of an object join their fields; parts of a value (a string whose enum sits in an `allOf`,
    // AMPECO's way of reusing a list) join their keywords.
    const isObject = parts.some((p) => p.type === 'object' || p.properties);
    const merged: OpenApiSchema = isObject
      ? { ...schema, allOf: undefined, type: 'object', properties: {}, required: [] }
      : parts.reduce<OpenApiSchema>((all, part) => ({ ...all, ...part, allOf: undefined }), {});
    for (const part of parts) {
      if (isObject) {
        Object.assign(merged.properties as object, part.properties ?? {});
        (merged.required as string[]).push(...((part.required as string[] | undefined) ?? []));
      }
      if (part.nullable) merged.nullable = true;
      if (part.readOnly) merged.readOnly = true;
    }
    source = merged;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (!KEPT_KEYS.has(key) || value === undefined) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, OpenApiSchema>).map(([k, v]) => [k, simplify(v)]),
      );
    } else if (key === 'items') {
      out.items = simplify(value as OpenApiSchema);
    } else if (key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as OpenApiSchema[]).map(simplify);
    } else if (key === 'additionalProperties' && typeof value === 'object') {
      out.additionalProperties = simplify(value as OpenApiSchema);
    } else if (key === 'required') {
      const list = [...new Set(value as string[])];
      if (list.length) out.required = list;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * One part of an `allOf` as plain fields: a nested `allOf` flattened, and a choice of object shapes
 * merged (mergeVariants), so that fields only a choice declares (a payment terminal's
 * preauthorizeAmount or transactionTimeout) are not lost.
 */
function partOf(part: OpenApiSchema): OpenApiSchema {
  if (part.allOf) return { ...part, ...flattenAllOf(part) };
  if (part.oneOf || part.anyOf) return mergeVariants(simplify(part)) as OpenApiSchema;
  return part;
}

function flattenAllOf(schema: OpenApiSchema): OpenApiSchema {
  const merged: OpenApiSchema = { properties: {}, required: [] };
  for (const part of schema.allOf ?? []) {
    const p = partOf(part);
    Object.assign(merged.properties as object, p.properties ?? {});
    (merged.required as string[]).push(...((p.required as string[] | undefined) ?? []));
  }
  return merged;
}

const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

export function indexOperations(doc: OpenApiDocument): Map<string, ContractOperation> {
  const index = new Map<string, ContractOperation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters as OpenApiParameter[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as OpenApiOperation | undefined;
      if (!op) continue;
      const params = new Map<string, OpenApiParameter>();
      for (const p of [...shared, ...(op.parameters ?? [])]) params.set(`${p.in}:${p.name}`, p);
      const toParam = (p: OpenApiParameter): ContractParameter => ({
        name: p.name,
        schema: simplify(p.schema),
        required: p.in === 'path' || Boolean(p.required),
      });
      const all = [...params.values()];
      const body = op.requestBody?.content?.['application/json']?.schema;
      index.set(op.operationId, {
        operationId: op.operationId,
        ...(op.deprecated ? { deprecated: true } : {}),
        method: method.toUpperCase() as ContractOperation['method'],
        path,
        pathParams: all.filter((p) => p.in === 'path').map(toParam),
        query: all.filter((p) => p.in === 'query').map(toParam),
        // A body that is one of several object shapes is offered as one input with every field (required where all require it).
        requestBody: body ? { required: Boolean(op.requestBody?.required), schema: bodySchema(simplify(body)) } : undefined,
        responses: Object.entries(op.responses)
          .filter(([status]) => status.startsWith('2'))
          .map(([status, response]) => {
            const schema = response.content?.['application/json']?.schema;
            return { status: Number(status), schema: schema ? simplify(schema) : undefined };
          }),
      });
    }
  }
  return index;
}

/** A request body whose object (or, for a list body, whose items) may be one of several shapes: one input with every field. */
function bodySchema(schema: JsonSchema): JsonSchema {
  return schema.type === 'array' && schema.items ? { ...schema, items: mergeVariants(schema.items) } : mergeVariants(schema);
}

/**
 * The record an operation answers with: a listing's item (`list`) or a read's object (`read`). Most
 * answers wrap it in `data`; a few send it bare. Records that are a `oneOf`/`anyOf` of object
 * variants are merged into one object: every variant's fields, required only where all require them.
 */
export function recordOf(op: ContractOperation | undefined, kind: 'list' | 'read'): JsonSchema | undefined {
  const body = op?.responses.find((r) => r.schema)?.schema;
  if (!body) return undefined;
  const data = body.properties?.data ?? (kind === 'read' && !body.properties?.links ? body : undefined);
  if (!data) return undefined;
  if (kind === 'list') return data.type === 'array' && data.items ? withVariants(data.items) : undefined;
  if (data.type === 'array') return undefined;
  const merged = withVariants(data);
  return merged.properties && Object.keys(merged.properties).length ? merged : undefined;
}

/** `mergeVariants`, keeping the variants beside the merged object: the simulator fabricates each record as one of them. */
function withVariants(schema: JsonSchema): JsonSchema {
  const merged = mergeVariants(schema);
  const variants = schema.oneOf ?? schema.anyOf;
  return merged !== schema && variants ? { ...merged, variants: variants.map(mergeVariants) } : merged;
}

/**
 * One object schema for a `oneOf`/`anyOf` of object variants: every variant's fields, required only
 * where all require them, and a field several variants share typed to hold what any of them allows
 * (see `widen`): a booking request's `type` is `create` in one variant and `update` in another.
 */
export function mergeVariants(schema: JsonSchema): JsonSchema {
  const variants = schema.oneOf ?? schema.anyOf;
  if (!variants?.length || !variants.every(isObjectSchema)) return schema;
  const { oneOf: _one, anyOf: _any, ...rest } = schema;
  // A variant may itself be a choice (a payment terminal's preauthorizeAmount or transactionTimeout).
  const merged = variants.map(mergeVariants).reduce((a, b) => mergeObjects(a, b));
  const nullable = schema.nullable ? { nullable: true } : {};
  if (!rest.properties) return { ...rest, ...merged, type: 'object', ...nullable };
  // Fields of its own beside the variants: those always apply, as declared, and the variants' join them.
  const required = [...new Set([...(rest.required ?? []), ...(merged.required ?? [])])];
  return { ...rest, type: 'object', properties: { ...merged.properties, ...rest.properties }, ...(required.length ? { required } : {}), ...nullable };
}

const isObjectSchema = (s: JsonSchema): boolean => s.type === 'object' || (s.type === undefined && s.properties !== undefined);

/** Two object schemas as one: the union of their properties, shared ones widened, required where both require. */
function mergeObjects(a: JsonSchema, b: JsonSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = { ...a.properties };
  for (const [k, p] of Object.entries(b.properties ?? {})) properties[k] = properties[k] ? widen(properties[k], p) : p;
  const required = Object.keys(properties).filter((k) => a.required?.includes(k) && b.required?.includes(k));
  const additional = a.additionalProperties === true || b.additionalProperties === true ? { additionalProperties: true } : {};
  const annotations = pick(a, b);
  return { ...annotations, type: 'object', properties, ...(required.length ? { required } : {}), ...additional };
}

/** What both schemas say: nullable if either is, read-only or deprecated only if both are. */
function pick(a: JsonSchema, b: JsonSchema): JsonSchema {
  return {
    ...(a.nullable || b.nullable ? { nullable: true } : {}),
    ...(a.readOnly && b.readOnly ? { readOnly: true } : {}),
    ...(a.deprecated && b.deprecated ? { deprecated: true } : {}),
  };
}

const SCALAR_WIDTH: Record<string, number> = { integer: 1, number: 2 };

/**
 * A schema that holds every value either of two holds: equal schemas stay as they are; enums join
 * their values (an enum beside a plain value of its type is that plain type); objects merge; arrays
 * widen their items; an integer beside a number is a number. Anything else AMPECO types differently
 * from one variant to the next (a string in one, a number in the other) is either: `anyOf` both.
 */
export function widen(a: JsonSchema, b: JsonSchema): JsonSchema {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  const both = pick(a, b);
  const nullable = both.nullable || a.enum?.includes(null) || b.enum?.includes(null);
  const sameType = a.type === b.type;
  if (isObjectSchema(a) && isObjectSchema(b) && !a.oneOf && !a.anyOf && !b.oneOf && !b.anyOf) return { ...mergeObjects(a, b), ...both };
  if (sameType && a.type === 'array') return { ...both, type: 'array', items: widen(a.items ?? {}, b.items ?? {}) };
  const format = a.format === b.format && a.format !== undefined ? { format: a.format } : {};
  if (sameType && a.type !== undefined && !a.oneOf && !a.anyOf && !b.oneOf && !b.anyOf) {
    if (a.enum && b.enum) {
      const values = [...new Set([...a.enum, ...b.enum].filter((v) => v !== null))];
      return { ...both, type: a.type, ...format, enum: nullable ? [...values, null] : values };
    }
    // An enum beside a plain value of the same type: the plain one allows everything the enum does.
    return { ...both, ...(nullable ? { nullable: true } : {}), type: a.type, ...format };
  }
  const widthA = SCALAR_WIDTH[a.type ?? ''];
  const widthB = SCALAR_WIDTH[b.type ?? ''];
  if (widthA && widthB && !a.enum && !b.enum) return { ...both, type: 'number' };
  return { ...both, anyOf: [a, b] };
}

export function paginationOf(list: ContractOperation | undefined): Pagination {
  if (!list) return 'none';
  const names = new Set(list.query.map((q) => q.name));
  if (names.has('cursor') && names.has('page')) return 'both';
  if (names.has('cursor')) return 'cursor';
  if (names.has('page')) return 'page';
  return 'none';
}

export function filtersOf(list: ContractOperation | undefined): ContractFilter[] {
  if (!list) return [];
  // Most listings declare one deepObject `filter` parameter; a few declare `filter[key]` one by one.
  const deep = list.query.find((q) => q.name === 'filter');
  const fromDeep: ContractFilter[] = Object.entries(deep?.schema.properties ?? {}).map(([key, schema]) => {
    const array = schema.type === 'array';
    return { param: array ? `filter[${key}][]` : `filter[${key}]`, key, schema, array };
  });
  return fromDeep.concat(list.query
    .filter((q) => q.name.startsWith('filter['))
    .map((q) => {
      const match = /^filter\[([^\]]+)\](\[\])?$/.exec(q.name);
      if (!match?.[1]) throw new Error(`Unexpected filter parameter ${q.name} on ${list.operationId}`);
      return { param: q.name, key: match[1], schema: q.schema, array: Boolean(match[2]) || q.schema.type === 'array' };
    }));
}

const PAGING_AND_EMBEDDING = new Set(['cursor', 'page', 'per_page', 'include', 'include[]']);

function resourceOf(name: string, operations: ContractResource['operations'], record: JsonSchema): ContractResource {
  const embedding = [operations.list, operations.read].filter((o): o is ContractOperation => Boolean(o));
  const includes = new Set<string>();
  const flags = new Map<string, ContractParameter>();
  for (const op of embedding) {
    for (const q of op.query) {
      if (q.name === 'include' || q.name === 'include[]') {
        for (const value of q.schema.items?.enum ?? []) includes.add(String(value));
      } else if (!q.name.startsWith('filter') && !PAGING_AND_EMBEDDING.has(q.name)) {
        flags.set(q.name, q);
      }
    }
  }
  return {
    name,
    record,
    operations,
    pagination: paginationOf(operations.list),
    filters: filtersOf(operations.list),
    includes: [...includes],
    flags: [...flags.values()],
  };
}

export function extractContract(doc: OpenApiDocument, definitions: Definitions): Contract {
  const index = indexOperations(doc);
  const need = (operationId: string): ContractOperation => {
    const op = index.get(operationId);
    if (!op) throw new Error(`operationId ${operationId} is not in the contract ${doc.info.version}`);
    return op;
  };
  const out: Contract = { version: doc.info.version, resources: {}, views: {}, actions: {} };
  for (const def of definitions.resources) {
    const operations: ContractResource['operations'] = {};
    for (const [kind, operationId] of Object.entries(def.operations)) {
      operations[kind as keyof ContractResource['operations']] = need(operationId);
    }
    const record = recordOf(operations.read, 'read') ?? recordOf(operations.list, 'list');
    if (!record) throw new Error(`${def.name}: no record schema in its read or list responses`);
    out.resources[def.name] = resourceOf(def.name, operations, record);
  }
  for (const view of definitions.views) {
    const op = need(view.operationId);
    const record = view.shape === 'object' ? recordOf(op, 'read') : recordOf(op, 'list');
    if (!record) throw new Error(`${view.operationId}: no record schema in its response`);
    out.views[view.operationId] = resourceOf(view.type, view.shape === 'object' ? { read: op } : { list: op }, record);
  }
  for (const action of definitions.actions) out.actions[action.operationId] = need(action.operationId);
  return out;
}
