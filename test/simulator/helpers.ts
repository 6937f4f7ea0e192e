import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index.js';

export const TOKEN = 'sim-token';
export const SMALL = { locations: 4, chargePoints: 8, evses: 14, connectors: 20, users: 12, sessions: 60 };

export const P = {
  locations: '/public-api/resources/locations/v2.0',
  chargePoints: '/public-api/resources/charge-points/v2.0',
  evses: '/public-api/resources/evses/v2.1',
  sessions: '/public-api/resources/sessions/v1.0',
  users: '/public-api/resources/users/v1.0',
  actions: '/public-api/actions',
};

export function start(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 7, size: SMALL, ...options });
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch with the bearer token and JSON; `body` objects are sent as JSON. */
export async function api<T = any>(sim: Simulator, path: string, init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path.startsWith('http') ? path : sim.url + path, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

/** Follows `links.next` to the end, returning every record and the number of pages. */
export async function collect(sim: Simulator, first: string): Promise<{ records: any[]; pages: number }> {
  const records: any[] = [];
  let pages = 0;
  let next: string | null = first;
  while (next) {
    const res: ApiResponse = await api(sim, next);
    if (res.status !== 200) throw new Error(`${next}: ${res.status} ${res.text}`);
    records.push(...res.body.data);
    pages++;
    next = res.body.links.next;
    if (pages > 1000) throw new Error('runaway paging');
  }
  return { records, pages };
}
