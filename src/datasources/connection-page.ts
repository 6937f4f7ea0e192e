/**
 * Connection pages as resolvers return them: records with opaque cursors (see cursor.ts), and the
 * checks on `first` and `after` made before any upstream call.
 */
import { GraphQLError } from 'graphql';
import type { CursorCodec, Position } from './cursor.js';
import { MAX_PAGE_SIZE } from './envelope.js';
import type { Window } from './paginators.js';
import type { RestRecord } from './records.js';

export interface Page {
  /** The page's records. */
  nodes: RestRecord[];
  /** The records with their cursors: built when first read. */
  edges: { cursor: string; node: RestRecord }[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: number | null;
}

/**
 * A connection page whose edges are made, and cursors (`endCursor` included) signed, only when read:
 * an HMAC per cursor is most of what a page costs beyond its records, and most queries select no
 * cursor, many no edge.
 */
export function toPage(cursors: CursorCodec, scope: string, { nodes, positionAfter, hasNextPage, totalCount }: Window): Page {
  let edges: Page['edges'] | undefined;
  let end: string | undefined;
  return {
    nodes,
    get edges() {
      return (edges ??= nodes.map((node, i) => {
        let cursor: string | undefined;
        return {
          node,
          get cursor(): string {
            return (cursor ??= cursors.encode(positionAfter(i), scope));
          },
        };
      }));
    },
    hasNextPage,
    get endCursor(): string | null {
      if (!nodes.length) return null;
      return (end ??= cursors.encode(positionAfter(nodes.length - 1), scope));
    },
    totalCount,
  };
}

/** Where a page starts: the listing's start, or the position `after` encodes for this listing's scope and paging. */
export function startPosition(cursors: CursorCodec, after: string | null | undefined, scope: string, cursorPaged: boolean): Position {
  const start: Position = after
    ? cursors.decode(after, scope)
    : cursorPaged
      ? { kind: 'cursor', upstream: null, skip: 0 }
      : { kind: 'offset', offset: 0 };
  if ((start.kind === 'cursor') !== cursorPaged) {
    throw new GraphQLError('The `after` cursor does not belong to this listing.', { extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  }
  return start;
}

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new GraphQLError(`\`first\` must be between 1 and ${MAX_PAGE_SIZE} (AMPECO's page size limit); got ${first}.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
    });
  }
}
