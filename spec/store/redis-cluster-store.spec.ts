import Redis, { type Cluster } from 'ioredis';
import { redisStore } from '../../lib/redis';
import { mintFamilyToken } from '../../lib/tokens/family-token';
import { storeContract } from '../../lib/testing';
import { deleteKeysUnder, keysUnder, localCluster, storedEntriesUnder, uniquePrefix, type LocalCluster } from '../support/redis';

// One cluster for the whole file: starting three nodes and joining them takes a few seconds.
let cluster: LocalCluster | undefined;
let client: Cluster | undefined;
async function clusterClient(): Promise<Cluster> {
  cluster ??= await localCluster();
  client ??= await cluster.connect();
  return client;
}
afterAll(async () => {
  await cluster?.release();
});

{
  const prefix = uniquePrefix('cluster');
  storeContract('3-master Redis Cluster', {
    createStore: async () => redisStore(await clusterClient(), { keyPrefix: prefix }),
    inspect: async () => storedEntriesUnder(await clusterClient(), prefix),
    release: async () => deleteKeysUnder(await clusterClient(), prefix),
  });
}

describe('redisStore on a Cluster', () => {
  it('makes the Cluster and each of its nodes, those of today and those opened later, send each command at most once', async () => {
    const c = await clusterClient();
    const store = redisStore(c, { keyPrefix: uniquePrefix('settings') });
    expect(c.options).toMatchObject({ retryDelayOnFailover: 0, retryDelayOnClusterDown: 0, retryDelayOnTryAgain: 0, retryDelayOnMoved: 0 });
    expect(c.nodes('all').length).toBeGreaterThan(0);
    for (const node of c.nodes('all')) expect(node.options.autoResendUnfulfilledCommands).toBe(false);
    // A node connection opened afterwards (after a failover, say) gets the setting before it connects.
    const later = new Redis({ lazyConnect: true });
    c.emit('+node', later, 'later:1');
    expect(later.options.autoResendUnfulfilledCommands).toBe(false);
    await store.close();
    const afterClose = new Redis({ lazyConnect: true });
    c.emit('+node', afterClose, 'later:2');
    expect(afterClose.options.autoResendUnfulfilledCommands).toBe(true);
    later.disconnect();
    afterClose.disconnect();
  });
});

describe('Redis Cluster key layout', () => {
  it('puts every key of a refresh token family on one slot, and families spread over the masters', async () => {
    const c = await clusterClient();
    const prefix = uniquePrefix('slots');
    const store = redisStore(c, { keyPrefix: prefix });
    const now = Math.floor(Date.now() / 1000);
    const families = Array.from({ length: 30 }, () => mintFamilyToken());
    for (const f of families) {
      await store.saveRefreshToken(f.tokenHash, { clientId: 'c', sub: 's', scope: [], familyId: f.familyId, issuedAt: now, expiresAt: now + 60 }, 60);
      await store.saveAccessToken(`at-${f.tokenHash}`, { clientId: 'c', sub: 's', scope: [], issuedAt: now, expiresAt: now + 60, familyId: f.familyId }, 60);
      const rotated = await store.rotateRefreshToken({ familyId: f.familyId, tokenHash: f.tokenHash, clientId: 'c', newTokenHash: 'next', now, ttl: 60 });
      expect(rotated.status).toBe('rotated');
    }
    const slotsByFamily = new Map<string, Set<number>>();
    for (const key of await keysUnder(c, prefix)) {
      const tag = /\{([^}]+)\}/.exec(key)?.[1];
      if (tag === undefined) continue; // access token keys: one per token, anywhere
      const slot = (await c.cluster('KEYSLOT', key)) as number;
      slotsByFamily.set(tag, (slotsByFamily.get(tag) ?? new Set()).add(slot));
    }
    expect(slotsByFamily.size).toBe(30);
    for (const slots of slotsByFamily.values()) expect(slots.size).toBe(1);
    // 30 random families over 3 masters: all three are used (a family per master at least).
    const perMaster = await Promise.all(c.nodes('master').map(async (node) => (await node.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10000))[1].length));
    expect(perMaster.every((n) => n > 0)).toBe(true);
    await store.close();
    await deleteKeysUnder(c, prefix);
  });
});

describe('a family\'s revocations on a Cluster travel with its rotation: one command on the family\'s slot', () => {
  /** The commands `run` sends through the Cluster client, by name. */
  async function commandsOf(c: Cluster, run: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const send = c.sendCommand.bind(c);
    const spy = jest.spyOn(c, 'sendCommand').mockImplementation((...args: Parameters<Cluster['sendCommand']>) => {
      sent.push(args[0].name);
      return send(...args);
    });
    try {
      await run();
    } finally {
      spy.mockRestore();
    }
    return sent;
  }

  it('a reuse sets the family\'s revoked marker for the retention asked; a grace re-issue revokes the retired child\'s jti', async () => {
    const c = await clusterClient();
    const prefix = uniquePrefix('cluster-revoke');
    const store = redisStore(c, { keyPrefix: prefix });
    try {
      const now = Math.floor(Date.now() / 1000);
      const start = async () => {
        const f = mintFamilyToken();
        await store.saveRefreshToken(f.tokenHash, { clientId: 'c', sub: 's', scope: [], familyId: f.familyId, issuedAt: now, expiresAt: now + 600 }, 600);
        return f;
      };

      const reusedFamily = await start();
      const reuse = { familyId: reusedFamily.familyId, tokenHash: reusedFamily.tokenHash, clientId: 'c', now, ttl: 600 };
      expect((await store.rotateRefreshToken({ ...reuse, newTokenHash: 'rt2' })).status).toBe('rotated');
      let reused: unknown;
      expect(await commandsOf(c, async () => {
        reused = await store.rotateRefreshToken({ ...reuse, newTokenHash: 'rt3', revokedFamilyRetainSeconds: 3 * 86_400 });
      })).toEqual(['evalsha']);
      expect(reused).toEqual({ status: 'reused' });
      expect(await c.pttl(`${prefix}{${reusedFamily.familyId}}:rv`)).toBeGreaterThan(3 * 86_400_000 - 60_000);

      const graceful = await start();
      const grace = { familyId: graceful.familyId, tokenHash: graceful.tokenHash, clientId: 'c', ttl: 600, reuseGraceSeconds: 30 };
      expect((await store.rotateRefreshToken({ ...grace, now, newTokenHash: 'rt2', jwtAccessToken: { jti: 'child-jti', ttl: 960 } })).status).toBe('rotated');
      let reissued: { status: string } | undefined;
      expect(await commandsOf(c, async () => {
        reissued = await store.rotateRefreshToken({ ...grace, now: now + 10, newTokenHash: 'rt3', jwtAccessToken: { jti: 'retry-jti', ttl: 960 } });
      })).toEqual(['evalsha']);
      expect(reissued?.status).toBe('reissued');
      expect(await store.isJwtIdRevoked('child-jti', graceful.familyId)).toBe(true);
      expect(await store.isJwtIdRevoked('retry-jti', graceful.familyId)).toBe(false);
      expect(await c.pttl(`${prefix}{${graceful.familyId}}:jti:child-jti`)).toBeGreaterThan(950_000 - 5_000);
    } finally {
      await store.close();
      await deleteKeysUnder(c, prefix);
    }
  });
});
