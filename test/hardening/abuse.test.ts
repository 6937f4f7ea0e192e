/**
 * The abuse suite: requests an attacker sends to make the facade spend the operator's AMPECO budget
 * or its own memory. Each is refused as a client error naming what was wrong, before a single
 * upstream call (the simulator's request log stays empty). The limits' boundaries are tested in
 * test/limits.test.ts; this file is the attacker's view, one row per kind of abuse.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, TOKEN, type Stack } from '../support/stack.js';
import { postRaw, responseProblems } from '../support/hardening.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
beforeEach(() => stack.sim.clearLog());
afterAll(() => stack?.close());

/** `chargePoints(first:100){nodes{location{chargePoints(first:100){...}}}}`, `levels` times. */
function deep(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `chargePoints(first: 100) { nodes { id location { ${inner} } } }`;
  return `{ ${inner} }`;
}

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: chargePoint(id: "${i + 1}") { id }`).join(' ')} }`;

const cases: { name: string; body: unknown; status: number; code: string; message: RegExp }[] = [
  { name: 'deep: connections nested five times', body: { query: deep(5) }, status: 400, code: 'QUERY_LIMIT_EXCEEDED', message: /FACADE_MAX_DEPTH/ },
  {
    name: 'wide: 100 × 100 × 100 records',
    body: { query: '{ locations(first: 100) { nodes { chargePoints(first: 100) { nodes { sessions(first: 100) { nodes { id } } } } } } }' },
    status: 400,
    code: 'QUERY_LIMIT_EXCEEDED',
    message: /FACADE_MAX_COST/,
  },
  { name: 'aliased: 100 reads of one field', body: { query: aliases(100) }, status: 400, code: 'QUERY_LIMIT_EXCEEDED', message: /FACADE_MAX_ALIASES/ },
  { name: 'oversized: a 300 KB body', body: { query: aliases(8_000) }, status: 413, code: 'BAD_REQUEST', message: /FACADE_MAX_BODY_BYTES/ },
  {
    name: 'federation flood: 1,000 representations',
    body: { query: `{ _entities(representations: [${Array.from({ length: 1_000 }, (_, i) => `{__typename: "ChargePoint", id: "${i + 1}"}`).join(',')}]) { __typename } }` },
    status: 400,
    code: 'QUERY_LIMIT_EXCEEDED',
    message: /FACADE_MAX_(ENTITIES|TOKENS)/,
  },
  {
    name: 'forged cursor',
    body: { query: 'query($a: String) { sessions(first: 2, after: $a) { nodes { id } } }', variables: { a: 'eyJjIjpudWxsLCJzIjoxMDAwMDAwfQ.AAAAAAAAAAAAAAAAAAAAAA' } },
    status: 200,
    code: 'BAD_USER_INPUT',
    message: /cursor/,
  },
  {
    name: 'bad variable: a string where an Int is declared',
    body: { query: 'query($n: Int) { chargePoints(first: $n) { nodes { id } } }', variables: { n: 'all of them' } },
    status: 400,
    code: 'BAD_USER_INPUT',
    message: /\$n/,
  },
  {
    name: 'bad variable: a required one missing',
    body: { query: 'query($id: ID!) { chargePoint(id: $id) { id } }', variables: {} },
    status: 400,
    code: 'BAD_USER_INPUT',
    message: /\$id/,
  },
  {
    name: 'bad variable: first beyond AMPECO page size',
    body: { query: 'query($n: Int) { chargePoints(first: $n) { nodes { id } } }', variables: { n: 1_000_000 } },
    status: 200,
    code: 'BAD_USER_INPUT',
    message: /first/,
  },
  { name: 'path walk in an id', body: { query: '{ user(id: "../../users/v1.0") { id } }' }, status: 200, code: 'BAD_USER_INPUT', message: /`id`/ },
];

describe('abuse is refused before any upstream call', () => {
  it.each(cases)('$name', async ({ body, status, code, message }) => {
    const res = await postRaw(stack.server.graphqlUrl, body, { token: TOKEN });
    const context = `${JSON.stringify(body).slice(0, 200)} -> HTTP ${res.status} ${res.text.slice(0, 300)}`;
    expect(res.status, context).toBe(status);
    expect(responseProblems(res, [TOKEN]), context).toEqual([]);
    const error = res.body?.errors?.find((e) => e.extensions?.code === code);
    expect(error, context).toBeDefined();
    expect(error!.message, context).toMatch(message);
    expect(stack.sim.log, context).toHaveLength(0);
  });
});
