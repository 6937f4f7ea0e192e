/**
 * Reads of views (see ViewDefinition): records without an id of their own to be read back by, so
 * no by-id cache; one read per path per request (deduped), and listings paged like any other, with
 * the same bounded walks and signed cursors.
 */
import { checkPageSize, startPosition, toPage, type Page } from './connection-page.js';
import { listingScope, type CursorCodec } from './cursor.js';
import { pageQuery, pagingOf } from './envelope.js';
import { nullIfNotFound, type RestGateway } from './gateway.js';
import { checkPathValue, pathValueProblem } from './ids.js';
import { UpstreamBadResponseError } from './http/index.js';
import { cursorWindow, numberedWindow, unpagedWindow, type PageSource } from './paginators.js';
import type { RecordCache } from './record-cache.js';
import { readPath, type RestRecord } from './records.js';
import { fillPath, type ViewSpec } from './registry.js';
import { PageWalk, type RequestLimits } from './request-limits.js';

export interface ViewArgs {
  first?: number;
  after?: string | null;
  filter?: Record<string, unknown> | null;
  /** Path parameters the owner does not fill, by argument name. */
  [arg: string]: unknown;
}

export class ViewReader {
  private readonly items = new Map<string, Promise<unknown>>();

  constructor(
    private readonly gateway: RestGateway,
    private readonly cache: RecordCache,
    private readonly cursors: CursorCodec,
    private readonly limits: RequestLimits,
  ) {}

  /** The path of a view's read for this owner record and these arguments (checked against the contract first). */
  path(v: ViewSpec, owner: RestRecord | null, args: ViewArgs): string {
    const values: Record<string, string> = {};
    for (const [param, field] of Object.entries(v.ownerParams)) {
      const value = owner ? readPath(owner, field) : undefined;
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
      // A value AMPECO handed out that cannot address its own path is AMPECO's inconsistency, not the client's input.
      if (text === undefined || pathValueProblem(v.operation.pathParams.find((p) => p.name === param)?.schema, text)) {
        throw new UpstreamBadResponseError({ status: null, method: 'GET', path: v.operation.path }, `AMPECO handed out a ${v.owner ?? 'record'} whose ${field} cannot be read back`);
      }
      values[param] = text;
    }
    for (const a of v.args) {
      const value = typeof args[a.arg] === 'string' ? (args[a.arg] as string) : '';
      checkPathValue(v.operation.pathParams.find((p) => p.name === a.param)?.schema, value, a.arg, `the ${a.param} of ${v.field}`);
      values[a.param] = value;
    }
    return fillPath(v.operation.path, values);
  }

  /** A view of one record; null when AMPECO has none (a charge point that never reported a status). */
  one(v: ViewSpec, owner: RestRecord | null, args: ViewArgs): Promise<unknown> {
    const path = this.path(v, owner, args);
    let pending = this.items.get(path);
    if (!pending) this.items.set(path, (pending = nullIfNotFound(() => this.gateway.viewItem(path))));
    return pending;
  }

  /** A small unpaged list, read whole in one call. */
  async all(v: ViewSpec, owner: RestRecord | null, args: ViewArgs): Promise<RestRecord[]> {
    const env = await this.cache.rawListing(this.path(v, owner, args), {});
    return env.data;
  }

  /** One connection page of a paged view. */
  async page(v: ViewSpec, owner: RestRecord | null, args: ViewArgs): Promise<Page> {
    const first = typeof args.first === 'number' ? args.first : 25;
    checkPageSize(first);
    const path = this.path(v, owner, args);
    const paging = pagingOf(v);
    const scope = listingScope(`${v.owner ?? 'Query'}.${v.field}`, path, args.filter);
    const start = startPosition(this.cursors, args.after, scope, paging === 'cursor');
    const base = args.filter ? { filter: args.filter } : {};
    const source: PageSource = (request) => this.cache.rawListing(path, pageQuery(base, request));
    const walk = new PageWalk(`a page of ${v.owner ?? 'Query'}.${v.field}`, this.limits.settings.maxListPages);
    const window =
      start.kind === 'cursor'
        ? await cursorWindow(source, start, first, walk)
        : paging === 'whole'
          ? await unpagedWindow(source, start.offset, first, walk)
          : await numberedWindow(source, start.offset, first, walk);
    return toPage(this.cursors, scope, window);
  }

  /** After a write nothing read before is trusted. */
  forget(): void {
    this.items.clear();
  }
}
