/**
 * Every request the facade sends upstream, checked against AMPECO's OpenAPI contract with Ajv: an operation
 * for its method and path, its path parameters, its query (deep-object `filter[...]`, `include[]`, paging,
 * `with*` flags) and its JSON body. The facade runs against the simulator, whose request log records what
 * arrived; the simulator's own checks are not involved.
 */
import { isConnection } from '../../src/resolvers/lookahead.js';
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
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../bench/corpus.js';
import type { JsonSchema } from '../../src/definitions/contract-model.js';
import type { RequestLogEntry } from '../../simulator/index.js';
import type { SimRecord } from '../../simulator/types.js';
import { actionSpecs, specs, viewSpecs } from '../../src/datasources/registry.js';
import { contract as generated } from '../../simulator/contract.js';
import { lowerFirst } from '../../src/definitions/naming.js';
import { buildSchema } from '../../src/server.js';
import { loadOpenApi, OPENAPI_MISSING, type OpenApiContract, type RequestRecord } from '../support/openapi.js';
import { mutationPlans, mutationRequest, payloadSelection, sampleOf, UNSENDABLE, type MutationPlan } from '../support/samples.js';
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

/**
 * Mutations the simulator refuses with the arguments made here, each with why (a request can be valid
 * by the contract and still be refused for the state it finds). Each must still be refused.
 */
const REFUSED_BY_THE_SIMULATOR: Record<string, string> = {
  // Its request is still checked against the contract; only its answer is not expected to be a success.
  redeemUserVoucher: "the body's `code` must be the code of an existing voucher, and a sampled one names none",
};

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
        if (named.getFields().id || isConnection(named) || depth >= 3) return '';
        // An object whose every field is left out (all entities or too deep) is left out too.
        const inner = selection(named, depth + 1);
        return inner ? `${f.name} { ${inner} }` : '';
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
      // Views (of Query or of a record) are read below, each through its owner.
      if (field.name.startsWith('_') || viewSpecs.has(`Query.${field.name}`)) continue;
      const returned = getNamedType(field.type) as GraphQLObjectType;
      if (isConnection(returned as GraphQLNamedType)) {
        const node = getNamedType(returned.getFields().nodes!.type) as GraphQLObjectType;
        const parentArgs = recordArgs(field, node.name);
        delete parentArgs.id;
        const filterArg = field.args.find((a) => a.name === 'filter');
        const filters = generated.resources[node.name]?.filters ?? [];
        const filterSchema = (key: string) => filters.find((f) => f.key === key)?.schema;
        const filtered = { ...parentArgs, first: 3, ...(filterArg ? { filter: sample(filterArg.type, 'filter', filterSchema) } : {}) };
        const r1 = await run(`${field.name} filtered`, rootQuery(field, filtered, `totalCount nodes { ${selection(node)} }`), filtered);
        expect.soft(r1.errors, `${field.name}: ${JSON.stringify(r1.errors)}`).toBeUndefined();
        // A second page: the facade sends the cursor AMPECO gave it.
        const pagedQuery = rootQuery(field, { ...parentArgs, first: 2, after: null }, 'pageInfo { hasNextPage endCursor } nodes { id }');
        const page1 = await run(`${field.name} page 1`, pagedQuery, { ...parentArgs, first: 2, after: null });
        expect.soft(page1.errors, `${field.name}: ${JSON.stringify(page1.errors)}`).toBeUndefined();
        const page2 = await run(`${field.name} page 2`, pagedQuery, { ...parentArgs, first: 2, after: (page1.data?.[field.name] as { pageInfo: { endCursor: string | null } }).pageInfo.endCursor });
        expect.soft(page2.errors, `${field.name}: ${JSON.stringify(page2.errors)}`).toBeUndefined();
        checked.push(...r1.checked, ...page1.checked, ...page2.checked);
      } else if (stack.sim.store.types().includes(returned.name)) {
        const values = recordArgs(field, returned.name);
        const r = await run(`${field.name} by id`, rootQuery(field, values, selection(returned)), values);
        expect.soft(r.errors, `${field.name}: ${JSON.stringify(r.errors)}`).toBeUndefined();
        checked.push(...r.checked);
      }
    }
    for (const [key, v] of viewSpecs) {
      const field = (v.owner ? (schema.getType(v.owner) as GraphQLObjectType) : queryType).getFields()[v.field]!;
      const returned = getNamedType(field.type) as GraphQLObjectType;
      const node = v.shape === 'connection' ? (getNamedType(returned.getFields().nodes!.type) as GraphQLObjectType) : returned;
      // Path values the owner does not fill (a configuration key, a date): ones the contract accepts.
      const args = v.args.map((a) => `${a.arg}: ${JSON.stringify(String(sampleOf(v.operation.pathParams.find((p) => p.name === a.param)?.schema, a.param)))}`);
      if (v.shape === 'connection') args.push('first: 3');
      const body = v.shape === 'connection' ? `totalCount pageInfo { hasNextPage } nodes { ${selection(node) || 'id'} }` : selection(node);
      const view = `${v.field}${args.length ? `(${args.join(', ')})` : ''} { ${body} }`;
      let query = `{ ${view} }`;
      if (v.owner) {
        const owner = queryType.getFields()[lowerFirst(v.owner)]!;
        const values = recordArgs(owner, v.owner);
        query = rootQuery(owner, values, `id ${view}`);
        const r = await run(`view ${key}`, query, values);
        expect.soft(r.errors, `${key}: ${JSON.stringify(r.errors)}`).toBeUndefined();
        checked.push(...r.checked);
        continue;
      }
      const r = await run(`view ${key}`, query);
      expect.soft(r.errors, `${key}: ${JSON.stringify(r.errors)}`).toBeUndefined();
      checked.push(...r.checked);
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

  /**
   * Records a mutation acts on, chosen to fit together: each id an argument or a body field names
   * (`chargePointId`, `evseId`, `userId`) is a record the simulator holds, the one this test created for
   * an update or delete of its type, and otherwise a seeded one that agrees with the ids chosen before it
   * (the EVSE of the chosen charge point, the user of the chosen transaction).
   */
  class Records {
    /** Records this test created, by type: id and the parent it sits under. */
    readonly created = new Map<string, { id: string; parentId?: string }>();
    /** Field names that name a record of another type (`vendorId` -> ChargePointVendor), from the relations. */
    private readonly targets = new Map<string, string>();

    constructor() {
      for (const s of specs.values()) {
        for (const r of s.relations) if (r.kind === 'one' && r.via && !r.via.includes('.') && !this.targets.has(r.via)) this.targets.set(r.via, r.target);
      }
    }

    /** The record type a field or argument names (`chargePointId`, `userGroupIds`, `vendorId`), if any. */
    typeOf(name: string): string | undefined {
      const mapped = this.targets.get(name) ?? this.targets.get(name.replace(/s$/, ''));
      if (mapped) return mapped;
      const base = /^(\w+?)(Network)?Ids?$/.exec(name)?.[1];
      const type = base ? base.replace(/^./, (c) => c.toUpperCase()) : undefined;
      return type && specs.has(type) ? type : undefined;
    }

    /**
     * A fresh choice for one mutation; `own` is the type whose record it writes (an update's or delete's),
     * read from what this test created. Every other record is one the simulator was seeded with: made-up
     * samples (an EVSE whose network id is "Sample") are no ground for commands.
     */
    context(own?: string): (name: string, type?: string) => string | undefined {
      const chosen = new Map<string, SimRecord>();
      const idText = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
      // A record fits the ones chosen before when neither names another record of the other's type.
      const fits = (type: string, record: SimRecord): boolean => {
        const parents = stack.sim.store.parentsOf(type, record.id as string | number) ?? {};
        for (const [other, picked] of chosen) {
          const named = idText(record[`${lowerFirst(other)}Id`] ?? parents[lowerFirst(other)]);
          if (named !== undefined && named !== idText(picked.id)) return false;
          const naming = idText(picked[`${lowerFirst(type)}Id`]);
          if (naming !== undefined && naming !== idText(record.id)) return false;
        }
        return true;
      };
      const pick = (type: string): SimRecord | undefined => {
        const known = chosen.get(type);
        if (known) return known;
        const made = type === own ? this.created.get(type) : undefined;
        const rows = stack.sim.store.list(type);
        // A running session (and a charge point with one) first: commands on sessions (stop) need one.
        const active = (r: SimRecord): boolean =>
          type === 'Session' ? r.status === 'active' : type === 'ChargePoint' ? stack.sim.store.list('Session').some((x) => x.status === 'active' && idText(x.chargePointId) === idText(r.id)) : true;
        const record = (made && rows.find((r) => idText(r.id) === made.id)) ?? rows.find((r) => fits(type, r) && active(r)) ?? rows.find((r) => fits(type, r)) ?? rows[0];
        if (record) chosen.set(type, record);
        return record;
      };
      return (name, type = this.typeOf(name)) => {
        if (!type) return undefined;
        const record = pick(type);
        if (!record) return undefined;
        // A charge point's EVSE is addressed by its OCPP network id in the charge point's commands.
        const value = /NetworkId$/.test(name) ? record.networkId : record.id;
        return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
      };
    }
  }

  it('writes and commands: every mutation, on records it creates, with the bodies the contract declares', async () => {
    const checked: Checked[] = [];
    const outcomes: string[] = [];
    const refusedAsKnown = new Set<string>();
    const plans = mutationPlans(schema);
    const records = new Records();
    const depth = (type?: string) => specs.get(type ?? '')?.parents?.length ?? 0;
    // Creates (parents first), then updates of what they made, commands, deletes (children first), and
    // last the commands that take something away (an EVSE, a certificate) from the records chosen above.
    const phase = (plan: MutationPlan): number =>
      plan.kind === 'action' ? (/^(delete|detach|remove)/.test(plan.field.name) ? 4 : 2) : { create: 0, update: 1, delete: 3 }[plan.kind];
    const ordered = [...plans].sort((a, b) => phase(a) - phase(b) || (a.kind === 'delete' ? depth(b.type) - depth(a.type) : depth(a.type) - depth(b.type)));
    for (const plan of ordered) {
      const name = plan.field.name;
      const choose = records.context(plan.kind === 'update' || plan.kind === 'delete' ? plan.type : undefined);
      const s = plan.type ? specs.get(plan.type) : undefined;
      const parent = plan.kind !== 'action' ? s?.parents?.at(-1) : undefined;
      const argument = (arg: string): string | undefined => {
        if (plan.kind !== 'action' && arg === 'id') return choose('id', plan.type);
        if (parent && arg === `${lowerFirst(parent.resource)}Id`) {
          // A record this test created sits under the parent it was created under.
          const made = records.created.get(plan.type!);
          return plan.kind !== 'create' && made?.parentId ? made.parentId : choose(arg, parent.resource);
        }
        // A command's own record (its target), whatever its argument is called.
        const action = plan.kind === 'action' ? actionSpecs.get(name) : undefined;
        if (action?.target && arg === action.pathArgs[action.target.pathParam]?.arg) return choose(arg, action.target.type);
        return choose(arg);
      };
      // The record an update or delete acts on decides its parent: choose it first.
      if (plan.kind === 'update' || plan.kind === 'delete') argument('id');
      // An id that names no record type the simulator holds (a configuration variable's) is 1.
      const request = mutationRequest(plan, openApi as OpenApiContract, (arg) => argument(arg) ?? '1', payloadSelection(plan), { idFor: (field) => choose(field) });
      const r = await run(name, request.query, request.variables);
      checked.push(...r.checked);
      const payload = r.data?.[name] as { userErrors?: unknown[]; accepted?: boolean; [record: string]: unknown } | null | undefined;
      const problem = [
        ...(request.dropped.length ? [`cannot send ${request.dropped.join(', ')}`] : []),
        ...(r.errors ?? []).map((e) => JSON.stringify(e)),
        ...(payload?.userErrors ?? []).map((e) => JSON.stringify(e)),
        ...(r.checked.some((c) => c.operationId === plan.operationId) ? [] : [`sent no ${plan.operationId}`]),
        ...(payload && 'accepted' in payload && payload.accepted !== true ? ['the command was not accepted'] : []),
      ];
      const known = REFUSED_BY_THE_SIMULATOR[name];
      if (known) {
        if (problem.length) refusedAsKnown.add(name);
        continue;
      }
      if (problem.length) outcomes.push(`${name}: ${problem.join('; ').slice(0, 500)}`);
      if (plan.kind === 'create' && !problem.length) {
        const record = payload?.[lowerFirst(plan.type!)] as { id: string } | null | undefined;
        if (record?.id) records.created.set(plan.type!, { id: record.id, parentId: parent ? String(request.variables[`${lowerFirst(parent.resource)}Id`]) : undefined });
        else outcomes.push(`${name}: the payload names no record`);
      }
    }

    // Every mutation of the schema ran, each succeeded and sent writes the contract accepts.
    expect(ordered.map((p) => p.field.name).sort()).toEqual(Object.keys(schema.getMutationType()!.getFields()).sort());
    expect(outcomes).toEqual([]);
    expect([...refusedAsKnown].sort(), 'an entry of REFUSED_BY_THE_SIMULATOR now succeeds: remove it').toEqual(Object.keys(REFUSED_BY_THE_SIMULATOR).sort());
    expect(records.created.size).toBeGreaterThan(40);
    expect(checked.filter((c) => c.entry.body !== undefined).length).toBeGreaterThan(150);
    const defects = new Set<string>();
    const fresh = problems(checked).filter((line) => {
      const defect = Object.keys(UNSENDABLE).find((m) => line.startsWith(`${m}: `) && line.includes('must match exactly one schema in oneOf'));
      if (defect) defects.add(defect);
      return !defect;
    });
    expect(fresh).toEqual([]);
    // AMPECO's bodies that no request can satisfy are still so (see UNSENDABLE): an entry goes when fixed.
    expect([...defects].sort()).toEqual(Object.keys(UNSENDABLE).sort());
  }, 180_000);
});
