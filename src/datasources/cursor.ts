/**
 * Opaque connection cursors. Clients never see AMPECO's `links.next` URLs or page numbers:
 * a cursor is base64url JSON of where the next item sits upstream.
 */
import { GraphQLError } from 'graphql';

export type Position =
  /** Cursor pagination: AMPECO's cursor of a page (null = first page) and items to skip in it. */
  | { kind: 'cursor'; upstream: string | null; skip: number }
  /** Page pagination: absolute offset of the next item. */
  | { kind: 'offset'; offset: number };

export function encodeCursor(position: Position): string {
  const compact = position.kind === 'cursor' ? { c: position.upstream, s: position.skip } : { o: position.offset };
  return Buffer.from(JSON.stringify(compact)).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  try {
    const raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof raw.o === 'number' && Number.isInteger(raw.o) && raw.o >= 0) return { kind: 'offset', offset: raw.o };
    if ((typeof raw.c === 'string' || raw.c === null) && typeof raw.s === 'number' && Number.isInteger(raw.s) && raw.s >= 0) {
      return { kind: 'cursor', upstream: raw.c, skip: raw.s };
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError('The `after` cursor is not one this API issued.', {
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
  });
}
