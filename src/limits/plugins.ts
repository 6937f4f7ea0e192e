/**
 * The query limits, wired into Apollo Server. Everything here runs before execution, so a refused
 * query makes no upstream call:
 *
 * | phase                 | limit                                   | by                                    |
 * | --------------------- | --------------------------------------- | ------------------------------------- |
 * | parse                 | FACADE_MAX_TOKENS                       | graphql-js's parser (`parseOptions`)  |
 * | validation            | FACADE_MAX_DEPTH, _ALIASES, _DIRECTIVES | GraphQL Armor's rules                 |
 * | `didResolveOperation` | FACADE_MAX_ENTITIES, FACADE_MAX_COST    | graphql-query-complexity (cost.ts)    |
 *
 * and, after execution, FACADE_MAX_RESPONSE_BYTES on the serialised answer.
 *
 * Tokens: Armor's max-tokens plugin replaces the parse function (an Envelop `onParse` hook), which
 * Apollo Server does not offer, and its old Apollo wrapper threw from `parsingDidStart`, which Apollo
 * Server 5 does not catch there (the client gets a 500). graphql-js's parser has the same check
 * built in (every token but <EOF> counted, comments not, abort at the first one over; test/limits-
 * config.test.ts shows both draw the line at the same token), and Apollo passes it `parseOptions`.
 *
 * Cost runs at `didResolveOperation` because it needs the variables (`first: $n`, `representations`);
 * the others depend on the document alone and run once per distinct document (Apollo caches
 * validated documents).
 */
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, FormattedExecutionResult, OperationDefinitionNode, ParseOptions, ValidationContext, ValidationRule } from 'graphql';
import type { RequestHooks } from '../request-hooks.js';
import { LIMIT_VARIABLES, type QueryLimits } from './config.js';
import { operationCost, type OperationCost } from './cost.js';
import { QueryLimitError, RESPONSE_TOO_LARGE, limitExtensions, limitMessage, type LimitDetails } from './errors.js';

export interface QueryLimitServerOptions<TContext extends BaseContext> {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
  /** Request hooks (see request-hooks.ts): the cost and entity limits. */
  hooks: RequestHooks<TContext>[];
  stringifyResult: NonNullable<ApolloServerOptions<TContext>['stringifyResult']>;
}

/** What to spread into the ApolloServer constructor (the hooks go with the server's others). */
export function queryLimitServerOptions<TContext extends BaseContext>(limits: QueryLimits): QueryLimitServerOptions<TContext> {
  return {
    parseOptions: { maxLexicalTokens: limits.maxTokens },
    validationRules: armorRules(limits),
    hooks: [queryCostHooks(limits)],
    stringifyResult: responseSizeGuard(limits.maxResponseBytes),
  };
}

/** GraphQL Armor's depth, alias and directive rules, reporting our error instead of throwing theirs. */
export function armorRules(limits: QueryLimits): ValidationRule[] {
  // Armor reports "… limit of 12 exceeded, found 14." (with exposeLimits); we keep the found value.
  const report =
    (subject: string, limitName: LimitDetails['limitName'], limit: number) =>
    (context: ValidationContext | null, error: GraphQLError): void => {
      const found = /found (\d+)/.exec(error.message);
      context?.reportError(new QueryLimitError({ subject, limitName, limit, value: found ? Number(found[1]) : undefined }));
    };
  return [
    maxDepthRule({
      exposeLimits: true,
      propagateOnRejection: false,
      n: limits.maxDepth,
      // A fragment spread is not a level of the answer. `__schema` is not counted: GraphiQL's
      // introspection query is 15 deep (`ofType` in `ofType`) and would be refused otherwise.
      flattenFragments: true,
      ignoreIntrospection: true,
      onReject: [report('Query depth', LIMIT_VARIABLES.maxDepth, limits.maxDepth)],
    }),
    maxAliasesRule({
      exposeLimits: true,
      propagateOnRejection: false,
      n: limits.maxAliases,
      onReject: [report('Query alias count', LIMIT_VARIABLES.maxAliases, limits.maxAliases)],
    }),
    maxDirectivesRule({
      exposeLimits: true,
      propagateOnRejection: false,
      n: limits.maxDirectives,
      onReject: [report('Query directive count', LIMIT_VARIABLES.maxDirectives, limits.maxDirectives)],
    }),
  ] as ValidationRule[];
}

/** Refuses, with the variables at hand, an operation over the entities or the cost limit. */
export function queryCostHooks<TContext extends BaseContext>(limits: QueryLimits): RequestHooks<TContext> {
  const costs = new CostCache();
  return {
    didResolveOperation({ schema, document, operation, request }) {
      if (!operation) return; // Apollo answers a missing or ambiguous operation itself
      const { cost, entities } = costs.get(operation, request.variables, () => operationCost(schema, document, operation, request.variables ?? {}));
      if (entities > limits.maxEntities) {
        throw new QueryLimitError({
          subject: '_entities representation count',
          limitName: LIMIT_VARIABLES.maxEntities,
          limit: limits.maxEntities,
          value: entities,
          hint: 'Send the representations in several requests.',
        });
      }
      if (cost > limits.maxCost) {
        throw new QueryLimitError({
          subject: 'Query cost',
          limitName: LIMIT_VARIABLES.maxCost,
          limit: limits.maxCost,
          value: Number.isFinite(cost) ? cost : undefined,
          hint: 'Ask for fewer items (`first`) or fewer nested lists, or page through in several requests.',
        });
      }
    },
  };
}

/** Variables longer than this (as JSON) are costed afresh each time rather than kept. */
const MAX_CACHED_VARIABLES_LENGTH = 2_048;
/** Variable sets remembered per operation. */
const MAX_CACHED_VARIABLE_SETS = 64;

/**
 * Costs already worked out, per operation and variables. Apollo hands every request of a known query
 * the same parsed document, so a client repeating its query (the common case) pays a lookup, not a walk
 * of the selections. Keyed weakly by the operation node: a document Apollo's cache drops takes its costs along.
 */
class CostCache {
  readonly #byOperation = new WeakMap<OperationDefinitionNode, Map<string, OperationCost>>();

  get(operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined, compute: () => OperationCost): OperationCost {
    const key = variables ? JSON.stringify(variables) : '';
    if (key.length > MAX_CACHED_VARIABLES_LENGTH) return compute();
    let known = this.#byOperation.get(operation);
    if (!known) this.#byOperation.set(operation, (known = new Map<string, OperationCost>()));
    let cost = known.get(key);
    if (!cost) {
      cost = compute();
      if (known.size >= MAX_CACHED_VARIABLE_SETS) known.delete(known.keys().next().value!);
      known.set(key, cost);
    }
    return cost;
  }
}

/**
 * Apollo's serialiser (JSON.stringify and a newline) with a size check: an answer over the limit is
 * replaced by one error. It costs a length comparison on the string Apollo builds anyway (bytes are
 * counted only when the length alone cannot decide). The upstream calls have been made by then; the
 * cost limit is what keeps real answers far below it, this is the backstop for the wire and the client.
 */
export function responseSizeGuard(maxBytes: number): (value: FormattedExecutionResult) => string {
  return (value) => {
    const text = JSON.stringify(value) + '\n';
    // UTF-8 bytes <= 3 × UTF-16 length: most answers pass on their length alone.
    if (text.length * 3 <= maxBytes) return text;
    const bytes = Buffer.byteLength(text);
    if (bytes <= maxBytes) return text;
    const details: LimitDetails = {
      subject: 'Response size',
      limitName: LIMIT_VARIABLES.maxResponseBytes,
      limit: maxBytes,
      value: bytes,
      hint: 'Ask for fewer items or fields.',
    };
    console.warn(`[ampeco-graph] an answer of ${bytes} bytes was replaced by an error: over ${LIMIT_VARIABLES.maxResponseBytes}=${maxBytes}`);
    return JSON.stringify({ errors: [{ message: limitMessage(details), extensions: limitExtensions(details, RESPONSE_TOO_LARGE) }], data: null }) + '\n';
  };
}
