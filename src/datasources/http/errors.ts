/**
 * GraphQL errors for everything that can go wrong talking to AMPECO.
 *
 * They are what the layers above see instead of status codes and undici errors. Every message is safe to show
 * to a GraphQL client: it never contains the bearer token, a full URL or a query string (filters may carry
 * personal data). `extensions.upstream` says which upstream call failed, with the path only.
 */
import { GraphQLError } from 'graphql';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface UpstreamCallInfo {
  /** HTTP status AMPECO answered with; null when there was no answer (timeout, connection failure). */
  status: number | null;
  method: HttpMethod;
  /** Path without the query string. */
  path: string;
}

export type UpstreamErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'UPSTREAM_CLIENT_ERROR'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_SERVER_ERROR'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BAD_RESPONSE';

export type FieldErrors = Record<string, string[]>;

/** Upstream-provided text is shown to clients, so it is bounded in length. */
const MAX_UPSTREAM_TEXT = 500;

function safeInfo(info: UpstreamCallInfo): UpstreamCallInfo {
  // Drop any query string (and fragment) defensively: callers pass paths, but a path is never a URL here.
  const path = info.path.split(/[?#]/, 1)[0] ?? '';
  return { status: info.status, method: info.method, path };
}

export abstract class UpstreamError extends GraphQLError {
  abstract readonly code: UpstreamErrorCode;
  readonly upstream: UpstreamCallInfo;

  protected constructor(
    message: string,
    code: UpstreamErrorCode,
    upstream: UpstreamCallInfo,
    extra: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    const info = safeInfo(upstream);
    super(message, {
      extensions: { code, upstream: info, ...extra },
      // Kept for server-side logs only: GraphQLError.toJSON never serialises originalError.
      originalError: cause instanceof Error ? cause : undefined,
    });
    this.upstream = info;
    this.name = new.target.name;
  }
}

export class UpstreamUnauthenticatedError extends UpstreamError {
  readonly code = 'UNAUTHENTICATED';
  constructor(upstream: UpstreamCallInfo) {
    super('AMPECO rejected the request: the token is missing or invalid.', 'UNAUTHENTICATED', upstream);
  }
}

export class UpstreamForbiddenError extends UpstreamError {
  readonly code = 'FORBIDDEN';
  constructor(upstream: UpstreamCallInfo) {
    super('AMPECO refused the request: the token is not allowed to perform this operation.', 'FORBIDDEN', upstream);
  }
}

export class UpstreamNotFoundError extends UpstreamError {
  readonly code = 'NOT_FOUND';
  constructor(upstream: UpstreamCallInfo) {
    // The upstream 404 message is not used: Laravel's names internal model classes.
    super('AMPECO has no such resource.', 'NOT_FOUND', upstream);
  }
}

export class UpstreamValidationError extends UpstreamError {
  readonly code = 'BAD_USER_INPUT';
  readonly fieldErrors: FieldErrors;
  constructor(upstream: UpstreamCallInfo, fieldErrors: FieldErrors, upstreamMessage?: string) {
    const detail = upstreamMessage ? `: ${upstreamMessage}` : '.';
    super(`AMPECO rejected the input${detail}`, 'BAD_USER_INPUT', upstream, { fieldErrors });
    this.fieldErrors = fieldErrors;
  }
}

/** Any other 4xx (400, 405, 409, 410, 413...): the request itself was wrong, retrying will not help. */
export class UpstreamClientError extends UpstreamError {
  readonly code = 'UPSTREAM_CLIENT_ERROR';
  constructor(upstream: UpstreamCallInfo, upstreamMessage?: string) {
    const detail = upstreamMessage ? `: ${upstreamMessage}` : '.';
    super(`AMPECO rejected the request with HTTP ${upstream.status ?? '?'}${detail}`, 'UPSTREAM_CLIENT_ERROR', upstream);
  }
}

export class UpstreamRateLimitedError extends UpstreamError {
  readonly code = 'UPSTREAM_RATE_LIMITED';
  /** How long AMPECO asked to wait, when it said (Retry-After or X-RateLimit-Reset). */
  readonly retryAfterMs: number | undefined;
  constructor(upstream: UpstreamCallInfo, retryAfterMs?: number) {
    const rounded = retryAfterMs === undefined ? undefined : Math.max(0, Math.ceil(retryAfterMs));
    const when = rounded === undefined ? '' : `; retry after ${rounded} ms`;
    super(`AMPECO rate limit reached${when}.`, 'UPSTREAM_RATE_LIMITED', upstream, {
      ...(rounded === undefined ? {} : { retryAfterMs: rounded }),
    });
    this.retryAfterMs = rounded;
  }
}

export class UpstreamServerError extends UpstreamError {
  readonly code = 'UPSTREAM_SERVER_ERROR';
  constructor(upstream: UpstreamCallInfo) {
    super(`AMPECO failed to process the request (HTTP ${upstream.status ?? '?'}).`, 'UPSTREAM_SERVER_ERROR', upstream);
  }
}

export class UpstreamTimeoutError extends UpstreamError {
  readonly code = 'UPSTREAM_TIMEOUT';
  readonly timeoutMs: number;
  constructor(upstream: UpstreamCallInfo, timeoutMs: number, cause?: unknown) {
    // A write that timed out may have been applied: it is never retried, and the client is told so.
    const write = upstream.method !== 'GET' && upstream.method !== 'HEAD';
    super(
      write ? `AMPECO did not answer within ${timeoutMs} ms; the outcome of this write is unknown: read the record before trying again.` : `AMPECO did not answer within ${timeoutMs} ms.`,
      'UPSTREAM_TIMEOUT',
      upstream,
      write ? { outcomeUnknown: true } : {},
      cause,
    );
    this.timeoutMs = timeoutMs;
  }
}

export class UpstreamUnavailableError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor(upstream: UpstreamCallInfo, detail = 'the connection failed', cause?: unknown) {
    super(`AMPECO is unavailable: ${detail}.`, 'UPSTREAM_UNAVAILABLE', upstream, {}, cause);
  }
}

export class UpstreamBadResponseError extends UpstreamError {
  readonly code = 'UPSTREAM_BAD_RESPONSE';
  constructor(upstream: UpstreamCallInfo, detail = 'the body is not valid JSON') {
    super(`AMPECO sent a response that could not be read: ${detail}.`, 'UPSTREAM_BAD_RESPONSE', upstream);
  }
}

export function isUpstreamError(e: unknown): e is UpstreamError {
  return e instanceof UpstreamError;
}

/**
 * Makes upstream-provided text safe to show: removes every occurrence of the secrets (the token), collapses
 * whitespace and bounds the length.
 */
export function sanitizeUpstreamText(text: unknown, secrets: readonly string[]): string | undefined {
  if (typeof text !== 'string') return undefined;
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(/\s+/g, ' ').trim();
  if (out.length > MAX_UPSTREAM_TEXT) out = `${out.slice(0, MAX_UPSTREAM_TEXT - 1)}…`;
  return out || undefined;
}

/** Normalises Laravel's `errors` object ({field: [msg] | msg}) into {field: string[]}, sanitised. */
export function parseFieldErrors(errors: unknown, secrets: readonly string[]): FieldErrors {
  const out: FieldErrors = {};
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return out;
  for (const field of Object.keys(errors).sort()) {
    const raw = (errors as Record<string, unknown>)[field];
    const list = Array.isArray(raw) ? raw : [raw];
    const msgs = list.map((m) => sanitizeUpstreamText(m, secrets)).filter((m): m is string => m !== undefined);
    const safeField = sanitizeUpstreamText(field, secrets) ?? field;
    if (msgs.length > 0) out[safeField] = msgs;
  }
  return out;
}
