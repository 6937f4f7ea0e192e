/**
 * The query limits without a server: their configuration, the cost model field by field, and the
 * parse-time token limit (graphql-js's) counting exactly as GraphQL Armor's max-tokens plugin does.
 */
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, getOperationAST, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { envReader } from '../src/config-env.js';
import { DEFAULT_QUERY_LIMITS, parseQueryLimits } from '../src/limits/config.js';
import { LIST_FAN_OUT, MUTATION_COST, operationCost } from '../src/limits/cost.js';
import { QueryLimitError, countTokens, limitRefusal } from '../src/limits/errors.js';
import { buildSchema, formatError } from '../src/server.js';

const schema = buildSchema();
const costOf = (query: string, variables: Record<string, unknown> = {}) => {
  const doc = parse(query);
  expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
  return operationCost(schema, doc, getOperationAST(doc)!, variables);
};

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(parseQueryLimits(envReader({}))).toEqual({
      maxDepth: 12,
      maxAliases: 30,
      maxTokens: 2_000,
      maxDirectives: 50,
      maxCost: 15_000,
      maxEntities: 200,
      maxResponseBytes: 10_000_000,
    });
    expect(loadConfig({}).queryLimits).toEqual(DEFAULT_QUERY_LIMITS);
  });

  it('reads each variable', () => {
    const read = envReader({
      FACADE_MAX_DEPTH: '20',
      FACADE_MAX_ALIASES: '0',
      FACADE_MAX_TOKENS: '5000',
      FACADE_MAX_DIRECTIVES: '10',
      FACADE_MAX_COST: '40000',
      FACADE_MAX_ENTITIES: '500',
      FACADE_MAX_RESPONSE_BYTES: '50000000',
    });
    expect(parseQueryLimits(read)).toEqual({
      maxDepth: 20,
      maxAliases: 0,
      maxTokens: 5_000,
      maxDirectives: 10,
      maxCost: 40_000,
      maxEntities: 500,
      maxResponseBytes: 50_000_000,
    });
    expect(read.problems).toEqual([]);
  });

  it('reports bad values, one problem each', () => {
    let error: unknown;
    try {
      loadConfig({ FACADE_MAX_DEPTH: '0', FACADE_MAX_COST: 'lots', FACADE_MAX_TOKENS: '1.5', FACADE_MAX_ENTITIES: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect((error as ConfigError).problems).toHaveLength(4);
    expect(problems).toMatch(/FACADE_MAX_DEPTH must be a whole number from 1 to 1000; got "0"/);
    expect(problems).toMatch(/FACADE_MAX_COST .*"lots"/);
    expect(problems).toMatch(/FACADE_MAX_TOKENS .*"1\.5"/);
    expect(problems).toMatch(/FACADE_MAX_ENTITIES .*"-1"/);
  });
});

describe('the cost model', () => {
  it('a record read by id costs 1; scalars and value objects nothing', () => {
    expect(costOf(`{ contractVersion }`).cost).toBe(0);
    expect(costOf(`{ chargePoint(id: "1") { id name network { protocol } security { currentProfile } } }`).cost).toBe(1);
    expect(costOf(`{ location(id: "1") { name { locale translation } workingHours { hours { monday { start end } } } } }`).cost).toBe(1);
  });

  it('a connection costs 1 for the listing plus `first` times its selection; 25 when `first` is omitted', () => {
    expect(costOf(`{ chargePoints(first: 10) { nodes { id } } }`).cost).toBe(1 + 10);
    expect(costOf(`{ chargePoints { nodes { id } } }`).cost).toBe(1 + 25);
    expect(costOf(`{ chargePoints(first: 10) { totalCount pageInfo { hasNextPage } } }`).cost).toBe(1);
    // nodes and edges are both asked: both are in the answer
    expect(costOf(`{ chargePoints(first: 10) { nodes { id } edges { cursor node { id } } } }`).cost).toBe(1 + 10 * 2);
    expect(costOf(`{ chargePoints(first: 10) { nodes { location { id } model { vendor { id } } } } }`).cost).toBe(1 + 10 * (1 + 1 + 2));
  });

  it('`first` is read from the variables, and counted as at most a full page', () => {
    const q = `query($n: Int) { sessions(first: $n) { nodes { id } } }`;
    expect(costOf(q, { n: 7 }).cost).toBe(8);
    expect(costOf(q, {}).cost).toBe(26);
    expect(costOf(q, { n: 100_000 }).cost).toBe(101);
  });

  it(`a list relation without \`first\` multiplies by the assumed fan-out of ${LIST_FAN_OUT}`, () => {
    expect(costOf(`{ chargePoint(id: "1") { evses { id } } }`).cost).toBe(1 + LIST_FAN_OUT);
    expect(costOf(`{ chargePoint(id: "1") { evses { connectors { id } } } }`).cost).toBe(1 + LIST_FAN_OUT * (1 + LIST_FAN_OUT));
    expect(costOf(`{ location(id: "1") { chargingZones { id } } }`).cost).toBe(1 + LIST_FAN_OUT);
  });

  it('_entities multiplies by the representations, and counts them', () => {
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ChargePoint { id evses { id } } ... on User { id } } }`;
    const r = Array.from({ length: 40 }, (_, i) => ({ __typename: 'ChargePoint', id: String(i) }));
    expect(costOf(q, { r })).toEqual({ cost: 40 * (1 + LIST_FAN_OUT), entities: 40 });
  });

  it(`a mutation root field costs ${MUTATION_COST} plus what its payload asks`, () => {
    expect(costOf(`mutation { deleteEvse(id: "1") { deletedId userErrors { message } } }`).cost).toBe(MUTATION_COST);
    expect(costOf(`mutation { resetChargePoint(chargePointId: "1", type: SOFT) { accepted chargePoint { id evses { id } } } }`).cost).toBe(
      MUTATION_COST + 1 + LIST_FAN_OUT,
    );
  });

  it('fields left out by @skip / @include cost nothing; fragments cost what they select where spread', () => {
    expect(costOf(`query($s: Boolean!) { chargePoints(first: 100) @skip(if: $s) { nodes { id } } }`, { s: true }).cost).toBe(0);
    expect(costOf(`{ a: chargePoint(id: "1") { ...F } b: chargePoint(id: "2") { ...F } } fragment F on ChargePoint { location { id } }`).cost).toBe(4);
  });

  it('introspection costs nothing', () => {
    expect(costOf(`{ __schema { types { name fields { name type { name ofType { name } } } } } }`).cost).toBe(0);
  });

  it('a fragment bomb is refused rather than expanded', () => {
    // Each fragment spreads the next one twice: 2^20 selections once expanded.
    const fragments = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const q = `{ ...F0 } ${fragments} fragment F20 on Query { chargePoint(id: "1") { id } }`;
    expect(costOf(q).cost).toBe(Infinity);
  });

  it('only the operation that runs is costed', () => {
    const doc = parse(`query Small { contractVersion } query Big { chargePoints(first: 100) { nodes { id } } }`);
    const small = doc.definitions[0]!;
    expect(operationCost(schema, doc, small as never).cost).toBe(0);
  });
});

describe('the token limit at parse time', () => {
  const documents = ['{ a b c }', '# a comment is not a token\n{ chargePoint(id: "1") { id name } }', 'query Q($x: [Int!] = [1, 2]) { f(x: $x) @skip(if: false) }'];

  it.each(documents)('graphql-js (maxLexicalTokens) and GraphQL Armor (MaxTokensParserWLexer) draw the line at the same token: %s', (text) => {
    const n = countTokens(text)!;
    expect(() => parse(text, { maxLexicalTokens: n })).not.toThrow();
    expect(() => new MaxTokensParserWLexer(text, { n }).parseDocument()).not.toThrow();
    expect(() => parse(text, { maxLexicalTokens: n - 1 })).toThrow(/tokens/);
    expect(() => new MaxTokensParserWLexer(text, { n: n - 1 }).parseDocument()).toThrow(/Token limit/);
  });

  it('the parser\'s refusal is recognised (fails when a graphql-js upgrade rewords it)', () => {
    let parseError: GraphQLError | undefined;
    try {
      parse('{ a b c d }', { maxLexicalTokens: 3 });
    } catch (e) {
      parseError = e as GraphQLError;
    }
    // As Apollo wraps it: its SyntaxError carries the code and the source.
    const apolloError = new GraphQLError(parseError!.message, { source: parseError!.source, extensions: { code: 'GRAPHQL_PARSE_FAILED' }, originalError: parseError });
    expect(limitRefusal(apolloError)).toEqual({
      message: 'Query token count 6 exceeds the limit of 3 (FACADE_MAX_TOKENS).',
      extensions: { code: 'QUERY_LIMIT_EXCEEDED', limitName: 'FACADE_MAX_TOKENS', limit: 3, value: 6 },
    });
    // Any other syntax error stays Apollo's.
    expect(limitRefusal(new GraphQLError('Syntax Error: Expected Name, found <EOF>.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }))).toBeUndefined();
  });
});

describe('the error clients see', () => {
  it('formatError keeps a refusal whole, in every phase', () => {
    const refusal = new QueryLimitError({ subject: 'Query depth', limitName: 'FACADE_MAX_DEPTH', limit: 12, value: 14 });
    const expected = {
      message: 'Query depth 14 exceeds the limit of 12 (FACADE_MAX_DEPTH).',
      extensions: { code: 'QUERY_LIMIT_EXCEEDED', limitName: 'FACADE_MAX_DEPTH', limit: 12, value: 14 },
    };
    // Thrown by a plugin (didResolveOperation)
    expect(formatError({ message: refusal.message, extensions: { code: 'QUERY_LIMIT_EXCEEDED' } }, refusal)).toEqual(expected);
    // Reported by a validation rule: Apollo wraps it as GRAPHQL_VALIDATION_FAILED
    const wrapped = new GraphQLError(refusal.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, originalError: refusal });
    expect(formatError({ message: refusal.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, wrapped)).toEqual(expected);
  });

  it('says how far over a value is, and only what it knows', () => {
    expect(new QueryLimitError({ subject: 'Query cost', limitName: 'FACADE_MAX_COST', limit: 10, value: undefined }).toFormatted()).toEqual({
      message: 'Query cost exceeds the limit of 10 (FACADE_MAX_COST).',
      extensions: { code: 'QUERY_LIMIT_EXCEEDED', limitName: 'FACADE_MAX_COST', limit: 10 },
    });
  });
});
