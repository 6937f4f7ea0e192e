/**
 * Every create, update and delete of the graph, generically: for each entity type AMPECO lets you
 * write, an input is made from its GraphQL input type and the contract's request schema
 * (test/support/write-inputs.ts), and the effect is checked with a follow-up query against what the
 * simulator holds: a created record is readable by id and listed, an updated field reads back, a
 * deleted record reads as null and is no longer listed. One input per write the contract refuses
 * (GraphQL lets it through) answers `userErrors` pointing into `input`, and changes nothing.
 *
 * Each test stands alone: what it updates or deletes it first creates itself (through the graph).
 */
import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spec } from '../../src/datasources/registry.js';
import { naming } from '../../src/definitions/naming.js';
import { buildSchema } from '../../src/server.js';
import { startStack, type Stack } from '../support/stack.js';
import {
  firstIdFor,
  invalidInput,
  mutationPlans,
  mutationText,
  storeSnapshot,
  updateProbe,
  validInput,
  type MutationPlan,
} from '../support/write-inputs.js';

const schema: GraphQLSchema = buildSchema();
const plans = mutationPlans(schema).filter((p) => p.kind !== 'action');
const types = [...new Set(plans.map((p) => p.type!))].sort();
const planOf = (type: string, kind: MutationPlan['kind']): MutationPlan | undefined => plans.find((p) => p.type === type && p.kind === kind);

/**
 * Writes whose refusal the generic input cannot provoke: every field the contract constrains is
 * constrained by the GraphQL input type too (non-null, enum, ID), so the facade sends nothing AMPECO
 * would refuse. The simulator's validation of these bodies is covered in test/simulator.
 */
const NO_REFUSAL: Record<string, string> = {
  updateChargePointDowntimePeriod: 'every field is optional; the dates are DateTime and the notice an ID in GraphQL too',
  updateEvseDowntimePeriod: 'every field is optional; the dates are DateTime and the notice an ID in GraphQL too',
  updateFaq: 'every field is optional: lists of translations whose strings are unbounded',
  updateChargePointVendor: 'its one field, name, is an optional string without bounds',
  updateConfigurationTemplate: 'its one field, name, is an optional string without bounds',
  updateTaxIdentificationNumber: 'its one field, name, is an optional string without bounds',
  updateChargingZone: 'every field is optional; the status is an enum in GraphQL too, the rest strings without bounds',
  createConnector: 'its fields are enums (the required type is non-null in GraphQL too)',
  updateConnector: 'its fields are optional enums',
  createCurrency: 'its fields are enums',
  updateDowntimePeriodNotice: 'every field is optional; the type is an enum in GraphQL too, the rest strings without bounds',
  updateElectricityMeter: 'every field is optional and unbounded (a name, an integration id, free parameters)',
  updateFlexibilityAsset: 'every field is optional and unbounded (a description, an integration id, free parameters)',
  createPaymentMethod: 'every field is optional; two enums and a nullable number',
  updatePaymentMethod: 'its one field, default, is an optional boolean',
  createTopUpPackage: 'the required price and bonus are non-null in GraphQL too, and the contract bounds neither',
  updateTopUpPackage: 'every field is optional and unbounded (price, bonus, enabled)',
};

/** Updates with no field to change and read back generically. */
const NO_PROBE: Record<string, string> = {};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** Arguments other than `input`: `id` is the record under test, a parent's id (`locationId`) the first record of that type. */
function argsFor(plan: MutationPlan, id?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of plan.field.args) {
    if (arg.name === 'input') continue;
    const value = arg.name === 'id' ? id : firstIdFor(stack.sim, arg.name);
    if (value === undefined) throw new Error(`${plan.field.name}: no value for ${arg.name}`);
    out[arg.name] = value;
  }
  return out;
}

/** Parent arguments of the reads of `type` (`locationId` of a charging zone), as the create was sent with. */
function parentArgs(plan: MutationPlan): Record<string, unknown> {
  const { id: _id, ...rest } = argsFor(plan, '');
  return rest;
}

const single = (type: string): string => naming(type).single;

async function send(plan: MutationPlan, variables: Record<string, unknown>, selection: string): Promise<Record<string, any>> {
  const res = await stack.gql(mutationText(plan, variables, selection), variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data![plan.field.name] as Record<string, any>;
}

/** Creates a record of `type` through the graph; returns its id and the parent arguments its reads need. */
async function create(type: string): Promise<{ id: string; parents: Record<string, unknown> }> {
  const plan = planOf(type, 'create')!;
  const parents = parentArgs(plan);
  const payload = await send(plan, { ...parents, input: validInput(plan, stack.sim) }, `${single(type)} { id } userErrors { field message }`);
  expect(payload.userErrors).toEqual([]);
  return { id: String(payload[single(type)].id), parents };
}

/** The record `type` reads by id, selecting `field` (and `id`); null when there is none. */
async function readBack(type: string, id: string, parents: Record<string, unknown>, field = 'id'): Promise<Record<string, unknown> | null> {
  const args = { id, ...parents };
  const declared = Object.keys(args).map((a) => `$${a}: ID!`).join(', ');
  const passed = Object.keys(args).map((a) => `${a}: $${a}`).join(', ');
  const res = await stack.gql(`query(${declared}) { one: ${single(type)}(${passed}) { id ${field === 'id' ? '' : field} } }`, args);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.one as Record<string, unknown> | null;
}

/** Every id the type's listing (under the parents) holds, page by page. */
async function listed(type: string, parents: Record<string, unknown>): Promise<string[]> {
  const { plural } = naming(type);
  const declared = ['$after: String', ...Object.keys(parents).map((a) => `$${a}: ID!`)].join(', ');
  const passed = ['first: 100', 'after: $after', ...Object.keys(parents).map((a) => `${a}: $${a}`)].join(', ');
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res: { data?: Record<string, any> | null; errors?: unknown } = await stack.gql(
      `query(${declared}) { list: ${plural}(${passed}) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
      { ...parents, after },
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    ids.push(...(res.data!.list.nodes as { id: string }[]).map((n) => n.id));
    if (!res.data!.list.pageInfo.hasNextPage) return ids;
    after = res.data!.list.pageInfo.endCursor as string;
  }
  throw new Error(`${plural}: more than 50 pages`);
}

const storeIds = (type: string): string[] => stack.sim.store.list(type).map((r) => String(r.id));

describe.each(types)('%s', (type) => {
  const createPlan = planOf(type, 'create');
  const updatePlan = planOf(type, 'update');
  const deletePlan = planOf(type, 'delete');
  const listable = Boolean(spec(type).operations.list);

  /** A record of the type to update or delete: one the test creates, or the first the simulator holds when the type cannot be created. */
  async function own(): Promise<{ id: string; parents: Record<string, unknown> }> {
    if (createPlan) return create(type);
    const plan = (updatePlan ?? deletePlan)!;
    return { id: storeIds(type)[0]!, parents: parentArgs(plan) };
  }

  it.runIf(createPlan)(`create${type}: the record is stored, readable by id${listable ? ' and listed' : ''}`, async () => {
    const plan = createPlan!;
    const before = new Set(storeIds(type));
    const parents = parentArgs(plan);
    const payload = await send(plan, { ...parents, input: validInput(plan, stack.sim) }, `${single(type)} { id } userErrors { field message }`);
    expect(payload.userErrors).toEqual([]);
    const added = storeIds(type).filter((id) => !before.has(id));
    expect(added).toHaveLength(1);
    expect(payload[single(type)]).toEqual({ id: added[0] });
    expect(await readBack(type, added[0]!, parents)).toEqual({ id: added[0] });
    if (listable) expect(await listed(type, parents)).toContain(added[0]);
  });

  it.runIf(updatePlan && !NO_PROBE[type])(`update${type}: the changed field reads back as written`, async () => {
    const plan = updatePlan!;
    const { id, parents } = await own();
    const input = validInput(plan, stack.sim) as Record<string, unknown>;
    const probe = updateProbe(plan, schema, stack.sim);
    expect(probe, `a field of update${type} to change and read back (else list it in NO_PROBE with a reason)`).toBeDefined();
    const { field, selection } = probe!;
    const before = (await readBack(type, id, parents, selection))?.[field];
    const value = probe!.values.find((v) => JSON.stringify(v) !== JSON.stringify(before));
    const payload = await send(plan, { ...argsFor(plan, id), ...parents, input: { ...input, [field]: value } }, `${single(type)} { id ${selection} } userErrors { field message }`);
    expect(payload.userErrors).toEqual([]);
    expect(payload[single(type)]).toEqual({ id, [field]: value });
    expect(await readBack(type, id, parents, selection)).toEqual({ id, [field]: value });
  });

  it.runIf(deletePlan)(`delete${type}: the record reads as null${listable ? ' and is no longer listed' : ''}`, async () => {
    const plan = deletePlan!;
    const { id, parents } = await own();
    if (listable) expect(await listed(type, parents)).toContain(id);
    const payload = await send(plan, { ...argsFor(plan, id), ...parents }, 'deletedId userErrors { field message }');
    expect(payload).toEqual({ deletedId: id, userErrors: [] });
    expect(storeIds(type)).not.toContain(id);
    expect(await readBack(type, id, parents)).toBeNull();
    if (listable) expect(await listed(type, parents)).not.toContain(id);
  });

  for (const plan of [createPlan, updatePlan]) {
    if (!plan) continue;
    const kind = plan.kind;
    // What to break is chosen from the schemas alone (the test's name says it); ids come from the store.
    const how = invalidInput(plan, validInput(plan, undefined) as Record<string, unknown>)?.how ?? NO_REFUSAL[plan.field.name];
    it.skipIf(Boolean(NO_REFUSAL[plan.field.name]))(`${kind}${type}: an input the contract refuses (${how ?? 'none found'}) answers userErrors and changes nothing`, async () => {
      const refusal = invalidInput(plan, validInput(plan, stack.sim) as Record<string, unknown>);
      expect(refusal, `an input of ${plan.field.name} AMPECO refuses (else list it in NO_REFUSAL with a reason)`).toBeDefined();
      const { id, parents } = kind === 'update' ? await own() : { id: undefined, parents: parentArgs(plan) };
      const held = storeSnapshot(stack.sim);
      const payload = await send(plan, { ...argsFor(plan, id), ...parents, input: refusal!.input }, `${single(type)} { id } userErrors { field message code }`);
      expect(payload[single(type)]).toBeNull();
      expect(payload.userErrors.length).toBeGreaterThan(0);
      expect(payload.userErrors).toContainEqual({ field: refusal!.field, message: expect.any(String), code: 'INVALID' });
      expect(storeSnapshot(stack.sim)).toBe(held);
    });
  }
});
