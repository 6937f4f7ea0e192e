/**
 * Opaque connection cursors. Clients never see AMPECO's `links.next` URLs or page numbers: a
 * cursor is base64url JSON of where the next item sits upstream, signed with a server secret
 * (HMAC-SHA256) over that position and the listing it belongs to (type, parent, filter).
 *
 * Signing is what makes a cursor safe to accept: a position decides how many pages the facade
 * reads to honour it (a skip of 1,000,000 would cost thousands of upstream calls), so a forged
 * or edited cursor, or one issued for another listing, is refused before any call.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';

export type Position =
  /** Cursor pagination: AMPECO's cursor of a page (null = first page) and items to skip in it. */
  | { kind: 'cursor'; upstream: string | null; skip: number }
  /** Page pagination: absolute offset of the next item. */
  | { kind: 'offset'; offset: number };

/** 128 bits of the HMAC: forging one is out of reach, and cursors stay short. */
const MAC_BYTES = 16;
/** MACs kept: the cursors of the pages clients read most (the same first page, request after request). */
const RECENT_MACS = 1_000;

export class CursorCodec {
  /** MACs by scope and payload, most recently used last: an HMAC costs more than the rest of a page's bookkeeping. */
  readonly #recent = new Map<string, Buffer>();

  constructor(private readonly secret: string) {
    if (!secret) throw new TypeError('CursorCodec needs a secret.');
  }

  /** A cursor for `position` in the listing identified by `scope` (see listingScope). */
  encode(position: Position, scope: string): string {
    const compact = position.kind === 'cursor' ? { c: position.upstream, s: position.skip } : { o: position.offset };
    const payload = Buffer.from(JSON.stringify(compact)).toString('base64url');
    return `${payload}.${this.mac(payload, scope).toString('base64url')}`;
  }

  /** The position a cursor points at; BAD_USER_INPUT when it was not issued by us for this listing. */
  decode(cursor: string, scope: string): Position {
    const [payload, mac, ...rest] = cursor.split('.');
    if (!payload || !mac || rest.length) throw invalidCursor();
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(payload, scope);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
    try {
      const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (typeof raw.o === 'number' && Number.isSafeInteger(raw.o) && raw.o >= 0) return { kind: 'offset', offset: raw.o };
      if ((typeof raw.c === 'string' || raw.c === null) && typeof raw.s === 'number' && Number.isSafeInteger(raw.s) && raw.s >= 0) {
        return { kind: 'cursor', upstream: raw.c, skip: raw.s };
      }
    } catch {
      // a payload we signed always parses; fall through to the error below
    }
    throw invalidCursor();
  }

  private mac(payload: string, scope: string): Buffer {
    const key = `${scope}\n${payload}`;
    const known = this.#recent.get(key);
    if (known) {
      this.#recent.delete(key);
      this.#recent.set(key, known);
      return known;
    }
    const mac = createHmac('sha256', this.secret).update(key).digest().subarray(0, MAC_BYTES);
    if (this.#recent.size >= RECENT_MACS) this.#recent.delete(this.#recent.keys().next().value!);
    this.#recent.set(key, mac);
    return mac;
  }
}

/**
 * What a cursor is bound to: the resource type, the parent it is listed under and the filter.
 * Two listings with the same scope page through the same rows, so their cursors are interchangeable.
 */
export function listingScope(type: string, parentId: string | undefined, filter: Record<string, unknown> | null | undefined): string {
  return `${type}|${parentId ?? ''}|${stableJson(filter ?? {})}`;
}

/** JSON with object keys sorted at every level, so equal filters give equal scopes. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : value) ?? 'null';
}

function invalidCursor(): GraphQLError {
  return new GraphQLError('The `after` cursor is not one this API issued for this listing.', {
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
  });
}
