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

  it("keeps a family token's revoked jti beside its family's marker, and asks both in one EXISTS", async () => {
    const store = redisStore(client, { keyPrefix: prefix });
    const family = 'F'.repeat(43);
    await store.revokeJwtId('jti-2', 60, family);
    const keys = (await dumpKeysUnder(client, prefix)).map((e) => e.key);
    expect(keys).toContain(`${prefix}{${family}}:jti:jti-2`);
    const sent: Array<{ name: string; args: unknown[] }> = [];
    const send = client.sendCommand.bind(client);
    const spy = jest.spyOn(client, 'sendCommand').mockImplementation((command, stream) => {
      sent.push({ name: command.name, args: [...command.args] });
      return send(command, stream);
    });
    try {
      expect(await store.isJwtIdRevoked('jti-2', family)).toBe(true);
      expect(await store.isJwtIdRevoked('jti-3', family)).toBe(false);
      await store.revokeFamily(family);
      sent.length = 0;
      expect(await store.isJwtIdRevoked('jti-3', family)).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(sent).toEqual([{ name: 'exists', args: [`${prefix}{${family}}:jti:jti-3`, `${prefix}{${family}}:rv`] }]);
  });

  /** The commands `run` sends on `client`, by name and keys. */
  async function commandsOf(run: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const send = client.sendCommand.bind(client);
    const spy = jest.spyOn(client, 'sendCommand').mockImplementation((command, stream) => {
      sent.push(command.name);
      return send(command, stream);
    });
    try {
      await run();
    } finally {
      spy.mockRestore();
    }
    return sent;
  }

  it('a reuse revokes the family in the rotation\'s one command, revoked marker included, kept as long as asked', async () => {
    const store = redisStore(client, { keyPrefix: prefix });
    const family = 'H'.repeat(43);
    const now = Math.floor(Date.now() / 1000);
    await store.saveRefreshToken('rt1', { clientId: 'c', sub: 's', scope: [], familyId: family, issuedAt: now, expiresAt: now + 600 }, 600);
    const rotation = { familyId: family, tokenHash: 'rt1', clientId: 'c', now, ttl: 600 };
    expect((await store.rotateRefreshToken({ ...rotation, newTokenHash: 'rt2' })).status).toBe('rotated');
    let reused: unknown;
    const sent = await commandsOf(async () => {
      reused = await store.rotateRefreshToken({ ...rotation, newTokenHash: 'rt3', revokedFamilyRetainSeconds: 3 * 86_400 });
    });
    expect(reused).toEqual({ status: 'reused' });
    expect(sent).toEqual(['evalsha']);
    expect(await client.pttl(`${prefix}{${family}}:rv`)).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(await store.isJwtIdRevoked('any-jti', family)).toBe(true);
  });

  it('a grace re-issue revokes the retired child\'s jti in the rotation\'s one command, beside its family, for what is left of its life', async () => {
    const store = redisStore(client, { keyPrefix: prefix });
    const family = 'J'.repeat(43);
    const now = Math.floor(Date.now() / 1000);
    await store.saveRefreshToken('rt1', { clientId: 'c', sub: 's', scope: [], familyId: family, issuedAt: now, expiresAt: now + 600 }, 600);
    const rotation = { familyId: family, tokenHash: 'rt1', clientId: 'c', ttl: 600, reuseGraceSeconds: 30 };
    expect((await store.rotateRefreshToken({ ...rotation, now, newTokenHash: 'rt2', jwtAccessToken: { jti: 'child-jti', ttl: 960 } })).status).toBe('rotated');
    let reissued: { status: string } | undefined;
    const sent = await commandsOf(async () => {
      reissued = await store.rotateRefreshToken({ ...rotation, now: now + 10, newTokenHash: 'rt3', jwtAccessToken: { jti: 'retry-jti', ttl: 960 } });
    });
    expect(reissued?.status).toBe('reissued');
    expect(sent).toEqual(['evalsha']);
    const pttl = await client.pttl(`${prefix}{${family}}:jti:child-jti`);
    expect(pttl).toBeGreaterThan(950_000 - 5_000);
    expect(pttl).toBeLessThanOrEqual(950_000);
    expect(await client.exists(`${prefix}{${family}}:jti:retry-jti`, `${prefix}{${family}}:rv`)).toBe(0);
  });

  it('keeps a family revocation asked for longer than a day that long, and a later revocation never shortens it', async () => {
    const store = redisStore(client, { keyPrefix: prefix });
    const family = 'G'.repeat(43);
    const markerTtl = async () => (await dumpKeysUnder(client, prefix)).find((e) => e.key === `${prefix}{${family}}:rv`)!.pttl;
    await store.revokeFamily(family, 3 * 86_400);
    expect(await markerTtl()).toBeGreaterThan(3 * 86_400_000 - 60_000);
    await store.revokeFamily(family);
    expect(await markerTtl()).toBeGreaterThan(3 * 86_400_000 - 60_000);
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
