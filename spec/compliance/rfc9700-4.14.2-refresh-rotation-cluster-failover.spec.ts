// RFC 9700 §4.14.2 refresh rotation across a Redis Cluster failover, and RFC 6749 §4.1.2.1 / RFC 9110
// §15.6.4 temporarily_unavailable while it lasts. A cluster of three masters with a replica each (node
// timeout 2 s) serves 8 refresh chains that rotate continuously through real HTTP, plus 24 families that sit
// still; then the master holding the most families is killed. Until its replica has taken over, the server
// answers 503 with Retry-After (never 500, never a hang past the store's deadline); after it, every chain
// continues from the last token it received, and every family made before the kill still rotates.
//
// Redis replication is asynchronous: a master acknowledges a write before its replica has it, so a rotation
// acknowledged in the last moment before the master dies can be missing on the replica that takes over (its
// client then holds a token the new master does not know: invalid_grant, that grant starts over). The bound is
// the replication lag, normally well under a millisecond on a LAN; `min-replicas-max-lag` caps how far behind a
// master lets its replicas fall. So what this spec counts as written must have reached the replica: before the
// kill, writes on the doomed master are paused (CLIENT PAUSE WRITE) and the spec waits until the replica's
// replication offset has reached the master's. The rotations then waiting in the paused master die with it,
// unexecuted, which is the case ioredis would otherwise send again later.
import type { Cluster } from 'ioredis';
import Redis from 'ioredis';
import { redisStore } from '../../lib/redis';
import { clientCredentials, startInstance, WEB_APP, type RunningInstance } from '../support/refresh-app';
import { familyIdOf, RefreshChains, sha256, sleep } from '../support/refresh-chains';
import { deleteKeysUnder, keysUnder, localCluster, uniquePrefix, type LocalCluster } from '../support/redis';

const CHAINS = 8;
const STILL_FAMILIES = 24;
const TIMEOUT_MS = 500;
const WITHIN_MS = TIMEOUT_MS + 1500;

function infoField(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  if (match === null) throw new Error(`INFO has no ${field}`);
  return Number(match[1]);
}

describe('RFC 9700 §4.14.2 refresh rotation survives a Redis Cluster failover under load', () => {
  let cluster: LocalCluster;
  let client: Cluster;
  let instance: RunningInstance;
  const prefix = uniquePrefix('failover');
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    cluster = await localCluster({ replicas: 1, nodeTimeoutMs: 2000 });
    client = await cluster.connect(); // ioredis' defaults, nothing set for Keyturn's sake
    instance = await startInstance({ store: redisStore(client, { keyPrefix: prefix, commandTimeoutMs: TIMEOUT_MS }) });
  }, 60_000);
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await instance?.stop();
    await instance?.auth.store.close();
    if (client?.status === 'ready') await deleteKeysUnder(client, prefix).catch(() => undefined);
    await cluster?.release();
  });

  it('503 until the replica takes over, then every chain continues and every family still rotates', async () => {
    const issue = () => Promise.all(Array.from({ length: CHAINS + STILL_FAMILIES }, async () => (await clientCredentials(instance)).refresh_token!));
    const tokens = await issue();
    const still = tokens.slice(CHAINS);
    const load = new RefreshChains(instance.url, WEB_APP, tokens.slice(0, CHAINS), WITHIN_MS * 2);
    let onVictim: Set<string>;
    let before503: number[];
    load.start();
    try {
      await load.waitForSuccesses(3, 15_000);

      // The victim: the master holding the most families, found by what it holds.
      const masters = await Promise.all(
        client.nodes('master').map(async (node) => ({
          port: node.options.port as number,
          families: new Set((await keysUnder(node as unknown as Redis, prefix)).filter((k) => k.endsWith(':rf')).map((k) => /\{([^}]+)\}/.exec(k)![1]!)),
        })),
      );
      const victim = masters.sort((a, b) => b.families.size - a.families.size)[0]!;
      onVictim = victim.families;
      expect(load.chains.some((c) => onVictim.has(familyIdOf(c.latest)))).toBe(true);
      expect(still.some((t) => onVictim.has(familyIdOf(t)))).toBe(true);

      // Everything the victim acknowledged has reached its replica; what it has not run yet dies with it.
      const admin = new Redis({ port: victim.port, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      await admin.call('CLIENT', 'PAUSE', '20000', 'WRITE');
      const info = (await admin.info('replication')) as string;
      admin.disconnect();
      const replicaPort = Number(/^slave0:ip=[^,]+,port=(\d+)/m.exec(info)![1]);
      const replica = new Redis({ port: replicaPort, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      const offset = infoField(info, 'master_repl_offset');
      while (infoField((await replica.info('replication')) as string, 'slave_repl_offset') < offset) await sleep(10);
      replica.disconnect();
      await sleep(200); // the chains on the victim's families are waiting in it now
      before503 = load.chains.map((c) => c.statuses.get(503) ?? 0);
      await cluster.servers.find((s) => s.port === victim.port)!.stop('SIGKILL');

      load.markRound();
      await load.waitForSuccesses(3, 30_000);
    } finally {
      await load.stop();
    }

    expect(unhandled).toEqual([]);
    for (const chain of load.chains) {
      expect(chain.lost).toBeUndefined();
      expect([...chain.statuses.keys()].every((s) => s === 200 || s === 503)).toBe(true);
      expect(chain.malformed503).toBe(0);
      expect(chain.slowestMs).toBeLessThan(WITHIN_MS);
      expect([...chain.redeemed.values()].every((n) => n === 1)).toBe(true);
      // A chain whose family was on the killed master was told to retry while it had no master.
      if (onVictim!.has(familyIdOf(chain.latest))) expect(chain.statuses.get(503) ?? 0).toBeGreaterThan(before503![chain.index]!);
    }
    for (const chain of load.chains) {
      const live = await instance.auth.store.findRefreshToken(familyIdOf(chain.latest), sha256(chain.latest));
      expect(live).toMatchObject({ clientId: WEB_APP.clientId });
      expect((await load.refreshOnce(chain)).status).toBe(200);
    }
    // Families made before the kill and never rotated since, on the killed master or elsewhere, still rotate.
    const stillChains = new RefreshChains(instance.url, WEB_APP, still, WITHIN_MS * 2);
    const answers = await Promise.all(stillChains.chains.map((c) => stillChains.refreshOnce(c)));
    expect(answers.map((a) => a.status)).toEqual(Array(STILL_FAMILIES).fill(200));
  }, 90_000);
});
