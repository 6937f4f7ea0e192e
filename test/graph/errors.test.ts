/**
 * Failures, upstream and our own: each becomes a GraphQL error with a stable code on the field that
 * needed the call, the rest of the response survives, GETs are retried and writes never are, and no
 * error carries a stack trace or a credential.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { loadConfig } from '../../src/config.js';
import { errorWithCode, expectCleanErrors, gets, P, upstream } from '../support/graph.js';
import { startStack, TOKEN, type GraphQLResponse, type Stack } from '../support/stack.js';

const WRONG_TOKEN = 'wrong-token-5f1e9a';
/** The rate-limit test spends this credential: the facade then pauses it, and only it, until AMPECO's reset. */
const THROTTLED_TOKEN = 'throttled-token-7c2d';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ simulator: { tokens: [TOKEN, THROTTLED_TOKEN] } });
});
afterEach(() => {
  stack.sim.setKnobs({ latencyMs: 0, rateLimit: null, faults: [] });
  stack.sim.clearLog();
});
afterAll(() => stack?.close());

const store = () => stack.sim.store;
/** Every error response of this file, checked for leaks at the end. */
const seen: GraphQLResponse[] = [];
async function gql(query: string, variables?: Record<string, unknown>, options?: Parameters<Stack['gql']>[2]): Promise<GraphQLResponse> {
  const res = await stack.gql(query, variables, options);
  seen.push(res);
  expectCleanErrors(res, [TOKEN, WRONG_TOKEN, THROTTLED_TOKEN], stack.sim);
  return res;
}

describe('credentials', () => {
  it('no token: UNAUTHENTICATED on every field and not a single upstream call', async () => {
    stack.sim.clearLog();
    const res = await gql(`{ chargePoint(id: "1") { id } session(id: "1") { id } user(id: "1") { email } contractVersion }`, undefined, { token: null });
    expect(res.status).toBe(200);
    expect(res.errors).toHaveLength(3);
    for (const e of res.errors!) expect(e.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors!.map((e) => e.path![0]).sort()).toEqual(['chargePoint', 'session', 'user']);
    expect(res.data).toMatchObject({ chargePoint: null, session: null, user: null });
    expect(res.data!.contractVersion).toBeTruthy();
    // A listing (non-null connection) too, and a mutation.
    const listing = await gql(`{ sessions(first: 3) { nodes { id } } }`, undefined, { token: null });
    expect(errorWithCode(listing, 'UNAUTHENTICATED').path).toEqual(['sessions']);
    const mutation = await gql(`mutation { resetChargePoint(chargePointId: "1", type: SOFT) { accepted } }`, undefined, { token: null });
    expect(errorWithCode(mutation, 'UNAUTHENTICATED').path).toEqual(['resetChargePoint']);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('a malformed Authorization header counts as no token', async () => {
    stack.sim.clearLog();
    const res = await gql(`{ chargePoint(id: "1") { id } }`, undefined, { token: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(errorWithCode(res, 'UNAUTHENTICATED').path).toEqual(['chargePoint']);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('a wrong token: AMPECO\'s 401 becomes UNAUTHENTICATED, the token is not echoed', async () => {
    const res = await gql(`{ chargePoint(id: "1") { id } }`, undefined, { token: WRONG_TOKEN });
    const error = errorWithCode(res, 'UNAUTHENTICATED');
    expect(error.path).toEqual(['chargePoint']);
    expect(error.extensions!.upstream).toMatchObject({ status: 401, method: 'GET' });
    expect(res.data).toEqual({ chargePoint: null });
    // A 401 is not worth retrying.
    expect(upstream(stack.sim)).toHaveLength(1);
  });
});

describe('a server-held token (AMPECO_API_TOKEN)', () => {
  const API_KEY = 'errors-test-key-6b0f3c9e2d8a41f7a5c3e1b9d7f5a3c1';
  let held: Stack;
  beforeAll(async () => {
    // A held token needs client authentication: an API key here.
    const { auth } = loadConfig({ FACADE_API_KEYS: `errors-test:read:${hashApiKey(API_KEY)}` });
    held = await startStack({ config: { apiToken: TOKEN, auth } });
  });
  afterEach(() => held.sim.clearLog());
  afterAll(() => held?.close());

  it('is used for every upstream call; clients need no AMPECO token and the one they send is not forwarded', async () => {
    const cp = held.sim.store.list('ChargePoint')[0]!;
    const query = `{ chargePoint(id: "${cp.id}") { id name } }`;
    for (const options of [{ token: null }, { token: WRONG_TOKEN }]) {
      const res = await held.gql(query, undefined, { ...options, headers: { 'x-api-key': API_KEY } });
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.data).toEqual({ chargePoint: { id: String(cp.id), name: cp.name } });
    }
    expect(held.sim.log.length).toBeGreaterThanOrEqual(2);
    expect(held.sim.log.every((e) => e.status === 200 && e.authPresent)).toBe(true);
  });

  it('refuses a client without its API key: 401 UNAUTHENTICATED, no upstream call', async () => {
    const res = await held.gql('{ chargePoints(first: 1) { nodes { id } } }', undefined, { token: WRONG_TOKEN });
    expect(res.status).toBe(401);
    expect(res.errors!.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(res)).not.toContain(WRONG_TOKEN);
    expect(held.sim.log).toHaveLength(0);
  });
});

describe('upstream answers', () => {
  it('404 on a read: null, no error', async () => {
    const res = await gql(`{ chargePoint(id: "424242") { id } session(id: "424242") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ chargePoint: null, session: null });
    expect(upstream(stack.sim, (e) => e.status === 404).length).toBeGreaterThanOrEqual(2);
  });

  it('403: FORBIDDEN on the field, not retried', async () => {
    const user = store().list('User')[0]!;
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 403, match: { pathIncludes: '/users/' } }] });
    const res = await gql(`{ user(id: "${user.id}") { id } contractVersion }`);
    const error = errorWithCode(res, 'FORBIDDEN');
    expect(error.path).toEqual(['user']);
    expect(error.extensions!.upstream).toMatchObject({ status: 403, method: 'GET' });
    expect(gets(stack.sim, P.users)).toHaveLength(1);
  });

  it('422 on a read (a filter value AMPECO refuses): BAD_USER_INPUT with AMPECO\'s field errors', async () => {
    const res = await gql(`{ sessions(first: 3, filter: { userId: "not-a-number" }) { nodes { id } } }`);
    const error = errorWithCode(res, 'BAD_USER_INPUT');
    expect(error.path).toEqual(['sessions']);
    expect(error.extensions!.upstream).toMatchObject({ status: 422, method: 'GET', path: P.sessions });
    expect(Object.keys(error.extensions!.fieldErrors)).toEqual(['filter.userId']);
    // The upstream path never carries the query string (filters may hold personal data).
    expect(JSON.stringify(error)).not.toContain('not-a-number');
  });

  it('422 on a mutation: userErrors with field paths and code INVALID, no top-level error', async () => {
    const res = await gql(
      `mutation { createUser(input: { email: "not-an-email", password: "x" }) { user { id } userErrors { field message code } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(upstream(stack.sim, (e) => e.method === 'POST' && e.status === 422)).toHaveLength(1);
    const payload = res.data!.createUser;
    expect(payload.user).toBeNull();
    expect(payload.userErrors.length).toBeGreaterThanOrEqual(2);
    for (const e of payload.userErrors) {
      expect(e.code).toBe('INVALID');
      expect(e.message.length).toBeGreaterThan(0);
      expect(e.field[0]).toBe('input');
    }
    expect(payload.userErrors.map((e: { field: string[] }) => e.field.join('.')).sort()).toEqual(['input.email', 'input.password']);
  });

  it('422 on a nested input field: the path goes down to it', async () => {
    const res = await gql(
      `mutation { createLocation(input: { name: [{ locale: "en", translation: "X" }], address: [{ locale: "en", translation: "Y" }], geoposition: { latitude: 123.4, longitude: 2 }, country: BG }) { location { id } userErrors { field code } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createLocation).toEqual({ location: null, userErrors: [{ field: ['input', 'geoposition', 'latitude'], code: 'INVALID' }] });
    expect(store().list('Location').some((l) => (l.geoposition as { latitude: number }).latitude === 123.4)).toBe(false);
  });

  it('429 (AMPECO\'s rate limit, no pacing here): UPSTREAM_RATE_LIMITED on the field that hit it, the others answered', async () => {
    const cp = store().list('ChargePoint')[0]!;
    const user = store().list('User')[0]!;
    const loc = store().list('Location')[0]!;
    const expected: Record<string, unknown> = { a: { id: String(cp.id), name: cp.name }, b: { id: user.id, email: user.email }, c: { id: String(loc.id), city: loc.city } };
    stack.sim.setKnobs({ rateLimit: { limit: 2, windowMs: 60_000 } });
    // Three reads of three types: three calls whatever the batching, one too many.
    const res = await gql(`{ a: chargePoint(id: "${cp.id}") { id name } b: user(id: "${user.id}") { id email } c: location(id: "${loc.id}") { id city } }`, undefined, {
      token: THROTTLED_TOKEN,
    });
    const error = errorWithCode(res, 'UPSTREAM_RATE_LIMITED');
    expect(res.errors).toHaveLength(1);
    const failed = error.path![0] as string;
    expect(['a', 'b', 'c']).toContain(failed);
    expect(error.extensions!.upstream).toMatchObject({ status: 429, method: 'GET' });
    expect(error.message).toMatch(/rate limit/i);
    for (const alias of ['a', 'b', 'c']) expect(res.data![alias], alias).toEqual(alias === failed ? null : expected[alias]);
    // The window's reset is a minute away: reported at once rather than waited out.
    expect(upstream(stack.sim, (e) => e.status === 429)).toHaveLength(1);
  });

  it('a credential AMPECO paused is not sent again before the reset: UPSTREAM_RATE_LIMITED, no upstream call', async () => {
    // Runs after the 429 test, which left THROTTLED_TOKEN's window spent for a minute.
    const cp = store().list('ChargePoint')[0]!;
    const res = await gql(`{ chargePoint(id: "${cp.id}") { id } }`, undefined, { token: THROTTLED_TOKEN });
    expect(errorWithCode(res, 'UPSTREAM_RATE_LIMITED').path).toEqual(['chargePoint']);
    expect(stack.upstreamCalls()).toBe(0);
    // Other credentials are not held back.
    expect((await gql(`{ chargePoint(id: "${cp.id}") { id } }`)).data).toEqual({ chargePoint: { id: String(cp.id) } });
  });

  it('persistent 5xx on one path: UPSTREAM_SERVER_ERROR with path and upstream status, the rest intact', async () => {
    const user = store().list('User')[0]!;
    const cp = store().list('ChargePoint')[0]!;
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 500, match: { pathIncludes: '/users/' } }] });
    const res = await gql(`{ chargePoint(id: "${cp.id}") { id name } user(id: "${user.id}") { id email } }`);
    const error = errorWithCode(res, 'UPSTREAM_SERVER_ERROR');
    expect(res.errors).toHaveLength(1);
    expect(error.path).toEqual(['user']);
    expect(error.extensions!.upstream).toEqual({ status: 500, method: 'GET', path: `${P.users}/${user.id}` });
    expect(res.data).toEqual({ chargePoint: { id: String(cp.id), name: cp.name }, user: null });
    // Retried, but boundedly.
    const userCalls = gets(stack.sim, P.users).length;
    expect(userCalls).toBeGreaterThan(1);
    expect(userCalls).toBeLessThanOrEqual(5);
  });

  it('a failing relation errors at its own path inside the parent', async () => {
    const cp = store().list('ChargePoint').find((c) => c.locationId != null)!;
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 502, match: { pathIncludes: '/locations/' } }] });
    const res = await gql(`{ chargePoint(id: "${cp.id}") { id name location { id city } } }`);
    expect(res.data!.chargePoint).toEqual({ id: String(cp.id), name: cp.name, location: null });
    expect(errorWithCode(res, 'UPSTREAM_SERVER_ERROR').path).toEqual(['chargePoint', 'location']);
  });

  it('a transient 503 on a GET is retried: data returned, two calls', async () => {
    const cp = store().list('ChargePoint')[1]!;
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 503, times: 1, match: { method: 'GET', pathIncludes: '/charge-points/' } }] });
    const res = await gql(`{ chargePoint(id: "${cp.id}") { id name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ chargePoint: { id: String(cp.id), name: cp.name } });
    const calls = gets(stack.sim, `${P.chargePoints}/${cp.id}`);
    expect(calls.map((c) => c.status)).toEqual([503, 200]);
  });

  it('a 503 on a POST is not retried: one POST, an error, and the command not run', async () => {
    const cp = store().list('ChargePoint').find((c) => c.status === 'enabled')!;
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 503, times: 1, match: { method: 'POST' } }] });
    const res = await gql(`mutation { resetChargePoint(chargePointId: "${cp.id}", type: SOFT) { accepted userErrors { message } } }`);
    const error = errorWithCode(res, 'UPSTREAM_SERVER_ERROR');
    expect(error.path).toEqual(['resetChargePoint']);
    expect(error.extensions!.upstream).toMatchObject({ status: 503, method: 'POST' });
    expect(upstream(stack.sim, (e) => e.method === 'POST')).toHaveLength(1);
  });

  it('a 503 on a create is not retried and creates nothing', async () => {
    const before = store().count('User');
    stack.sim.setKnobs({ faults: [{ kind: 'status', status: 503, match: { method: 'POST', pathIncludes: '/users/' } }] });
    const res = await gql(`mutation { createUser(input: { email: "retry.me@example.com", password: "Secret123!" }) { user { id } userErrors { message } } }`);
    expect(errorWithCode(res, 'UPSTREAM_SERVER_ERROR').path).toEqual(['createUser']);
    expect(upstream(stack.sim, (e) => e.method === 'POST')).toHaveLength(1);
    expect(store().count('User')).toBe(before);
  });

  it('a dropped connection on a GET is retried', async () => {
    const cp = store().list('ChargePoint')[2]!;
    stack.sim.setKnobs({ faults: [{ kind: 'drop', times: 1, match: { method: 'GET', pathIncludes: '/charge-points/' } }] });
    const res = await gql(`{ chargePoint(id: "${cp.id}") { id name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ chargePoint: { id: String(cp.id), name: cp.name } });
    expect(gets(stack.sim, `${P.chargePoints}/${cp.id}`).map((c) => c.status)).toEqual([0, 200]);
  });

  it('a connection dropped on every try: UPSTREAM_UNAVAILABLE', async () => {
    stack.sim.setKnobs({ faults: [{ kind: 'drop', match: { pathIncludes: '/sessions/' } }] });
    const res = await gql(`{ session(id: "1") { id } contractVersion }`);
    const error = errorWithCode(res, 'UPSTREAM_UNAVAILABLE');
    expect(error.path).toEqual(['session']);
    expect(error.extensions!.upstream).toMatchObject({ status: null, method: 'GET' });
    expect(res.data!.contractVersion).toBeTruthy();
  });
});

describe('a slow upstream', () => {
  let slow: Stack;
  beforeAll(async () => {
    slow = await startStack({ config: { timeoutMs: 300 } });
  });
  afterAll(() => slow?.close());

  it('beyond the facade\'s timeout: UPSTREAM_TIMEOUT, other fields answered', async () => {
    const cp = slow.sim.store.list('ChargePoint')[0]!;
    slow.sim.setKnobs({ faults: [{ kind: 'slow', delayMs: 1_500, match: { pathIncludes: '/sessions/' } }] });
    const started = Date.now();
    const res = await slow.gql(`{ session(id: "1") { id } chargePoint(id: "${cp.id}") { id } }`);
    const elapsed = Date.now() - started;
    expectCleanErrors(res, [TOKEN], slow.sim);
    const error = errorWithCode(res, 'UPSTREAM_TIMEOUT');
    expect(error.path).toEqual(['session']);
    expect(error.message).toMatch(/300 ms/);
    expect(res.data).toEqual({ session: null, chargePoint: { id: String(cp.id) } });
    // Bounded: a few tries of 300 ms with backoff, not the 1.5 s the upstream takes per try (nor forever).
    expect(elapsed).toBeLessThan(4_000);
  });

  it('a single slow answer is retried and the data returned', async () => {
    const cp = slow.sim.store.list('ChargePoint')[1]!;
    slow.sim.clearLog();
    slow.sim.setKnobs({ faults: [{ kind: 'slow', delayMs: 1_000, times: 1, match: { pathIncludes: '/charge-points/' } }] });
    const res = await slow.gql(`{ chargePoint(id: "${cp.id}") { id name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ chargePoint: { id: String(cp.id), name: cp.name } });
    expect(gets(slow.sim, `${P.chargePoints}/${cp.id}`).length).toBe(2);
  });
});

describe('requests the graph refuses itself', () => {
  it('a malformed query: GRAPHQL_PARSE_FAILED, HTTP 400, no upstream call', async () => {
    const res = await gql(`{ chargePoint(id: "1") { id `);
    expect(res.status).toBe(400);
    expect(errorWithCode(res, 'GRAPHQL_PARSE_FAILED').message).toMatch(/Syntax Error/);
    expect(res.data).toBeUndefined();
    expect(stack.sim.log).toHaveLength(0);
  });

  it('an unknown field: GRAPHQL_VALIDATION_FAILED, HTTP 400', async () => {
    const res = await gql(`{ chargePoint(id: "1") { id colour } }`);
    expect(res.status).toBe(400);
    expect(errorWithCode(res, 'GRAPHQL_VALIDATION_FAILED').message).toMatch(/colour/);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('a variable of the wrong type: BAD_USER_INPUT, HTTP 400', async () => {
    const res = await gql(`query($id: ID!) { chargePoint(id: $id) { id } }`, { id: { not: 'an id' } });
    expect(res.status).toBe(400);
    expect(errorWithCode(res, 'BAD_USER_INPUT').message).toMatch(/\$id/);
    const missing = await gql(`query($id: ID!) { chargePoint(id: $id) { id } }`, {});
    expect(missing.status).toBe(400);
    errorWithCode(missing, 'BAD_USER_INPUT');
    expect(stack.sim.log).toHaveLength(0);
  });
});

describe('hygiene', () => {
  it('no error of this file carried a stack trace, a token or the upstream origin', () => {
    const errors = seen.flatMap((r) => r.errors ?? []);
    expect(errors.length).toBeGreaterThan(15);
    for (const res of seen) expectCleanErrors(res, [TOKEN, WRONG_TOKEN, THROTTLED_TOKEN], stack.sim);
  });
});
