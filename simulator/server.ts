/**
 * The HTTP front: request log, knobs (latency, faults, rate limit), authentication, routing.
 * Faults apply first, as if a proxy in front of AMPECO misbehaved; then auth, then the limit.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { dispatcher } from './dispatch.js';
import { HttpError, type Reply } from './http.js';
import { Rng } from './prng.js';
import { parseQuery } from './query.js';
import { MALFORMED_BODY, type RequestInfo, type Runtime } from './handlers.js';
import type { Router } from './router.js';
import type { Fault, Knobs, RequestLogEntry } from './types.js';

const MAX_BODY = 1024 * 1024;

export interface ServerState {
  rt: Runtime;
  router: Router;
  tokens: Set<string>;
  knobs: Knobs;
  log: RequestLogEntry[];
  logLimit: number;
  /** Per token: start of the current fixed window and requests counted in it. */
  windows: Map<string, { start: number; count: number }>;
  jitter: Rng;
  /** Draws of faults with a `rate`; made from the seed on first use. */
  faultRng?: Rng;
}

function sleep(ms: number): Promise<void> {
  // Unref'd: a response still waiting out its latency must not keep a closed simulator's process alive.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function faultMatches(fault: Fault, method: string, path: string): boolean {
  const m = fault.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method) return false;
  if (m.pathIncludes && !path.includes(m.pathIncludes)) return false;
  return true;
}

/** The first matching fault that applies (see `rate`), counting down its `times`. */
function takeFault(state: ServerState, method: string, path: string): Fault | undefined {
  const faults = state.knobs.faults;
  const i = faults.findIndex((f) => {
    if (!faultMatches(f, method, path)) return false;
    if (f.rate === undefined) return true;
    state.faultRng ??= Rng.derive(state.rt.seed, 'faults');
    return state.faultRng.next() < f.rate;
  });
  if (i === -1) return undefined;
  const fault = faults[i]!;
  if (fault.times !== undefined) {
    const left = fault.times - 1;
    if (left <= 0) faults.splice(i, 1);
    else faults[i] = { ...fault, times: left };
  }
  return fault;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'The request body is too large.'));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply, extra: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...extra, ...reply.headers };
  if (reply.body === undefined || reply.status === 204) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(reply.status, headers);
  res.end(text);
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return m?.[1];
}

/** Fixed-window limit per token: the headers for this response, or a 429 error. */
function rateLimit(state: ServerState, token: string, now: number): Record<string, string> {
  const limit = state.knobs.rateLimit;
  if (!limit) return {};
  let w = state.windows.get(token);
  if (!w || now - w.start >= limit.windowMs) {
    w = { start: now, count: 0 };
    state.windows.set(token, w);
  }
  const resetMs = w.start + limit.windowMs;
  if (w.count >= limit.limit) {
    throw new HttpError(429, 'Too Many Attempts.', undefined, {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': '0',
      'retry-after': String(Math.max(1, Math.ceil((resetMs - now) / 1000))),
      'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    });
  }
  w.count++;
  return { 'x-ratelimit-limit': String(limit.limit), 'x-ratelimit-remaining': String(limit.limit - w.count) };
}

export function createHandler(state: ServerState) {
  const run = dispatcher(state.rt, state.router);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const search = q === -1 ? '' : rawUrl.slice(q + 1);
    const entry: RequestLogEntry = { method, path: pathname, query: search, status: 0, timestamp: Date.now(), durationMs: 0, authPresent: Boolean(req.headers.authorization) };
    const { log } = state;
    log.push(entry);
    if (log.length > state.logLimit) log.splice(0, log.length - Math.floor(state.logLimit * 0.9));
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.durationMs = performance.now() - started;
    });
    let extra: Record<string, string> = {};
    try {
      const { knobs } = state;
      let delay = knobs.latencyMs + (knobs.latencyJitterMs > 0 ? state.jitter.next() * knobs.latencyJitterMs : 0);
      const fault = takeFault(state, method, pathname);
      if (fault) entry.fault = fault.kind;
      if (fault?.kind === 'drop') {
        if (delay > 0) await sleep(delay);
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'slow') delay += fault.delayMs;
      const text = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
      if (text !== undefined) entry.body = text;
      if (req.headers['content-type']) entry.contentType = req.headers['content-type'];
      if (delay > 0) await sleep(delay);
      if (res.destroyed) return;
      if (fault?.kind === 'status') {
        send(res, { status: fault.status, body: { message: STATUS_CODES[fault.status] ?? 'Simulated fault' } }, {});
        return;
      }
      const token = bearer(req);
      if (!token || !state.tokens.has(token)) throw new HttpError(401, 'Unauthenticated.');
      extra = rateLimit(state, token, Date.now());
      let body: unknown;
      if (text !== undefined && text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = MALFORMED_BODY;
        }
      }
      const info: RequestInfo = {
        origin: `http://${req.headers.host ?? 'localhost'}`,
        pathname,
        search,
        query: parseQuery(search),
        params: {},
        body,
        now: new Date(),
      };
      send(res, run(method, info), extra);
    } catch (error) {
      if (error instanceof HttpError) send(res, error.toReply(), extra);
      else {
        console.error('[simulator]', method, rawUrl, error);
        send(res, { status: 500, body: { message: 'Server Error' } }, extra);
      }
    }
  };
}
