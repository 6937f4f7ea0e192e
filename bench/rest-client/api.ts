/**
 * The hand-written REST client's plumbing: what an engineer calling AMPECO directly would write. An
 * undici keep-alive Pool, JSON in and out, Laravel-style query strings, cursor paging. The screens in
 * this folder use it the way a skilled engineer would: every independent call of a level in parallel,
 * ids deduplicated before fetching, children embedded with include[], listings instead of N reads.
 */
import { Pool } from 'undici';
import { jsonText } from '../stats.js';

export const PATHS = {
  locations: '/public-api/resources/locations/v2.0',
  chargePoints: '/public-api/resources/charge-points/v2.0',
  evses: '/public-api/resources/evses/v2.1',
  sessions: '/public-api/resources/sessions/v1.0',
  users: '/public-api/resources/users/v1.0',
  chargePointModels: '/public-api/resources/charge-point-models/v1.0',
  chargePointVendors: '/public-api/resources/charge-point-vendors/v1.0',
  circuits: '/public-api/resources/circuits/v2.0',
  electricityMeters: '/public-api/resources/electricity-meters/v1.0',
  partners: '/public-api/resources/partners/v2.0',
  settlementReports: '/public-api/resources/partner-settlement-reports/v1.0',
} as const;

export type Rec = Record<string, unknown> & { id: string | number };

interface Envelope {
  data: Rec[];
  links?: { next?: string | null };
  meta?: { next_cursor?: string | null; last_page?: number };
}

export interface ListOptions {
  filter?: Record<string, string | number | boolean>;
  include?: string[];
  perPage?: number;
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    body: string,
  ) {
    super(`REST ${status} on ${path}: ${body.slice(0, 200)}`);
  }
}

export class Rest {
  readonly #pool: Pool;
  readonly #headers: Record<string, string>;

  constructor(origin: string, token: string, connections: number) {
    this.#pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
    this.#headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  }

  async get<T>(path: string, params?: URLSearchParams): Promise<T | null> {
    const qs = params?.toString();
    const res = await this.#pool.request({ method: 'GET', path: qs ? `${path}?${qs}` : path, headers: this.#headers });
    const text = await res.body.text();
    if (res.statusCode === 404) return null;
    if (res.statusCode >= 300) throw new RestError(res.statusCode, path, text);
    return JSON.parse(text) as T;
  }

  /** One record; null when it does not exist. */
  async read(collection: string, id: string | number, include: string[] = []): Promise<Rec | null> {
    const params = new URLSearchParams();
    for (const i of include) params.append('include[]', i);
    const body = await this.get<{ data: Rec }>(`${collection}/${encodeURIComponent(String(id))}`, params);
    return body?.data ?? null;
  }

  /** The first page of a listing. */
  async page(collection: string, options: ListOptions = {}, cursor = ''): Promise<Envelope> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.filter ?? {})) params.append(`filter[${k}]`, String(v));
    for (const i of options.include ?? []) params.append('include[]', i);
    params.append('per_page', String(options.perPage ?? 100));
    params.append('cursor', cursor);
    const body = await this.get<Envelope>(collection, params);
    if (!body) throw new RestError(404, collection, 'listing not found');
    return body;
  }

  async list(collection: string, options: ListOptions = {}): Promise<Rec[]> {
    return (await this.page(collection, options)).data;
  }

  /** Every page of a (small, filtered) listing. */
  async listAll(collection: string, options: ListOptions = {}): Promise<Rec[]> {
    const out: Rec[] = [];
    let cursor = '';
    for (;;) {
      const env = await this.page(collection, { ...options, perPage: 100 }, cursor);
      out.push(...env.data);
      const next = env.meta?.next_cursor ?? (env.links?.next ? new URL(env.links.next, 'http://x').searchParams.get('cursor') : null);
      if (!next) return out;
      cursor = next;
    }
  }

  /** Every page of a listing that only pages by number: page 1, then the rest in parallel. */
  async listAllByPage(collection: string): Promise<Rec[]> {
    const pageOf = async (page: number): Promise<Envelope> => {
      const body = await this.get<Envelope>(collection, new URLSearchParams({ per_page: '100', page: String(page) }));
      if (!body) throw new RestError(404, collection, 'listing not found');
      return body;
    };
    const first = await pageOf(1);
    const rest = await Promise.all(Array.from({ length: Math.max(0, (first.meta?.last_page ?? 1) - 1) }, (_v, i) => pageOf(i + 2)));
    return [first, ...rest].flatMap((env) => env.data);
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** Distinct non-empty ids, as strings. */
export function unique(values: Iterable<unknown>): string[] {
  const out = new Set<string>();
  for (const v of values) if (v !== null && v !== undefined && v !== '') out.add(jsonText(v));
  return [...out];
}

/** Reads records by id in parallel, once each; a lookup map by id. */
export async function readMany(api: Rest, collection: string, ids: Iterable<unknown>, include: string[] = []): Promise<Map<string, Rec>> {
  const list = unique(ids);
  const records = await Promise.all(list.map((id) => api.read(collection, id, include)));
  const out = new Map<string, Rec>();
  records.forEach((r, i) => {
    if (r) out.set(list[i]!, r);
  });
  return out;
}

export const byId = (records: Iterable<Rec>): Map<string, Rec> => new Map([...records].map((r) => [String(r.id), r]));
