// Several app instances sharing one Redis behave as one authorization server (issue 3): a refresh token
// from one instance works at another, rotation is exactly-once across instances (RFC 9700 §4.14.2 reuse
// detection included), a restarted instance keeps honouring refresh tokens, and Redis holds no token in
// the clear (RFC 6749 §10.3/§10.4: tokens must be kept confidential in storage).
import type Redis from 'ioredis';
import { redisStore } from '../../lib/redis';
import { clientCredentials, INVALID_GRANT, refresh, startInstance, type RunningInstance } from '../support/refresh-app';
import { deleteKeysUnder, dumpKeysUnder, standaloneRedis, uniquePrefix, type StandaloneRedis } from '../support/redis';
import { findAccessRecord } from '../support/access-tokens';


describe('Two instances sharing one Redis', () => {
  const prefix = uniquePrefix('multi');
  let redis: StandaloneRedis;
  let clientA: Redis;
  let clientB: Redis;
  let a: RunningInstance;
  let b: RunningInstance;
  const extra: RunningInstance[] = [];
  /** Every token the tests were given, to look for in Redis. */
  const issued = new Set<string>();
  const remember = (body: Record<string, string | undefined>) => {
    for (const t of [body.access_token, body.refresh_token]) if (t !== undefined) issued.add(t);
    return body;
  };

  beforeAll(async () => {
    redis = await standaloneRedis();
    // One ioredis client per instance, as two processes would have.
    clientA = await redis.connect();
    clientB = await redis.connect();
    a = await startInstance({ store: redisStore(clientA, { keyPrefix: prefix }) });
    b = await startInstance({ store: redisStore(clientB, { keyPrefix: prefix }) });
  });
  afterAll(async () => {
    await Promise.all([a, b, ...extra].filter(Boolean).map((s) => s.stop()));
    for (const s of [a, b, ...extra]) await s?.auth.store.close();
    if (clientA !== undefined) await deleteKeysUnder(clientA, prefix);
    await redis?.release();
  });

  it('RFC 6749 §6: a refresh token issued by one instance is redeemed at the other, and rotation holds across them', async () => {
    const first = remember(await clientCredentials(a));
    const atB = await refresh(b, first.refresh_token!);
    expect(atB.status).toBe(200);
    remember(atB.body);
    const atA = await refresh(a, atB.body.refresh_token);
    expect(atA.status).toBe(200);
    remember(atA.body);
    // The token B rotated away is dead at A too.
    const stale = await refresh(a, first.refresh_token!);
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual(INVALID_GRANT);
  });

  it('RFC 9700 §4.14.2: reuse at one instance revokes the family for both', async () => {
    const first = remember(await clientCredentials(a));
    const second = remember((await refresh(a, first.refresh_token!)).body);
    expect((await refresh(b, first.refresh_token!)).body).toEqual(INVALID_GRANT);
    const res = await refresh(a, second.refresh_token!);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(INVALID_GRANT);
    expect(await findAccessRecord(a.auth.store, second.access_token!)).toBeUndefined();
  });

  it('50 parallel refreshes with one token, spread over both instances: exactly one 200, 49 × 400 invalid_grant', async () => {
    const first = remember(await clientCredentials(a));
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => refresh(i % 2 === 0 ? a : b, first.refresh_token!)));
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    remember(winners[0]!.body);
    const losers = responses.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(49);
    for (const r of losers) {
      expect(r.status).toBe(400);
      expect(r.body).toEqual(INVALID_GRANT);
    }
  });

  it('a restarted instance (server stopped, its Redis connection closed, a new one started) keeps honouring refresh tokens', async () => {
    const firstClient = await redis.connect();
    const before = await startInstance({ store: redisStore(firstClient, { keyPrefix: prefix }) });
    const first = remember(await clientCredentials(before));
    await before.stop();
    await before.auth.store.close();
    await firstClient.quit();

    const freshClient = await redis.connect();
    const after = await startInstance({ store: redisStore(freshClient, { keyPrefix: prefix }) });
    extra.push(after);
    const res = await refresh(after, first.refresh_token!);
    expect(res.status).toBe(200);
    remember(res.body);
  });

  it('Redis holds no token, nor any part of one, in a key or a value; every key has a TTL', async () => {
    expect(issued.size).toBeGreaterThan(10);
    const entries = await dumpKeysUnder(clientA, prefix);
    expect(entries.length).toBeGreaterThan(0);
    const parts = [...issued].flatMap((t) => [t, ...t.split('.')]);
    for (const entry of entries) {
      expect(entry.pttl).toBeGreaterThan(0);
      for (const part of parts) {
        expect(entry.key).not.toContain(part);
        expect(entry.value).not.toContain(part);
      }
    }
  });
});
