/**
 * Limits on a query's shape and cost, checked before it runs (src/limits/plugins.ts), and on the size
 * of the answer. Every refusal names the variable below that set the limit it hit.
 *
 * The defaults let every query of the benchmark corpus (bench/queries), the README's examples and
 * GraphiQL's own introspection through with margin; test/limits.test.ts proves both that and that the
 * known attacks are refused.
 */
import type { EnvReader } from '../config-env.js';

export interface QueryLimits {
  /** FACADE_MAX_DEPTH: nesting of selection sets (fragments flattened, `__schema` not counted). */
  maxDepth: number;
  /** FACADE_MAX_ALIASES: aliased fields in one operation (fragments counted where spread). */
  maxAliases: number;
  /** FACADE_MAX_TOKENS: lexical tokens of the document; the parser stops at the first one over. */
  maxTokens: number;
  /** FACADE_MAX_DIRECTIVES: directives used in one operation. */
  maxDirectives: number;
  /** FACADE_MAX_COST: estimated cost (src/limits/cost.ts), computed with the request's variables. */
  maxCost: number;
  /** FACADE_MAX_ENTITIES: `_entities` representations in one operation (federation). */
  maxEntities: number;
  /** FACADE_MAX_RESPONSE_BYTES: size of the serialised answer; past it the answer is replaced by an error. */
  maxResponseBytes: number;
}

/** The names the limits are configured (and reported) by. */
export const LIMIT_VARIABLES = {
  maxDepth: 'FACADE_MAX_DEPTH',
  maxAliases: 'FACADE_MAX_ALIASES',
  maxTokens: 'FACADE_MAX_TOKENS',
  maxDirectives: 'FACADE_MAX_DIRECTIVES',
  maxCost: 'FACADE_MAX_COST',
  maxEntities: 'FACADE_MAX_ENTITIES',
  maxResponseBytes: 'FACADE_MAX_RESPONSE_BYTES',
} as const satisfies Record<keyof QueryLimits, string>;

export type LimitVariable = (typeof LIMIT_VARIABLES)[keyof typeof LIMIT_VARIABLES];

/**
 * Defaults, with what they are measured against (test/limits.test.ts prints the figures and checks
 * the margins):
 * - depth: the corpus reaches 7 (`locations.nodes.chargePoints.nodes.evses.connectors.id`); 12 leaves
 *   five levels, and connections nested through a to-one relation five times reach 16.
 * - aliases: the corpus and README use none; 30 leaves room for dashboards that ask one list several
 *   ways (`active: sessions(filter: ...)`) and for a router's own aliases.
 * - tokens: the largest corpus query has 108, GraphiQL's introspection query 183; 2,000.
 * - directives: the corpus uses none; Armor's default of 50.
 * - cost: the most expensive corpus query (and README example), the operator dashboard, costs 5,561;
 *   15,000 is 2.7 times that.
 * - entities: the corpus's federated query sends 100 representations (a full page); 200 is two pages.
 * - response: corpus answers are under 40 KB (500 charge points, 5,000 sessions); a record with every
 *   field is 0.1 to 10 KB (a session with its charging periods and price breakdown the most); 10 MB.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 2_000,
  maxDirectives: 50,
  maxCost: 15_000,
  maxEntities: 200,
  maxResponseBytes: 10_000_000,
};

export function parseQueryLimits(read: EnvReader): QueryLimits {
  const d = DEFAULT_QUERY_LIMITS;
  const v = LIMIT_VARIABLES;
  return {
    maxDepth: read.int(v.maxDepth, d.maxDepth, 1, 1_000),
    maxAliases: read.int(v.maxAliases, d.maxAliases, 0, 100_000),
    maxTokens: read.int(v.maxTokens, d.maxTokens, 10, 1_000_000),
    maxDirectives: read.int(v.maxDirectives, d.maxDirectives, 0, 100_000),
    maxCost: read.int(v.maxCost, d.maxCost, 1, 1_000_000_000),
    maxEntities: read.int(v.maxEntities, d.maxEntities, 1, 100_000),
    maxResponseBytes: read.int(v.maxResponseBytes, d.maxResponseBytes, 1_000, 1_000_000_000),
  };
}
