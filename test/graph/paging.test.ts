/**
 * Relay paging over AMPECO's listings: whole listings page by page, resuming from any edge,
 * argument checks, and cursors that reveal nothing of the upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorWithCode, idsOf, pageThrough, type Connection } from '../support/graph.js';
import { startStack, TOKEN, type Stack } from '../support/stack.js';

/**
 * A credential of its own for the test whose calls depend on what the facade learnt about collection
 * sizes (kept per credential across requests), so that no other test's requests change its path.
 */
const RELATION_TOKEN = 'paging-relation-token';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ simulator: { tokens: [TOKEN, RELATION_TOKEN] } });
});
afterAll(() => stack?.close());

const store = () => stack.sim.store;
const PAGE = 7;
const connection = 'edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount';

function expectExactly(got: string[], expected: string[]): void {
  expect(new Set(got).size, 'no duplicates').toBe(got.length);
  expect(got).toEqual(expected);
}

function expectPageShapes(pages: Connection[], total: number): void {
  expect(pages).toHaveLength(Math.ceil(total / PAGE));
  pages.forEach((p, i) => {
    const last = i === pages.length - 1;
    expect(p.edges).toHaveLength(last ? total - PAGE * (pages.length - 1) : PAGE);
    expect(p.pageInfo.hasNextPage).toBe(!last);
    expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
  });
}

const cursorsOf = (pages: Connection[]): string[] => pages.flatMap((p) => [...p.edges.map((e) => e.cursor), p.pageInfo.endCursor ?? '']).filter(Boolean);

const listingQuery = (field: string) => `query($after: String) { ${field}(first: ${PAGE}, after: $after) { ${connection} } }`;

describe('whole listings, page by page', () => {
  it('chargePoints (cursor listing): the union of pages is every charge point, once, in order', async () => {
    const { ids, pages } = await pageThrough(stack, listingQuery('chargePoints'), (d) => d.chargePoints);
    expectExactly(ids, idsOf(store().list('ChargePoint')));
    expectPageShapes(pages, store().count('ChargePoint'));
    for (const p of pages) expect(p.totalCount).toBeNull();
  });

  it('sessions (cursor and page listing): every session once, newest first', async () => {
    const { ids, pages } = await pageThrough(stack, listingQuery('sessions'), (d) => d.sessions);
    expectExactly(ids, idsOf(store().list('Session')));
    expectPageShapes(pages, store().count('Session'));
  });

  it('users (cursor and page listing): every user once', async () => {
    const { ids, pages } = await pageThrough(stack, listingQuery('users'), (d) => d.users);
    expectExactly(ids, idsOf(store().list('User')));
    expectPageShapes(pages, store().count('User'));
  });

  it('a filtered listing pages through exactly its matches', async () => {
    const status = 'finished';
    const { ids } = await pageThrough(
      stack,
      `query($after: String) { sessions(first: 50, after: $after, filter: { status: FINISHED }) { ${connection} } }`,
      (d) => d.sessions,
    );
    expectExactly(ids, idsOf(store().list('Session').filter((s) => s.status === status)));
  });

  it('a relation connection pages through the parent\'s children', async () => {
    const cp = store().list('ChargePoint').find((c) => store().list('Session').filter((s) => s.chargePointId === c.id).length > 2 * 3)!;
    const { ids, pages } = await pageThrough(
      stack,
      `query($after: String, $id: ID!) { chargePoint(id: $id) { sessions(first: 3, after: $after) { ${connection} } } }`,
      (d) => d.chargePoint.sessions,
      { id: String(cp.id) },
    );
    expectExactly(ids, idsOf(store().list('Session').filter((s) => s.chargePointId === cp.id)));
    expect(pages).toHaveLength(Math.ceil(ids.length / 3));
  });

  it('chargingZones(locationId:) (a sub-resource listing) one zone per page', async () => {
    const loc = store().list('Location').find((l) => store().children('ChargingZone', { location: l.id }).length >= 3)!;
    const { ids, pages } = await pageThrough(
      stack,
      `query($after: String, $l: ID!) { chargingZones(locationId: $l, first: 1, after: $after) { ${connection} } }`,
      (d) => d.chargingZones,
      { l: String(loc.id) },
    );
    expectExactly(ids, idsOf(store().children('ChargingZone', { location: loc.id })));
    expect(pages).toHaveLength(ids.length);
  });

  it('cursors are opaque: they name no upstream URL, path, host or page number', async () => {
    const cursors: string[] = [];
    for (const field of ['chargePoints', 'sessions', 'users']) cursors.push(...cursorsOf((await pageThrough(stack, listingQuery(field), (d) => d[field])).pages));
    // An edge cursor per record and an end cursor per page, of a cursor listing and two cursor-and-page ones.
    const records = store().count('ChargePoint') + store().count('Session') + store().count('User');
    const pages = [store().count('ChargePoint'), store().count('Session'), store().count('User')].reduce((n, count) => n + Math.ceil(count / PAGE), 0);
    expect(cursors).toHaveLength(records + pages);
    const host = new URL(stack.sim.url).host;
    for (const cursor of cursors) {
      for (const text of [cursor, Buffer.from(cursor, 'base64').toString('utf8'), Buffer.from(cursor, 'base64url').toString('utf8')]) {
        expect(text).not.toMatch(/https?:/i);
        expect(text).not.toContain(host);
        expect(text).not.toContain('/public-api');
        expect(text).not.toMatch(/page=|per_page/);
      }
    }
  });
});

describe('resuming from an edge cursor', () => {
  it('in the middle of the first page', async () => {
    const expected = idsOf(store().list('ChargePoint'));
    const first = await stack.gql(`{ chargePoints(first: ${PAGE}) { edges { cursor node { id } } } }`);
    const edge = first.data!.chargePoints.edges[2];
    expect(edge.node.id).toBe(expected[2]);
    const next = await stack.gql(`query($a: String) { chargePoints(first: ${PAGE}, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }`, { a: edge.cursor });
    expect(next.errors).toBeUndefined();
    expect(next.data!.chargePoints.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expected.slice(3, 3 + PAGE));
    expect(next.data!.chargePoints.pageInfo.hasNextPage).toBe(expected.length > 3 + PAGE);
  });

  it('in the middle of a later page, for a cursor and for a cursor-and-page listing', async () => {
    for (const [field, type] of [['chargePoints', 'ChargePoint'], ['sessions', 'Session']] as const) {
      const expected = idsOf(store().list(type));
      const p1 = await stack.gql(`{ ${field}(first: ${PAGE}) { pageInfo { endCursor } } }`);
      const p2 = await stack.gql(`query($a: String) { ${field}(first: ${PAGE}, after: $a) { edges { cursor node { id } } } }`, { a: p1.data![field].pageInfo.endCursor });
      const edge = p2.data![field].edges[4];
      expect(edge.node.id, field).toBe(expected[PAGE + 4]);
      // A larger page from there crosses AMPECO's page boundaries.
      const rest = await stack.gql(`query($a: String) { ${field}(first: 20, after: $a) { edges { node { id } } } }`, { a: edge.cursor });
      expect(rest.errors).toBeUndefined();
      expect(rest.data![field].edges.map((e: { node: { id: string } }) => e.node.id), field).toEqual(expected.slice(PAGE + 5, PAGE + 5 + 20));
    }
  });

  it('cursors of relation pages served to many parents at once resume each parent\'s listing', async () => {
    const users = store().list('User').filter((u) => store().list('Session').filter((s) => String(s.userId) === u.id).length > 3).slice(0, 8);
    expect(users).toHaveLength(8);
    const query = `{ ${users.map((u, i) => `u${i}: user(id: "${u.id}") { sessions(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } }`).join(' ')} }`;
    // Twice: the second request may serve the relation from one scan of the listing (the first
    // learns the collection's size, for this test's own credential only).
    for (let round = 0; round < 2; round++) {
      const res = await stack.gql(query, undefined, { token: RELATION_TOKEN });
      expect(res.errors).toBeUndefined();
      for (const [i, u] of users.entries()) {
        const expected = idsOf(store().list('Session').filter((s) => String(s.userId) === u.id));
        const page = res.data![`u${i}`].sessions;
        expect(page.nodes.map((n: { id: string }) => n.id)).toEqual(expected.slice(0, 2));
        expect(page.pageInfo.hasNextPage).toBe(true);
        const next = await stack.gql(`query($a: String) { user(id: "${u.id}") { sessions(first: 100, after: $a) { nodes { id } } } }`, { a: page.pageInfo.endCursor }, { token: RELATION_TOKEN });
        expect(next.errors).toBeUndefined();
        expect(next.data!.user.sessions.nodes.map((n: { id: string }) => n.id), `user ${u.id}`).toEqual(expected.slice(2));
      }
    }
  });
});

describe('argument checks', () => {
  it('first: 101 is refused with BAD_USER_INPUT naming the limit, on the field', async () => {
    stack.sim.clearLog();
    const res = await stack.gql(`{ chargePoints(first: 101) { nodes { id } } }`);
    const error = errorWithCode(res, 'BAD_USER_INPUT');
    expect(error.path).toEqual(['chargePoints']);
    expect(error.message).toMatch(/first/);
    expect(error.message).toMatch(/100/);
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('first: 0 and a negative first are refused', async () => {
    for (const first of [0, -3]) {
      const res = await stack.gql(`{ sessions(first: ${first}) { nodes { id } } }`);
      const error = errorWithCode(res, 'BAD_USER_INPUT');
      expect(error.path).toEqual(['sessions']);
      expect(error.message).toMatch(/first/);
    }
  });

  it('first out of range on a relation connection errors on that field only', async () => {
    const cp = store().list('ChargePoint')[0]!;
    const res = await stack.gql(`{ chargePoint(id: "${cp.id}") { name sessions(first: 101) { nodes { id } } } }`);
    const error = errorWithCode(res, 'BAD_USER_INPUT');
    expect(error.path).toEqual(['chargePoint', 'sessions']);
    // Relation connections are nullable: the error nulls the sessions alone, the charge point stays.
    expect(res.data).toEqual({ chargePoint: { name: cp.name, sessions: null } });
  });

  it('a garbage `after` is refused with BAD_USER_INPUT', async () => {
    for (const after of ['garbage!!', 'eyJmb28iOjF9', '']) {
      const res = await stack.gql(`query($a: String) { users(first: 3, after: $a) { nodes { id } } }`, { a: after });
      if (after === '') {
        // An empty cursor is no cursor: the first page.
        expect(res.errors).toBeUndefined();
        expect(res.data!.users.nodes.map((n: { id: string }) => n.id)).toEqual(idsOf(store().list('User')).slice(0, 3));
        continue;
      }
      const error = errorWithCode(res, 'BAD_USER_INPUT');
      expect(error.path).toEqual(['users']);
      expect(error.message).toMatch(/after|cursor/i);
    }
  });
});
