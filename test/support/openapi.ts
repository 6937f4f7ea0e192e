/**
 * AMPECO's OpenAPI contract (read from `AMPECO_OPENAPI`, as `npm run generate` does), compiled with Ajv:
 * response bodies, and requests as a whole (method, path template, path and query parameters, JSON body).
 * The simulator's own validator works on the reduced contract and reads `oneOf` as `anyOf`; this one is
 * independent of the project's code and takes the contract at its word.
 *
 * OpenAPI 3.0 schemas are not quite JSON Schema; the differences are bridged in `toJsonSchema`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { parse } from 'qs';
import { openApiPath } from '../../scripts/generate-contract.js';

export { openApiPath };

/** Why contract tests are skipped on a machine without the contract. */
export const OPENAPI_MISSING = `AMPECO's OpenAPI contract is not at ${openApiPath} (set AMPECO_OPENAPI): contract validation skipped.`;

export type OaSchema = { [keyword: string]: unknown };
interface OaParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  style?: string;
  schema?: OaSchema;
}
interface OaOperation {
  operationId?: string;
  parameters?: OaParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: OaSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: OaSchema }> }>;
}
interface OaDocument {
  paths: Record<string, Record<string, OaOperation | OaParameter[] | undefined>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const JSON_TYPE = 'application/json';

export interface Operation {
  id: string;
  method: string;
  /** The path template, e.g. `/public-api/resources/evses/v2.1/{evse}`. */
  path: string;
  pathParams: OaParameter[];
  queryParams: OaParameter[];
  requestBody?: { required: boolean; schema?: OaSchema };
  responses: Map<number, OaSchema | undefined>;
  pattern: RegExp;
}

/** A request as the simulator logs it (`RequestLogEntry`). */
export interface RequestRecord {
  method: string;
  path: string;
  /** Raw query string without `?`. */
  query: string;
  body?: string;
  contentType?: string;
}

type Direction = 'request' | 'response';

function isSchema(value: unknown): value is OaSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * OpenAPI 3.0 -> JSON Schema, for one direction:
 * - `nullable: true` (and an enum listing `null`, which is how AMPECO marks 30 nullable enums) admit null;
 * - `readOnly` properties must not be sent in requests and `writeOnly` ones not served in responses (the
 *   spec's SHOULD NOT), and neither is required on the side that does not carry it;
 * - `example` and `x-*` annotations are dropped, so that Ajv can stay strict about every other keyword;
 * - `deepObject` query parameters (`filter`) refuse keys the contract does not list: AMPECO ignores them
 *   silently, so a facade sending one would believe it filters when it does not.
 */
function toJsonSchema(schema: OaSchema, direction: Direction, closeObject = false): SchemaObject {
  const out: SchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'example' || keyword.startsWith('x-') || keyword === 'nullable' || keyword === 'readOnly' || keyword === 'writeOnly') continue;
    if (keyword === 'properties' && isSchema(value)) {
      const properties: Record<string, SchemaObject | boolean> = {};
      for (const [name, property] of Object.entries(value)) {
        if (!isSchema(property)) continue;
        const hidden = direction === 'request' ? property.readOnly === true : property.writeOnly === true;
        properties[name] = hidden ? false : toJsonSchema(property, direction);
      }
      out.properties = properties;
    } else if ((keyword === 'items' || keyword === 'not' || keyword === 'additionalProperties') && isSchema(value)) {
      out[keyword] = toJsonSchema(value, direction);
    } else if ((keyword === 'anyOf' || keyword === 'oneOf' || keyword === 'allOf') && Array.isArray(value)) {
      out[keyword] = value.filter(isSchema).map((s) => toJsonSchema(s, direction));
    } else {
      out[keyword] = value;
    }
  }
  if (Array.isArray(out.required) && isSchema(schema.properties)) {
    const props = schema.properties;
    out.required = out.required.filter((name) => {
      const property = typeof name === 'string' ? props[name] : undefined;
      return !(isSchema(property) && (direction === 'request' ? property.readOnly === true : property.writeOnly === true));
    });
  }
  if (closeObject && out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  const enumValues: unknown[] | undefined = Array.isArray(out.enum) ? (out.enum as unknown[]) : undefined;
  if (schema.nullable === true || enumValues?.includes(null)) {
    if (enumValues && !enumValues.includes(null)) out.enum = [...enumValues, null];
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.type === undefined && !enumValues) return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

/**
 * Ajv with ajv-formats, plus the formats AMPECO writes that JSON Schema does not define. `time` is
 * AMPECO's `HH:MM` (its examples: `"09:00"`), not RFC 3339's full-time with seconds and offset.
 */
function createAjv(coerceTypes: boolean): Ajv {
  // Strict about keywords and formats; not about types and `required` naming a property without a schema
  // (both legitimate JSON Schema, and AMPECO's contract has them). `multipleOf: 0.001` is checked to 9
  // digits: in binary floating point 59.98 / 0.001 is 59980.00000000001.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, multipleOfPrecision: 9, coerceTypes });
  formats.default(ajv);
  ajv.addFormat('time', /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/);
  // Typos of date-time in the contract; the fields hold date-times.
  ajv.addFormat('datetime', (s: string) => ajv.validate({ type: 'string', format: 'date-time' }, s));
  ajv.addFormat('datatime', (s: string) => ajv.validate({ type: 'string', format: 'date-time' }, s));
  // Number formats that say nothing a JSON number does not already satisfy.
  ajv.addFormat('decimal', { type: 'number', validate: () => true });
  // Strings that hold a number, an integer or a boolean.
  ajv.addFormat('integer', /^-?\d+$/);
  ajv.addFormat('number', /^-?\d+(\.\d+)?$/);
  ajv.addFormat('boolean', /^(true|false|0|1)$/);
  return ajv;
}

/** `/evses/v2.1/{evse}` -> a RegExp with one group per parameter, in order. */
function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('([^/]+)')}$`);
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  const detail = 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : 'allowedValues' in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : '';
  return `${where} ${e.message ?? e.keyword}${detail}`;
}

export class OpenApiContract {
  readonly operations = new Map<string, Operation>();
  /** Operations with fewer parameters first: a literal segment (`/users/export`) wins over `{user}`. */
  private readonly byPath: Operation[];
  private readonly strict = createAjv(false);
  private readonly coercing = createAjv(true);
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly bySchema = new WeakMap<OaSchema, ValidateFunction>();

  constructor(doc: OaDocument) {
    for (const [path, item] of Object.entries(doc.paths)) {
      const shared = Array.isArray(item.parameters) ? item.parameters : [];
      for (const method of METHODS) {
        const op = item[method];
        if (!op || Array.isArray(op) || !op.operationId) continue;
        // Operation parameters override path-level ones of the same name and place.
        const params = new Map<string, OaParameter>();
        for (const p of [...shared, ...(op.parameters ?? [])]) params.set(`${p.in}:${p.name}`, p);
        const all = [...params.values()];
        const declaredPath = all.filter((p) => p.in === 'path');
        // A template variable the operation forgot to declare is still a path segment: any string.
        const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map(
          ([, name]) => declaredPath.find((p) => p.name === name) ?? { name: name!, in: 'path' as const, required: true, schema: { type: 'string' } },
        );
        const body = op.requestBody;
        this.operations.set(op.operationId, {
          id: op.operationId,
          method: method.toUpperCase(),
          path,
          pathParams,
          queryParams: all.filter((p) => p.in === 'query'),
          requestBody: body ? { required: body.required === true, schema: body.content?.[JSON_TYPE]?.schema } : undefined,
          responses: new Map(Object.entries(op.responses ?? {}).map(([status, r]) => [Number(status), r.content?.[JSON_TYPE]?.schema])),
          pattern: templatePattern(path),
        });
      }
    }
    this.byPath = [...this.operations.values()].sort((a, b) => a.pathParams.length - b.pathParams.length);
  }

  operation(id: string): Operation {
    const op = this.operations.get(id);
    if (!op) throw new Error(`No operation ${id} in AMPECO's contract.`);
    return op;
  }

  private validator(key: string, make: () => SchemaObject, coerce = false): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = (coerce ? this.coercing : this.strict).compile(make());
      this.compiled.set(key, fn);
    }
    return fn;
  }

  /** Whether a request value (a body, or a part of one) is valid against a schema of this contract. */
  accepts(schema: OaSchema, value: unknown): boolean {
    let validate = this.bySchema.get(schema);
    if (!validate) this.bySchema.set(schema, (validate = this.strict.compile(toJsonSchema(schema, 'request'))));
    return validate(value);
  }

  /** Problems of a response body against the operation's schema for that status; [] when valid. */
  responseIssues(operationId: string, status: number, body: unknown): string[] {
    const op = this.operation(operationId);
    if (!op.responses.has(status)) return [`${operationId} declares no ${status} response`];
    const schema = op.responses.get(status);
    if (!schema) return body === undefined ? [] : [`${operationId} ${status} declares no body, got one`];
    const validate = this.validator(`${operationId}:response:${status}`, () => toJsonSchema(schema, 'response'));
    return validate(body) ? [] : (validate.errors ?? []).map(describeError);
  }

  /** The operation a request is for, with its path parameters (decoded); undefined when no path matches. */
  match(method: string, path: string): { operation: Operation; params: Record<string, string> } | { wrongMethod: true } | undefined {
    let pathMatched = false;
    for (const op of this.byPath) {
      const m = op.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (op.method !== method.toUpperCase()) continue;
      const params = Object.fromEntries(op.pathParams.map((p, i) => [p.name, decodeURIComponent(m[i + 1]!)]));
      return { operation: op, params };
    }
    return pathMatched ? { wrongMethod: true } : undefined;
  }

  /** Problems of a request against the contract: path, method, path and query parameters, body; [] when valid. */
  requestIssues(req: RequestRecord): { operationId?: string; issues: string[] } {
    const found = this.match(req.method, req.path);
    if (!found) return { issues: [`no operation has the path ${req.path}`] };
    if ('wrongMethod' in found) return { issues: [`no ${req.method} operation at ${req.path}`] };
    const { operation: op, params } = found;
    const issues: string[] = [];

    const pathValidate = this.validator(`${op.id}:path`, () => paramsSchema(op.pathParams), true);
    if (!pathValidate({ ...params })) issues.push(...(pathValidate.errors ?? []).map((e) => `path ${describeError(e)}`));

    // Laravel's reading of the query string (PHP arrays); a repeated scalar stays a list, so it is caught.
    const query = parse(req.query, { depth: 5, arrayLimit: 1000, parameterLimit: 1000, plainObjects: true });
    const queryValidate = this.validator(`${op.id}:query`, () => paramsSchema(op.queryParams), true);
    if (!queryValidate(query)) issues.push(...(queryValidate.errors ?? []).map((e) => `query ${describeError(e)}`));

    const declared = op.requestBody;
    if (req.body === undefined || req.body === '') {
      if (declared?.required) issues.push(`the required body is missing`);
    } else if (!declared) {
      issues.push(`a body was sent, the operation declares none`);
    } else if (!req.contentType?.startsWith(JSON_TYPE)) {
      issues.push(`the body is sent as ${req.contentType ?? 'no content type'}, not ${JSON_TYPE}`);
    } else {
      let body: unknown;
      try {
        body = JSON.parse(req.body);
      } catch {
        issues.push('the body is not JSON');
      }
      const schema = declared.schema;
      if (body !== undefined && schema) {
        const bodyValidate = this.validator(`${op.id}:body`, () => toJsonSchema(schema, 'request'));
        if (!bodyValidate(body)) issues.push(...(bodyValidate.errors ?? []).map((e) => `body ${describeError(e)}`));
      }
    }
    return { operationId: op.id, issues };
  }
}

/** Parameters as one object schema: undeclared names refused, required ones required. */
function paramsSchema(params: OaParameter[]): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  for (const p of params) {
    // `include[]` and `include` are the same PHP parameter.
    properties[p.name.replace(/\[\]$/, '')] = toJsonSchema(p.schema ?? {}, 'request', p.style === 'deepObject');
  }
  const required = params.filter((p) => p.required).map((p) => p.name.replace(/\[\]$/, ''));
  return { type: 'object', properties, required, additionalProperties: false };
}

/** The contract, or undefined when the file is absent (tests then skip with OPENAPI_MISSING). */
export function loadOpenApi(): OpenApiContract | undefined {
  if (!existsSync(openApiPath)) return undefined;
  return new OpenApiContract(JSON.parse(readFileSync(openApiPath, 'utf8')) as OaDocument);
}
