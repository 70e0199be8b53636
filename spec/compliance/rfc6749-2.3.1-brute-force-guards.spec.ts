// RFC 6749 §2.3.1: "the authorization server MUST protect any endpoint utilizing it against brute force
// attacks." The guards that do it are keyed on who is asking, so that a stranger cannot turn them against the
// client they protect. The client calls from 127.0.0.1 and the stranger from 127.0.0.2, both real loopback
// addresses, over real HTTP. Each attack runs on the memory store (one instance) and on Redis and Redis
// Cluster (two instances sharing the store, requests alternating between them).
import express from 'express';
import type { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import { createAuthorizationServer, hashClientSecret, type AuthorizationServerOptions, type Client, type RateLimitedEvent } from '../../lib';
import { redisStore } from '../../lib/redis';
import { MemoryStore } from '../../lib/store/memory-store';
import { basic } from '../support/app';
import { CLIENT_ADDRESS, postFormFrom, STRANGER_ADDRESS, type Answer } from '../support/from-address';
import { listen, type Listening } from '../support/listen';
import { deleteKeysUnder, localCluster, standaloneRedis, uniquePrefix, type LocalCluster, type StandaloneRedis } from '../support/redis';

const SECRET = 'the-vaults-real-secret';
let vault: Client;

type Guards = Pick<AuthorizationServerOptions, 'lockout' | 'rateLimit' | 'clientAuthentication'>;

interface Deployment {
  /** Starts one instance (memory) or two (Redis, Cluster) with these guards; requests alternate between them. */
  start(guards: Guards, extraClients?: readonly Client[]): Promise<Instances>;
  close(): Promise<void>;
}

interface Instances {
  token(from: string, authorization?: string, form?: Record<string, string>): Promise<Answer>;
  readonly limited: RateLimitedEvent[];
}

function deployment(label: string, stores: (run: string) => AuthorizationServerOptions['store'][]): Deployment {
  const running: Listening[] = [];
  let runs = 0;
  return {
    async start(guards, extraClients = []) {
      const run = `${label}-${runs++}`;
      const limited: RateLimitedEvent[] = [];
      const urls: string[] = [];
      for (const store of stores(run)) {
        const auth = createAuthorizationServer({ clients: [vault, ...extraClients], store, ...guards });
        auth.events.on('rate_limited', (e) => limited.push(e));
        const app = express();
        app.use('/oauth2', auth.router());
        const listening = await listen(app);
        running.push(listening);
        urls.push(`${listening.url}/oauth2/token`);
      }
      let next = 0;
      return {
        limited,
        token: (from, authorization, form = { grant_type: 'client_credentials' }) =>
          postFormFrom(from, urls[next++ % urls.length] as string, form, authorization === undefined ? {} : { authorization }),
      };
    },
    async close() {
      await Promise.all(running.map((l) => l.close()));
    },
  };
}

const right = () => basic(vault.clientId, SECRET);
const wrong = (n: number) => basic(vault.clientId, `guess-${n}`);
const statuses = (answers: readonly Answer[]) => answers.map((a) => a.status);
const count = (answers: readonly Answer[], status: number) => answers.filter((a) => a.status === status).length;

let redis: StandaloneRedis;
let redisClients: Redis[];
let cluster: LocalCluster;
let clusterClient: Cluster;
const prefix = uniquePrefix('guards');

beforeAll(async () => {
  vault = { clientId: 'vault', clientSecretHash: await hashClientSecret(SECRET), grants: ['client_credentials'], scopes: ['vault.read'] };
  redis = await standaloneRedis();
  redisClients = [await redis.connect(), await redis.connect()];
  cluster = await localCluster();
  clusterClient = await cluster.connect();
}, 60_000);
afterAll(async () => {
  await deleteKeysUnder(redisClients[0] as Redis, prefix);
  await redis.release();
  await cluster.release();
});

const deployments: Array<[string, () => Deployment]> = [
  ['memory', () => deployment('memory', () => [new MemoryStore()])],
  ['Redis, two instances', () => deployment('redis', (run) => redisClients.map((client) => redisStore(client, { keyPrefix: `${prefix}${run}:` })))],
  ['Redis Cluster, two instances', () => deployment('cluster', (run) => [0, 1].map(() => redisStore(clusterClient, { keyPrefix: `${prefix}${run}:` })))],
];

describe.each(deployments)('brute-force guards keyed on the requester (%s)', (_name, make) => {
  let deploy: Deployment;
  beforeAll(() => {
    deploy = make();
  });
  afterAll(() => deploy.close());

  it('checks at most maxFailures wrong secrets, however many are sent at once', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3 } });
    const guesses = await Promise.all(Array.from({ length: 40 }, (_, n) => servers.token(STRANGER_ADDRESS, wrong(n))));
    expect(count(guesses, 401)).toBeLessThanOrEqual(3);
    expect(count(guesses, 401) + count(guesses, 429)).toBe(40);
    const retryAfter = Number(guesses.find((a) => a.status === 429)?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // The stranger's right guess after that is refused too: a 429 must not tell a right guess from a wrong one.
    expect((await servers.token(STRANGER_ADDRESS, right())).status).toBe(429);
  });

  it('the right secret among 40 concurrent guesses is not let through once the budget is spent', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3 } });
    const attempts = await Promise.all(Array.from({ length: 40 }, (_, n) => servers.token(STRANGER_ADDRESS, n === 39 ? right() : wrong(n))));
    // Every attempt beyond the budget is refused unchecked, whichever secret it carried.
    expect(count(attempts, 401) + count(attempts, 200) + count(attempts, 429)).toBe(40);
    expect(count(attempts, 401) + count(attempts, 200)).toBeLessThanOrEqual(4);
    expect(count(attempts, 401)).toBeLessThanOrEqual(3);
  });

  it('a client\'s own burst of parallel first requests is not refused: identical attempts share one reservation', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3, addressMaxFailures: 3, clientMaxFailures: 3 } });
    const burst = await Promise.all(Array.from({ length: 20 }, () => servers.token(CLIENT_ADDRESS, right())));
    expect(statuses(burst)).toEqual(Array(20).fill(200));
  });

  it('a burst that meets an expired remembered verification is not refused: it shares one reservation', async () => {
    const other: Client = { clientId: 'other', clientSecretHash: await hashClientSecret('other-secret'), grants: ['client_credentials'], scopes: [] };
    // A cache of one verification: the other client's success pushes out the vault's, as expiry would.
    const servers = await deploy.start({ lockout: { maxFailures: 3 }, clientAuthentication: { secretCacheSize: 1 } }, [other]);
    for (let n = 0; n < 2; n++) expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
    for (let n = 0; n < 2; n++) expect((await servers.token(CLIENT_ADDRESS, basic('other', 'other-secret'))).status).toBe(200);
    const burst = await Promise.all(Array.from({ length: 20 }, () => servers.token(CLIENT_ADDRESS, right())));
    expect(statuses(burst)).toEqual(Array(20).fill(200));
  });

  it('the same wrong secret sent 20 times at once is checked once per instance, and answered alike', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3 } });
    const burst = await Promise.all(Array.from({ length: 20 }, () => servers.token(STRANGER_ADDRESS, wrong(7))));
    expect(statuses(burst)).toEqual(Array(20).fill(401));
    expect((await servers.token(STRANGER_ADDRESS, wrong(8))).status).toBe(401);
  });

  it('a neighbour at the client\'s address cannot reopen the pair\'s budget by letting the client succeed in between', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3 } });
    const guesses = [];
    for (let n = 0; n < 6; n++) {
      guesses.push((await servers.token(CLIENT_ADDRESS, wrong(n))).status);
      await servers.token(CLIENT_ADDRESS, right());
    }
    expect(guesses).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it('a lock that ends does not reopen the pair\'s window: still at most maxFailures wrong secrets per window', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3, baseSeconds: 1 } });
    const first = [];
    for (let n = 0; n < 3; n++) first.push((await servers.token(STRANGER_ADDRESS, wrong(n))).status);
    expect(first).toEqual([401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const after = await Promise.all(Array.from({ length: 6 }, (_, n) => servers.token(STRANGER_ADDRESS, wrong(10 + n))));
    expect(statuses(after)).toEqual(Array(6).fill(429));
  });

  it('a neighbour behind the client\'s own address cannot spend it out with random ids: a known address gets past the address budget', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3, addressMaxFailures: 5 } });
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
    // One wrong secret for the client's id makes every instance reserve again for this pair...
    expect((await servers.token(CLIENT_ADDRESS, wrong(1))).status).toBe(401);
    // ...and random ids spend the address's budget.
    const ids = await Promise.all(Array.from({ length: 12 }, (_, n) => servers.token(CLIENT_ADDRESS, basic(`neighbour-${n}-${Math.random()}`, 'guess'))));
    expect(count(ids, 429)).toBeGreaterThan(0);
    expect((await servers.token(CLIENT_ADDRESS, basic(`neighbour-x-${Math.random()}`, 'guess'))).status).toBe(429);
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
  });

  it('a stranger\'s wrong secrets do not lock out the client at its own address', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3, baseSeconds: 30 } });
    for (let n = 0; n < 10; n++) await servers.token(STRANGER_ADDRESS, wrong(n));
    expect((await servers.token(STRANGER_ADDRESS, wrong(99))).status).toBe(429);
    const own = await servers.token(CLIENT_ADDRESS, right());
    expect(own.status).toBe(200);
    expect(own.body.access_token).toEqual(expect.any(String));
    expect(servers.limited.every((e) => e.ip === STRANGER_ADDRESS)).toBe(true);
  });

  it('requests that name the client without a secret spend the stranger\'s budget, not the client\'s rate limit', async () => {
    const servers = await deploy.start({ rateLimit: { points: 20, durationSeconds: 60 }, lockout: { maxFailures: 3 } });
    const flood = await Promise.all(Array.from({ length: 100 }, () => servers.token(STRANGER_ADDRESS, undefined, { grant_type: 'client_credentials', client_id: vault.clientId })));
    expect(new Set(statuses(flood))).toEqual(new Set([401, 429]));
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
  });

  it('with the rate limit alone, a flood of failures from a stranger leaves the client its budget', async () => {
    const servers = await deploy.start({ rateLimit: { points: 5, durationSeconds: 60 } });
    for (let n = 0; n < 12; n++) await servers.token(STRANGER_ADDRESS, wrong(n));
    expect((await servers.token(STRANGER_ADDRESS, wrong(100))).status).toBe(429);
    const own = [];
    for (let n = 0; n < 5; n++) own.push((await servers.token(CLIENT_ADDRESS, right())).status);
    expect(own).toEqual([200, 200, 200, 200, 200]);
    // The budget is the client's own: its sixth request in the window is refused.
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(429);
  });

  it('random client ids cost a decoy hash only within the stranger\'s address budget', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3, addressMaxFailures: 10 } });
    const ids = await Promise.all(Array.from({ length: 40 }, (_, n) => servers.token(STRANGER_ADDRESS, basic(`random-${n}-${Math.random()}`, 'guess'))));
    // Each 401 is one decoy scrypt; the rest were refused before any hash.
    expect(count(ids, 401)).toBeLessThanOrEqual(10);
    expect(count(ids, 401) + count(ids, 429)).toBe(40);
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
  });

  it('a guess spread over many addresses is bounded by the client\'s budget, and its known address still gets in', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3, clientMaxFailures: 6 } });
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
    const strangers = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
    const guesses = await Promise.all(strangers.flatMap((from) => [0, 1, 2].map((n) => servers.token(from, wrong(n)))));
    expect(count(guesses, 401)).toBeLessThanOrEqual(6);
    expect(count(guesses, 401) + count(guesses, 429)).toBe(12);
    // While the budget is spent, a new address is refused even with the right secret (the documented bound)...
    expect((await servers.token('127.0.0.9', right())).status).toBe(429);
    // ...and the address the client authenticated from gets in.
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
  });

  it('a success gives its points back: the client\'s own steady traffic never spends its budget', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 2, clientMaxFailures: 2, addressMaxFailures: 2 } });
    const own = [];
    for (let n = 0; n < 8; n++) own.push((await servers.token(CLIENT_ADDRESS, right())).status);
    expect(own).toEqual(Array(8).fill(200));
    expect((await servers.token(CLIENT_ADDRESS, wrong(1))).status).toBe(401);
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
  });

  it('a stranger sharing the client\'s address cannot tell a right guess from a wrong one once the pair is locked', async () => {
    const servers = await deploy.start({ lockout: { maxFailures: 3, baseSeconds: 30 } });
    // Twice, so that each instance has seen the client succeed from this address.
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(200);
    const guesses = [];
    for (let n = 0; n < 6; n++) guesses.push((await servers.token(CLIENT_ADDRESS, wrong(n))).status);
    expect(guesses).toEqual([401, 401, 401, 429, 429, 429]);
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(429);
    expect((await servers.token(CLIENT_ADDRESS, right())).status).toBe(429);
  });
});
