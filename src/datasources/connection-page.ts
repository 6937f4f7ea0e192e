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
 *
 * A class, not an object literal with getters: V8 builds literals with accessors outside the young
 * generation, and the records such an object points to then survive every minor GC until a full one
 * (measured under load: ~10× the bytes promoted, twice the RSS). The lint forbids those literals in src/.
 */
class ConnectionPage implements Page {
  readonly nodes: RestRecord[];
  readonly hasNextPage: boolean;
  readonly totalCount: number | null;
  #edges: PageEdge[] | undefined;
  #endCursor: string | undefined;

  constructor(
    private readonly cursors: CursorCodec,
    private readonly scope: string,
    private readonly window: Window,
  ) {
    this.nodes = window.nodes;
    this.hasNextPage = window.hasNextPage;
    this.totalCount = window.totalCount;
  }

  get edges(): PageEdge[] {
    return (this.#edges ??= this.nodes.map((node, i) => new PageEdge(node, () => this.cursorAfter(i))));
  }

  get endCursor(): string | null {
    if (!this.nodes.length) return null;
    return (this.#endCursor ??= this.cursorAfter(this.nodes.length - 1));
  }

  private cursorAfter(index: number): string {
    return this.cursors.encode(this.window.positionAfter(index), this.scope);
  }
}

/** An edge: its record, and its cursor signed when first read. */
export class PageEdge {
  #cursor: string | undefined;

  constructor(
    readonly node: RestRecord,
    private readonly sign: () => string,
  ) {}

  get cursor(): string {
    return (this.#cursor ??= this.sign());
  }
}

export function toPage(cursors: CursorCodec, scope: string, window: Window): Page {
  return new ConnectionPage(cursors, scope, window);
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
