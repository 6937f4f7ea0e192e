/**
 * The shapes of the graph's definitions: what each GraphQL type reads from which REST endpoints and
 * how types relate. They are derived from AMPECO's contract by `scripts/contract/derive.ts` (with the
 * hand-kept overlay of `./overlay.ts`) and shipped to the runtime in `src/__generated__/graph.json`.
 */

export type Operation = 'list' | 'read' | 'create' | 'update' | 'delete';

export interface ParentLink {
  /** GraphQL type of the parent resource. */
  resource: string;
  /** Path parameter that holds the parent's id. */
  param: string;
  /**
   * Field of the child record that holds the parent's id. When the contract's record
   * has no such field, the datasource stamps it on every record it reads under the parent.
   */
  field: string;
}

export interface RelationDefinition {
  /** GraphQL field on the owning type. */
  field: string;
  /** Target GraphQL type. */
  target: string;
  /**
   * to-one: the owning record holds the target's id in `via`.
   * to-many: the target's listing filtered by `filter` = owning record's id (a connection),
   *          embedded through `include` on the owning record when `include` is set,
   *          the ids listed in the owning record's `via` array,
   *          or the target's listing under the owner's path when `nested` is set.
   */
  kind: 'one' | 'many';
  via?: string;
  filter?: string;
  include?: string;
  /** Child records live under the owning record's path (sub-resource listing). */
  nested?: boolean;
  /**
   * `list` for small bounded sets fetched whole (a charge point's EVSEs), `connection` for
   * unbounded ones paged Relay-style (a user's sessions). Defaults to `connection`.
   */
  shape?: 'list' | 'connection';
  description: string;
}

export interface ResourceDefinition {
  /** GraphQL type name, singular PascalCase. */
  name: string;
  /** Schema file (domain) the type belongs to. */
  domain: string;
  description: string;
  /** Collection path of the REST resource; `{param}` placeholders name parent ids. */
  path: string;
  /** Path parameter of the item id. */
  idParam: string;
  /** Parents from the outermost in; their ids fill the path's placeholders. */
  parents?: ParentLink[];
  /** operationId in the contract for each operation AMPECO offers on this resource. */
  operations: Partial<Record<Operation, string>>;
  relations: RelationDefinition[];
  /** Fields of the record deliberately left out of the graph (dotted paths for nested ones), with the reason. */
  omit?: Record<string, string>;
  /** Root field name for the listing when the naive plural (`name` + s) is wrong. */
  plural?: string;
}

/**
 * A read that is not an entity's: a GET whose records have no id of their own to be read back by
 * (a tenant's settings, a charge point's status logs, a circuit's consumption), or one that lists
 * another type's records under an owner (a firmware version's models). It becomes a field of its
 * owner type, or of Query when it has no owner.
 */
export interface ViewDefinition {
  /** Unique key: the operationId it reads. */
  operationId: string;
  /** GraphQL type of its records. */
  type: string;
  /** Whether `type` is a value type rendered from this view's schema (false: an entity type). */
  ownsType: boolean;
  /** The entity type it is a field of; null for Query. */
  owner: string | null;
  /** Field name on the owner (or Query). */
  field: string;
  /** Path parameters filled from the owner record: parameter -> field of the owner (`id`, `chargePointId`). */
  ownerParams: Record<string, string>;
  /** The other path parameters, as field arguments. */
  args: { param: string; arg: string; description: string }[];
  /** One record, all records (small, unpaged), or a connection (paged upstream). */
  shape: 'object' | 'list' | 'connection';
  domain: string;
  description: string;
}

export interface ActionDefinition {
  /** GraphQL mutation name, verb first. */
  mutation: string;
  operationId: string;
  description: string;
  /** Maps GraphQL arguments to path parameters; values name an argument. */
  pathArgs: Record<string, { arg: string; description: string }>;
  /** Whether the request body is exposed as an `input` argument. */
  body: boolean;
  /** Type whose record the action acts on, re-read (and cache-cleared) after the call. */
  target?: { type: string; pathParam: string };
  /**
   * A record the command creates that AMPECO's answer does not name: found in a listing filtered
   * by path values (`filter` maps listing filter -> path parameter, or a fixed value after `=`),
   * as the row whose `match` field equals the answer's field of the same name.
   */
  creates?: { field: string; type: string; filter: Record<string, string>; match: string };
}

/** Everything derived: what `src/__generated__/graph.json` holds besides the reduced contract. */
export interface Definitions {
  resources: ResourceDefinition[];
  views: ViewDefinition[];
  actions: ActionDefinition[];
}
