/**
 * Persisted queries: Apollo's APQ by default, none when off, and in allow-list mode only the
 * operations of an Apollo persisted query manifest run (by hash or by exact text), refused before
 * any upstream call otherwise.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { startStack, TOKEN, type Stack } from './support/stack.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const LISTED = 'query ChargePointNames { chargePoints(first: 2) { nodes { id name } } }';
const LISTED_MUTATION = 'mutation NoUser { createUser(input: { email: "not-an-email", password: "x" }) { userErrors { field } } }';
const UNLISTED = '{ chargePoints(first: 1) { nodes { id } } }';

async function send(stack: Stack, body: Record<string, unknown>) {
  const res = await fetch(stack.server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }) };
}
const byHash = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

let dir: string;
let manifestPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ampeco-graph-pq-'));
  manifestPath = join(dir, 'persisted-query-manifest.json');
  writeFileSync(
    manifestPath,
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { id: sha256(LISTED), name: 'ChargePointNames', type: 'query', body: LISTED },
        { id: sha256(LISTED_MUTATION), name: 'NoUser', type: 'mutation', body: LISTED_MUTATION },
      ],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configuration', () => {
  function problems(env: NodeJS.ProcessEnv): string[] {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  }

  it('defaults to APQ and reads a manifest for the allow-list', () => {
    expect(loadConfig({}).auth.persistedQueries).toEqual({ mode: 'apq' });
    expect(loadConfig({ FACADE_PERSISTED_QUERIES: 'allowlist', FACADE_PERSISTED_QUERY_MANIFEST: manifestPath }).auth.persistedQueries).toMatchObject({
      mode: 'allowlist',
      operations: [{ id: sha256(LISTED), body: LISTED }, { id: sha256(LISTED_MUTATION) }],
    });
  });

  it('reports a missing, unreadable or misshapen manifest, and a manifest without the allow-list', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x' }] }));
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    expect(problems({ FACADE_PERSISTED_QUERIES: 'allowlist' })).toEqual([expect.stringMatching(/needs FACADE_PERSISTED_QUERY_MANIFEST/)]);
    expect(problems({ FACADE_PERSISTED_QUERIES: 'allowlist', FACADE_PERSISTED_QUERY_MANIFEST: join(dir, 'absent.json') })).toEqual([
      expect.stringMatching(/does not exist/),
    ]);
    expect(problems({ FACADE_PERSISTED_QUERIES: 'allowlist', FACADE_PERSISTED_QUERY_MANIFEST: notJson })).toEqual([expect.stringMatching(/not valid JSON/)]);
    expect(problems({ FACADE_PERSISTED_QUERIES: 'allowlist', FACADE_PERSISTED_QUERY_MANIFEST: bad })).toEqual([
      expect.stringMatching(/operation 1 needs a non-empty string "id" and "body"/),
    ]);
    expect(problems({ FACADE_PERSISTED_QUERY_MANIFEST: manifestPath })).toEqual([expect.stringMatching(/only with FACADE_PERSISTED_QUERIES=allowlist/)]);
    expect(problems({ FACADE_PERSISTED_QUERIES: 'sometimes' })).toEqual([expect.stringMatching(/must be one of apq, off, allowlist/)]);
  });
});

describe('APQ (the default)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('registers an operation sent with its hash, then runs it by hash alone', async () => {
    const query = '{ chargePoints(first: 1) { nodes { id name } } }';
    const unknown = await send(stack, byHash(sha256(query)));
    expect(unknown.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await send(stack, { query, ...byHash(sha256(query)) });
    expect(registered.errors).toBeUndefined();
    const hit = await send(stack, byHash(sha256(query)));
    expect(hit.errors).toBeUndefined();
    expect(hit.data).toEqual(registered.data);
  });
});

describe('FACADE_PERSISTED_QUERIES=off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { auth: loadConfig({ FACADE_PERSISTED_QUERIES: 'off' }).auth } });
  });
  afterAll(() => stack?.close());

  it('refuses hashes and runs full text', async () => {
    const res = await send(stack, { query: UNLISTED, ...byHash(sha256(UNLISTED)) });
    expect(res.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect((await send(stack, { query: UNLISTED })).errors).toBeUndefined();
  });
});

describe('FACADE_PERSISTED_QUERIES=allowlist', () => {
  let stack: Stack;
  beforeAll(async () => {
    const { auth } = loadConfig({ FACADE_PERSISTED_QUERIES: 'allowlist', FACADE_PERSISTED_QUERY_MANIFEST: manifestPath });
    stack = await startStack({ config: { auth } });
  });
  beforeEach(() => stack.sim.clearLog());
  afterAll(() => stack?.close());

  it('runs a listed operation sent by hash alone, with its hash, or as its exact text', async () => {
    for (const body of [byHash(sha256(LISTED)), { query: LISTED, ...byHash(sha256(LISTED)) }, { query: LISTED }]) {
      const res = await send(stack, body);
      expect(res.errors, JSON.stringify(body)).toBeUndefined();
      expect(res.data!.chargePoints.nodes).toHaveLength(2);
    }
    const mutation = await send(stack, byHash(sha256(LISTED_MUTATION)));
    expect(mutation.data!.createUser.userErrors.length).toBeGreaterThan(0);
  });

  it('refuses any other operation with a clear error and no upstream call', async () => {
    const text = await send(stack, { query: UNLISTED });
    expect(text.status).toBe(403);
    expect(text.errors).toEqual([{ message: expect.stringMatching(/only the operations of its persisted query list/), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }]);
    expect(text.data).toBeUndefined();
    // Nor does a client add to the list the APQ way.
    const register = await send(stack, { query: UNLISTED, ...byHash(sha256(UNLISTED)) });
    expect(register.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const hash = await send(stack, byHash(sha256(UNLISTED)));
    expect(hash.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // An unlisted operation is refused before validation: its errors say nothing about the schema.
    const invalid = await send(stack, { query: '{ noSuchField }' });
    expect(invalid.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // Text that differs from the listed body (here only in white space) is another operation.
    expect((await send(stack, { query: `${LISTED} ` })).errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // GET carries the text in the URL: the same rule.
    const url = (query: string) => `${stack.server.graphqlUrl}?query=${encodeURIComponent(query)}`;
    const headers = { 'apollo-require-preflight': 'true', authorization: `Bearer ${TOKEN}` };
    const get = await fetch(url(UNLISTED), { headers });
    expect(get.status).toBe(403);
    expect(((await get.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(stack.sim.log).toHaveLength(0);
    expect((await fetch(url(LISTED), { headers })).status).toBe(200);
  });
});
