/**
 * The slice of AMPECO's OpenAPI contract the project runs on, reduced to what code needs:
 * no prose, no examples, `allOf` merged. Written to `src/__generated__/graph.json` by
 * `scripts/generate-contract.ts`; read by the datasource, the simulator and the SDL generator.
 * It lives with the definitions: together they are the core that the runtime, the generator and
 * the simulator share, so none of them reaches into another's tools.
 */

export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  nullable?: boolean;
  readOnly?: boolean;
  deprecated?: boolean;
  enum?: (string | number | boolean | null)[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  writeOnly?: boolean;
  pattern?: string;
  multipleOf?: number;
  /** For a record merged from `oneOf`/`anyOf` object variants: the variants (the simulator fabricates one of them). */
  variants?: JsonSchema[];
}

export interface ContractParameter {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export interface ContractOperation {
  operationId: string;
  deprecated?: boolean;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  pathParams: ContractParameter[];
  query: ContractParameter[];
  requestBody?: { required: boolean; schema: JsonSchema };
  /** Success statuses; `schema` is the body (for enveloped bodies: the whole envelope). */
  /** `bare`: the body is the record itself, not wrapped in `data`. */
  responses: { status: number; schema?: JsonSchema; bare?: boolean }[];
}

export type Pagination = 'cursor' | 'page' | 'both' | 'none';

export interface ContractFilter {
  /** The query parameter as sent, e.g. `filter[roamingOperatorIds][]`. */
  param: string;
  /** The key inside `filter[...]`, e.g. `roamingOperatorIds`. */
  key: string;
  schema: JsonSchema;
  array: boolean;
}

export interface ContractResource {
  name: string;
  /** The record as read (the `data` of the read operation, or a listing item). */
  record: JsonSchema;
  operations: Partial<Record<'list' | 'read' | 'create' | 'update' | 'delete', ContractOperation>>;
  pagination: Pagination;
  filters: ContractFilter[];
  /** Accepted `include[]` values. */
  includes: string[];
  /** Boolean/other `with*` query flags accepted by the listing or read. */
  flags: ContractParameter[];
}

export interface Contract {
  version: string;
  resources: Record<string, ContractResource>;
  /** The reads of views (see ViewDefinition), by operationId; `operations` holds its one `list` or `read`. */
  views: Record<string, ContractResource>;
  actions: Record<string, ContractOperation>;
}
