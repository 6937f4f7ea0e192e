/**
 * Every request the facade sends upstream, checked against AMPECO's OpenAPI contract with Ajv: an operation
 * for its method and path, its path parameters, its query (deep-object `filter[...]`, `include[]`, paging,
 * `with*` flags) and its JSON body. The facade runs against the simulator, whose request log records what
 * arrived; the simulator's own checks are not involved.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../bench/corpus.js';
import type { JsonSchema } from '../../src/definitions/contract-model.js';
import type { RequestLogEntry } from '../../simulator/index.js';
import { contract as generated } from '../../src/__generated__/contract.js';
import { buildSchema } from '../../src/server.js';
import { loadOpenApi, OPENAPI_MISSING, type OpenApiContract, type RequestRecord } from '../support/openapi.js';
import { startStack, type Stack } from '../support/stack.js';

const openApi = loadOpenApi();
if (!openApi) console.warn(OPENAPI_MISSING);

describe.skipIf(!openApi)('the contract checker', () => {
  const contract = openApi as OpenApiContract;
  const EVSES = '/public-api/resources/evses/v2.1';
  const issues = (req: Partial<RequestRecord>) => contract.requestIssues({ method: 'GET', path: EVSES, query: '', ...req }).issues;

  it('accepts a valid request and refuses each way of breaking the contract', () => {
    expect(issues({ query: 'cursor=&filter%5BchargePointId%5D=12&filter%5BroamingOperatorIds%5D%5B%5D=1&per_page=100' })).toEqual([]);
    expect(issues({ path: `${EVSES}/7`, query: 'include%5B%5D=connectors' })).toEqual([]);
    expect(issues({ query: 'filter[notAFilter]=1' })).toEqual([expect.stringContaining('notAFilter')]);
    expect(issues({ path: `${EVSES}/7`, query: 'include=connectors' })).toEqual([expect.stringMatching(/include.*array/)]);
    expect(issues({ path: `${EVSES}/7`, query: 'include[]=nope' })).toEqual([expect.stringContaining('allowed')]);
    expect(issues({ query: 'per_page=500' })).toEqual([expect.stringContaining('per_page')]);
    expect(issues({ query: 'per_page=1&per_page=2' })).not.toEqual([]);
    expect(issues({ query: 'filter[roamingOperatorIds][]=x' })).not.toEqual([]);
    expect(issues({ query: 'withSomething=true' })).toEqual([expect.stringContaining('withSomething')]);
    expect(issues({ path: `${EVSES}/seven` })).toEqual([expect.stringContaining('path /evse')]);
    expect(issues({ path: '/public-api/resources/nothing/v1.0' })).toEqual([expect.stringContaining('no operation')]);
    expect(issues({ method: 'PUT', path: EVSES })).toEqual([expect.stringContaining('no PUT operation')]);
    expect(issues({ method: 'POST', body: '{"physicalReference":"A"}', contentType: 'application/json' })).not.toEqual([]);
    expect(issues({ method: 'POST', body: 'x=1', contentType: 'application/x-www-form-urlencoded' })).toEqual([expect.stringContaining('not application/json')]);
    expect(issues({ body: '{}', contentType: 'application/json' })).toEqual([expect.stringContaining('declares none')]);
    expect(issues({ method: 'POST' })).toEqual([expect.stringContaining('required body')]);
  });
});

/**
 * Contract violations found, reported, and not fixed yet (the fix is not this test's to make). Each must
 * still occur where the reads test provokes it: once fixed, the test says so and the entry goes.
 */
// Findings of this test that are known and not fixed yet, each with why; each must still occur.
// (Fixed: `withAmountDue`, which only a user's read accepts, was also sent on the users listing.)
const KNOWN_FINDINGS: { operationId: string; issue: string }[] = [];

describe.skipIf(!openApi)("requests the facade sends are valid against AMPECO's contract", () => {
  const contract = openApi as OpenApiContract;
  let stack: Stack;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    stack = await startStack();
    schema = buildSchema();
  });
  afterAll(() => stack?.close());

  interface Checked {
    label: string;
    entry: RequestLogEntry;
    operationId?: string;
    issues: string[];
  }

  /** Runs one operation and checks every upstream request it caused. */
  async function run(label: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: Record<string, unknown> | null; errors?: unknown[]; checked: Checked[] }> {
    stack.sim.clearLog();
    const res = await stack.gql<Record<string, unknown>>(query, variables);
    const checked = stack.sim.log.map((entry) => ({ label, entry, ...contract.requestIssues(entry) }));
    return { data: res.data, errors: res.errors, checked };
  }

  /** Known findings seen so far (each must still occur: see KNOWN_FINDINGS). */
  const knownSeen = new Set<string>();

  function problems(checked: Checked[]): string[] {
    const out: string[] = [];
    for (const c of checked) {
      const fresh = c.issues.filter((issue) => {
        const known = KNOWN_FINDINGS.find((k) => k.operationId === c.operationId && k.issue === issue);
        if (known) knownSeen.add(`${known.operationId}: ${known.issue}`);
        return !known;
      });
      if (fresh.length) out.push(`${c.label}: ${c.entry.method} ${c.entry.path}?${decodeURIComponent(c.entry.query)} [${c.operationId ?? '?'}] ${fresh.join('; ')}`);
    }
    return out;
  }

  /** Every field of a record that takes no required argument, nested objects included, relations left out. */
  function selection(type: GraphQLObjectType, depth = 0): string {
    return Object.values(type.getFields())
      .filter((f: GraphQLField<unknown, unknown>) => !f.args.some((a) => isNonNullType(a.type)))
      .map((f) => {
        const named = getNamedType(f.type);
        if (!isObjectType(named)) return f.name;
        if (named.getFields().id || named.name.endsWith('Connection') || depth >= 3) return '';
        return `${f.name} { ${selection(named, depth + 1)} }`;
      })
      .filter(Boolean)
      .join(' ');
  }

  /** The first value a contract schema enumerates (in it or its first branch that does), if any. */
  function enumerated(schema: JsonSchema | undefined): string | undefined {
    const found = schema?.enum?.find((v) => v !== null);
    if (found !== undefined) return String(found);
    for (const branch of [...(schema?.anyOf ?? []), ...(schema?.oneOf ?? [])]) {
      const value = enumerated(branch);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /**
   * A value of the right type for every field, valid for AMPECO: a string the contract enumerates gets its
   * first value (a location's `state` is a US, Australian, ... state code, a GraphQL String).
   */
  function sample(type: GraphQLInputType, name: string, contractSchema?: (field: string) => JsonSchema | undefined): unknown {
    if (isNonNullType(type)) return sample(type.ofType, name, contractSchema);
    if (isListType(type)) return [sample(type.ofType, name, contractSchema)];
    if (isEnumType(type)) return type.getValues()[0]!.name;
    if (isInputObjectType(type)) return Object.fromEntries(Object.values(type.getFields()).map((f) => [f.name, sample(f.type, f.name, contractSchema)]));
    if (isScalarType(type) && type.name === 'String') return enumerated(contractSchema?.(name)) ?? (/email/i.test(name) ? 'driver@example.com' : 'Sample');
    if (isScalarType(type)) return ({ ID: '1', Int: 1, Float: 1.5, Boolean: true, DateTime: '2026-01-01T00:00:00Z', Date: '2026-01-01', JSON: {} } as Record<string, unknown>)[type.name];
    throw new Error(`No sample for ${String(type)}`);
  }

  /** Arguments naming a record and its parents (`id`, `locationId`, `evseId`), from the simulator's store. */
  function recordArgs(field: GraphQLField<unknown, unknown>, typeName: string): Record<string, string> {
    const record = stack.sim.store.list(typeName)[0]!;
    const parents = stack.sim.store.parentsOf(typeName, record.id as string | number) ?? {};
    const values: Record<string, string> = { id: String(record.id) };
    for (const [parent, id] of Object.entries(parents)) values[`${parent}Id`] = String(id);
    return Object.fromEntries(field.args.filter((a) => isNonNullType(a.type) && values[a.name] !== undefined).map((a) => [a.name, values[a.name]!]));
  }

  /** `query($a: T, ...) { field(a: $a, ...) { body } }` for the arguments `values` names. */
  function rootQuery(field: GraphQLField<unknown, unknown>, values: Record<string, unknown>, body: string): string {
    const used = field.args.filter((a) => a.name in values);
    const declared = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
    const passed = used.map((a) => `${a.name}: $${a.name}`).join(', ');
    return `query${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} { ${body} } }`;
  }

  it('reads: every listing with every filter, a listing past one page, every by-id read, includes and flags, the benchmark corpus', async () => {
    const checked: Checked[] = [];
    const queryType = schema.getQueryType()!;
    for (const field of Object.values(queryType.getFields())) {
      if (field.name.startsWith('_')) continue;
      const returned = getNamedType(field.type) as GraphQLObjectType;
      if (returned.name.endsWith('Connection')) {
        const node = getNamedType(returned.getFields().nodes!.type) as GraphQLObjectType;
        const parentArgs = recordArgs(field, node.name);
        delete parentArgs.id;
        const filterArg = field.args.find((a) => a.name === 'filter');
        const filters = generated.resources[node.name]?.filters ?? [];
        const filterSchema = (key: string) => filters.find((f) => f.key === key)?.schema;
        const filtered = { ...parentArgs, first: 3, ...(filterArg ? { filter: sample(filterArg.type, 'filter', filterSchema) } : {}) };
        const r1 = await run(`${field.name} filtered`, rootQuery(field, filtered, `totalCount nodes { ${selection(node)} }`), filtered);
        expect(r1.errors, `${field.name}: ${JSON.stringify(r1.errors)}`).toBeUndefined();
        // A second page: the facade sends the cursor AMPECO gave it.
        const pagedQuery = rootQuery(field, { ...parentArgs, first: 2, after: null }, 'pageInfo { hasNextPage endCursor } nodes { id }');
        const page1 = await run(`${field.name} page 1`, pagedQuery, { ...parentArgs, first: 2, after: null });
        expect(page1.errors, `${field.name}: ${JSON.stringify(page1.errors)}`).toBeUndefined();
        const page2 = await run(`${field.name} page 2`, pagedQuery, { ...parentArgs, first: 2, after: (page1.data?.[field.name] as { pageInfo: { endCursor: string | null } }).pageInfo.endCursor });
        expect(page2.errors, `${field.name}: ${JSON.stringify(page2.errors)}`).toBeUndefined();
        checked.push(...r1.checked, ...page1.checked, ...page2.checked);
      } else if (stack.sim.store.types().includes(returned.name)) {
        const values = recordArgs(field, returned.name);
        const r = await run(`${field.name} by id`, rootQuery(field, values, selection(returned)), values);
        expect(r.errors, `${field.name}: ${JSON.stringify(r.errors)}`).toBeUndefined();
        checked.push(...r.checked);
      }
    }
    const embedded = await run(
      'includes',
      '{ locations(first: 3) { nodes { id chargingZones { id name } } } evses(first: 3) { nodes { id connectors { id type } } } evse(id: "1") { id connectors { id } } }',
    );
    expect(embedded.errors).toBeUndefined();
    checked.push(...embedded.checked);
    for (const q of loadCorpus(schema)) {
      const r = await run(q.name, q.text, q.variables);
      expect(r.errors, `${q.name}: ${JSON.stringify(r.errors)}`).toBeUndefined();
      checked.push(...r.checked);
    }

    // What the checks covered: they would prove little if no request carried a filter, an include or a flag.
    const queries = checked.map((c) => decodeURIComponent(c.entry.query));
    expect(problems(checked)).toEqual([]);
    expect([...knownSeen].sort(), 'a known finding no longer occurs: remove it from KNOWN_FINDINGS').toEqual(KNOWN_FINDINGS.map((k) => `${k.operationId}: ${k.issue}`).sort());
    expect(checked.length).toBeGreaterThan(100);
    expect(queries.some((q) => q.includes('filter[roamingOperatorIds][]='))).toBe(true);
    expect(queries.some((q) => q.includes('include[]='))).toBe(true);
    expect(queries.some((q) => /(^|&)with[A-Z]\w*=/.test(q))).toBe(true);
    expect(queries.some((q) => /(^|&)cursor=[^&]/.test(q))).toBe(true);
  }, 120_000);

  it('writes and commands: every mutation, on records it creates, with the bodies the contract declares', async () => {
    const checked: Checked[] = [];
    const ran = new Set<string>();
    /** Runs a mutation that must succeed, with at least one write upstream; its payload. */
    async function mutate<P extends object = object>(name: string, query: string): Promise<P> {
      const r = await run(name, query);
      ran.add(name);
      checked.push(...r.checked);
      expect(r.errors, `${name}: ${JSON.stringify(r.errors)}`).toBeUndefined();
      expect(r.checked.filter((c) => c.entry.method !== 'GET').length, `${name} sent no write`).toBeGreaterThan(0);
      const payload = r.data?.[name] as P & { userErrors?: unknown[] };
      expect(payload.userErrors ?? [], `${name}: ${JSON.stringify(payload.userErrors)}`).toEqual([]);
      return payload;
    }
    /** Runs a create mutation; the id of the record it made (the payload's `key`). */
    async function create(name: string, key: string, query: string): Promise<string> {
      const payload = await mutate<Record<string, { id: string } | undefined>>(name, query);
      return payload[key]!.id;
    }
    const translation = (text: string) => `[{ locale: "en", translation: "${text}" }]`;

    const vendor = await create('createChargePointVendor', 'chargePointVendor', `mutation { createChargePointVendor(input: { name: "Contract Vendor" }) { chargePointVendor { id } userErrors { message } } }`);
    await mutate('updateChargePointVendor', `mutation { updateChargePointVendor(id: "${vendor}", input: { name: "Renamed Vendor" }) { userErrors { message } } }`);
    const model = await create(
      'createChargePointModel',
      'chargePointModel',
      `mutation { createChargePointModel(input: { name: "Contract Model", vendorId: "${vendor}", userManual: "https://example.com/manual.pdf" }) { chargePointModel { id } userErrors { message } } }`,
    );
    await mutate('updateChargePointModel', `mutation { updateChargePointModel(id: "${model}", input: { name: "Renamed Model" }) { userErrors { message } } }`);

    const location = await create(
      'createLocation',
      'location',
      `mutation { createLocation(input: { name: ${translation('Contract Garage')}, description: ${translation('Under the mall')}, address: ${translation('Main Street 1')},
          geoposition: { latitude: 42.1354, longitude: 24.7453 }, country: BG, city: "Plovdiv", tags: ["contract"] }) { location { id } userErrors { message } } }`,
    );
    await mutate('updateLocation', `mutation { updateLocation(id: "${location}", input: { city: "Varna", tags: ["sea"], name: ${translation('Renamed Garage')} }) { userErrors { message } } }`);
    const zone = await create('createChargingZone', 'chargingZone', `mutation { createChargingZone(locationId: "${location}", input: { name: "Level -2", status: ENABLED }) { chargingZone { id } userErrors { message } } }`);
    await mutate('updateChargingZone', `mutation { updateChargingZone(locationId: "${location}", id: "${zone}", input: { name: "Level -3", status: DISABLED }) { userErrors { message } } }`);

    const chargePoint = await create(
      'createChargePoint',
      'chargePoint',
      `mutation { createChargePoint(input: { name: "Contract CP", type: PUBLIC, status: ENABLED, locationId: "${location}", chargingZoneId: "${zone}", tags: ["t1"] }) { chargePoint { id } userErrors { message } } }`,
    );
    await mutate('updateChargePoint', `mutation { updateChargePoint(id: "${chargePoint}", input: { name: "Renamed CP", status: ENABLED }) { userErrors { message } } }`);
    const evse = await create(
      'createEvse',
      'evse',
      `mutation { createEvse(input: { chargePointId: "${chargePoint}", physicalReference: "Z", networkId: "1", currentType: DC, status: ENABLED, label: "Contract EVSE" }) { evse { id } userErrors { message } } }`,
    );
    await mutate('updateEvse', `mutation { updateEvse(id: "${evse}", input: { label: "Renamed EVSE" }) { userErrors { message } } }`);
    const connector = await create('createConnector', 'connector', `mutation { createConnector(evseId: "${evse}", input: { type: CCS2, format: CABLE }) { connector { id } userErrors { message } } }`);
    await mutate('updateConnector', `mutation { updateConnector(evseId: "${evse}", id: "${connector}", input: { type: CHADEMO }) { userErrors { message } } }`);

    const user = await create(
      'createUser',
      'user',
      `mutation { createUser(input: { email: "contract.driver@example.com", password: "Secret123!", first_name: "Ada", last_name: "Lovelace", phone: "+4915100000" }) { user { id } userErrors { message } } }`,
    );
    await mutate('updateUser', `mutation { updateUser(id: "${user}", input: { first_name: "Augusta", city: "London" }) { userErrors { message } } }`);

    const started = await mutate<{ accepted: boolean; sessionId: string }>(
      'startChargingSessionOnEvse',
      `mutation { startChargingSessionOnEvse(evseId: "${evse}", input: { userId: "${user}" }) { accepted sessionId userErrors { message } } }`,
    );
    expect(started.accepted).toBe(true);
    await mutate('stopChargingSession', `mutation { stopChargingSession(chargePointId: "${chargePoint}", sessionId: "${started.sessionId}") { accepted userErrors { message } } }`);
    await mutate('startChargingSession', `mutation { startChargingSession(chargePointId: "${chargePoint}", input: { userId: "${user}", connectorId: "${connector}" }) { accepted userErrors { message } } }`);
    await mutate('resetChargePoint', `mutation { resetChargePoint(chargePointId: "${chargePoint}", type: SOFT) { accepted userErrors { message } } }`);
    await mutate('changeChargePointAvailability', `mutation { changeChargePointAvailability(chargePointId: "${chargePoint}", input: { type: INOPERATIVE, evseNetworkId: "1" }) { accepted userErrors { message } } }`);
    await mutate('unlockEvse', `mutation { unlockEvse(chargePointId: "${chargePoint}", evseNetworkId: "1") { accepted userErrors { message } } }`);

    await mutate('deleteConnector', `mutation { deleteConnector(evseId: "${evse}", id: "${connector}") { deletedId userErrors { message } } }`);
    await mutate('deleteEvse', `mutation { deleteEvse(id: "${evse}") { deletedId userErrors { message } } }`);
    await mutate('deleteChargePoint', `mutation { deleteChargePoint(id: "${chargePoint}") { deletedId userErrors { message } } }`);
    await mutate('deleteChargingZone', `mutation { deleteChargingZone(locationId: "${location}", id: "${zone}") { deletedId userErrors { message } } }`);
    await mutate('deleteLocation', `mutation { deleteLocation(id: "${location}") { deletedId userErrors { message } } }`);
    await mutate('deleteUser', `mutation { deleteUser(id: "${user}") { deletedId userErrors { message } } }`);
    await mutate('deleteChargePointModel', `mutation { deleteChargePointModel(id: "${model}") { deletedId userErrors { message } } }`);
    await mutate('deleteChargePointVendor', `mutation { deleteChargePointVendor(id: "${vendor}") { deletedId userErrors { message } } }`);

    // Every mutation of the schema ran (a new one must be added here), and bodies were checked.
    expect([...ran].sort()).toEqual(Object.keys(schema.getMutationType()!.getFields()).sort());
    expect(checked.filter((c) => c.entry.body !== undefined).length).toBeGreaterThan(15);
    expect(problems(checked)).toEqual([]);
  }, 120_000);
});
