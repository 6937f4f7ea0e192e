import type { ActionDefinition, ResourceDefinition } from '../../src/definitions/resources.js';
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
]);

/** Drops prose and examples and merges `allOf` parts into one schema. */
export function simplify(schema: OpenApiSchema | undefined): JsonSchema {
  if (!schema) return {};
  let source: OpenApiSchema = schema;
  if (schema.allOf) {
    const merged: OpenApiSchema = { ...schema, allOf: undefined, type: 'object', properties: {}, required: [] };
    for (const part of [schema, ...schema.allOf.map((p) => (p.allOf ? { ...p, ...flattenAllOf(p) } : p))]) {
      Object.assign(merged.properties as object, part.properties ?? {});
      (merged.required as string[]).push(...((part.required as string[] | undefined) ?? []));
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

function flattenAllOf(schema: OpenApiSchema): OpenApiSchema {
  const merged: OpenApiSchema = { properties: {}, required: [] };
  for (const part of schema.allOf ?? []) {
    const p = part.allOf ? flattenAllOf(part) : part;
    Object.assign(merged.properties as object, p.properties ?? {});
    (merged.required as string[]).push(...((p.required as string[] | undefined) ?? []));
  }
  return merged;
}

const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

function indexOperations(doc: OpenApiDocument): Map<string, ContractOperation> {
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
        method: method.toUpperCase() as ContractOperation['method'],
        path,
        pathParams: all.filter((p) => p.in === 'path').map(toParam),
        query: all.filter((p) => p.in === 'query').map(toParam),
        requestBody: body ? { required: Boolean(op.requestBody?.required), schema: simplify(body) } : undefined,
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

function recordOf(op: ContractOperation | undefined): JsonSchema | undefined {
  const body = op?.responses.find((r) => r.schema)?.schema;
  const data = body?.properties?.data;
  if (!data) return undefined;
  return data.type === 'array' ? data.items : data;
}

function paginationOf(list: ContractOperation | undefined): Pagination {
  if (!list) return 'none';
  const names = new Set(list.query.map((q) => q.name));
  if (names.has('cursor') && names.has('page')) return 'both';
  if (names.has('cursor')) return 'cursor';
  if (names.has('page')) return 'page';
  return 'none';
}

function filtersOf(list: ContractOperation | undefined): ContractFilter[] {
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

export function extractContract(
  doc: OpenApiDocument,
  resources: ResourceDefinition[],
  actions: ActionDefinition[],
): Contract {
  const index = indexOperations(doc);
  const need = (operationId: string): ContractOperation => {
    const op = index.get(operationId);
    if (!op) throw new Error(`operationId ${operationId} is not in the contract ${doc.info.version}`);
    return op;
  };
  const out: Contract = { version: doc.info.version, resources: {}, actions: {} };
  for (const def of resources) {
    const operations: ContractResource['operations'] = {};
    for (const [kind, operationId] of Object.entries(def.operations)) {
      operations[kind as keyof ContractResource['operations']] = need(operationId);
    }
    const record = recordOf(operations.read) ?? recordOf(operations.list);
    if (!record) throw new Error(`${def.name}: no record schema in its read or list responses`);
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
    out.resources[def.name] = {
      name: def.name,
      record,
      operations,
      pagination: paginationOf(operations.list),
      filters: filtersOf(operations.list),
      includes: [...includes],
      flags: [...flags.values()],
    };
  }
  for (const action of actions) out.actions[action.operationId] = need(action.operationId);
  return out;
}
