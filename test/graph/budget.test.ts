/**
 * Calls when the rate budget is tight. AMPECO's limit is per token, so once more than half of the
 * window is gone (by AMPECO's X-RateLimit-Remaining, or by the facade's own pacing count) the same
 * query is planned for fewest calls: one scan of the users (5 pages, one after the other) in place of
 * a read per user. With room in the budget, the reads run in parallel as before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, SMALL_WORLD, type Stack } from '../support/stack.js';

/** Five pages of users: too many for a latency-first scan (at most 3 pages), few against a read per user. */
const WORLD = { ...SMALL_WORLD, users: 500, sessions: 300 };
const QUERY = '{ sessions(first: 100) { nodes { id user { id email } } } }';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Answer {
  sessions: { nodes: { id: string; user: { id: string; email: string } | null }[] };
}

/** Runs the query; its answer and the upstream calls it made. */
async function run(s: Stack): Promise<{ data: Answer; calls: number; userReads: number; userPages: number }> {
  s.sim.clearLog();
  const res = await s.gql<Answer>(QUERY);
  expect(res.errors).toBeUndefined();
  const users = s.sim.log.filter((e) => e.path.startsWith('/public-api/resources/users/'));
  return {
    data: res.data!,
    calls: s.sim.log.length,
    userReads: users.filter((e) => /\/users\/v[\d.]+\/\d+$/.test(e.path)).length,
    userPages: users.filter((e) => /\/users\/v[\d.]+$/.test(e.path)).length,
  };
}

/** The users the answer names, and how many pages of the users listing hold them all (listing order is the store's). */
function expected(s: Stack, data: Answer): { distinct: number; pages: number } {
  const ids = new Set(data.sessions.nodes.flatMap((n) => (n.user ? [n.user.id] : [])));
  const order = s.sim.store.list('User').map((u) => String(u.id));
  const last = Math.max(...[...ids].map((id) => order.indexOf(id)));
  return { distinct: ids.size, pages: Math.floor(last / 100) + 1 };
}

describe('a tight rate budget: fewest calls', () => {
  it('AMPECO says more than half of the window is spent: the users are scanned, not read one by one', async () => {
    stack = await startStack({ simulator: { size: WORLD, knobs: { rateLimit: { limit: 150, windowMs: 60_000 } } } });
    const roomy = await run(stack);
    const users = expected(stack, roomy.data);
    expect(users.distinct).toBeGreaterThan(75); // the first run leaves fewer than half of the 150 calls
    expect(roomy).toMatchObject({ calls: 1 + users.distinct, userReads: users.distinct, userPages: 0 });

    const tight = await run(stack);
    expect(tight.data).toEqual(roomy.data);
    expect(tight).toMatchObject({ calls: 1 + users.pages, userReads: 0, userPages: users.pages });
    expect(users.pages).toBeLessThanOrEqual(5);
  });

  it('the facade paces and has used more than half of its window: the same', async () => {
    stack = await startStack({ simulator: { size: WORLD }, config: { rateLimitPerMinute: 150 } });
    const roomy = await run(stack);
    const users = expected(stack, roomy.data);
    expect(roomy).toMatchObject({ calls: 1 + users.distinct, userReads: users.distinct, userPages: 0 });

    const tight = await run(stack);
    expect(tight.data).toEqual(roomy.data);
    expect(tight).toMatchObject({ calls: 1 + users.pages, userReads: 0, userPages: users.pages });
  });

  it('with room in the budget, every run reads the users one by one, in one round trip', async () => {
    stack = await startStack({ simulator: { size: WORLD } });
    const first = await run(stack);
    const second = await run(stack);
    const users = expected(stack, first.data);
    expect(first).toMatchObject({ calls: 1 + users.distinct, userPages: 0 });
    expect(second).toMatchObject({ calls: 1 + users.distinct, userPages: 0 });
  });
});

describe('a tight rate budget: no scan ahead of need', () => {
  // The simulator's charge points name no partner, so a partner's charge point listing is empty: a
  // scan of the locations started beside it would be a call for nothing.
  const PARTNER_QUERY = '{ partner(id: "1") { id chargePoints(first: 10) { nodes { id location { id name { translation } } } } } }';

  /**
   * The facade learns collection sizes from its scans: each learning run lists the charge points and
   * scans the locations they name (one page, two calls). Then the partner query; the calls of that run.
   */
  async function partnerRun(s: Stack, learnRuns: number): Promise<string[]> {
    for (let i = 0; i < learnRuns; i++) {
      s.sim.clearLog();
      expect((await s.gql('{ chargePoints(first: 24) { nodes { id location { id name { translation } } } } }')).errors).toBeUndefined();
      expect(s.sim.log.map((e) => e.path).sort()).toEqual(['/public-api/resources/charge-points/v2.0', '/public-api/resources/locations/v2.0']);
    }
    s.sim.clearLog();
    const res = await s.gql<{ partner: { chargePoints: { nodes: unknown[] } } }>(PARTNER_QUERY);
    expect(res.errors).toBeUndefined();
    expect(res.data?.partner.chargePoints.nodes).toEqual([]);
    return s.sim.log.map((e) => e.path);
  }

  it('with room, the one-page location scan starts with the listing above it (a round trip saved)', async () => {
    stack = await startStack({ simulator: { size: WORLD } });
    const paths = await partnerRun(stack, 1);
    expect(paths.filter((p) => /\/locations\/v[\d.]+$/.test(p))).toHaveLength(1);
    expect(paths).toHaveLength(3);
  });

  it('tight, it waits for the listing, which comes back empty: no call for the locations at all', async () => {
    // Pacing at 20 calls a minute: after the twelve learning calls more than half of the window is spent.
    stack = await startStack({ simulator: { size: WORLD }, config: { rateLimitPerMinute: 20 } });
    const paths = await partnerRun(stack, 6);
    expect(paths.filter((p) => p.includes('/locations/'))).toEqual([]);
    expect(paths).toHaveLength(2);
  });
});
