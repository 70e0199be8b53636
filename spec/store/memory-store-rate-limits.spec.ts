// The memory store's rate-limit and lockout counters are keyed by request input: a claimed client id (as long
// as a body or a Basic header allows) or an IP address. Like every other kind of record in the memory store
// they must be bounded by maxEntries, or a flood of made-up client ids grows the process without limit (with
// rateLimit on, one entry per request for durationSeconds; with lockout on, one per failure for windowSeconds).
import { memoryStore } from '../../lib';

describe('memory store: rate-limit counters', () => {
  it('keep at most maxEntries windows, whatever keys requests bring', async () => {
    const store = memoryStore({ maxEntries: 50 });
    const limiter = store.createRateLimiter({ name: 'ratelimit', points: 3, durationSeconds: 900 });
    for (let i = 0; i < 500; i++) await limiter.consume(`client:${'x'.repeat(i % 7 === 0 ? 10_000 : 10)}-${i}`);
    expect((limiter as unknown as { size: number }).size).toBeLessThanOrEqual(50);
  });

  it('count a long key like a short one (kept as a digest)', async () => {
    const limiter = memoryStore().createRateLimiter({ name: 'ratelimit', points: 2, durationSeconds: 60 });
    const key = `client:${'k'.repeat(20_000)}`;
    expect((await limiter.consume(key)).allowed).toBe(true);
    expect((await limiter.consume(key)).allowed).toBe(true);
    expect(await limiter.consume(key)).toMatchObject({ allowed: false, consumed: 3 });
    expect(await limiter.consume(`${key}k`)).toMatchObject({ allowed: true, consumed: 1 });
    await limiter.reset(key);
    expect(await limiter.get(key)).toBeUndefined();
  });

  it('run fixed windows and blocks on the store\'s clock', async () => {
    let now = 1_800_000_000_000;
    const limiter = memoryStore({ now: () => now }).createRateLimiter({ name: 'ratelimit', points: 2, durationSeconds: 10 });
    expect(await limiter.consume('ip:1')).toEqual({ allowed: true, consumed: 1, msBeforeNext: 10_000 });
    now += 4_000;
    expect(await limiter.consume('ip:1')).toEqual({ allowed: true, consumed: 2, msBeforeNext: 6_000 });
    expect(await limiter.consume('ip:1')).toEqual({ allowed: false, consumed: 3, msBeforeNext: 6_000 });
    now += 6_000;
    expect(await limiter.get('ip:1')).toBeUndefined();
    expect(await limiter.consume('ip:1')).toEqual({ allowed: true, consumed: 1, msBeforeNext: 10_000 });
    await limiter.block('ip:2', 30);
    expect(await limiter.get('ip:2')).toEqual({ consumed: 3, msBeforeNext: 30_000 });
    now += 30_000;
    expect(await limiter.get('ip:2')).toBeUndefined();
  });
});
