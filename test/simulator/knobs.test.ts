import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { Rng } from '../../simulator/prng.js';
import { api, P, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ tokens: ['sim-token', 'other'] });
});
afterEach(() => {
  sim.setKnobs({ latencyMs: 0, latencyJitterMs: 0, rateLimit: null, faults: [] });
  sim.clearLog();
});
afterAll(() => sim.close());

describe('rate limit', () => {
  it('counts per token, sends X-RateLimit headers and 429 with Retry-After', async () => {
    sim.setKnobs({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api(sim, P.locations);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await api(sim, P.locations);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: 'Too Many Attempts.' });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    // Another token has its own budget.
    expect((await api(sim, P.locations, { token: 'other' })).status).toBe(200);
  });

  it('opens a new window when the old one has passed', async () => {
    sim.setKnobs({ rateLimit: { limit: 1, windowMs: 150 } });
    expect((await api(sim, P.locations)).status).toBe(200);
    expect((await api(sim, P.locations)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 200));
    expect((await api(sim, P.locations)).status).toBe(200);
  });
});

describe('faults', () => {
  it('answers a status fault a given number of times, matching method and path', async () => {
    sim.setKnobs({ faults: [{ kind: 'status', status: 503, times: 2, match: { method: 'GET', pathIncludes: '/charge-points/' } }] });
    expect((await api(sim, P.locations)).status).toBe(200);
    const first = await api(sim, P.chargePoints);
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ message: 'Service Unavailable' });
    expect((await api(sim, `${P.chargePoints}/1`)).status).toBe(503);
    expect((await api(sim, P.chargePoints)).status).toBe(200);
    expect(sim.knobs.faults).toEqual([]);
  });

  it('drops the connection without an answer', async () => {
    sim.setKnobs({ faults: [{ kind: 'drop', times: 1 }] });
    await expect(api(sim, P.locations)).rejects.toThrow();
    expect((await api(sim, P.locations)).status).toBe(200);
    expect(sim.log[0]).toMatchObject({ path: P.locations, status: 0 });
  });

  it('slows matching responses down', async () => {
    sim.setKnobs({ faults: [{ kind: 'slow', delayMs: 500, match: { pathIncludes: '/users/' } }] });
    const t0 = performance.now();
    expect((await api(sim, P.users)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(490);
    // A path the fault does not match is not slowed (a wide margin: CI machines stall).
    const t1 = performance.now();
    await api(sim, P.locations);
    expect(performance.now() - t1).toBeLessThan(400);
  });

  it('applies faults before authentication', async () => {
    sim.setKnobs({ faults: [{ kind: 'status', status: 502, times: 1 }] });
    expect((await api(sim, P.locations, { token: null })).status).toBe(502);
  });
});

describe('latency', () => {
  it('adds latency to every response, concurrent requests overlapping', async () => {
    sim.setKnobs({ latencyMs: 200 });
    const t0 = performance.now();
    const all = await Promise.all(Array.from({ length: 8 }, () => api(sim, P.locations)));
    const elapsed = performance.now() - t0;
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(195);
    // Overlapping: well under the 1,600 ms eight sequential answers would take.
    expect(elapsed).toBeLessThan(1_200);
  });
});

describe('request log', () => {
  it('records method, path, query, status and whether auth was sent', async () => {
    await api(sim, `${P.chargePoints}?per_page=2&filter[type]=public`);
    await api(sim, P.users, { token: null });
    await api(sim, `${P.chargePoints}/99999`);
    await api(sim, P.chargePoints, { method: 'POST', body: { name: 'x', type: 'public', status: 'enabled' } });
    expect(sim.log.map(({ method, path, query, status, authPresent }) => ({ method, path, query, status, authPresent }))).toEqual([
      { method: 'GET', path: P.chargePoints, query: 'per_page=2&filter[type]=public', status: 200, authPresent: true },
      { method: 'GET', path: P.users, query: '', status: 401, authPresent: false },
      { method: 'GET', path: `${P.chargePoints}/99999`, query: '', status: 404, authPresent: true },
      { method: 'POST', path: P.chargePoints, query: '', status: 201, authPresent: true },
    ]);
    for (const entry of sim.log) {
      expect(entry.timestamp).toBeGreaterThan(Date.now() - 10_000);
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    }
    sim.clearLog();
    expect(sim.log).toEqual([]);
  });
});

describe('connections', () => {
  it('keeps connections alive and survives malformed requests', async () => {
    const res = await fetch(`${sim.url}${P.locations}`, { headers: { authorization: 'Bearer sim-token' } });
    expect(res.headers.get('connection')).not.toBe('close');
    await res.arrayBuffer();
    const weird = await api(sim, `${P.chargePoints}?filter=%E0%A4%A&include[=x&per_page[]=3`);
    expect(weird.status).toBe(422);
    expect(weird.body).toEqual({
      message: 'The given data was invalid.',
      errors: { 'include.0': ['The selected include.0 is invalid.'], per_page: ['The per_page must be an integer.'] },
    });
    expect((await api(sim, P.locations)).status).toBe(200);
  });
});

describe('faults with a rate', () => {
  it('hit the requests their seeded draws pick, about that fraction, and record which fault hit each', async () => {
    // A simulator of its own: the fault draws come from one seeded stream per simulator, which
    // another test's rate faults would advance.
    const own = await start({ seed: 11 });
    try {
      own.setKnobs({ faults: [{ kind: 'status', status: 500, rate: 0.25, match: { pathIncludes: '/locations' } }] });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await api(own, P.locations)).status);
      // The same stream, drawn once per matching request: a request fails when its draw is below the rate.
      const draws = Rng.derive(11, 'faults');
      const expected = statuses.map(() => (draws.next() < 0.25 ? 500 : 200));
      expect(statuses).toEqual(expected);
      const failed = expected.filter((s) => s === 500).length;
      expect(failed).toBeGreaterThan(30);
      expect(failed).toBeLessThan(70);
      expect(own.log.map((e) => e.fault ?? null)).toEqual(expected.map((s) => (s === 500 ? 'status' : null)));
    } finally {
      await own.close();
    }
  });
});
