/**
 * Query limits, over real HTTP against the simulator: every query the facade is meant for (the
 * benchmark corpus, the README's examples, GraphiQL's default query and its introspection) passes
 * the default limits with margin, and the known attacks are refused before execution, with one
 * error naming the limit, and no upstream call. A second stack, configured through the environment
 * variables, shows each limit at its boundary.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getIntrospectionQuery, getOperationAST, parse, validate, type DocumentNode, type ValidationContext } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../bench/corpus.js';
import { loadConfig } from '../src/config.js';
import { DEFAULT_QUERY_LIMITS as LIMITS } from '../src/limits/config.js';
import { operationCost } from '../src/limits/cost.js';
import { countTokens } from '../src/limits/errors.js';
import { buildSchema } from '../src/server.js';
import { startStack, TOKEN, type GraphQLResponse, type Stack } from './support/stack.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = buildSchema();

interface Sample {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/** The ```graphql blocks of the README (with the variables the text gives after one), and the curl example's query. */
function readmeExamples(): Sample[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const out: Sample[] = [];
  const block = /```graphql\n([\s\S]*?)```([\s\S]*?)(?=```|$)/g;
  for (let m = block.exec(readme); m; m = block.exec(readme)) {
    const vars = /with variables `(\{.*?\})`/.exec(m[2]!);
    out.push({ name: `README example ${out.length + 1}`, query: m[1]!, variables: vars ? (JSON.parse(vars[1]!) as Record<string, unknown>) : {} });
  }
  for (const curl of readme.matchAll(/-d '(\{"query".*?\})'/g)) {
    out.push({ name: 'README curl example', query: (JSON.parse(curl[1]!) as { query: string }).query, variables: {} });
  }
  return out;
}

/** The query GraphiQL shows a first-time visitor (src/graphiql/app.tsx), and its introspection query. */
function graphiqlQueries(): Sample[] {
  const app = readFileSync(join(root, 'src/graphiql/app.tsx'), 'utf8');
  const defaultQuery = /export const DEFAULT_QUERY = `([\s\S]*?)`;/.exec(app)![1]!;
  const introspection = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true });
  return [
    { name: 'GraphiQL default query', query: defaultQuery, variables: {} },
    { name: 'GraphiQL introspection', query: introspection, variables: {} },
  ];
}

const SAMPLES: Sample[] = [
  ...loadCorpus(schema).map((q) => ({ name: `corpus ${q.name}`, query: q.text, variables: q.variables })),
  ...readmeExamples(),
  ...graphiqlQueries(),
];

/** What Armor's rules count in a document (depth with fragments flattened and `__schema` skipped). */
function armorCounts(doc: DocumentNode): { depth: number; aliases: number; directives: number } {
  const counts = { depth: 0, aliases: 0, directives: 0 };
  const capture = (key: keyof typeof counts) => ({
    n: 0,
    propagateOnRejection: false,
    onAccept: [(_c: ValidationContext | null, d: { n: number }) => void (counts[key] = d.n)],
    onReject: [(_c: ValidationContext | null, e: Error) => void (counts[key] = Number(/found (\d+)/.exec(e.message)![1]))],
  });
  validate(schema, doc, [
    maxDepthRule({ ...capture('depth'), flattenFragments: true, ignoreIntrospection: true }),
    maxAliasesRule(capture('aliases')),
    maxDirectivesRule(capture('directives')),
  ] as never);
  return counts;
}

function measure(sample: Sample) {
  const doc = parse(sample.query);
  const { cost, entities } = operationCost(schema, doc, getOperationAST(doc)!, sample.variables);
  return { ...armorCounts(doc), tokens: countTokens(sample.query)!, cost, entities };
}

/** The one error of a refusal, with its shape checked. */
function refusal(res: GraphQLResponse, limitName: string): NonNullable<GraphQLResponse['errors']>[number] {
  expect(res.errors, JSON.stringify(res)).toHaveLength(1);
  const error = res.errors![0]!;
  expect(error.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limitName, limit: expect.any(Number) });
  expect(error.message).toContain(`(${limitName})`);
  if (error.extensions!.value !== undefined) {
    expect(error.extensions!.value).toBeGreaterThan(error.extensions!.limit);
    expect(error.message).toContain(`${error.extensions!.value} exceeds the limit of ${error.extensions!.limit} (${limitName})`);
  }
  expect(error.extensions).not.toHaveProperty('stacktrace');
  expect(res.data ?? null).toBeNull();
  return error;
}

// The attacks of the issue.
/** `chargePoints → nodes → location → chargePoints …` five times: 100^5 charge points asked. */
const NESTED_CONNECTIONS = (() => {
  let inner = 'id';
  for (let i = 0; i < 5; i++) inner = `chargePoints(first: 100) { nodes { id name status networkStatus location { id city ${inner} } } }`;
  return `{ ${inner} }`;
})();
/** Shallow enough for the depth limit (10), but 100 × 100 × 100 × 100 sessions. */
const FAN_OUT = `{ locations(first: 100) { nodes { chargePoints(first: 100) { nodes { sessions(first: 100) { nodes { user { sessions(first: 100) { nodes { id } } } } } } } } } }`;
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i + 1}: chargePoint(id: "${i + 1}") { id }`).join(' ')} }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ChargePoint { id name } } }`;
const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'ChargePoint', id: String(i + 1) }));
const directives = (n: number) => `{ ${Array.from({ length: n }, () => 'contractVersion @include(if: true)').join(' ')} }`;

describe('what the facade is for passes the default limits, with margin', () => {
  it('finds the corpus, the README examples and GraphiQL queries', () => {
    expect(SAMPLES.filter((s) => s.name.startsWith('corpus'))).toHaveLength(14);
    expect(SAMPLES.filter((s) => s.name.startsWith('README')).length).toBeGreaterThanOrEqual(4);
  });

  it.each(SAMPLES.map((s) => [s.name, s] as const))('%s: each measure well under its limit', (_name, sample) => {
    const m = measure(sample);
    expect(m.depth).toBeLessThanOrEqual(LIMITS.maxDepth - 3);
    expect(m.aliases).toBeLessThanOrEqual(LIMITS.maxAliases / 2);
    expect(m.directives).toBeLessThanOrEqual(LIMITS.maxDirectives / 2);
    expect(m.tokens).toBeLessThanOrEqual(LIMITS.maxTokens / 4);
    expect(m.cost).toBeLessThanOrEqual(LIMITS.maxCost / 2);
    expect(m.entities).toBeLessThanOrEqual(LIMITS.maxEntities / 2);
  });

  it('the default cost limit is 2 to 3 times the most expensive of them', () => {
    const table = SAMPLES.map((s) => ({ name: s.name, ...measure(s) }));
    console.log(`[limits] measures of the queries the facade is for:\n${table.map((r) => `  ${r.name.padEnd(40)} cost ${String(r.cost).padStart(5)}  depth ${r.depth}  tokens ${String(r.tokens).padStart(3)}  aliases ${r.aliases}  entities ${r.entities}`).join('\n')}`);
    const most = Math.max(...table.map((r) => r.cost));
    expect(LIMITS.maxCost / most).toBeGreaterThanOrEqual(2);
    expect(LIMITS.maxCost / most).toBeLessThanOrEqual(3);
  });
});

describe('over HTTP, with the default limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.sim.clearLog());

  it.each(SAMPLES.map((s) => [s.name, s] as const))('%s runs', async (_name, sample) => {
    const res = await stack.gql(sample.query, sample.variables);
    expect(res.status).toBe(200);
    expect((res.errors ?? []).filter((e) => e.extensions?.code === 'QUERY_LIMIT_EXCEEDED')).toEqual([]);
    if (!/^\s*mutation/.test(sample.query)) expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data).toBeTruthy();
  });

  describe('the attacks are refused with 400, one error naming the limit, and no upstream call', () => {
    it('connections nested through a to-one relation, five times: FACADE_MAX_DEPTH (and its cost is far over too)', async () => {
      const res = await stack.gql(NESTED_CONNECTIONS);
      expect(res.status).toBe(400);
      const error = refusal(res, 'FACADE_MAX_DEPTH');
      expect(error.extensions).toMatchObject({ limit: 12, value: 16 });
      expect(error.message).toBe('Query depth 16 exceeds the limit of 12 (FACADE_MAX_DEPTH).');
      expect(stack.upstreamCalls()).toBe(0);
      expect(measure({ name: '', query: NESTED_CONNECTIONS, variables: {} }).cost).toBeGreaterThan(1e10);
    });

    it('the same over GET: 400, no upstream call', async () => {
      const res = await fetch(`${stack.server.graphqlUrl}?query=${encodeURIComponent(NESTED_CONNECTIONS)}`, {
        headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(400);
      refusal((await res.json()) as GraphQLResponse, 'FACADE_MAX_DEPTH');
      expect(stack.upstreamCalls()).toBe(0);
    });

    it('lists under lists (locations × charge points × sessions × user sessions, 100 each): FACADE_MAX_COST', async () => {
      const res = await stack.gql(FAN_OUT);
      expect(res.status).toBe(400);
      const error = refusal(res, 'FACADE_MAX_COST');
      expect(error.extensions).toMatchObject({ limit: 15_000, value: measure({ name: '', query: FAN_OUT, variables: {} }).cost });
      expect(error.extensions!.value).toBeGreaterThan(100_000_000);
      expect(error.message).toMatch(/^Query cost \d+ exceeds the limit of 15000 \(FACADE_MAX_COST\)\. Ask for fewer items/);
      expect(stack.upstreamCalls()).toBe(0);
    });

    it('the fan-out with `first` from variables is costed with the values sent', async () => {
      const q = `query($n: Int) { locations(first: $n) { nodes { chargePoints(first: $n) { nodes { sessions(first: $n) { nodes { id } } } } } } }`;
      const refused = await stack.gql(q, { n: 100 });
      expect(refused.status).toBe(400);
      expect(refusal(refused, 'FACADE_MAX_COST').extensions!.value).toBe(1 + 100 * (1 + 1 + 100 * (1 + 1 + 100)));
      expect(stack.upstreamCalls()).toBe(0);
      const small = await stack.gql(q, { n: 3 });
      expect(small.errors).toBeUndefined();
      expect(stack.upstreamCalls()).toBeGreaterThan(0);
      // Costs are remembered per document and variables: the same document with the large value again is refused again.
      const again = await stack.gql(q, { n: 100 });
      expect(refusal(again, 'FACADE_MAX_COST').extensions!.value).toBe(1 + 100 * (1 + 1 + 100 * (1 + 1 + 100)));
      expect((await stack.gql(q, { n: 3 })).errors).toBeUndefined();
    });

    it('10,000 aliases: the body alone is over FACADE_MAX_BODY_BYTES (413)', async () => {
      const body = JSON.stringify({ query: aliases(10_000) });
      expect(body.length).toBeGreaterThan(100_000);
      const res = await stack.gql(aliases(10_000));
      expect(res.status).toBe(413);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions).toEqual({ code: 'BAD_REQUEST', limitName: 'FACADE_MAX_BODY_BYTES', limit: 100_000, value: Buffer.byteLength(body) });
      expect(res.errors![0]!.message).toBe(`The request body is too large: ${Buffer.byteLength(body)} bytes exceeds the limit of 100000 bytes (FACADE_MAX_BODY_BYTES).`);
      expect(stack.upstreamCalls()).toBe(0);
    });

    it('1,000 aliases (a body under the limit): the parser stops at FACADE_MAX_TOKENS', async () => {
      const query = aliases(1_000);
      const res = await stack.gql(query);
      expect(res.status).toBe(400);
      const error = refusal(res, 'FACADE_MAX_TOKENS');
      expect(error.extensions).toMatchObject({ limit: 2_000, value: countTokens(query) });
      expect(error.message).toBe(`Query token count ${countTokens(query)} exceeds the limit of 2000 (FACADE_MAX_TOKENS).`);
      expect(stack.upstreamCalls()).toBe(0);
    });

    it('100 aliases (under the token limit): FACADE_MAX_ALIASES', async () => {
      const res = await stack.gql(aliases(100));
      expect(res.status).toBe(400);
      expect(refusal(res, 'FACADE_MAX_ALIASES').extensions).toMatchObject({ limit: 30, value: 100 });
      expect(stack.upstreamCalls()).toBe(0);
    });

    it('_entities with 1,000 representations: FACADE_MAX_ENTITIES', async () => {
      const res = await stack.gql(ENTITIES, { r: representations(1_000) });
      expect(res.status).toBe(400);
      const error = refusal(res, 'FACADE_MAX_ENTITIES');
      expect(error.extensions).toMatchObject({ limit: 200, value: 1_000 });
      expect(error.message).toMatch(/^_entities representation count 1000 exceeds the limit of 200 \(FACADE_MAX_ENTITIES\)\./);
      expect(stack.upstreamCalls()).toBe(0);
    });

    it('60 directives: FACADE_MAX_DIRECTIVES', async () => {
      const res = await stack.gql(directives(60));
      expect(res.status).toBe(400);
      expect(refusal(res, 'FACADE_MAX_DIRECTIVES').extensions).toMatchObject({ limit: 50, value: 60 });
      expect(stack.upstreamCalls()).toBe(0);
    });

    it('a body over FACADE_MAX_BODY_BYTES: 413, a JSON GraphQL error, no upstream call', async () => {
      const body = JSON.stringify({ query: `{ chargePoints(first: 1) { nodes { id } } } # ${'x'.repeat(150_000)}` });
      const res = await fetch(stack.server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body,
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const json = (await res.json()) as GraphQLResponse;
      expect(json).toEqual({
        errors: [
          {
            message: `The request body is too large: ${body.length} bytes exceeds the limit of 100000 bytes (FACADE_MAX_BODY_BYTES).`,
            extensions: { code: 'BAD_REQUEST', limitName: 'FACADE_MAX_BODY_BYTES', limit: 100_000, value: body.length },
          },
        ],
      });
      expect(stack.upstreamCalls()).toBe(0);
    });
  });
});

describe('limits set through the environment, at their boundaries', () => {
  const ENV = {
    FACADE_MAX_DEPTH: '4',
    FACADE_MAX_ALIASES: '2',
    FACADE_MAX_TOKENS: '40',
    FACADE_MAX_DIRECTIVES: '1',
    FACADE_MAX_COST: '101',
    FACADE_MAX_ENTITIES: '3',
    FACADE_MAX_RESPONSE_BYTES: '1000',
    FACADE_MAX_BODY_BYTES: '1000',
  };
  let stack: Stack;
  beforeAll(async () => {
    const { queryLimits, request } = loadConfig(ENV);
    stack = await startStack({ config: { queryLimits, request } });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.sim.clearLog());

  async function expectRefused(query: string, limitName: string, value: number, variables?: Record<string, unknown>) {
    stack.sim.clearLog();
    const res = await stack.gql(query, variables);
    expect(res.status).toBe(400);
    expect(refusal(res, limitName).extensions).toMatchObject({ limit: Number(ENV[limitName as keyof typeof ENV]), value });
    expect(stack.upstreamCalls()).toBe(0);
  }
  async function expectRuns(query: string, variables?: Record<string, unknown>) {
    const res = await stack.gql(query, variables);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.status).toBe(200);
  }

  it('FACADE_MAX_DEPTH: 4 levels run, 5 are refused', async () => {
    await expectRuns(`{ chargePoints(first: 1) { nodes { location { id } } } }`);
    await expectRefused(`{ chargePoints(first: 1) { nodes { location { name { locale } } } } }`, 'FACADE_MAX_DEPTH', 5);
  });

  it('FACADE_MAX_DEPTH counts fields, not fragment spreads, and skips introspection', async () => {
    await expectRuns(`{ chargePoints(first: 1) { ...C } } fragment C on ChargePointConnection { nodes { ... on ChargePoint { location { id } } } }`);
    await expectRuns(`{ __schema { subscriptionType { fields { type { ofType { name } } } } } }`);
  });

  it('FACADE_MAX_ALIASES: 2 run, 3 are refused', async () => {
    await expectRuns(`{ a: contractVersion b: contractVersion }`);
    await expectRefused(`{ a: contractVersion b: contractVersion c: contractVersion }`, 'FACADE_MAX_ALIASES', 3);
  });

  it('FACADE_MAX_TOKENS: 40 run, 41 are refused', async () => {
    const of = (n: number) => `{ ${'contractVersion '.repeat(n - 2)}}`;
    expect(countTokens(of(41))).toBe(41);
    await expectRuns(of(40));
    await expectRefused(of(41), 'FACADE_MAX_TOKENS', 41);
  });

  it('FACADE_MAX_DIRECTIVES: 1 runs, 2 are refused', async () => {
    await expectRuns(`{ contractVersion @include(if: true) }`);
    await expectRefused(`{ contractVersion @include(if: true) @skip(if: false) }`, 'FACADE_MAX_DIRECTIVES', 2);
  });

  it('FACADE_MAX_COST: cost 101 runs, 102 is refused', async () => {
    await expectRuns(`{ chargePoints(first: 100) { nodes { id } } }`);
    await expectRefused(`{ chargePoints(first: 100) { nodes { id } } chargePoint(id: "1") { id } }`, 'FACADE_MAX_COST', 102);
  });

  it('FACADE_MAX_ENTITIES: 3 representations run, 4 are refused', async () => {
    await expectRuns(ENTITIES, { r: representations(3) });
    await expectRefused(ENTITIES, 'FACADE_MAX_ENTITIES', 4, { r: representations(4) });
  });

  it('FACADE_MAX_RESPONSE_BYTES: a larger answer is replaced by one RESPONSE_TOO_LARGE error', async () => {
    await expectRuns(`{ contractVersion }`);
    const res = await stack.gql(`{ sessions(first: 50) { nodes { id startedAt } } }`);
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limitName: 'FACADE_MAX_RESPONSE_BYTES', limit: 1000 });
    expect(res.errors![0]!.extensions!.value).toBeGreaterThan(1000);
    expect(res.errors![0]!.message).toMatch(/^Response size \d+ exceeds the limit of 1000 \(FACADE_MAX_RESPONSE_BYTES\)\./);
  });

  it('FACADE_MAX_BODY_BYTES: a body over 1000 bytes is 413', async () => {
    const res = await stack.gql(`{ contractVersion # ${'x'.repeat(1_000)}\n}`);
    expect(res.status).toBe(413);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_REQUEST', limitName: 'FACADE_MAX_BODY_BYTES', limit: 1000 });
    expect(stack.upstreamCalls()).toBe(0);
  });
});
