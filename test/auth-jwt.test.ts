/**
 * JWT client authentication against a JWKS served over real HTTP by this test: signature, issuer,
 * audience, expiry and algorithm checked; the scope from `scope`/`scp`; the key set fetched once and
 * cached; a key set that does not answer is a 503, not the client's fault.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashApiKey } from '../src/auth/api-keys.js';
import { createAuthenticator } from '../src/auth/authenticate.js';
import { loadConfig } from '../src/config.js';
import { startStack, TOKEN, type Stack } from './support/stack.js';

const ISSUER = 'https://id.example.com/';
const AUDIENCE = 'ampeco-graph';
const KID = 'test-key-1';

interface Jwks {
  url: string;
  fetches: number;
  /** 'ok' serves the keys; 'error' answers 500; 'hang' never answers. */
  mode: 'ok' | 'error' | 'hang';
  close(): Promise<void>;
}

async function serveJwks(keys: object[]): Promise<Jwks> {
  const state: Jwks = { url: '', fetches: 0, mode: 'ok', close: async () => {} };
  const server: Server = createServer((req, res) => {
    state.fetches++;
    if (state.mode === 'hang') return;
    if (state.mode === 'error' || req.url !== '/jwks.json') {
      res.writeHead(500).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let jwks: Jwks;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  jwks = await serveJwks([{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'ES256', use: 'sig' }]);
});
afterAll(() => jwks?.close());

function jwtEnv(url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { FACADE_JWT_JWKS_URL: url, FACADE_JWT_ISSUER: ISSUER, FACADE_JWT_AUDIENCE: AUDIENCE, FACADE_JWT_JWKS_TIMEOUT_MS: '300', ...extra };
}

async function sign(claims: JWTPayload, options: { key?: CryptoKey; expiresIn?: string | number; issuer?: string; audience?: string } = {}): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: KID })
    .setIssuedAt()
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE);
  if (options.expiresIn !== undefined) jwt.setExpirationTime(options.expiresIn);
  return jwt.sign(options.key ?? signingKey);
}

const fresh = { expiresIn: '5m' };

describe('JWTs with a server-held token, over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    const { auth } = loadConfig(jwtEnv(jwks.url));
    stack = await startStack({ config: { apiToken: TOKEN, auth } });
  });
  beforeEach(() => stack.sim.clearLog());
  afterAll(() => stack?.close());

  async function post(token: string | undefined, query: string) {
    const res = await fetch(stack.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: (await res.json()) as { data?: any; errors?: any[] } };
  }
  const QUERY = '{ chargePoints(first: 1) { nodes { id } } }';
  const MUTATION = 'mutation { createUser(input: { email: "not-an-email", password: "x" }) { userErrors { field } } }';

  it('runs queries for an ampeco:read token, fetching the key set once for many requests', async () => {
    const fetchesBefore = jwks.fetches;
    const token = await sign({ sub: 'dashboard', scope: 'openid ampeco:read' }, fresh);
    for (let i = 0; i < 3; i++) {
      const res = await post(token, QUERY);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.chargePoints.nodes).toHaveLength(1);
    }
    expect(jwks.fetches - fetchesBefore).toBeLessThanOrEqual(1);
  });

  it('refuses a mutation to an ampeco:read token (403) and runs it for ampeco:write in scp', async () => {
    const reader = await post(await sign({ sub: 'r', scope: 'ampeco:read' }, fresh), MUTATION);
    expect(reader.status).toBe(403);
    expect(reader.body.errors![0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(stack.sim.log).toHaveLength(0);
    const writer = await post(await sign({ sub: 'w', scp: ['ampeco:write'] }, fresh), MUTATION);
    expect(writer.status).toBe(200);
    expect(writer.body.data.createUser.userErrors.length).toBeGreaterThan(0);
    expect(stack.sim.log.filter((e) => e.method === 'POST')).toHaveLength(1);
  });

  it('answers a valid token without an ampeco scope with 403 insufficient_scope', async () => {
    const res = await post(await sign({ sub: 'x', scope: 'openid profile' }, fresh), QUERY);
    expect(res.status).toBe(403);
    expect(res.challenge).toMatch(/error="insufficient_scope"/);
    expect(res.body.errors![0].message).toMatch(/neither ampeco:read nor ampeco:write/);
    expect(stack.sim.log).toHaveLength(0);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['expired', () => sign({ sub: 'x', scope: 'ampeco:read' }, { expiresIn: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['without an expiry', () => sign({ sub: 'x', scope: 'ampeco:read' }), /"exp" claim/],
    ['from another issuer', () => sign({ sub: 'x', scope: 'ampeco:read' }, { ...fresh, issuer: 'https://evil.example.com/' }), /"iss" claim/],
    ['for another audience', () => sign({ sub: 'x', scope: 'ampeco:read' }, { ...fresh, audience: 'someone-else' }), /"aud" claim/],
    ['signed with another key', () => sign({ sub: 'x', scope: 'ampeco:read' }, { ...fresh, key: otherKey }), /not valid/],
    [
      'signed with a shared secret (HS256)',
      () =>
        new SignJWT({ sub: 'x', scope: 'ampeco:read' })
          .setProtectedHeader({ alg: 'HS256', kid: KID })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(randomBytes(32)),
      /not valid/,
    ],
    ['that is no JWT at all', () => Promise.resolve('a.b.c'), /not valid/],
  ])('refuses a token %s with 401 and no upstream call', async (_name, make, message) => {
    const res = await post(await make(), QUERY);
    expect(res.status).toBe(401);
    expect(res.challenge).toBe('Bearer realm="ampeco-graph", error="invalid_token"');
    expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(stack.sim.log).toHaveLength(0);
  });
});

/** The 401/403/503 an authenticator rejects with. */
async function refusal(promise: Promise<unknown>): Promise<{ status: unknown; code: unknown; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  const { extensions, message } = error as GraphQLError;
  return { status: (extensions.http as { status?: number } | undefined)?.status, code: extensions.code, message };
}

describe('the authenticator', () => {
  it('tells JWTs from API keys when both are accepted', async () => {
    const key = randomBytes(32).toString('base64url');
    const { auth } = loadConfig({ ...jwtEnv(jwks.url), FACADE_API_KEYS: `ops:write:${hashApiKey(key)}` });
    expect(auth.methods).toEqual(['api-key', 'jwt']);
    const authenticate = createAuthenticator(auth, true);
    await expect(authenticate({ authorization: `Bearer ${key}` })).resolves.toEqual({ method: 'api-key', id: 'ops', scope: 'write' });
    await expect(authenticate({ 'x-api-key': key })).resolves.toEqual({ method: 'api-key', id: 'ops', scope: 'write' });
    const token = await sign({ sub: 'svc', scope: 'ampeco:read' }, fresh);
    await expect(authenticate({ authorization: `Bearer ${token}` })).resolves.toEqual({ method: 'jwt', id: 'svc', scope: 'read' });
    expect(await refusal(authenticate({}))).toMatchObject({ status: 401, message: expect.stringMatching(/Bearer <API key or JWT> or X-API-Key/) });
  });

  it('does not take API keys where only JWTs are configured', async () => {
    const authenticate = createAuthenticator(loadConfig(jwtEnv(jwks.url)).auth, true);
    expect(await refusal(authenticate({ 'x-api-key': 'k'.repeat(40) }))).toMatchObject({ status: 401, message: expect.stringMatching(/does not take API keys/) });
    expect(await refusal(authenticate({ authorization: `Bearer ${'k'.repeat(40)}` }))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['answers 500', 'error'],
    ['does not answer', 'hang'],
  ] as const)('answers 503 when the key set %s, and recovers when it is back', async (_name, mode) => {
    const down = await serveJwks([{ ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: KID, alg: 'ES256' }]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      down.mode = mode;
      const authenticate = createAuthenticator(loadConfig(jwtEnv(down.url)).auth, true);
      const token = await sign({ sub: 'x', scope: 'ampeco:read' }, fresh);
      const started = performance.now();
      expect(await refusal(authenticate({ authorization: `Bearer ${token}` }))).toMatchObject({ status: 503, code: 'AUTHENTICATION_UNAVAILABLE' });
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/JWT key set unavailable/));
      expect(JSON.stringify(warn.mock.calls)).not.toContain(token);
      down.mode = 'ok';
      // Back, with a key this token was not signed with: an ordinary 401.
      expect(await refusal(authenticate({ authorization: `Bearer ${token}` }))).toMatchObject({ status: 401 });
    } finally {
      warn.mockRestore();
      await down.close();
    }
  });

  it('checks nothing in pass-through mode, whatever is configured', async () => {
    const authenticate = createAuthenticator(loadConfig(jwtEnv(jwks.url)).auth, false);
    await expect(authenticate({})).resolves.toBeUndefined();
  });
});
