import type { RateLimiter } from '../../store/rate-limiter';
import type { Store } from '../../store/store';
import type { ContractArea } from '../contract-case';
import { randomId } from '../fixtures';

// The counters behind `rateLimit` and `lockout`: fixed windows of `points` per key, kept in the store so that
// instances sharing it share the limits. Keys are request input (claimed client ids, addresses).
const limiter = (store: Store, points: number, durationSeconds = 60, name = randomId('contract')): RateLimiter =>
  store.createRateLimiter({ name, points, durationSeconds });

export const rateLimiter: ContractArea = {
  title: 'rate limiter (createRateLimiter)',
  cases: [
    {
      name: 'counts points per key: allowed while within the window\'s points, refused after',
      async run({ store, expect }) {
        const counter = limiter(store, 2);
        const key = randomId('ip');
        const first = await counter.consume(key);
        expect(first).toMatchObject({ allowed: true, consumed: 1 });
        expect(first.msBeforeNext).toBeGreaterThan(0);
        expect(first.msBeforeNext).toBeLessThanOrEqual(60_000);
        expect(await counter.consume(key)).toMatchObject({ allowed: true, consumed: 2 });
        expect(await counter.consume(key)).toMatchObject({ allowed: false, consumed: 3 });
        expect(await counter.consume(randomId('ip'))).toMatchObject({ allowed: true, consumed: 1 });
      },
    },
    {
      name: 'get reports a key\'s window without counting; a key with no window is undefined',
      async run({ store, expect }) {
        const counter = limiter(store, 5);
        const key = randomId('ip');
        expect(await counter.get(key)).toBeUndefined();
        await counter.consume(key);
        await counter.consume(key);
        const state = await counter.get(key);
        expect(state).toMatchObject({ consumed: 2 });
        expect(state?.msBeforeNext).toBeGreaterThan(0);
        expect(await counter.get(key)).toMatchObject({ consumed: 2 });
      },
    },
    {
      name: 'block refuses a key for the given seconds: get reports it past the limit, consume is refused',
      async run({ store, expect }) {
        const counter = limiter(store, 3);
        const key = randomId('client');
        await counter.block(key, 30);
        const state = await counter.get(key);
        expect(state?.consumed).toBeGreaterThan(3);
        expect(state?.msBeforeNext).toBeGreaterThan(25_000);
        expect(state?.msBeforeNext).toBeLessThanOrEqual(30_000);
        expect(await counter.consume(key)).toMatchObject({ allowed: false });
      },
    },
    {
      name: 'reset forgets a key: its next point opens a new window',
      async run({ store, expect }) {
        const counter = limiter(store, 1);
        const key = randomId('ip');
        await counter.consume(key);
        await counter.consume(key);
        await counter.reset(key);
        expect(await counter.get(key)).toBeUndefined();
        expect(await counter.consume(key)).toMatchObject({ allowed: true, consumed: 1 });
        await counter.block(key, 30);
        await counter.reset(key);
        expect(await counter.consume(key)).toMatchObject({ allowed: true, consumed: 1 });
      },
    },
    {
      name: 'release gives back one point of an open window, forgets a window back at zero, and leaves a key with no window alone',
      async run({ store, expect }) {
        const counter = limiter(store, 2);
        const key = randomId('ip');
        await counter.consume(key);
        await counter.consume(key);
        await counter.release(key);
        expect(await counter.get(key)).toMatchObject({ consumed: 1 });
        expect(await counter.consume(key)).toMatchObject({ allowed: true, consumed: 2 });
        expect(await counter.consume(key)).toMatchObject({ allowed: false, consumed: 3 });
        await counter.release(key);
        await counter.release(key);
        await counter.release(key);
        expect(await counter.get(key)).toBeUndefined();
        await counter.release(key);
        expect(await counter.get(key)).toBeUndefined();
        expect(await counter.consume(key)).toMatchObject({ allowed: true, consumed: 1 });
        const untouched = randomId('ip');
        await counter.release(untouched);
        expect(await counter.get(untouched)).toBeUndefined();
      },
    },
    {
      name: 'release keeps a blocked key blocked',
      async run({ store, expect }) {
        const counter = limiter(store, 2);
        const key = randomId('client');
        await counter.block(key, 30);
        expect(await counter.consume(key)).toMatchObject({ allowed: false });
        await counter.release(key);
        expect(await counter.consume(key)).toMatchObject({ allowed: false });
      },
    },
    {
      name: 'limiters of different names count the same key separately',
      async run({ store, expect }) {
        const [a, b] = [limiter(store, 1), limiter(store, 1)];
        const key = randomId('ip');
        await a.consume(key);
        expect(await a.consume(key)).toMatchObject({ allowed: false });
        expect(await b.consume(key)).toMatchObject({ allowed: true, consumed: 1 });
      },
    },
    {
      name: 'a key of 20 000 characters is counted, apart from one that differs in its last character',
      async run({ store, expect }) {
        const counter = limiter(store, 1);
        const key = `client:${randomId('k')}${'k'.repeat(20_000)}`;
        expect(await counter.consume(key)).toMatchObject({ allowed: true, consumed: 1 });
        expect(await counter.consume(key)).toMatchObject({ allowed: false, consumed: 2 });
        expect(await counter.consume(`${key.slice(0, -1)}x`)).toMatchObject({ allowed: true, consumed: 1 });
      },
    },
    {
      name: 'is atomic: 20 concurrent points against 10 allowed count once each',
      async run({ store, expect }) {
        const counter = limiter(store, 10);
        const key = randomId('ip');
        const results = await Promise.all(Array.from({ length: 20 }, () => counter.consume(key)));
        expect(results.filter((r) => r.allowed)).toHaveLength(10);
        expect(results.map((r) => r.consumed).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      },
    },
  ],
};
