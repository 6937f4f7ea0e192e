/**
 * Who may call: the configuration of client authentication, API keys over real HTTP (401 before any
 * upstream call, read-only keys refused mutations), pass-through mode, and introspection and GraphiQL
 * switched off.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { ApolloServerPlugin } from '@apollo/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/auth/api-keys.js';
import { describeAccess } from '../src/auth/describe.js';
import type { Principal } from '../src/auth/principal.js';
import { ConfigError, loadConfig } from '../src/config.js';
import type { Context } from '../src/context.js';
import { startStack, TOKEN, type Stack } from './support/stack.js';

const READ_KEY = randomBytes(32).toString('hex');
const WRITE_KEY = randomBytes(32).toString('hex');
const KEYS = `reader:read:${hashApiKey(READ_KEY)}, writer:write:${hashApiKey(WRITE_KEY).toUpperCase()}`;
const TENANT = { AMPECO_BASE_URL: 'https://tenant.example.com', AMPECO_API_TOKEN: 'held-token' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('client authentication in configuration', () => {
  it('reads API key entries as label, scope and SHA-256 (hashes only, any case)', () => {
    const { auth } = loadConfig({ ...TENANT, FACADE_API_KEYS: KEYS });
    expect(auth.methods).toEqual(['api-key']);
    expect(auth.apiKeys).toEqual([
      { label: 'reader', scope: 'read', sha256: hashApiKey(READ_KEY) },
      { label: 'writer', scope: 'write', sha256: hashApiKey(WRITE_KEY) },
    ]);
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reports one problem per bad entry, naming it by position and label, never echoing it', () => {
    const pastedKey = 'sk_live_0123456789abcdef0123456789abcdef';
    const problems = problemsOf({
      ...TENANT,
      FACADE_API_KEYS: `ok:read:${hashApiKey(READ_KEY)},${pastedKey},bad scope:read:${hashApiKey('x')},b:admin:${hashApiKey('y')},c:write:${pastedKey},ok:write:${hashApiKey('z')}`,
    });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/entry 2 must be label:read:<sha256 hex>/);
    expect(problems[1]).toMatch(/entry 3: the label must be/);
    expect(problems[2]).toMatch(/entry 4 \("b"\): the scope must be read or write/);
    expect(problems[3]).toMatch(/entry 5 \("c"\): the last part must be the key's SHA-256 .* not the key itself/);
    expect(problems[4]).toMatch(/entry 6 \("ok"\): the label is used by an earlier entry/);
    expect(problems.join('\n')).not.toContain(pastedKey);
  });

  it('refuses to start a server-held token on a real tenant with no client authentication, saying what to set', () => {
    const problems = problemsOf(TENANT);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/AMPECO_API_TOKEN is set.*FACADE_API_KEYS.*FACADE_JWT_JWKS_URL.*FACADE_AUTH=none/);
  });

  it('defaults to no client authentication on the simulator and in pass-through mode', () => {
    expect(loadConfig({}).auth.methods).toEqual([]);
    expect(loadConfig({ AMPECO_API_TOKEN: 'x' }).auth.methods).toEqual([]);
    expect(loadConfig({ AMPECO_BASE_URL: TENANT.AMPECO_BASE_URL }).auth.methods).toEqual([]);
  });

  it('takes FACADE_AUTH=none on a real tenant, and the start-up then warns loudly', () => {
    const { auth } = loadConfig({ ...TENANT, FACADE_AUTH: 'none' });
    expect(auth.methods).toEqual([]);
    const access = describeAccess(auth, { serverToken: true, onSimulator: false });
    expect(access.mode).toMatch(/NO client authentication/);
    expect(access.warning!.length).toBeGreaterThanOrEqual(4);
    expect(access.warning!.join('\n')).toMatch(/WARNING.*FACADE_AUTH=none[\s\S]*Anyone who can reach this port/);
    // The simulator and pass-through need no warning.
    expect(describeAccess(loadConfig({}).auth, { serverToken: true, onSimulator: true }).warning).toBeUndefined();
    expect(describeAccess(loadConfig({}).auth, { serverToken: false, onSimulator: false }).mode).toMatch(/pass-through/);
    expect(describeAccess(loadConfig({ ...TENANT, FACADE_API_KEYS: KEYS }).auth, { serverToken: true, onSimulator: false }).mode).toMatch(
      /server-held AMPECO token; clients authenticate with API keys \(2\)/,
    );
  });

  it('checks FACADE_AUTH against what is configured', () => {
    expect(problemsOf({ ...TENANT, FACADE_AUTH: 'api-key' })).toEqual([expect.stringMatching(/FACADE_AUTH includes api-key: set FACADE_API_KEYS/)]);
    expect(problemsOf({ ...TENANT, FACADE_AUTH: 'none,jwt' })).toEqual([expect.stringMatching(/FACADE_AUTH must be api-key, jwt, api-key,jwt or none/)]);
    const jwtOnly = problemsOf({ ...TENANT, FACADE_AUTH: 'jwt', FACADE_API_KEYS: KEYS });
    expect(jwtOnly).toHaveLength(2);
    expect(jwtOnly.join('\n')).toMatch(/FACADE_AUTH includes jwt: set FACADE_JWT_JWKS_URL/);
    expect(jwtOnly.join('\n')).toMatch(/FACADE_API_KEYS is set but FACADE_AUTH=jwt leaves API keys out/);
    expect(problemsOf({ AMPECO_BASE_URL: TENANT.AMPECO_BASE_URL, FACADE_API_KEYS: KEYS })).toEqual([
      expect.stringMatching(/applies only with a server-held token/),
    ]);
  });

  it('checks the JWT settings: all three present, an https key set, public-key algorithms only', () => {
    const base = { ...TENANT, FACADE_JWT_ISSUER: 'https://id.example.com/', FACADE_JWT_AUDIENCE: 'ampeco-graph' };
    expect(loadConfig({ ...base, FACADE_JWT_JWKS_URL: 'https://id.example.com/jwks.json' }).auth).toMatchObject({
      methods: ['jwt'],
      jwt: { algorithms: expect.arrayContaining(['RS256', 'ES256', 'EdDSA']), jwksTimeoutMs: 5_000, jwksCacheMaxAgeMs: 600_000 },
    });
    expect(problemsOf({ ...TENANT, FACADE_JWT_JWKS_URL: 'https://id.example.com/jwks.json' })).toEqual([
      expect.stringMatching(/missing FACADE_JWT_ISSUER, FACADE_JWT_AUDIENCE/),
    ]);
    expect(problemsOf({ ...base, FACADE_JWT_JWKS_URL: 'http://id.example.com/jwks.json' })).toEqual([expect.stringMatching(/must be an https URL/)]);
    expect(problemsOf({ ...base, FACADE_JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json' })).toEqual([]);
    expect(problemsOf({ ...base, FACADE_JWT_JWKS_URL: 'https://id.example.com/jwks.json', FACADE_JWT_ALGORITHMS: 'RS256,HS256' })).toEqual([
      expect.stringMatching(/only public-key algorithms .*got "RS256,HS256"/),
    ]);
  });

  it('shows introspection and GraphiQL on the simulator and outside production, not in production against a tenant', () => {
    const surface = (env: NodeJS.ProcessEnv) => {
      const { introspection, graphiql } = loadConfig(env).auth;
      return { introspection, graphiql };
    };
    const on = { introspection: true, graphiql: true };
    const off = { introspection: false, graphiql: false };
    expect(surface({ NODE_ENV: 'production' })).toEqual(on);
    expect(surface({ ...TENANT, FACADE_AUTH: 'none' })).toEqual(on);
    expect(surface({ ...TENANT, FACADE_AUTH: 'none', NODE_ENV: 'production' })).toEqual(off);
    expect(surface({ ...TENANT, FACADE_AUTH: 'none', NODE_ENV: 'production', FACADE_INTROSPECTION: 'true' })).toEqual({ introspection: true, graphiql: false });
    expect(surface({ FACADE_GRAPHIQL: 'off' })).toEqual({ introspection: true, graphiql: false });
    expect(problemsOf({ FACADE_INTROSPECTION: 'maybe' })).toEqual([expect.stringMatching(/FACADE_INTROSPECTION must be true or false/)]);
  });
});

describe('npm run hash-api-key', () => {
  async function run(stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const child = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/hash-api-key.ts']);
    child.child.stdin!.end(stdin);
    return child.then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  }

  it('prints the SHA-256 of the key on stdin (its first line), and nothing else', async () => {
    const res = await run(`${READ_KEY}\n`);
    expect(res).toEqual({ code: 0, stdout: `${hashApiKey(READ_KEY)}\n`, stderr: '' });
  });

  it('refuses a short key without printing it', async () => {
    const res = await run('hunter2');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/at least 32 characters/);
    expect(res.stderr).not.toContain('hunter2');
  });
});

/** Records the principal of each request's context. */
function principalSpy(seen: (Principal | undefined)[]): ApolloServerPlugin<Context> {
  return {
    requestDidStart({ contextValue }) {
      seen.push(contextValue.principal);
      return Promise.resolve();
    },
  };
}

describe('API keys with a server-held token', () => {
  let stack: Stack;
  const principals: (Principal | undefined)[] = [];
  beforeAll(async () => {
    const { auth } = loadConfig({ FACADE_API_KEYS: KEYS });
    stack = await startStack({ config: { apiToken: TOKEN, auth }, server: { plugins: [principalSpy(principals)] } });
  });
  beforeEach(() => {
    stack.sim.clearLog();
    principals.length = 0;
  });
  afterAll(() => stack?.close());

  const QUERY = '{ chargePoints(first: 2) { nodes { id name } } }';
  async function post(headers: Record<string, string>, query = QUERY) {
    const res = await fetch(stack.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), text: await res.text() };
  }

  it('answers a request without credentials with 401, a GraphQL error and a challenge, and calls nothing upstream', async () => {
    const res = await post({});
    expect(res.status).toBe(401);
    expect(res.challenge).toBe('Bearer realm="ampeco-graph"');
    const body = JSON.parse(res.text);
    expect(body).toEqual({ errors: [{ message: expect.stringMatching(/needs client credentials.*X-API-Key/), extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(stack.sim.log).toHaveLength(0);
    expect(principals).toHaveLength(0);
  });

  it.each([
    ['a wrong key as bearer', { authorization: `Bearer ${'f'.repeat(64)}` }],
    ['a wrong key in X-API-Key', { 'x-api-key': 'f'.repeat(64) }],
    ['the AMPECO token itself', { authorization: `Bearer ${TOKEN}` }],
    ['a key with another scheme', { authorization: `Basic ${READ_KEY}` }],
  ])('refuses %s with 401 invalid_token and no upstream call', async (_name, headers) => {
    const res = await post(headers);
    expect(res.status).toBe(401);
    expect(res.challenge).toBe('Bearer realm="ampeco-graph", error="invalid_token"');
    expect(JSON.parse(res.text).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(res.text).not.toContain(READ_KEY);
    expect(res.text).not.toContain('f'.repeat(64));
    expect(stack.sim.log).toHaveLength(0);
  });

  it.each([
    ['X-API-Key', { 'x-api-key': READ_KEY }],
    ['Authorization: Bearer', { authorization: `Bearer ${READ_KEY}` }],
  ])('lets a valid key in %s query with the held token, and names its principal on the context', async (_name, headers) => {
    const res = await post(headers);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.errors).toBeUndefined();
    expect(body.data.chargePoints.nodes).toHaveLength(2);
    expect(principals).toEqual([{ method: 'api-key', id: 'reader', scope: 'read' }]);
    expect(stack.sim.log.length).toBeGreaterThan(0);
    expect(stack.sim.log.every((e) => e.status === 200 && e.authPresent)).toBe(true);
  });

  it('refuses a read-only key any mutation with 403 FORBIDDEN before any upstream call', async () => {
    const mutation = 'mutation { createUser(input: { email: "not-an-email", password: "x" }) { user { id } userErrors { field } } }';
    const res = await post({ 'x-api-key': READ_KEY }, mutation);
    expect(res.status).toBe(403);
    expect(res.challenge).toMatch(/error="insufficient_scope", scope="ampeco:write"/);
    const body = JSON.parse(res.text);
    expect(body.errors).toEqual([{ message: expect.stringMatching(/read-only/), extensions: { code: 'FORBIDDEN' } }]);
    expect(body.data).toBeUndefined();
    expect(stack.sim.log).toHaveLength(0);

    // The same mutation with a read-write key reaches AMPECO (which refuses the input: userErrors).
    const written = await post({ authorization: `Bearer ${WRITE_KEY}` }, mutation);
    expect(written.status).toBe(200);
    expect(JSON.parse(written.text).data.createUser.userErrors.length).toBeGreaterThan(0);
    expect(stack.sim.log.filter((e) => e.method === 'POST')).toHaveLength(1);
    expect(principals.at(-1)).toEqual({ method: 'api-key', id: 'writer', scope: 'write' });
  });
});

describe('pass-through mode (no server-held token)', () => {
  let stack: Stack;
  const principals: (Principal | undefined)[] = [];
  beforeAll(async () => {
    // Even with keys in the config, the request's AMPECO token is its only credential here.
    const { auth } = loadConfig({ FACADE_API_KEYS: KEYS });
    stack = await startStack({ config: { apiToken: undefined, auth }, server: { plugins: [principalSpy(principals)] } });
  });
  afterAll(() => stack?.close());

  it('forwards the AMPECO token and checks no facade credentials', async () => {
    const res = await stack.gql('{ chargePoints(first: 1) { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.chargePoints.nodes).toHaveLength(1);
    expect(principals).toEqual([undefined]);
    const anonymous = await stack.gql('{ chargePoints(first: 1) { nodes { id } } }', undefined, { token: null });
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });
});

describe('introspection and GraphiQL switched off', () => {
  let stack: Stack;
  beforeAll(async () => {
    const { auth } = loadConfig({ FACADE_INTROSPECTION: 'false', FACADE_GRAPHIQL: 'false' });
    stack = await startStack({ config: { auth }, server: { simulator: true } });
  });
  afterAll(() => stack?.close());

  it('refuses introspection queries and hides "did you mean" hints, while queries run', async () => {
    const introspection = await stack.gql('{ __schema { queryType { name } } }');
    expect(introspection.data).toBeUndefined();
    expect(introspection.errors![0]!.message).toMatch(/introspection is not allowed/i);
    const typo = await stack.gql('{ chargePoints(first: 1) { nodes { nam } } }');
    expect(typo.errors![0]!.message).toMatch(/Cannot query field "nam"/);
    expect(typo.errors![0]!.message).not.toMatch(/Did you mean/);
    const ok = await stack.gql('{ chargePoints(first: 1) { nodes { id } } }');
    expect(ok.errors).toBeUndefined();
  });

  it('serves no GraphiQL page at / nor to browsers at /graphql, nor its assets', async () => {
    for (const path of ['/', '/graphql', '/graphiql/app.js']) {
      const res = await fetch(`${stack.server.url}${path}`, { headers: { accept: 'text/html' } });
      const text = await res.text();
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type'), path).not.toMatch(/javascript/);
      expect(text, path).not.toMatch(/id="graphiql|graphiql-config/);
    }
  });
});
