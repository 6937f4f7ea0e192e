/**
 * Part 5: memory while paging. A simulator seeded with 100,000 sessions (own process), a fresh facade
 * (own process, --expose-gc), and one client loop reading every session 100 at a time through the
 * facade's cursors. The facade's RSS and heap are sampled after a GC every 100 pages: per-request
 * state must not accumulate, so the samples stay flat.
 */
import { Child, type Stats } from './child/ipc.js';
import { GraphQLClient } from './graphql-client.js';
import { SEED } from './part-corpus.js';

const TOKEN = 'bench-memory';
const PAGE_QUERY = `query Page($after: String) {
  sessions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id status energy } }
}`;

interface PageData {
  sessions: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string }[] };
}

export interface MemorySample {
  page: number;
  rss: number;
  heapUsed: number;
}

export interface MemoryResult {
  sessions: number;
  pages: number;
  seen: number;
  distinct: number;
  samples: MemorySample[];
  wallMs: number;
  seedMs: number;
  /** Last sample's RSS over the first sample after warm-up (page 100). */
  growth: number;
  failed?: string;
}

export async function runMemory(options: { sessions: number; inFlight: number }, progress: (line: string) => void): Promise<MemoryResult> {
  const seedStarted = performance.now();
  const sim = await Child.start('sim-process.ts', { seed: SEED, size: { sessions: options.sessions }, tokens: [TOKEN], knobs: { latencyMs: 0, rateLimit: null } });
  const seedMs = performance.now() - seedStarted;
  let facade: Child | undefined;
  try {
    facade = await Child.startFacade(sim.url, TOKEN, options.inFlight);
    const client = new GraphQLClient(facade.url, TOKEN);
    const sample = async (page: number): Promise<MemorySample> => {
      const s: Stats = await facade!.stats(true);
      return { page, rss: s.rss, heapUsed: s.heapUsed };
    };
    const samples: MemorySample[] = [await sample(0)];
    const ids = new Set<string>();
    let seen = 0;
    let pages = 0;
    let after: string | null = null;
    let failed: string | undefined;
    const started = performance.now();
    try {
      for (;;) {
        const data = (await client.data(PAGE_QUERY, { after })) as PageData;
        pages++;
        for (const n of data.sessions.nodes) ids.add(n.id);
        seen += data.sessions.nodes.length;
        if (pages % 100 === 0) {
          samples.push(await sample(pages));
          progress(`  page ${pages}: facade RSS ${(samples.at(-1)!.rss / 1048576).toFixed(1)} MB`);
        }
        const { hasNextPage, endCursor } = data.sessions.pageInfo;
        if (!hasNextPage) break;
        if (!endCursor) throw new Error(`page ${pages} has a next page but no endCursor`);
        if (pages > options.sessions / 100 + 10) throw new Error(`still paging after ${pages} pages`);
        after = endCursor;
      }
    } catch (error) {
      failed = error instanceof Error ? error.message : String(error);
    }
    const wallMs = performance.now() - started;
    if (pages % 100 !== 0) samples.push(await sample(pages));
    await client.close();
    if (!failed && ids.size !== options.sessions) failed = `read ${ids.size} distinct sessions of ${options.sessions}`;
    const base = samples.find((s) => s.page >= 100) ?? samples[0]!;
    return { sessions: options.sessions, pages, seen, distinct: ids.size, samples, wallMs, seedMs, growth: samples.at(-1)!.rss / base.rss, failed };
  } finally {
    await facade?.stop();
    await sim.stop();
  }
}
