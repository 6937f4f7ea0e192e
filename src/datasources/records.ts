/** A resource record as AMPECO sends it: the `data` of a read, or one item of a listing. */
export type RestRecord = Record<string, unknown> & { id: string | number };

/** The listing envelope, with both pagination metas AMPECO may send. */
export interface ListingEnvelope {
  data: RestRecord[];
  links?: { first?: string | null; last?: string | null; prev?: string | null; next?: string | null };
  meta?: {
    next_cursor?: string | null;
    prev_cursor?: string | null;
    current_page?: number;
    last_page?: number;
    total?: number;
    per_page?: number;
  };
}

/** Reads a possibly nested field (`user.id`) from a record. */
export function readPath(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
