/**
 * The hardware catalogue (charge point models and vendors), added by definition alone: its
 * listings use AMPECO's page-numbered pagination, which the charging resources never do.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorWithCode, gets } from '../support/graph.js';
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
    stack.sim.clearLog();
    const res = await stack.gql(`query($after: String) { chargePointModels(first: 2, after: $after) { nodes { id } } }`, {
      after: cp.data!.chargePoints.pageInfo.endCursor,
    });
    expect(res.errors).toHaveLength(1);
    const error = errorWithCode(res, 'BAD_USER_INPUT');
    expect(error.path).toEqual(['chargePointModels']);
    expect(error.extensions!.argumentName).toBe('after');
    expect(res.data).toEqual({ chargePointModels: null });
    expect(stack.sim.log).toHaveLength(0);
  });
});

describe('relations of the catalogue', () => {
  it('ChargePoint.model and ChargePointModel.vendor follow the ids, one scan for many charge points', async () => {
    const res = await stack.gql(`{ chargePoints(first: 20) { nodes { id modelId model { id name vendor { id name } } } } }`);
    expect(res.errors).toBeUndefined();
    const withModel = store().list('ChargePoint').slice(0, 20).filter((cp) => cp.modelId != null).length;
    expect(withModel).toBeGreaterThanOrEqual(4);
    expect(res.data!.chargePoints.nodes.filter((n: { model: unknown }) => n.model !== null)).toHaveLength(withModel);
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
    const res = await stack.gql(`{ chargePointVendor(id: "${vendor.id as number}") { name models { totalCount nodes { id } } } }`);
    expect(res.errors).toBeUndefined();
    const expected = store().list('ChargePointModel').filter((m) => m.vendorId === vendor.id).map((m) => String(m.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(store().count('ChargePointModel'));
    expect(res.data!.chargePointVendor).toEqual({ name: vendor.name, models: { totalCount: expected.length, nodes: expected.map((id) => ({ id })) } });
  });

  it('creates a vendor and a model of it', async () => {
    /** The one record of `type` the store holds now and did not before. */
    const created = (type: string, before: Set<unknown>) => {
      const fresh = store().list(type).filter((r) => !before.has(r.id));
      expect(fresh, `${type} records created`).toHaveLength(1);
      return fresh[0]!;
    };
    const vendorsBefore = new Set(store().list('ChargePointVendor').map((v) => v.id));
    const vendor = await stack.gql(`mutation { createChargePointVendor(input: { name: "Acme Charging" }) { chargePointVendor { id name } userErrors { message } } }`);
    const storedVendor = created('ChargePointVendor', vendorsBefore);
    expect(storedVendor.name).toBe('Acme Charging');
    expect(vendor.data!.createChargePointVendor).toEqual({ chargePointVendor: { id: String(storedVendor.id), name: 'Acme Charging' }, userErrors: [] });
    const modelsBefore = new Set(store().list('ChargePointModel').map((m) => m.id));
    const model = await stack.gql(
      `mutation($vendorId: ID!) { createChargePointModel(input: { name: "Acme 22", vendorId: $vendorId }) { chargePointModel { id name vendor { name } } userErrors { message } } }`,
      { vendorId: String(storedVendor.id) },
    );
    const storedModel = created('ChargePointModel', modelsBefore);
    expect(storedModel).toMatchObject({ name: 'Acme 22', vendorId: storedVendor.id });
    expect(model.data!.createChargePointModel).toEqual({ chargePointModel: { id: String(storedModel.id), name: 'Acme 22', vendor: { name: 'Acme Charging' } }, userErrors: [] });
  });
});
