/**
 * What one GraphQL request may cost upstream: a number of calls, a wall-clock deadline and a
 * number of pages per list. One instance per request, owned by its datasource. Past a limit the
 * fields that still need AMPECO fail with an error naming the limit; what was read stays.
 */
import { GraphQLError } from 'graphql';

export interface RequestLimitSettings {
  /** Upstream calls one request may send (retries of one call count once). */
  maxUpstreamCalls: number;
  /** Deadline of the whole request, from its start. */
  timeoutMs: number;
  /** Pages one walk over a listing may read. */
  maxListPages: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimitSettings = { maxUpstreamCalls: 500, timeoutMs: 30_000, maxListPages: 20 };

export class RequestLimits {
  private calls = 0;
  /**
   * When the request's upstream work must be over (performance.now() time). A time rather than an
   * AbortSignal with a timer: each call bounds its own timeout and waits by it (http/client.ts), so a
   * request pays for no controller, timer or listener of its own, and nothing of it outlives its answer.
   */
  readonly deadline: number;

  constructor(readonly settings: RequestLimitSettings = DEFAULT_REQUEST_LIMITS) {
    this.deadline = performance.now() + settings.timeoutMs;
  }

  /** Upstream calls sent so far. */
  get callsMade(): number {
    return this.calls;
  }

  /** Whether the request's deadline has passed. */
  pastDeadline(): boolean {
    return performance.now() >= this.deadline;
  }

  /** Takes one call from the budget, or throws once the budget or the deadline is spent. */
  spend(): void {
    if (this.pastDeadline()) throw this.deadlineError();
    if (this.calls >= this.settings.maxUpstreamCalls) {
      throw new GraphQLError(
        `This request used up its budget of ${this.settings.maxUpstreamCalls} upstream calls (FACADE_MAX_UPSTREAM_CALLS); ask for fewer records or page through them.`,
        { extensions: { code: 'UPSTREAM_BUDGET_EXCEEDED', limitName: 'FACADE_MAX_UPSTREAM_CALLS', limit: this.settings.maxUpstreamCalls } },
      );
    }
    this.calls++;
  }

  deadlineError(): GraphQLError {
    return new GraphQLError(
      `This request ran past its deadline of ${this.settings.timeoutMs} ms (FACADE_REQUEST_TIMEOUT_MS); what was read by then is kept.`,
      { extensions: { code: 'REQUEST_DEADLINE_EXCEEDED', limitName: 'FACADE_REQUEST_TIMEOUT_MS', limit: this.settings.timeoutMs } },
    );
  }
}

/**
 * Keeps one walk over an upstream listing finite whatever AMPECO answers: it ends on an empty
 * page and on a cursor it has already followed (a `next` that does not advance), and refuses to
 * read more than the request's page cap.
 */
export class PageWalk {
  private readonly followed = new Set<string>();
  private pages = 0;

  constructor(
    /** Names the list in the error past the cap, e.g. "the EVSEs of charge point 12". */
    private readonly what: string,
    private readonly maxPages: number,
  ) {}

  /** Call before reading each page. */
  step(): void {
    this.pages++;
    if (this.pages > this.maxPages) {
      throw new GraphQLError(
        `Reading ${this.what} would take more than ${this.maxPages} upstream pages (FACADE_MAX_LIST_PAGES); use a paged field or a narrower filter.`,
        { extensions: { code: 'LIST_TOO_LONG', limitName: 'FACADE_MAX_LIST_PAGES', limit: this.maxPages } },
      );
    }
  }

  /** Whether to go on to `next` after a page of `rows` rows read at `current`. */
  continues(current: string | null, next: string | null | undefined, rows: number): next is string {
    this.followed.add(current ?? '');
    return Boolean(next) && rows > 0 && !this.followed.has(next!);
  }
}
