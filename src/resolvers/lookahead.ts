/**
 * Reads ahead in the query: which fields of the current field's result are selected. The
 * datasource uses it to embed with include[] / with* flags only what is asked for, and to skip
 * a fetch whose answer the query does not need.
 *
 * One walker does it all, on graphql-js's own field collection (`collectSubfields`, the function
 * execution uses to decide which fields run): fragments and inline fragments are followed only where
 * their type condition matches, and a selection under `@skip(if: true)` or `@include(if: false)`,
 * with a literal or a variable, is not there, exactly as execution will not resolve it.
 *
 * `collectSubfields` is marked internal in graphql 16 but has kept its signature through every 16.x
 * release; test/resolvers/lookahead.test.ts pins what we rely on, so a graphql upgrade that changes
 * it fails there first.
 */
import { collectSubfields } from 'graphql/execution/collectFields.js';
import { getArgumentValues } from 'graphql/execution/values.js';
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
} from 'graphql';

/** What a walk needs from a resolve info: the operation's fragments and variables, and the schema. */
type Walk = Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>;

/** Subfields grouped by response key (alias or name), as execution groups them. */
type Collected = ReadonlyMap<string, readonly FieldNode[]>;

/**
 * Collections already made. graphql-js hands every item of a list the same `fieldNodes` array, and
 * the arrays made here are themselves cached, so the per-record resolvers of a page (a session's
 * `chargePoint`, 100 times) and the prefetch walks that go down the same selections collect each
 * level once.
 *
 * With variables, what a selection collects may depend on them (`@skip(if: $x)`): those collections
 * are kept per execution, under its coerced variables object (new for each execution, so a document
 * cached across requests with other variables never hits a stale entry), then per array of field nodes.
 * Without variables it depends on the document and the schema alone, and Apollo hands every request of
 * a query the same parsed document: a selection of one field node is then kept under that node, for
 * every later request of the query too.
 */
const perExecution = new WeakMap<object, WeakMap<object, Map<string, unknown>>>();
const perDocument = new WeakMap<object, WeakMap<object, Map<string, unknown>>>();
/** Variables object for a walk without one (never from graphql-js, which always passes an object). */
const NO_VARIABLES = {};

function hasKeys(value: object): boolean {
  for (const _ in value) return true;
  return false;
}

function cached<T>(walk: Walk, nodes: readonly FieldNode[], key: string, make: () => T): T {
  const variables = (walk.variableValues as object | undefined) ?? NO_VARIABLES;
  const shared = nodes.length === 1 && !hasKeys(variables);
  const scopes = shared ? perDocument : perExecution;
  const scope = shared ? walk.schema : variables;
  let byNodes = scopes.get(scope);
  if (!byNodes) scopes.set(scope, (byNodes = new WeakMap<object, Map<string, unknown>>()));
  const anchor = shared ? nodes[0]! : nodes;
  let entries = byNodes.get(anchor);
  if (!entries) byNodes.set(anchor, (entries = new Map<string, unknown>()));
  if (!entries.has(key)) entries.set(key, make());
  return entries.get(key) as T;
}

/** The object types a value of `type` can be at run time: itself, or the possible types of an interface or union. */
function objectTypes(walk: Walk, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return walk.schema.getPossibleTypes(type);
  return [];
}

/** The subfields of `nodes` on a value of `type`, as execution collects them (directives and type conditions applied). */
function collect(walk: Walk, type: GraphQLObjectType, nodes: readonly FieldNode[]): Collected {
  return cached(walk, nodes, `collect:${type.name}`, () =>
    collectSubfields(walk.schema, walk.fragments, walk.variableValues, type, nodes),
  );
}

/** Those of `group` that select field `name` (all of them, as the same array, when they all do). */
function named(group: readonly FieldNode[], name: string): readonly FieldNode[] {
  return group.every((node) => node.name.value === name) ? group : group.filter((node) => node.name.value === name);
}

/**
 * Walks `path` (field names, whatever their aliases) down from `nodes` of type `type`, and calls
 * `visit` with each selection reached at its end: the object type it was selected on and its field
 * nodes, one call per response key.
 */
function walkPath(
  walk: Walk,
  type: GraphQLNamedType,
  nodes: readonly FieldNode[],
  path: readonly string[],
  visit: (type: GraphQLNamedType, nodes: readonly FieldNode[]) => void,
  depth = 0,
): void {
  if (depth === path.length) {
    visit(type, nodes);
    return;
  }
  const name = path[depth]!;
  for (const object of objectTypes(walk, type)) {
    const field = object.getFields()[name];
    if (!field) continue;
    for (const group of collect(walk, object, nodes).values()) {
      const matching = named(group, name);
      if (matching.length) walkPath(walk, getNamedType(field.type), matching, path, visit, depth + 1);
    }
  }
}

/**
 * A value worked out from the current field's selection once for all the items of a list: graphql-js
 * resolves a field of each of 100 rows with the same field nodes and variables, and what the query
 * selects below it is the same for all of them. Remembers the last selection only (by identity; the
 * variables weakly, so a request's variables do not outlive it here).
 */
export function perSelection<T>(make: (info: GraphQLResolveInfo) => T): (info: GraphQLResolveInfo) => T {
  let nodes: readonly FieldNode[] | undefined;
  let variables: WeakRef<object> | undefined;
  let value: T | undefined;
  return (info) => {
    const vars = info.variableValues as object;
    if (info.fieldNodes !== nodes || variables?.deref() !== vars) {
      value = make(info);
      nodes = info.fieldNodes;
      variables = new WeakRef(vars);
    }
    return value as T;
  };
}

/** Names of the fields selected on the current field's result, or at `path` below it (`['nodes']`). */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): Set<string> {
  const out = new Set<string>();
  walkPath(info, getNamedType(info.returnType), info.fieldNodes, path, (type, nodes) => {
    for (const object of objectTypes(info, type)) {
      for (const group of collect(info, object, nodes).values()) for (const node of group) out.add(node.name.value);
    }
  });
  return out;
}

/** Fields of a connection's nodes, whether selected through `nodes` or `edges.node`. */
export function selectedNodeFields(info: GraphQLResolveInfo): Set<string> {
  return new Set([...selectedFields(info, ['nodes']), ...selectedFields(info, ['edges', 'node'])]);
}

/** True when nothing but the id (and __typename or key fields already known) is asked for. */
export function onlyKnownFields(selected: Set<string>, known: string[]): boolean {
  for (const field of selected) if (field !== '__typename' && !known.includes(field)) return false;
  return true;
}

/** One selection of a child field of the current field: its arguments and the fields it selects. */
export interface ChildSelection {
  args: Record<string, unknown>;
  /** Fields selected on the child, or on its nodes when it is a connection. */
  fields: Set<string>;
  /** A resolve info positioned on the child's records, to look further down. */
  records: GraphQLResolveInfo;
}

/** A Relay connection: by its shape, not its name (`RoamingConnection` is a record). */
export const isConnection = (type: GraphQLNamedType): type is GraphQLObjectType =>
  isObjectType(type) && type.name.endsWith('Connection') && 'pageInfo' in type.getFields() && 'edges' in type.getFields();

/**
 * The current field's records: itself for an object or a list, its `nodes` and `edges.node` for a
 * connection. The info returned has those as fieldNodes and their type as returnType.
 */
export function recordsOf(info: GraphQLResolveInfo): GraphQLResolveInfo {
  const type = getNamedType(info.returnType);
  if (!isConnection(type)) return info;
  const nodeType = getNamedType(type.getFields().nodes!.type);
  // Cached, so that walks further down from these records find their collections cached too.
  const fieldNodes = cached(info, info.fieldNodes, `records:${type.name}`, () => {
    const out: FieldNode[] = [];
    const add = (_: GraphQLNamedType, nodes: readonly FieldNode[]) => out.push(...nodes);
    walkPath(info, type, info.fieldNodes, ['nodes'], add);
    walkPath(info, type, info.fieldNodes, ['edges', 'node'], add);
    return out;
  });
  return Object.assign({}, info, { fieldNodes, returnType: nodeType });
}

/**
 * Selections of `fieldName` on the current field's result, one per response key (alias), with
 * their argument values: lets a resolver start its children's calls together with its own.
 */
export function childSelections(info: GraphQLResolveInfo, fieldName: string): ChildSelection[] {
  const parentType = getNamedType(info.returnType);
  if (!isObjectType(parentType)) return [];
  const fieldDef = parentType.getFields()[fieldName];
  if (!fieldDef) return [];
  const out: ChildSelection[] = [];
  for (const group of collect(info, parentType, info.fieldNodes).values()) {
    const nodes = named(group, fieldName);
    if (!nodes.length) continue;
    const childInfo: GraphQLResolveInfo = Object.assign({}, info, { fieldNodes: nodes, returnType: fieldDef.type });
    out.push({
      args: getArgumentValues(fieldDef, nodes[0]!, info.variableValues),
      fields: isConnection(getNamedType(fieldDef.type)) ? selectedNodeFields(childInfo) : selectedFields(childInfo),
      records: recordsOf(childInfo),
    });
  }
  return out;
}
