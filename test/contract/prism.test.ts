/**
 * The facade against a second, independent upstream: Stoplight Prism serving AMPECO's contract as
 * a validating mock. Prism answers 422 (with an `sl-violations` header) to any request that breaks
 * the contract, and example data shaped by the contract's response schemas. So every request the
 * facade sends for reads, writes and commands must be valid, and every response the contract allows
 * must map onto the schema (types, nullability, enums), without our own simulator in the loop.
 */
import { isConnection } from '../../src/resolvers/lookahead.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { getNamedType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../scripts/generate-contract.js';
import { idSchema } from '../../src/datasources/ids.js';
import { specs, viewSpecs } from '../../src/datasources/registry.js';
import { contract as full } from '../../simulator/contract.js';
import type { JsonSchema } from '../../src/definitions/contract-model.js';
import { definitions } from '../../src/definitions/graph.js';
import { lowerFirst, naming } from '../../src/definitions/naming.js';
import { loadConfig } from '../../src/config.js';
import { buildSchema, startServer, type RunningServer } from '../../src/server.js';
import { loadOpenApi } from '../support/openapi.js';
import { mutationPlans, mutationRequest, payloadSelection, sampleOf, UNSENDABLE } from '../support/samples.js';

const root = join(import.meta.dirname, '..', '..');

type GraphQLErrors = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined;
const hasContract = existsSync(openApiPath);

/** Where a response path starts: an entity's record (`list.nodes.0`, `one`) or a view's (`view`). */
type Roots = Record<string, { entity: string } | { view: string }>;

const ID_FIELD = /^(id|.*[a-z]Ids?)$/;

/** The runtime's contract keeps only what the facade reads; the records' whole schemas are the simulator's copy. */
const fullView = (key: string): JsonSchema | undefined => {
  const v = viewSpecs.get(key);
  return v ? full.views[v.operationId]?.record : undefined;
};

/** The contract schema of the value at a response path (views of an entity followed into their records). */
function schemaAt(roots: Roots, path: readonly (string | number)[]): JsonSchema | undefined {
  const [alias, ...rest] = path;
  const start = roots[String(alias)];
  if (!start) return undefined;
  let entity = 'entity' in start ? start.entity : undefined;
  let schema: JsonSchema | undefined = 'entity' in start ? full.resources[start.entity]?.record : fullView(start.view);
  for (const segment of rest) {
    if (!schema) return undefined;
    if (typeof segment === 'number') {
      if (schema.type === 'array') schema = schema.items;
      continue;
    }
    const view = entity ? viewSpecs.get(`${entity}.${segment}`) : undefined;
    if (view) {
      schema = full.views[view.operationId]?.record;
      entity = view.ownsType ? undefined : view.type;
      continue;
    }
    // A connection's wrapper fields are the facade's, not the record's.
    if ((segment === 'nodes' || segment === 'edges' || segment === 'node') && !schema.properties?.[segment]) continue;
    if (schema.type === 'array') schema = schema.items;
    schema = schema?.properties?.[segment];
    entity = undefined;
  }
  return schema;
}

/**
 * Answers Prism makes up that AMPECO would not send, and the facade rightly refuses with
 * UPSTREAM_BAD_RESPONSE on the field alone (`byPath`: known by where they land; the others by what the
 * refusal says, which only an upstream inconsistency makes it say):
 * - ids the contract types as `number` (not integer), for which Prism invents fractions (78394302.38),
 *   which no GraphQL ID holds;
 * - records whose contract id is a string where their own read's path takes an integer (a listed
 *   user's id): Prism invents words ("id in tempor"), which cannot address the record again, so a
 *   view read by that id (invoiceDetails) fails;
 * - ids that cannot be read back (the words above, and the negative integers Prism invents for ids,
 *   which no AMPECO path takes), where the facade reads the record again (a user's amountDue, the
 *   charge point models a firmware version lists by id);
 * - ids the contract makes nullable (a payment method's): Prism sends null, and a record without its
 *   key is refused (AMPECO's stored records all have one).
 */
function mockArtifact(roots: Roots, error: NonNullable<GraphQLErrors>[number]): 'byPath' | 'byMessage' | undefined {
  const path = error.path ?? [];
  const leaf = [...path].reverse().find((p): p is string => typeof p === 'string') ?? '';
  if (ID_FIELD.test(leaf) && schemaAt(roots, path)?.type === 'number') return 'byPath';
  const [alias, ...rest] = path;
  const start = roots[String(alias)];
  const s = start && 'entity' in start ? specs.get(start.entity) : undefined;
  const record = rest.filter((p) => typeof p === 'string' && p !== 'nodes');
  if (s && record.length === 1) {
    const unaddressable = full.resources[s.name]?.record.properties?.id?.type === 'string' && idSchema(s)?.type === 'integer';
    const view = viewSpecs.get(`${s.name}.${record[0]}`);
    if (unaddressable && view && Object.values(view.ownerParams).includes('id')) return 'byPath';
  }
  if (error.extensions?.code !== 'UPSTREAM_BAD_RESPONSE') return undefined;
  if (/cannot be read back/.test(error.message)) return 'byMessage';
  const schema = s ? full.resources[s.name]?.record : undefined;
  if (/without an id/.test(error.message) && (schema?.properties?.id?.nullable || !schema?.required?.includes('id'))) return 'byMessage';
  return undefined;
}

const isMockArtifact = (roots: Roots, error: NonNullable<GraphQLErrors>[number]): boolean => mockArtifact(roots, error) !== undefined;

/**
 * Mutations whose request is valid but whose answer the facade cannot map, with why: refused as
 * UPSTREAM_BAD_RESPONSE (never a crash).
 */
const UNMAPPABLE: Record<string, string> = {
  createPaymentMethod:
    "its 200 answer is the first step of a payment flow (a transaction id and redirect URL, or a Stripe setup intent), not the payment method the payload holds (that is the 201 answer); Prism answers the 200",
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Dynamic mode invents data from the schemas; static mode answers the contract's examples (a `next` cursor that never ends). */
async function startPrism(port: number, mode: 'dynamic' | 'static' = 'dynamic'): Promise<ChildProcess> {
  const dynamic = mode === 'dynamic' ? ['--dynamic', '--seed', '7'] : [];
  const child = spawn(join(root, 'node_modules', '.bin', 'prism'), ['mock', ...dynamic, '-h', '127.0.0.1', '-p', String(port), openApiPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Drained: an unread pipe that fills up (Prism logs every refused request) would block Prism.
  child.stderr.resume();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Prism did not start within 90 s')), 90_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`Prism exited with ${code}`)));
  });
  return child;
}

/** Every field of a record that needs no arguments, nested objects included, relations left out. */
function selection(type: GraphQLObjectType, depth = 0): string {
  const fields = Object.values(type.getFields()).filter((f: GraphQLField<unknown, unknown>) => {
    const named = getNamedType(f.type);
    if (f.args.length) return false;
    return !(isObjectType(named) && (specs.has(named.name) || isConnection(named)));
  });
  return fields
    .map((f) => {
      const named = getNamedType(f.type);
      if (!isObjectType(named)) return f.name;
      const inner = depth < 4 ? selection(named, depth + 1) : '';
      return inner ? `${f.name} { ${inner} }` : '';
    })
    .filter(Boolean)
    .join(' ');
}

/** `name: "1"` for each required argument (ids: Prism serves any). */
const idArgs = (field: GraphQLField<unknown, unknown>): string =>
  field.args
    .filter((a) => isNonNullType(a.type))
    .map((a) => `${a.name}: "1"`)
    .join(', ');

describe.skipIf(!hasContract)(`against Prism serving the contract (${openApiPath})`, () => {
  let prism: ChildProcess;
  let server: RunningServer;
  let schema: GraphQLSchema;
  const openApi = hasContract ? loadOpenApi()! : undefined;

  beforeAll(async () => {
    const port = await freePort();
    prism = await startPrism(port);
    schema = buildSchema();
    server = await startServer({
      ...loadConfig({ FACADE_AUTH: 'none' }),
      baseUrl: `http://127.0.0.1:${port}`,
      apiToken: 'prism-token',
      host: '127.0.0.1',
      port: 0,
      timeoutMs: 10_000,
      maxInFlight: 16,
      rateLimitPerMinute: undefined,
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    prism?.kill();
  });

  async function gql(query: string, variables?: Record<string, unknown>): Promise<{ data?: Record<string, unknown> | null; errors?: GraphQLErrors }> {
    const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as never;
  }

  /** The errors that are not mock artifacts (see mockArtifact). */
  function realErrors(roots: Roots, errors: GraphQLErrors): NonNullable<GraphQLErrors> {
    // Off-contract values still get a typed error on their own field, the rest of the answer intact:
    // an artifact known by where it lands must have been refused as AMPECO's failing, not as ours.
    for (const e of errors ?? []) if (mockArtifact(roots, e) === 'byPath') expect(e.extensions?.code, JSON.stringify(e)).toBe('UPSTREAM_BAD_RESPONSE');
    return (errors ?? []).filter((e) => !isMockArtifact(roots, e));
  }

  /** A result that is null is only so because of a mock artifact under it. */
  function expectNullOnlyForArtifacts(roots: Roots, errors: GraphQLErrors, alias: string, value: unknown): void {
    if (value !== null) return;
    expect(
      (errors ?? []).some((e) => e.path?.[0] === alias && isMockArtifact(roots, e)),
      `${alias} is null without an error that explains it`,
    ).toBe(true);
  }

  const entityTypes = [...specs.keys()];

  it('reads every entity type the definitions hold', () => {
    // The graph's types come from the definitions: none is left out of the reads below.
    expect([...entityTypes].sort()).toEqual(definitions.resources.map((r) => r.name).sort());
    expect(entityTypes.length).toBeGreaterThan(60);
  });

  it.each(entityTypes)('lists and reads %s: valid requests, every field of the answer mapped', async (type) => {
    const s = specs.get(type)!;
    const n = naming(type);
    const query = schema.getQueryType()!.getFields();
    const read = query[n.single];
    const list = s.operations.list ? query[n.plural] : undefined;
    // Every entity has a by-id read (from its read, or its listing), and a listing field where AMPECO lists it.
    expect(read, `Query.${n.single}`).toBeDefined();
    if (s.operations.list) expect(list, `Query.${n.plural}`).toBeDefined();
    const fields = selection(schema.getType(type) as GraphQLObjectType);
    const listArgs = list ? [idArgs(list), 'first: 2'].filter(Boolean).join(', ') : '';
    const res = await gql(`{
      ${list ? `list: ${list.name}(${listArgs}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${fields} } }` : ''}
      one: ${read!.name}(${idArgs(read!)}) { ${fields} }
    }`);
    const roots: Roots = { list: { entity: type }, one: { entity: type } };
    expect(realErrors(roots, res.errors), JSON.stringify(res.errors?.slice(0, 3), null, 1)).toEqual([]);
    expect(res.data).toBeDefined();
    if (list) {
      expectNullOnlyForArtifacts(roots, res.errors, 'list', res.data!.list);
      if (res.data!.list !== null) expect(Array.isArray((res.data!.list as { nodes: unknown[] }).nodes)).toBe(true);
    }
    // A sub-resource its parent embeds is found among the parent's embedded children, which Prism
    // makes up (none with id 1): null, rightly, without an error.
    const parent = s.parents?.at(-1)?.resource;
    if (!(parent && specs.get(parent)!.embeds.has(type))) expectNullOnlyForArtifacts(roots, res.errors, 'one', res.data!.one);
    expect(res.data!.one === null || typeof res.data!.one === 'object').toBe(true);
  });

  it.each([...viewSpecs.keys()])('reads the view %s: a valid request, every field of the answer mapped', async (key) => {
    const v = viewSpecs.get(key)!;
    const owner = v.owner ? schema.getQueryType()!.getFields()[naming(v.owner).single]! : undefined;
    const field = (v.owner ? (schema.getType(v.owner) as GraphQLObjectType) : schema.getQueryType()!).getFields()[v.field]!;
    const args = v.args.map((a) => {
      const param = v.operation.pathParams.find((p) => p.name === a.param);
      return `${a.arg}: ${JSON.stringify(String(sampleOf(param?.schema, a.param)))}`;
    });
    if (v.shape === 'connection') args.push('first: 2');
    const returned = getNamedType(field.type) as GraphQLObjectType;
    const record = v.shape === 'connection' ? (getNamedType(returned.getFields().nodes!.type) as GraphQLObjectType) : returned;
    const body = v.shape === 'connection' ? `pageInfo { hasNextPage } nodes { ${selection(record)} }` : selection(record);
    const view = `view: ${v.field}${args.length ? `(${args.join(', ')})` : ''} { ${body} }`;
    const res = await gql(owner ? `{ owner: ${owner.name}(${idArgs(owner)}) { id ${view} } }` : `{ ${view} }`);
    const roots: Roots = v.owner ? { owner: { entity: v.owner } } : { view: { view: key } };
    expect(realErrors(roots, res.errors), JSON.stringify(res.errors?.slice(0, 3), null, 1)).toEqual([]);
    if (v.owner) {
      expectNullOnlyForArtifacts(roots, res.errors, 'owner', res.data?.owner);
      if (res.data?.owner) expect((res.data.owner as Record<string, unknown>).view, 'the view answered').toBeDefined();
    } else {
      expect(res.data?.view, 'the view answered').toBeDefined();
    }
  });

  it('sends filters and include[] / with* flags the contract accepts', async () => {
    const res = await gql(`{
      chargePoints(first: 3, filter: { locationId: "1", type: PUBLIC, lastUpdatedAfter: "2026-01-01T00:00:00Z" }) { nodes { id lastBootNotification { vendor } } }
      sessions(first: 3, filter: { status: FINISHED, userId: "2", startedAfter: "2026-01-01T00:00:00Z" }) { nodes { id authorization { id } priceBreakdown { type } } }
      evses(first: 3, filter: { chargePointId: "1" }) { nodes { id connectors { id type } } }
      locations(first: 3, filter: { country: BG }) { nodes { id chargingZones { id } } }
    }`);
    expect(res.errors, JSON.stringify(res.errors?.slice(0, 3), null, 1)).toBeUndefined();
  });

  it('sends every mutation (writes and commands) with a request the contract accepts', async () => {
    const refused: string[] = [];
    const stillUnsendable: string[] = [];
    const plans = mutationPlans(schema);
    for (const plan of plans) {
      // Prism serves any id; other path values (an enum, a date) are sampled from the contract.
      const request = mutationRequest(plan, openApi!, () => '1', payloadSelection(plan));
      const res = await gql(request.query, request.variables);
      const name = plan.field.name;
      const userErrors = (res.data?.[name] as { userErrors?: unknown[] } | null)?.userErrors ?? [];
      // The payload's record starts where an entity's would: its number-typed ids get fractions too.
      const roots: Roots = plan.type ? { [name]: { entity: plan.type } } : {};
      const errors = (res.errors ?? []).map((e) => (plan.type && e.path?.[1] === lowerFirst(plan.type) ? { ...e, path: [name, ...e.path.slice(2)] } : e));
      if (name in UNSENDABLE) {
        if (userErrors.length || errors.length) stillUnsendable.push(name);
        continue;
      }
      if (name in UNMAPPABLE) {
        expect(errors.map((e) => e.extensions?.code), name).toEqual(['UPSTREAM_BAD_RESPONSE']);
        continue;
      }
      const problems = [...(request.dropped.length ? [{ dropped: request.dropped }] : []), ...realErrors(roots, errors), ...userErrors];
      if (problems.length) refused.push(`${name}: ${JSON.stringify(problems).slice(0, 400)}`);
    }
    expect(refused).toEqual([]);
    // An entry of UNSENDABLE that Prism now accepts is stale: AMPECO fixed its contract.
    expect(stillUnsendable.sort()).toEqual(Object.keys(UNSENDABLE).sort());
    expect(plans.length).toBe(Object.keys(schema.getMutationType()!.getFields()).length);
  }, 120_000);
});

describe.skipIf(!hasContract)('against Prism in static mode (every listing names a next page, forever)', () => {
  let prism: ChildProcess;
  let server: RunningServer;
  let calls = 0;

  beforeAll(async () => {
    const port = await freePort();
    prism = await startPrism(port, 'static');
    server = await startServer(
      { ...loadConfig({ FACADE_AUTH: 'none' }), baseUrl: `http://127.0.0.1:${port}`, apiToken: 'prism-token', host: '127.0.0.1', port: 0 },
      { http: { onCall: () => void calls++ } },
    );
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    prism?.kill();
  });

  it.each([
    ['a whole-list relation', '{ chargePoints(first: 1) { nodes { id evses { id } } } }'],
    ['a full page of a connection', '{ sessions(first: 100) { pageInfo { hasNextPage } nodes { id } } }'],
    ['relations of every record of a page', '{ locations(first: 20) { nodes { id chargePoints(first: 20) { nodes { id evses { id } } } } } }'],
  ])('%s ends, with a bounded number of upstream calls', async (_what, query) => {
    calls = 0;
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(20_000),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.data).toBeDefined();
    // Whatever Prism's examples hold, nothing here is internal: a repeated cursor ends a listing.
    for (const e of body.errors ?? []) expect(e.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    // A handful: before listings stopped at a repeated cursor, the first of these made 100+ calls and never ended.
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(10);
  });
});
