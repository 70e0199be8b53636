import { once } from 'node:events';
import Redis from 'ioredis';
import { redisStore } from '../../lib/redis';
import { StoreUnavailableError } from '../../lib/errors';
import { storeContract } from '../../lib/testing';
import { deleteKeysUnder, dumpKeysUnder, standaloneRedis, storedEntriesUnder, uniquePrefix, type StandaloneRedis } from '../support/redis';

{
  let redis: StandaloneRedis;
  let client: Redis;
  const prefix = uniquePrefix('store');
  storeContract('standalone Redis', {
    async createStore() {
      redis = await standaloneRedis();
      client = await redis.connect();
      return redisStore(client, { keyPrefix: prefix });
    },
    inspect: () => storedEntriesUnder(client, prefix),
    async release() {
      await deleteKeysUnder(client, prefix);
      await redis.release();
    },
  });
}

describe('redisStore options', () => {
  let redis: StandaloneRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await standaloneRedis();
    client = await redis.connect();
  });
  afterAll(() => redis?.release());

  it('rejects a missing, empty or hash-tagged keyPrefix with a TypeError naming it', () => {
    for (const keyPrefix of [undefined, '', 'app{x}:', 42]) {
      expect(() => redisStore(client, { keyPrefix } as never)).toThrow(
        new TypeError('redisStore: options.keyPrefix must be a non-empty string without "{" or "}"'),
      );
    }
  });

  it('rejects a commandTimeoutMs that is not a positive integer', () => {
    expect(() => redisStore(client, { keyPrefix: 'k:', commandTimeoutMs: 0 })).toThrow(
      new TypeError('redisStore: options.commandTimeoutMs must be a positive integer (got 0)'),
    );
  });

  it('makes the client send each command at most once: no re-send after a reconnect, no offline queue', () => {
    const fresh = new Redis({ ...redis.options, lazyConnect: true });
    expect(fresh.options).toMatchObject({ autoResendUnfulfilledCommands: true, enableOfflineQueue: true }); // ioredis' defaults
    const store = redisStore(fresh, { keyPrefix: 'k:' });
    expect(fresh.options).toMatchObject({ autoResendUnfulfilledCommands: false, enableOfflineQueue: false });
    void store.close();
    fresh.disconnect();
  });

  it('rejects something that is not an ioredis client', () => {
    expect(() => redisStore({} as never, { keyPrefix: 'k:' })).toThrow(TypeError);
  });
});

describe('RFC 7009 revocation of JWT access tokens (Redis)', () => {
  let redis: StandaloneRedis;
  let client: Redis;
  const prefix = uniquePrefix('jti');
  beforeAll(async () => {
    redis = await standaloneRedis();
    client = await redis.connect();
  });
  afterAll(async () => {
    if (client !== undefined) await deleteKeysUnder(client, prefix);
    await redis?.release();
  });

  it('remembers a revoked jti until its ttl', async () => {
    const store = redisStore(client, { keyPrefix: prefix });
    expect(await store.isJwtIdRevoked('jti-1')).toBe(false);
    await store.revokeJwtId('jti-1', 60);
    expect(await store.isJwtIdRevoked('jti-1')).toBe(true);
    const [entry] = await dumpKeysUnder(client, prefix);
    expect(entry).toEqual({ key: `${prefix}jti:jti-1`, value: '1', pttl: expect.any(Number) });
    expect(entry!.pttl).toBeGreaterThan(59_000);
  });
});

describe('Redis store failure classification', () => {
  let redis: StandaloneRedis;
  let client: Redis;
  const prefix = uniquePrefix('classify');
  beforeAll(async () => {
    redis = await standaloneRedis();
    client = await redis.connect();
  });
  afterAll(async () => {
    if (client !== undefined) await deleteKeysUnder(client, prefix);
    await redis?.release();
  });

  it('an error Redis answers for a wrong command passes through unchanged (a bug: 500, not 503)', async () => {
    const store = redisStore(client, { keyPrefix: prefix });
    await client.hset(`${prefix}at:not-a-string`, 'x', '1');
    await client.pexpire(`${prefix}at:not-a-string`, 60_000);
    const failure = await store.findAccessToken('not-a-string').catch((err: unknown) => err);
    expect(failure).toMatchObject({ name: 'ReplyError' });
    expect(failure).not.toBeInstanceOf(StoreUnavailableError);
  });

  it('a client still connecting (lazyConnect) is waited for, within the timeout, instead of failing', async () => {
    const lazy = new Redis({ ...redis.options, lazyConnect: true });
    try {
      const store = redisStore(lazy, { keyPrefix: prefix });
      expect(lazy.status).toBe('wait');
      expect(await store.findAccessToken('unknown')).toBeUndefined();
      await store.close();
    } finally {
      lazy.disconnect();
    }
  });

  it('a client that was quit fails at once with StoreUnavailableError', async () => {
    const ended = await redis.connect();
    const gone = once(ended, 'end');
    await ended.quit();
    await gone;
    const store = redisStore(ended, { keyPrefix: prefix });
    await expect(store.findAccessToken('x')).rejects.toThrow(new StoreUnavailableError('Redis connection is end'));
  });
});
