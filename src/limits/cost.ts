/**
 * What a query may cost, estimated before it runs with graphql-query-complexity and the request's
 * variables. The cost is an upper bound on the work the answer needs, in records and listings:
 *
 * - a field whose named type is a resource (an entity: ChargePoint, Session, ... — the types of
 *   `specs` in src/datasources/registry.ts) costs 1 per record it can return, whether the record is
 *   read by id (`chargePoint(id:)`, `Session.user`) or comes in a listing (`nodes`, `edges.node`);
 * - a `*Connection` field costs 1 for the listing, plus `first` times its selection (`first` as
 *   sent, else the schema's default of 25; capped at AMPECO's page size of 100, which the resolvers
 *   enforce);
 * - a list of objects without `first` (`ChargePoint.evses`, `Evse.connectors`,
 *   `Location.chargingZones`) multiplies its selection by LIST_FAN_OUT;
 * - `_entities(representations:)` multiplies its selection (plus 1 for the record) by the number of
 *   representations;
 * - a mutation root field costs MUTATION_COST on top of its payload's selection;
 * - scalars, enums and value objects (`name { translation }`, `network`, `pageInfo`) cost nothing:
 *   they come with their record.
 *
 * Because every record costs at least 1 wherever it appears, the cost also bounds the number of
 * records in the answer; the token limit bounds the fields asked of each. What is left unbounded is
 * the length of value lists AMPECO sends (a session's charging periods): FACADE_MAX_RESPONSE_BYTES
 * is the backstop for that (src/limits/plugins.ts).
 */
import { isConnection as isRelayConnection } from '../resolvers/lookahead.js';
import {
  GraphQLError,
  TypeInfo,
  ValidationContext,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { createComplexityRule, type ComplexityEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '../datasources/ampeco.js';
import { specs } from '../datasources/registry.js';

/** `first` when a connection field is asked without it (the schema's default). */
export const DEFAULT_PAGE_SIZE = 25;
/**
 * Records assumed in a list relation that takes no `first`: the EVSEs of a charge point, the
 * connectors of an EVSE, the charging zones of a location. These are physical sub-units: OCPP charge
 * points have one to four EVSEs and an EVSE one to three connectors (the simulator: 2 and 1.5 on
 * average), and a site a handful of zones. 10 is above what real hardware reaches, so the estimate stays
 * an upper bound without making the dashboards (evses × connectors under a page of charge points)
 * look like attacks.
 */
export const LIST_FAN_OUT = 10;
/** A write or a command: the call, and the reads that find what it made or changed. */
export const MUTATION_COST = 10;
/** Selections the estimator visits (fragments expanded where spread) before it gives up. */
export const MAX_EVALUATED_NODES = 10_000;

/** Resource (entity) type names: every type the datasource reads from AMPECO. */
const RESOURCE_TYPES: ReadonlySet<string> = new Set(specs.keys());

export interface OperationCost {
  /** The estimated cost; Infinity when the operation expands past MAX_EVALUATED_NODES selections. */
  cost: number;
  /** `_entities` representations, summed over the operation's `_entities` fields. */
  entities: number;
}

/**
 * The cost of one operation of `document` with these variables. Arguments the variables cannot
 * satisfy leave their field out of the sum: graphql-js refuses the same field (or the whole operation)
 * at execution, before any resolver of it runs.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): OperationCost {
  const tally = { entities: 0 };
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => {
    // Errors here are graphql-js's own (variables, arguments): execution reports them to the client.
  });
  const visitor = createComplexityRule({
    maximumComplexity: Number.MAX_SAFE_INTEGER,
    variables,
    estimators: [costEstimator(schema, tally)],
    maxQueryNodes: MAX_EVALUATED_NODES,
  })(context);
  try {
    // The rule walks the selections itself from its OperationDefinition hooks (it has no others).
    // Calling them for this operation only costs what runs (the library would add up every operation
    // of the document) and skips a TypeInfo traversal of the whole document that it does not use.
    // They are the typed methods its `OperationDefinition` visitor (typed `any`) points at.
    visitor.onOperationDefinitionEnter(operation);
    visitor.onOperationDefinitionLeave(operation);
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return { cost: Infinity, entities: tally.entities };
    throw error;
  }
  return { cost: visitor.complexity, entities: tally.entities };
}

/** The estimator described at the top of this file. `tally.entities` counts representations seen. */
export function costEstimator(schema: GraphQLSchema, tally: { entities: number }): ComplexityEstimator {
  const mutationType = schema.getMutationType();
  return ({ type, field, args, childComplexity }) => {
    const named = getNamedType(field.type);
    const isConnection = isRelayConnection(named);
    let record = RESOURCE_TYPES.has(named.name) ? 1 : 0;
    let count = 1;
    if (field.name === '_entities' && type === schema.getQueryType()) {
      const representations = Array.isArray(args.representations) ? args.representations.length : 0;
      tally.entities += representations;
      count = representations;
      record = 1; // `_Entity` is a union of the resource types
    } else if (field.args.some((a) => a.name === 'first')) {
      count = pageSize(args.first);
    } else if (/(Connection|Edge)$/.test(type.name)) {
      count = 1; // `nodes` / `edges` of a connection: its `first` already multiplied them
    } else if (isListType(getNullableType(field.type)) && isCompositeType(named)) {
      count = LIST_FAN_OUT;
    }
    const own = (isConnection ? 1 : 0) + (type === mutationType ? MUTATION_COST : 0);
    return own + count * (record + childComplexity);
  };
}

function pageSize(first: unknown): number {
  if (typeof first !== 'number' || !Number.isFinite(first)) return DEFAULT_PAGE_SIZE;
  // Outside 1..100 the resolver refuses the field; counted as a full page anyway, to stay an upper bound.
  return Math.min(Math.max(Math.floor(first), 0), MAX_PAGE_SIZE);
}
