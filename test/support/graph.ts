/**
 * Helpers for the facade's integration tests (test/graph): expected values computed from the
 * simulator's store, upstream-call inspection, paging through connections, error hygiene checks.
 */
import { expect } from 'vitest';
import type { RequestLogEntry, Simulator } from '../../simulator/index.js';
import type { GraphQLResponse, Stack } from './stack.js';

/**
 * AMPECO's enum string as the GraphQL enum value, by the plain rule (independent of the generator):
 * `out of order` -> OUT_OF_ORDER, `long-term_unavailable` -> LONG_TERM_UNAVAILABLE, `ocpp 1.6` -> OCPP_1_6.
 * Only for values that are lower-case words (no camelCase, no leading digit).
 */
export function screaming(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Ids as the graph returns them (`ID` is a string). */
export const idsOf = (records: readonly Record<string, unknown>[]): string[] => records.map((r) => String(r.id));

/** `null`/absent become null, anything else its string: how an `ID` field reads a stored number. */
export const idOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value));

/** The upstream requests the simulator logged, with the query string decoded, optionally filtered. */
export function upstream(sim: Simulator, filter: (e: RequestLogEntry & { decoded: string }) => boolean = () => true): (RequestLogEntry & { decoded: string })[] {
  return sim.log.map((e) => ({ ...e, decoded: decodeURIComponent(e.query) })).filter(filter);
}

/** `GET` calls whose path is exactly `path` (a by-id read) or starts with it. */
export const gets = (sim: Simulator, pathPrefix: string) => upstream(sim, (e) => e.method === 'GET' && e.path.startsWith(pathPrefix));

/** AMPECO paths the facade tests count calls on (shared with the simulator's tests). */
export { P } from '../simulator/helpers.js';

export interface Connection {
  edges: { cursor: string; node: { id: string } & Record<string, unknown> }[];
  nodes?: ({ id: string } & Record<string, unknown>)[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number | null;
}

/**
 * Follows `pageInfo.endCursor` until `hasNextPage` is false. The query takes `$after: String` (and
 * whatever else `variables` holds); `select` picks the connection out of `data`.
 */
export async function pageThrough(
  stack: Stack,
  query: string,
  select: (data: Record<string, any>) => Connection,
  variables: Record<string, unknown> = {},
  maxPages = 200,
): Promise<{ ids: string[]; pages: Connection[] }> {
  const ids: string[] = [];
  const pages: Connection[] = [];
  let after: string | null = null;
  for (;;) {
    const res: GraphQLResponse = await stack.gql(query, { ...variables, after });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const page = select(res.data!);
    pages.push(page);
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return { ids, pages };
    expect(page.pageInfo.endCursor).toBeTruthy();
    after = page.pageInfo.endCursor;
    if (pages.length >= maxPages) throw new Error(`more than ${maxPages} pages: the listing does not end`);
  }
}

/** The one error of a response with this code (fails when absent). */
export function errorWithCode(res: GraphQLResponse, code: string) {
  const found = (res.errors ?? []).filter((e) => e.extensions?.code === code);
  expect(found, `expected a ${code} error in ${JSON.stringify(res.errors)}`).toHaveLength(1);
  return found[0]!;
}

/** No stack traces, no secrets, no upstream origin in any error of a response. */
export function expectCleanErrors(res: GraphQLResponse, secrets: string[], sim?: Simulator): void {
  const text = JSON.stringify(res);
  for (const error of res.errors ?? []) {
    expect(error.extensions?.stacktrace).toBeUndefined();
    expect(error.extensions?.exception).toBeUndefined();
    expect(error.message).not.toMatch(/\n\s+at\s/);
  }
  for (const secret of secrets) expect(text).not.toContain(secret);
  if (sim) expect(text).not.toContain(sim.url);
  expect(text).not.toMatch(/\bat [\w.<>]+ \(.*:\d+:\d+\)/);
}
