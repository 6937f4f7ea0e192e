import { resourceNames, type ResourceName } from '../__generated__/records.js';

/**
 * A resource record as AMPECO sends it: the `data` of a read, or one item of a listing. The
 * datasource's parts handle every type's records as this; its public methods hand out each type's
 * own RecordOf<T> (src/__generated__/records.ts).
 */
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

/** An id or other scalar as text (AMPECO sends ids as numbers or strings); undefined for anything else. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Reads a possibly nested field (`user.id`) from a record. */
export function readPath(record: Record<string, unknown>, path: string): unknown {
  // Most paths are one key; they are read for every row of a page, so without making an array.
  if (!path.includes('.')) return record[path];
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const names: ReadonlySet<string> = new Set(resourceNames);

/** A type name the definitions hold as a string (a relation's target), as a ResourceName; throws for any other. */
export function resourceName(name: string): ResourceName {
  if (!isResourceName(name)) throw new Error(`Unknown resource type ${name}`);
  return name;
}

function isResourceName(name: string): name is ResourceName {
  return names.has(name);
}
