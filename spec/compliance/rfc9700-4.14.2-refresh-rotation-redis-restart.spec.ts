// RFC 9700 §4.14.2: with refresh token rotation, "If a refresh token is compromised and subsequently used
// by both the attacker and the legitimate client, one of them will present an invalidated refresh token,
// which will inform the authorization server of the breach" — so a server that rotates a token behind the
// client's back revokes that client's grant. RFC 6749 §4.1.2.1 / RFC 9110 §15.6.4: while the store is down
// the server answers 503 temporarily_unavailable with Retry-After, and the client retries.
//
// The attack: Redis killed and restarted under refresh load. ioredis, by default, writes the commands that
// were on a connection when it closed again once it reconnects, so rotations the clients had been told
// failed (503) ran after the restart, and each client's retry was reuse: 5 of 8 chains lost their grant.
// Here 8 chains rotate continuously through real HTTP against a `redisStore(new Redis(...))` with ioredis'
// defaults, on a redis-server of this spec's own (append-only file, fsync always, so data survives a kill).
//
// The kill comes right after CLIENT PAUSE, with every chain's rotation waiting in Redis, unexecuted: so each
// chain has a rotation that never ran, which is what ioredis would re-send, and no rotation ran whose reply
// the kill destroyed. That other case (Redis ran it, the client never heard) cannot be told apart from a
// lost response by any client; the refresh grace window (refreshToken.reuseGraceSeconds) is its answer.
import Redis from 'ioredis';
import { redisStore } from '../../lib/redis';
import { clientCredentials, startInstance, WEB_APP, type RunningInstance } from '../support/refresh-app';
import { familyIdOf, RefreshChains, sha256, sleep } from '../support/refresh-chains';
import { deleteKeysUnder, freePort, RedisServerProcess, uniquePrefix, waitReady } from '../support/redis';

const CHAINS = 8;
const TIMEOUT_MS = 500;
// "Not a hang": the store's deadline plus generous room for a loaded 2-core machine.
const WITHIN_MS = TIMEOUT_MS + 1500;

describe('RFC 9700 §4.14.2 refresh rotation survives a Redis kill and restart under load', () => {
  let server: RedisServerProcess;
  let client: Redis;
  let instance: RunningInstance;
  const prefix = uniquePrefix('restart');
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = new RedisServerProcess(await freePort(), ['--appendonly', 'yes', '--appendfsync', 'always']);
    await server.start();
    // As users write it: ioredis' defaults, nothing set for Keyturn's sake.
    client = new Redis({ host: '127.0.0.1', port: server.port });
    await waitReady(client);
    instance = await startInstance({ store: redisStore(client, { keyPrefix: prefix, commandTimeoutMs: TIMEOUT_MS }) });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await instance?.stop();
    await instance?.auth.store.close();
    if (client?.status === 'ready') await deleteKeysUnder(client, prefix);
    client?.disconnect();
    await server?.dispose();
  });

  it('503 with Retry-After while Redis is down, then every chain continues from its last token: none lost, none spent twice', async () => {
    const first = await Promise.all(Array.from({ length: CHAINS }, async () => (await clientCredentials(instance)).refresh_token!));
    const load = new RefreshChains(instance.url, WEB_APP, first, WITHIN_MS * 2);
    load.start();
    try {
      await load.waitForSuccesses(3, 10_000);

      // Every chain's next rotation reaches Redis and waits there; then Redis dies with them unexecuted.
      const admin = new Redis({ host: '127.0.0.1', port: server.port, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      await admin.call('CLIENT', 'PAUSE', '10000', 'ALL');
      admin.disconnect();
      await sleep(200);
      await server.stop('SIGKILL');
      const down = load.chains.map((c) => c.statuses.get(503) ?? 0);
      await sleep(TIMEOUT_MS + 700); // each waiting rotation meets its deadline; retries meet a closed connection
      expect(load.chains.map((c, i) => (c.statuses.get(503) ?? 0) > (down[i] ?? 0))).toEqual(Array(CHAINS).fill(true));

      await server.start();
      load.markRound();
      await load.waitForSuccesses(3, 15_000);
    } finally {
      await load.stop();
    }

    expect(unhandled).toEqual([]);
    for (const chain of load.chains) {
      expect(chain.lost).toBeUndefined();
      expect([...chain.statuses.keys()].sort()).toEqual([200, 503]);
      expect(chain.malformed503).toBe(0);
      expect(chain.slowestMs).toBeLessThan(WITHIN_MS);
      // None spent twice: each token this chain presented was redeemed once at most.
      expect([...chain.redeemed.values()].every((n) => n === 1)).toBe(true);
    }
    // No grant lost: each family's live token in Redis is the one its chain holds, and it rotates.
    for (const chain of load.chains) {
      const live = await instance.auth.store.findRefreshToken(familyIdOf(chain.latest), sha256(chain.latest));
      expect(live).toMatchObject({ clientId: WEB_APP.clientId, familyId: familyIdOf(chain.latest) });
      const answer = await load.refreshOnce(chain);
      expect(answer.status).toBe(200);
    }
    // The rotations before the kill were kept too (fsync always): a token retired before it is reuse still.
    const retired = [...load.chains[0]!.redeemed.keys()][0]!;
    const replay = await load.refreshOnce({ ...load.chains[0]!, latest: retired });
    expect(replay.status).toBe(400);
  }, 60_000);
});
