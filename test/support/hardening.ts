/**
 * Helpers shared by the hardening suites (test/hardening): raw HTTP to the facade with a hang
 * bound, response well-formedness, probes, leak checks and an unhandled-rejection recorder.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { testServerConfig, type GraphQLResponse } from './stack.js';

export interface RawResult {
  /** 0 when no HTTP answer came (hang past the bound, connection error). */
  status: number;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  body: GraphQLResponse | undefined;
  ms: number;
  /** Set when no HTTP answer came: why. */
  failure?: string;
}

/**
 * POSTs `body` (sent as is when a string, else as JSON) to a GraphQL endpoint. Never throws: a
 * hang past `timeoutMs` or a transport error is reported in `failure`, so callers can print the case.
 */
export async function postRaw(
  url: string,
  body: unknown,
  { token, headers = {}, timeoutMs = 10_000 }: { token?: string | null; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RawResult> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: GraphQLResponse | undefined;
    try {
      parsed = JSON.parse(text) as GraphQLResponse;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed, ms: performance.now() - started };
  } catch (error) {
    const e = error as Error;
    const failure = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms (a hang)` : `transport error: ${e.name}: ${e.message}`;
    return { status: 0, text: '', body: undefined, ms: performance.now() - started, failure };
  }
}

/** Codes of a response's errors, in order. */
export const codesOf = (res: Pick<GraphQLResponse, 'errors'> | undefined): unknown[] => (res?.errors ?? []).map((e) => e.extensions?.code);

/**
 * What is wrong with a response whatever the operation was: no answer, a 5xx, a body that is not a
 * GraphQL JSON object with `data` or `errors`, an INTERNAL_SERVER_ERROR, a stack trace or a secret.
 * Empty when it is well-formed.
 */
export function responseProblems(res: RawResult, secrets: readonly string[] = []): string[] {
  if (res.failure) return [res.failure];
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`HTTP ${res.status}`);
  const body = res.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [...problems, `body is not a JSON object: ${res.text.slice(0, 200)}`];
  if (!('data' in body) && !('errors' in body)) problems.push('neither `data` nor `errors` in the body');
  if ('errors' in body && (!Array.isArray(body.errors) || body.errors.length === 0)) problems.push('`errors` is present but not a non-empty list');
  for (const e of body.errors ?? []) {
    if (typeof e?.message !== 'string') problems.push(`an error without a message: ${JSON.stringify(e)}`);
    if (e?.extensions?.code === 'INTERNAL_SERVER_ERROR') problems.push(`INTERNAL_SERVER_ERROR at ${JSON.stringify(e.path ?? null)}: ${e.message}`);
    if (e?.extensions?.stacktrace !== undefined || e?.extensions?.exception !== undefined) problems.push('an error carries a stack trace');
    if (typeof e?.message === 'string' && /\n\s+at\s/.test(e.message)) problems.push('an error message holds a stack trace');
  }
  if (/\bat [\w.<>]+ \(.*:\d+:\d+\)/.test(res.text)) problems.push('the body holds a stack frame');
  for (const secret of secrets) if (res.text.includes(secret)) problems.push(`the body echoes the secret ${secret}`);
  return problems;
}

/** GET /health, timed. Never throws. */
export async function timedHealth(server: Pick<RunningServer, 'url'>, timeoutMs = 5_000): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

/** Polls until `condition` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000, everyMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The facade's upstream counters once they settle: both 0 unless something leaked. Waits up to
 * `timeoutMs` because the last calls' slots are released just after the responses are sent.
 */
export async function settledCounters(server: RunningServer, timeoutMs = 5_000): Promise<{ inFlight: number; queued: number }> {
  await eventually(() => server.http.inFlight === 0 && server.http.queued === 0, timeoutMs);
  return { inFlight: server.http.inFlight, queued: server.http.queued };
}

/** Records the process's unhandled rejections from now until `stop()`. */
export function recordUnhandledRejections(): { readonly seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    seen,
    stop: () => {
      process.off('unhandledRejection', listener);
    },
  };
}

/** A local TCP port nothing listens on (bound once, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The facade alone, pointed at `baseUrl` (an upstream that may not exist), with the test defaults of startStack. */
export function startFacade(baseUrl: string, config: Partial<AppConfig> = {}): Promise<RunningServer> {
  return startServer(testServerConfig(baseUrl, config));
}
