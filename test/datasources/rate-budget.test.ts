/**
 * When the rate budget says a credential's budget is tight (the scan planner then saves calls): more than
 * half of the window spent by our own count when pacing is configured, or by AMPECO's X-RateLimit-*
 * headers, or the credential paused. And the fast path that takes a lease without waiting.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InMemoryRateBudget, LOW_REMAINING } from '../../src/datasources/http/rate-limiter.js';

const KEY = 'ampeco:test';

describe('tight', () => {
  it('with pacing: once more than half of the window is in use or spent', async () => {
    const budget = new InMemoryRateBudget({ requestsPerWindow: 10, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) await budget.acquire(KEY);
    expect(budget.tight(KEY)).toBe(false);
    for (let i = 0; i < 3; i++) budget.observe(KEY, {}); // answered: spent until the window ends
    expect(budget.tight(KEY)).toBe(false);
    await budget.acquire(KEY);
    expect(budget.tight(KEY)).toBe(true);
    expect(budget.tight('ampeco:another-token')).toBe(false);
  });

  it('from AMPECO: X-RateLimit-Remaining under half of X-RateLimit-Limit, until the window ends', async () => {
    const budget = new InMemoryRateBudget({ windowMs: 100 });
    expect(budget.tight(KEY)).toBe(false);
    budget.observe(KEY, { limit: 200, remaining: 100 });
    expect(budget.tight(KEY)).toBe(false);
    budget.observe(KEY, { limit: 200, remaining: 99 });
    expect(budget.tight(KEY)).toBe(true);
    await sleep(120);
    expect(budget.tight(KEY)).toBe(false);
  });

  it('from AMPECO: a reset it names ends the window', () => {
    const budget = new InMemoryRateBudget({ windowMs: 60_000 });
    budget.observe(KEY, { limit: 200, remaining: 10, resetAt: Date.now() - 1_000 });
    expect(budget.tight(KEY)).toBe(false);
    budget.observe(KEY, { limit: 200, remaining: 10, resetAt: Date.now() + 30_000 });
    expect(budget.tight(KEY)).toBe(true);
  });

  it(`without a stated limit: the configured one, else fewer than ${LOW_REMAINING} calls left`, () => {
    const unpaced = new InMemoryRateBudget();
    unpaced.observe(KEY, { remaining: LOW_REMAINING });
    expect(unpaced.tight(KEY)).toBe(false);
    unpaced.observe(KEY, { remaining: LOW_REMAINING - 1 });
    expect(unpaced.tight(KEY)).toBe(true);

    const paced = new InMemoryRateBudget({ requestsPerWindow: 1_000 });
    paced.observe(KEY, { remaining: 499 });
    expect(paced.tight(KEY)).toBe(true);
  });

  it('a paused credential (AMPECO said remaining = 0) is tight', () => {
    const budget = new InMemoryRateBudget();
    budget.observe(KEY, { remaining: 0, resetAt: Date.now() + 10_000 });
    expect(budget.pausedForMs(KEY)).toBeGreaterThan(0);
    expect(budget.tight(KEY)).toBe(true);
  });
});

describe('tryAcquire', () => {
  it('takes a lease at once while the window has room, and refuses once it has none', () => {
    const budget = new InMemoryRateBudget({ requestsPerWindow: 2, windowMs: 60_000 });
    expect(budget.tryAcquire(KEY)).toBe(true);
    expect(budget.tryAcquire(KEY)).toBe(true);
    expect(budget.tryAcquire(KEY)).toBe(false);
  });

  it('without pacing, always, unless AMPECO paused the credential', () => {
    const budget = new InMemoryRateBudget();
    expect(budget.tryAcquire(KEY)).toBe(true);
    budget.observe(KEY, { remaining: 0, resetAt: Date.now() + 10_000 });
    expect(budget.tryAcquire(KEY)).toBe(false);
  });

  it('does not pass a caller already waiting', async () => {
    const budget = new InMemoryRateBudget({ requestsPerWindow: 1, windowMs: 50 });
    await budget.acquire(KEY);
    const waiting = budget.acquire(KEY);
    budget.observe(KEY, {}); // the first call is answered: its lease returns 50 ms later
    await sleep(60);
    // The waiter was served when the lease returned; a newcomer finds the window full.
    await waiting;
    expect(budget.tryAcquire(KEY)).toBe(false);
  });
});
