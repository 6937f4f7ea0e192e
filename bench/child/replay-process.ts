/**
 * The replay upstream (load part): an HTTP server that answers every GET from memory. The first time
 * it sees a request (method, path and query) it asks the simulator behind it and keeps the answer;
 * from then on it replays that answer without touching the simulator. Servers measured against it
 * (the facade, the bare Apollo server) then pay only for their own work and one parse of the same
 * body, and the upstream's own cost is a lookup and a write.
 * Options (BENCH_OPTIONS): { target: the simulator's origin }.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { serve } from './ipc.js';

interface Recorded {
  status: number;
  contentType: string;
  body: Buffer;
}

const { target } = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as { target: string };
const recorded = new Map<string, Recorded>();
/** Requests answered since the last `count`, and the distinct ones recorded. */
let served = 0;

async function record(req: IncomingMessage, key: string): Promise<Recorded> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  const res = await request(`${target}${req.url ?? '/'}`, { method: 'GET', headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  const answer = { status: res.statusCode, contentType: String(res.headers['content-type'] ?? 'application/json'), body };
  // Only answers worth replaying: an error stays an error of its own request.
  if (res.statusCode === 200) recorded.set(key, answer);
  return answer;
}

function reply(res: ServerResponse, r: Recorded): void {
  res.writeHead(r.status, { 'content-type': r.contentType, 'content-length': r.body.length });
  res.end(r.body);
}

const server = createServer((req, res) => {
  served++;
  const key = `${req.method} ${req.url}`;
  const hit = req.method === 'GET' ? recorded.get(key) : undefined;
  if (hit) return reply(res, hit);
  if (req.method !== 'GET') {
    res.writeHead(405).end();
    return;
  }
  record(req, key).then(
    (r) => reply(res, r),
    (error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
    },
  );
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serve(
  (req) => {
    if (req.type === 'count') {
      const n = served;
      served = 0;
      return n;
    }
    if (req.type === 'recorded') return [...recorded.keys()];
    throw new Error(`unknown request ${req.type}`);
  },
  () => new Promise<void>((resolve) => server.close(() => resolve())),
);
process.send?.({ ready: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
