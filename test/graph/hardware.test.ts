/**
 * The hardware catalogue (charge point models and vendors), added by definition alone: its
 * listings use AMPECO's page-numbered pagination, which the charging resources never do.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gets } from '../support/graph.js';
import { startStack, type GraphQLResponse, type Stack } from '../support/stack.js';

const MODELS = '/public-api/resources/charge-point-models/v1.0';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
beforeEach(() => stack.sim.clearLog());
afterAll(() => stack?.close());
const store = () => stack.sim.store;

describe('page-numbered listings behind a Relay connection', () => {
  it('pages through every model with first: 3, with totalCount from AMPECO', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: GraphQLResponse = await stack.gql(
        `query($after: String) { chargePointModels(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`,
        { after },
      );
      expect(res.errors).toBeUndefined();
      const page = res.data!.chargePointModels;
      expect(page.totalCount).toBe(store().count('ChargePointModel'));
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(store().list('ChargePointModel').map((m) => String(m.id)));
    expect(pages).toBe(Math.ceil(store().count('ChargePointModel') / 3));
    // Page numbers, never cursors, went upstream.
    expect(gets(stack.sim, MODELS).every((e) => /(^|&)page=\d+/.test(e.query) && !e.query.includes('cursor'))).toBe(true);
  });

  it('resumes from an edge cursor in the middle of a page', async () => {
    const first = await stack.gql(`{ chargePointModels(first: 4) { edges { cursor node { id } } } }`);
    const second = first.data!.chargePointModels.edges[1].cursor as string;
    const res = await stack.gql(`query($after: String) { chargePointModels(first: 5, after: $after) { nodes { id } } }`, { after: second });
    expect(res.data!.chargePointModels.nodes.map((n: { id: string }) => n.id)).toEqual(
      store().list('ChargePointModel').slice(2, 7).map((m) => String(m.id)),
    );
  });

  it('refuses a cursor of a cursor-paged listing', async () => {
    const cp = await stack.gql(`{ chargePoints(first: 1) { pageInfo { endCursor } } }`);
    const res = await stack.gql(`query($after: String) { chargePointModels(first: 2, after: $after) { nodes { id } } }`, {
      after: cp.data!.chargePoints.pageInfo.endCursor,
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('relations of the catalogue', () => {
  it('ChargePoint.model and ChargePointModel.vendor follow the ids, one scan for many charge points', async () => {
    const res = await stack.gql(`{ chargePoints(first: 20) { nodes { id modelId model { id name vendor { id name } } } } }`);
    expect(res.errors).toBeUndefined();
    for (const node of res.data!.chargePoints.nodes as { modelId: string | null; model: { id: string; name: string; vendor: { name: string } } | null }[]) {
      if (node.modelId === null) {
        expect(node.model).toBeNull();
        continue;
      }
      const model = store().get('ChargePointModel', Number(node.modelId))!;
      expect(node.model).toMatchObject({ id: node.modelId, name: model.name });
      expect(node.model!.vendor.name).toBe(store().get('ChargePointVendor', Number(model.vendorId))!.name);
    }
    // The models of 20 charge points: one page of the model listing, not one read each.
    expect(gets(stack.sim, MODELS)).toHaveLength(1);
  });

  it('ChargePointVendor.models lists the models filtered by vendor', async () => {
    const vendor = store().list('ChargePointVendor')[0]!;
    const res = await stack.gql(`{ chargePointVendor(id: "${vendor.id}") { name models { totalCount nodes { id } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.chargePointVendor.models.nodes.map((m: { id: string }) => m.id)).toEqual(
      store().list('ChargePointModel').filter((m) => m.vendorId === vendor.id).map((m) => String(m.id)),
    );
  });

  it('creates a vendor and a model of it', async () => {
    const vendor = await stack.gql(`mutation { createChargePointVendor(input: { name: "Acme Charging" }) { chargePointVendor { id name } userErrors { message } } }`);
    expect(vendor.data!.createChargePointVendor.userErrors).toEqual([]);
    const vendorId = vendor.data!.createChargePointVendor.chargePointVendor.id as string;
    const model = await stack.gql(
      `mutation($vendorId: ID!) { createChargePointModel(input: { name: "Acme 22", vendorId: $vendorId }) { chargePointModel { id name vendor { name } } userErrors { message } } }`,
      { vendorId },
    );
    expect(model.data!.createChargePointModel).toMatchObject({ chargePointModel: { name: 'Acme 22', vendor: { name: 'Acme Charging' } }, userErrors: [] });
    expect(store().get('ChargePointModel', Number(model.data!.createChargePointModel.chargePointModel.id))?.name).toBe('Acme 22');
  });
});
