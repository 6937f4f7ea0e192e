/**
 * The AMPECO HTTP client against a real node:http server whose behaviour each test scripts (no mocks of
 * undici or fetch): statuses, delays, dropped sockets, rate-limit headers.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure } from './support/upstream-errors.js';
import {
  AmpecoHttpClient,
  ConcurrencyLimiter,
  DeadlinePassed,
  InMemoryRateBudget,
  UpstreamRateLimitedError,
  UpstreamValidationError,
  createBreaker,
  credentialKey,
  encodeQuery,
  type AmpecoHttpClientOptions,
  type UpstreamCallEvent,
} from '../src/datasources/http/index.js';
import { encodePlainly, encodeWithQs } from '../src/datasources/http/query.js';

const TOKEN = 'tok-SECRET-5f2c9a7e41b8';
const PATH = '/public-api/resources/evses/v2.1/12';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, hit: number) => unknown;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

let server: Server;
let baseUrl: string;
let handler: Handler;
let hits = 0;
let concurrent = 0;
let maxConcurrent = 0;
let seen: Seen[] = [];
const clients: AmpecoHttpClient[] = [];

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function client(options: Partial<AmpecoHttpClientOptions> = {}): AmpecoHttpClient {
  const c = new AmpecoHttpClient({ baseUrl, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const hit = hits;
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    res.on('close', () => concurrent--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: performance.now() });
      void handler(req, res, body, hit);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  hits = 0;
  concurrent = 0;
  maxConcurrent = 0;
  seen = [];
  handler = (_req, res) => send(res, 200, { data: { id: 12 } });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('encodeQuery', () => {
  it('encodes deep filters, arrays, include[], flags and an empty cursor deterministically', () => {
    const qs = encodeQuery({
      per_page: 100,
      filter: { status: ['available', 'charging'], location: { id: 7, country: 'BG' }, active: true, gone: null },
      include: ['evses', 'connectors', 'evses'],
      cursor: '',
      withAuthorization: false,
      clockAlignedInterval: 15,
      createdAfter: new Date('2024-05-01T10:00:00Z'),
      skipped: undefined,
    });
    expect(decodeURIComponent(qs)).toBe(
      'clockAlignedInterval=15&createdAfter=2024-05-01T10:00:00.000Z&cursor=' +
        '&filter[active]=true&filter[location][country]=BG&filter[location][id]=7' +
        '&filter[status][]=available&filter[status][]=charging' +
        '&include[]=connectors&include[]=evses&per_page=100&withAuthorization=false',
    );
    // Brackets stay percent-encoded exactly like URLSearchParams does.
    expect(qs).toContain('filter%5Bstatus%5D%5B%5D=available');
    // Same request, different key order: same string (used as a cache key).
    expect(encodeQuery({ include: ['connectors', 'evses'], filter: { b: 1, a: 2 } })).toBe(
      encodeQuery({ filter: { a: 2, b: 1 }, include: ['evses', 'connectors'] }),
    );
  });

  it('sends cursor= for null and "", nothing for undefined; escapes values', () => {
    expect(encodeQuery({ cursor: null })).toBe('cursor=');
    expect(encodeQuery({ cursor: '' })).toBe('cursor=');
    expect(encodeQuery({ cursor: undefined })).toBe('');
    expect(encodeQuery({})).toBe('');
    expect(encodeQuery({ cursor: 'eyJ+a/b=' })).toBe('cursor=eyJ%2Ba%2Fb%3D');
    expect(encodeQuery({ filter: { name: 'a&b c' } })).toBe('filter%5Bname%5D=a%26b+c');
    expect(() => encodeQuery({ page: Number.NaN })).toThrow(TypeError);
  });

  it('skips qs only where it writes exactly what qs writes', () => {
    // The shapes listings send most: the fast path must take them.
    expect(encodePlainly({ cursor: '', per_page: 21 })).toBe('cursor=&per_page=21');
    expect(encodePlainly({ filter: { chargePointId: 12, status: ['available', 'charging'] }, include: ['evses'] })).toBe(
      'filter%5BchargePointId%5D=12&filter%5Bstatus%5D%5B%5D=available&filter%5Bstatus%5D%5B%5D=charging&include%5B%5D=evses',
    );
    const key = fc.oneof({ arbitrary: fc.constantFrom('a', 'b', 'B', 'per_page', 'filter', 'x.y', '_'), weight: 4 }, fc.constantFrom('0', '10', '2', 'a[b]', ''), fc.string({ maxLength: 4 }));
    // Mostly values that need no escaping, so that whole objects of them reach the fast path.
    const scalar = fc.oneof(
      { arbitrary: fc.oneof(fc.constantFrom('', 'abc', 'A-Z_0.9', '-1'), fc.nat(), fc.boolean()), weight: 6 },
      fc.constantFrom('a b', 'eyJ+a/b=', '~', '(x)', '*', 'ü'),
      fc.string({ maxLength: 5 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constantFrom(null, undefined),
      fc.date({ noInvalidDate: true }),
    );
    const value = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(scalar, { maxLength: 3 }), fc.array(tie('object'), { maxLength: 2 }), tie('object')),
      object: fc.dictionary(key, tie('value'), { maxKeys: 3 }),
    })).object;
    let taken = 0;
    fc.assert(
      fc.property(value, (root) => {
        const plain = encodePlainly(root);
        if (plain !== undefined) {
          taken++;
          expect(plain).toBe(encodeWithQs(root));
        }
      }),
      { numRuns: 2000 },
    );
    // The comparison above is not vacuous: a good share of the inputs took the fast path.
    expect(taken).toBeGreaterThan(200);
  });
});

describe('AmpecoHttpClient: requests and bodies', () => {
  it('sends bearer auth, Accept, a JSON body and the encoded query', async () => {
    handler = (_req, res) => send(res, 201, { data: { id: 1 } });
    const res = await client().request({
      method: 'POST',
      path: '/public-api/actions/charge-point/v1.0/5/start',
      query: { filter: { chargePointId: 12, ids: [1, 2] }, include: ['connectors'], cursor: '' },
      body: { evseId: 3 },
      token: TOKEN,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ data: { id: 1 } });
    const req = seen[0]!;
    expect(req.method).toBe('POST');
    expect(decodeURIComponent(req.url)).toBe(
      '/public-api/actions/charge-point/v1.0/5/start?cursor=&filter[chargePointId]=12&filter[ids][]=1&filter[ids][]=2&include[]=connectors',
    );
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ evseId: 3 });
  });

  it('returns list envelopes as sent, with headers', async () => {
    const envelope = {
      data: [{ id: 1 }, { id: 2 }],
      links: { next: `${baseUrl}/x?cursor=abc` },
      meta: { per_page: 2, next_cursor: 'abc' },
    };
    handler = (_req, res) => send(res, 200, envelope, { 'x-ratelimit-remaining': '59' });
    const res = await client().request<typeof envelope>({ method: 'GET', path: PATH, query: { per_page: 2 }, token: TOKEN });
    expect(res.body).toEqual(envelope);
    expect(res.headers['x-ratelimit-remaining']).toBe('59');
  });

  it('gives an undefined body for 204 and an empty 202, the body of a 202 that has one', async () => {
    const c = client();
    handler = (_req, res) => send(res, 204);
    expect(await c.request({ method: 'DELETE', path: PATH, token: TOKEN })).toMatchObject({ status: 204, body: undefined });
    handler = (_req, res) => send(res, 202);
    expect(await c.request({ method: 'POST', path: PATH, token: TOKEN })).toMatchObject({ status: 202, body: undefined });
    handler = (_req, res) => send(res, 202, { success: true, sessionId: 'a1' });
    expect((await c.request({ method: 'POST', path: PATH, token: TOKEN })).body).toEqual({ success: true, sessionId: 'a1' });
  });
});

describe('AmpecoHttpClient: error mapping', () => {
  it.each([
    [401, { message: 'Unauthenticated.' }, 'UNAUTHENTICATED'],
    [403, { message: 'Forbidden' }, 'FORBIDDEN'],
    [404, { message: 'No query results for model [App\\Evse] 12' }, 'NOT_FOUND'],
    [409, { message: 'Session already stopped' }, 'UPSTREAM_CLIENT_ERROR'],
    [500, '<html>oops</html>', 'UPSTREAM_SERVER_ERROR'],
    [502, undefined, 'UPSTREAM_SERVER_ERROR'],
  ])('maps HTTP %i to a GraphQL error', async (status, body, code) => {
    handler = (_req, res) => send(res, status, body);
    const err = await failure(client().request({ method: 'PATCH', path: PATH, body: {}, token: TOKEN }));
    expect(err.extensions.code).toBe(code);
    expect(err.extensions.upstream).toEqual({ status, method: 'PATCH', path: PATH });
    expect(hits).toBe(1);
  });

  it('maps 422 to BAD_USER_INPUT with per-field errors', async () => {
    handler = (_req, res) =>
      send(res, 422, {
        message: 'The name field is required. (and 1 more error)',
        errors: { name: ['The name field is required.'], 'evses.0.id': 'The evses.0.id must be an integer.' },
      });
    const err = await failure(client().request({ method: 'POST', path: PATH, body: {}, token: TOKEN }));
    expect(err).toBeInstanceOf(UpstreamValidationError);
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    const fieldErrors = { 'evses.0.id': ['The evses.0.id must be an integer.'], name: ['The name field is required.'] };
    expect((err as UpstreamValidationError).fieldErrors).toEqual(fieldErrors);
    expect(err.extensions.fieldErrors).toEqual(fieldErrors);
    expect(err.message).toContain('The name field is required.');
  });

  it('maps 429 to UPSTREAM_RATE_LIMITED with retryAfterMs from X-RateLimit-Reset (no Retry-After)', async () => {
    handler = (_req, res) =>
      send(res, 429, { message: 'Too Many Attempts.' }, {
        'x-ratelimit-limit': '60',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 30),
      });
    const err = await failure(client().request({ method: 'POST', path: PATH, token: TOKEN }));
    expect(err).toBeInstanceOf(UpstreamRateLimitedError);
    expect(err.extensions.code).toBe('UPSTREAM_RATE_LIMITED');
    const after = (err as UpstreamRateLimitedError).retryAfterMs!;
    expect(after).toBeGreaterThan(28_000);
    expect(after).toBeLessThanOrEqual(31_000);
    expect(err.extensions.retryAfterMs).toBe(after);
  });

  it('maps a non-JSON 2xx to UPSTREAM_BAD_RESPONSE', async () => {
    handler = (_req, res) => send(res, 200, '<html>maintenance</html>', { 'content-type': 'text/html' });
    const err = await failure(client().request({ method: 'GET', path: PATH, token: TOKEN }));
    expect(err.extensions.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(hits).toBe(1);
  });

  it('never exposes the token or the query string in errors, even when the upstream echoes it', async () => {
    const echo = `token ${TOKEN} is not valid here`;
    const scripts: Handler[] = [
      (_q, r) => send(r, 401, { message: echo }),
      (_q, r) => send(r, 403, { message: echo }),
      (_q, r) => send(r, 404, { message: echo }),
      (_q, r) => send(r, 409, { message: echo }),
      (_q, r) => send(r, 422, { message: echo, errors: { [TOKEN]: [echo], token: [echo] } }),
      (_q, r) => send(r, 429, { message: echo }, { 'retry-after': '120' }),
      (_q, r) => send(r, 503, { message: echo }),
      (_q, r) => send(r, 200, echo),
      (q) => q.socket.destroy(),
      () => undefined, // never answers -> timeout
    ];
    const c = client({ timeoutMs: 150, retry: { attempts: 1 } });
    for (const script of scripts) {
      handler = script;
      const err = await failure(
        c.request({ method: 'GET', path: PATH, query: { filter: { email: 'who@example.com' } }, token: TOKEN }),
      );
      const serialised = [err.message, String(err.stack), JSON.stringify(err.toJSON()), JSON.stringify(err.extensions)].join('\n');
      expect(serialised).not.toContain(TOKEN);
      expect(serialised).not.toContain('Bearer');
      expect(serialised).not.toContain('who@example.com');
      expect(serialised).not.toContain(baseUrl);
      expect(err.extensions.upstream).toMatchObject({ method: 'GET', path: PATH });
    }
    expect(credentialKey(TOKEN)).not.toContain(TOKEN);
  });
});

describe('AmpecoHttpClient: retries', () => {
  it('retries a GET on 503 and succeeds', async () => {
    handler = (_req, res, _b, hit) => (hit === 1 ? send(res, 503) : send(res, 200, { data: { id: 12 } }));
    const calls: UpstreamCallEvent[] = [];
    const res = await client({ onCall: (e) => calls.push(e) }).request({ method: 'GET', path: PATH, token: TOKEN });
    expect(res.body).toEqual({ data: { id: 12 } });
    expect(hits).toBe(2);
    expect(calls.map((e) => [e.attempt, e.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
  });

  it('gives up after the configured attempts and does not retry a 4xx', async () => {
    handler = (_req, res) => send(res, 503);
    expect((await failure(client().request({ method: 'GET', path: PATH, token: TOKEN }))).extensions.code).toBe(
      'UPSTREAM_SERVER_ERROR',
    );
    expect(hits).toBe(3);
    hits = 0;
    handler = (_req, res) => send(res, 404);
    await failure(client().request({ method: 'GET', path: PATH, token: TOKEN }));
    expect(hits).toBe(1);
  });

  it('retries a GET after a dropped connection', async () => {
    handler = (req, res, _b, hit) => (hit === 1 ? req.socket.destroy() : send(res, 200, { ok: true }));
    expect((await client().request({ method: 'GET', path: PATH, token: TOKEN })).body).toEqual({ ok: true });
    expect(hits).toBe(2);
  });

  it('never retries a POST: not on 503, not on a dropped connection', async () => {
    handler = (_req, res) => send(res, 503);
    const c = client();
    expect((await failure(c.request({ method: 'POST', path: PATH, body: { a: 1 }, token: TOKEN }))).extensions.code).toBe(
      'UPSTREAM_SERVER_ERROR',
    );
    expect(hits).toBe(1);
    hits = 0;
    handler = (req) => req.socket.destroy();
    const err = await failure(c.request({ method: 'POST', path: PATH, body: { a: 1 }, token: TOKEN }));
    expect(err.extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.extensions.upstream).toEqual({ status: null, method: 'POST', path: PATH });
    expect(hits).toBe(1);
  });

  it('honours Retry-After (seconds)', async () => {
    handler = (_req, res, _b, hit) => (hit === 1 ? send(res, 503, undefined, { 'retry-after': '1' }) : send(res, 200, {}));
    const t0 = performance.now();
    await client().request({ method: 'GET', path: PATH, token: TOKEN });
    expect(hits).toBe(2);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(995);
    expect(performance.now() - t0).toBeLessThan(4_000);
  });

  it('honours X-RateLimit-Reset on a 429 without Retry-After', async () => {
    handler = (_req, res, _b, hit) =>
      hit === 1
        ? send(res, 429, { message: 'Too Many Attempts.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.3' })
        : send(res, 200, {});
    await client({ rateBudget: new InMemoryRateBudget() }).request({ method: 'GET', path: PATH, token: TOKEN });
    expect(hits).toBe(2);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(295);
  });

  it('fails fast with UPSTREAM_RATE_LIMITED when Retry-After is beyond the cap', async () => {
    handler = (_req, res) => send(res, 429, {}, { 'retry-after': '60' });
    const t0 = performance.now();
    const err = await failure(client().request({ method: 'GET', path: PATH, token: TOKEN }));
    expect(err.extensions.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(err.extensions.retryAfterMs).toBe(60_000);
    expect(hits).toBe(1);
    // Far below the 60 s asked for (generous bounds: CI machines stall).
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('AmpecoHttpClient: timeouts, cancellation, readiness', () => {
  it('times out a silent upstream with UPSTREAM_TIMEOUT, per attempt', async () => {
    handler = () => undefined; // never answers
    let t0 = performance.now();
    const err = await failure(client({ timeoutMs: 200, retry: { attempts: 1 } }).request({ method: 'GET', path: PATH, token: TOKEN }));
    let elapsed = performance.now() - t0;
    expect(err.extensions.code).toBe('UPSTREAM_TIMEOUT');
    expect(err.message).toBe('AMPECO did not answer within 200 ms.');
    expect(elapsed).toBeGreaterThanOrEqual(195);
    expect(elapsed).toBeLessThan(2_000);

    hits = 0;
    t0 = performance.now();
    await failure(client({ timeoutMs: 150, retry: { attempts: 2 } }).request({ method: 'GET', path: PATH, token: TOKEN }));
    elapsed = performance.now() - t0;
    expect(hits).toBe(2);
    expect(elapsed).toBeLessThan(2_500);
  });

  it('a write that times out is sent once and answers UPSTREAM_TIMEOUT saying its outcome is unknown', async () => {
    handler = () => undefined; // never answers
    hits = 0;
    const err = await failure(client({ timeoutMs: 150, retry: { attempts: 3 } }).request({ method: 'POST', path: PATH, token: TOKEN, body: { a: 1 } }));
    expect(err.extensions.code).toBe('UPSTREAM_TIMEOUT');
    expect(err.extensions.outcomeUnknown).toBe(true);
    expect(err.message).toBe('AMPECO did not answer within 150 ms; the outcome of this write is unknown: read the record before trying again.');
    expect(hits).toBe(1);
  });

  it('counts a body that stalls after the headers against the timeout', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [');
    };
    const err = await failure(client({ timeoutMs: 200, retry: { attempts: 1 } }).request({ method: 'GET', path: PATH, token: TOKEN }));
    expect(err.extensions.code).toBe('UPSTREAM_TIMEOUT');
  });

  it('rejects with the caller’s abort reason, not an upstream error', async () => {
    const ctl = new AbortController();
    // Aborted once the request has reached the server (a fixed timer could fire before it connects).
    handler = () => ctl.abort();
    await expect(client().request({ method: 'GET', path: PATH, token: TOKEN, signal: ctl.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(hits).toBe(1);
  });

  it('a deadline shorter than the timeout cuts the call at the deadline: DeadlinePassed, not an upstream timeout, and no breaker failure', async () => {
    handler = () => undefined; // never answers
    const events: UpstreamCallEvent[] = [];
    // A breaker that one upstream failure would open.
    const c = client({ timeoutMs: 5_000, retry: { attempts: 3 }, onCall: (e) => events.push(e), breaker: createBreaker({ failures: 1, cooldownMs: 60_000 }) });
    const t0 = performance.now();
    const err = await c.request({ method: 'GET', path: PATH, token: TOKEN, deadline: t0 + 150 }).catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    expect(err).toBeInstanceOf(DeadlinePassed);
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(1_500);
    // Cut once, not retried: the time is the request's, not this call's. (On a busy machine the cut may
    // come before the request reached the server, so at most one hit.)
    expect(hits).toBeLessThanOrEqual(1);
    expect(events).toHaveLength(1);
    expect(events[0]!.errorCode).toBeUndefined();
    expect(c.breakerState).toBe('closed');
  });

  it('a retry whose wait would end past the deadline fails at once with DeadlinePassed', async () => {
    // AMPECO asks for a wait of 3 s (a random backoff could be short; a Retry-After is not).
    handler = (_req, res) => send(res, 503, { message: 'busy' }, { 'retry-after': '3' });
    const c = client({ retry: { attempts: 3, maxRetryAfterMs: 5_000 } });
    const t0 = performance.now();
    const err = await c.request({ method: 'GET', path: PATH, token: TOKEN, deadline: t0 + 1_500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlinePassed);
    expect(hits).toBe(1);
    // Failed at once, not at the deadline nor after the wait.
    expect(performance.now() - t0).toBeLessThan(1_400);
  });

  it('a call waiting for a free slot fails with DeadlinePassed when its deadline passes, and never reaches AMPECO', async () => {
    handler = async (_req, res) => {
      await delay(400);
      send(res, 200, { data: [] });
    };
    const c = client({ maxInFlight: 1 });
    const first = c.request({ method: 'GET', path: PATH, token: TOKEN });
    const t0 = performance.now();
    const err = await c.request({ method: 'GET', path: PATH, token: TOKEN, deadline: t0 + 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlinePassed);
    expect(performance.now() - t0).toBeLessThan(350);
    await first;
    expect(hits).toBe(1);
    expect(c.queued).toBe(0);
  });

  it('checkReachable: a 401 counts as reachable, a 5xx or a closed port does not', async () => {
    handler = (_req, res) => send(res, 401, { message: 'Unauthenticated.' });
    expect(await client().checkReachable()).toBe(true);
    expect(decodeURIComponent(seen[0]!.url)).toBe('/public-api/resources/locations/v2.0?per_page=1');
    expect(seen[0]!.headers.authorization).toBeUndefined();
    handler = (_req, res) => send(res, 503);
    expect(await client({ probeToken: TOKEN }).checkReachable()).toBe(false);
    expect(seen[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await client({ baseUrl: `http://127.0.0.1:${port}` }).checkReachable()).toBe(false);
  });
});

describe('pacing', () => {
  it('never has more than maxInFlight calls at the server', async () => {
    handler = async (_req, res) => {
      await delay(40);
      send(res, 200, { ok: true });
    };
    const c = client({ maxInFlight: 3 });
    const results = await Promise.all(Array.from({ length: 12 }, () => c.request({ method: 'GET', path: PATH, token: TOKEN })));
    expect(results).toHaveLength(12);
    expect(hits).toBe(12);
    expect(maxConcurrent).toBe(3);
  });

  it('ConcurrencyLimiter is FIFO and bounded', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          order.push(i);
          await delay(5);
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limiter.inFlight).toBe(0);
  });

  it('the rate budget paces requests under a limit the server enforces, without a single 429', async () => {
    const LIMIT = 5;
    const WINDOW = 500;
    // The server: a strict sliding window per credential, like a Laravel throttle would be at worst.
    const makeLimitedHandler = (): { handler: Handler; rejected: () => number } => {
      const arrivals: number[] = [];
      let rejected = 0;
      return {
        rejected: () => rejected,
        handler: (_req, res) => {
          const now = performance.now();
          while (arrivals.length > 0 && arrivals[0]! <= now - WINDOW) arrivals.shift();
          if (arrivals.length >= LIMIT) {
            rejected++;
            send(res, 429, { message: 'Too Many Attempts.' }, { 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': '0' });
            return;
          }
          arrivals.push(now);
          send(res, 200, { ok: true }, { 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': String(LIMIT - arrivals.length) });
        },
      };
    };

    // Control: without a budget the same burst bounces off the limit.
    let limited = makeLimitedHandler();
    handler = limited.handler;
    const bare = client({ retry: { attempts: 1 } });
    await Promise.allSettled(Array.from({ length: 8 }, () => bare.request({ method: 'GET', path: PATH, token: TOKEN })));
    expect(limited.rejected()).toBeGreaterThan(0);
    await delay(WINDOW + 20);

    limited = makeLimitedHandler();
    handler = limited.handler;
    hits = 0;
    const paced = client({ retry: { attempts: 1 }, rateBudget: new InMemoryRateBudget({ requestsPerWindow: LIMIT, windowMs: WINDOW }) });
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: 12 }, () => paced.request({ method: 'GET', path: PATH, token: TOKEN })));
    const elapsed = performance.now() - t0;
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(limited.rejected()).toBe(0);
    expect(hits).toBe(12);
    // 12 requests at 5 per 500 ms: three waves, the last one no earlier than two windows in.
    expect(elapsed).toBeGreaterThanOrEqual(2 * WINDOW);
    expect(elapsed).toBeLessThan(6 * WINDOW);
  });

  it('pauses a credential when the upstream says remaining = 0, until the reset', async () => {
    handler = (_req, res) => send(res, 200, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.3' });
    const c = client({ rateBudget: new InMemoryRateBudget() });
    await c.request({ method: 'GET', path: PATH, token: TOKEN });
    await c.request({ method: 'GET', path: PATH, token: TOKEN });
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(290);
    // Another credential is not affected.
    const t0 = performance.now();
    await c.request({ method: 'GET', path: PATH, token: 'another-token-123' });
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('InMemoryRateBudget: abortable wait, lower upstream limit adopted', async () => {
    const budget = new InMemoryRateBudget({ requestsPerWindow: 10, windowMs: 10_000 });
    budget.observe('k', { limit: 1 }); // no open lease: only adapts the capacity
    await budget.acquire('k');
    const ctl = new AbortController();
    const waiting = budget.acquire('k', ctl.signal);
    setTimeout(() => ctl.abort(new Error('gave up')), 30);
    await expect(waiting).rejects.toThrow('gave up');
  });
});

describe('AmpecoHttpClient: a stall of our own event loop is not an upstream timeout', () => {
  it('an answer that arrived while the loop was blocked past the timeout is read, not abandoned', async () => {
    // The upstream runs in another process, so it answers (after 50 ms) while this one is blocked.
    const child = spawn(
      process.execPath,
      ['-e', "const s=require('http').createServer((q,r)=>setTimeout(()=>{r.setHeader('content-type','application/json');r.end('{\"ok\":true}')},50));s.listen(0,'127.0.0.1',()=>console.log(s.address().port))"],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
      const c = new AmpecoHttpClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300, retry: { attempts: 1 } });
      try {
        const pending = c.request({ method: 'GET', path: '/x', token: 't' });
        await new Promise((r) => setTimeout(r, 10));
        // A 700 ms stall (a long GC, CPU throttling) in the check phase: the next loop turn runs the
        // overdue 300 ms timer before it polls the socket where the answer waits.
        await new Promise<void>((resolve) =>
          setImmediate(() => {
            const until = performance.now() + 700;
            while (performance.now() < until);
            resolve();
          }),
        );
        await expect(pending).resolves.toMatchObject({ status: 200, body: { ok: true } });
      } finally {
        await c.close();
      }
    } finally {
      child.kill();
    }
  });
});
