/**
 * An upstream that does not play fair, for the bounds tests: every listing answers one made-up
 * record and a `next` cursor that either repeats (Prism's static mode does this) or advances
 * forever; every item read answers a bare record. Counts what it was asked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StuckUpstream {
  url: string;
  /** Paths (without query) of every request received. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startStuckUpstream(cursor: 'repeating' | 'endless'): Promise<StuckUpstream> {
  const requests: string[] = [];
  let nextId = 1;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stuck.invalid');
    requests.push(url.pathname);
    const last = url.pathname.split('/').at(-1) ?? '';
    const body = /^\d+$/.test(last)
      ? { data: { id: Number(last) } }
      : (() => {
          const at = Number(url.searchParams.get('cursor')?.replace(/\D/g, '') || '0');
          const next = cursor === 'repeating' ? 'stuck' : `c${at + 1}`;
          return { data: [{ id: nextId++ }], links: { next: `${url.origin}${url.pathname}?cursor=${next}` }, meta: { next_cursor: next, per_page: 100 } };
        })();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
