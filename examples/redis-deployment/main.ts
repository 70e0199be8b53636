// Two instances of one authorization server that share nothing but a Redis: a refresh token issued at one
// rotates at the other, and a reused one revokes its family at both (RFC 9700 §4.14.2).
// Run from examples/: npx tsx redis-deployment/main.ts (EXAMPLE_SELF_TEST=1: self-test.ts checks it). Needs Redis.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { createAuthorizationServer, gracefulShutdown, hashClientSecret, type Client } from 'keyturn';
import { redisStore } from 'keyturn/redis';
import { bearerErrorHandler, requireBearer } from 'keyturn/resource-server';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIENT = { id: 'billing-worker', secret: process.env.CLIENT_SECRET ?? 'change-me-to-a-long-random-secret' };

/** One instance. In production each runs in its own process or host; all it shares with the others is Redis. */
async function startInstance(name: string, keyPrefix: string, clients: Client[], port: number) {
  // redisStore makes this connection send each command at most once (no re-send on reconnect, no offline
  // queue): a refresh the client already saw fail must not rotate its token later.
  const redis = new Redis(REDIS_URL);
  const store = redisStore(redis, { keyPrefix }); // the same prefix on every instance: that makes them one server
  const auth = createAuthorizationServer({ clients, store, grants: ['client_credentials', 'refresh_token'] });
  auth.events.on('refresh.reuse_detected', (e) => console.warn(`[${name}] refresh token reused by ${e.clientId}: family revoked`));

  const app = express();
  app.use('/oauth2', auth.router());
  app.get('/whoami', requireBearer({ server: auth }), (req, res) => res.json({ instance: name, client: req.auth?.clientId }));
  app.use(bearerErrorHandler({ server: auth }));
  const server = createServer(app);
  const url = await listen(server, port);
  // Servers first, then the store, then the connection, which is yours to quit.
  const stop = () => gracefulShutdown(server, { close: [() => auth.close(), () => store.close(), () => redis.quit()] });
  return { name, url, auth, redis, stop };
}

export type Instance = Awaited<ReturnType<typeof startInstance>>;

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

async function main(): Promise<void> {
  const testing = process.env.EXAMPLE_SELF_TEST === '1';
  // The self-test writes under a prefix of its own, so it never touches anyone else's keys on a shared Redis.
  const keyPrefix = testing ? `keyturn-example:${randomUUID()}:` : (process.env.KEYTURN_REDIS_PREFIX ?? 'keyturn-example:');
  const clients: Client[] = [
    {
      clientId: CLIENT.id,
      clientSecretHash: await hashClientSecret(CLIENT.secret),
      grants: ['client_credentials', 'refresh_token'],
      scopes: ['invoices.read'],
    },
  ];
  const port = testing ? 0 : Number(process.env.PORT ?? 3000);
  const a = await startInstance('a', keyPrefix, clients, port);
  const b = await startInstance('b', keyPrefix, clients, testing ? 0 : port + 1);
  const stop = () => Promise.all([a.stop(), b.stop()]);

  if (testing) {
    const { selfTest, deleteKeys } = await import('./self-test.js');
    try {
      await selfTest(a, b, CLIENT);
    } finally {
      await deleteKeys(a.redis, keyPrefix);
      await stop();
    }
    console.log('example redis-deployment: ok');
    return;
  }
  const secret = process.env.CLIENT_SECRET === undefined ? CLIENT.secret : '"$CLIENT_SECRET"';
  console.log(`instance a on ${a.url}, instance b on ${b.url}, Redis ${REDIS_URL}, key prefix ${keyPrefix}. Try:
  curl -s -u ${CLIENT.id}:${secret} -d grant_type=client_credentials ${a.url}/oauth2/token
  curl -s -u ${CLIENT.id}:${secret} -d grant_type=refresh_token -d refresh_token=REFRESH_TOKEN ${b.url}/oauth2/token
  then send the first refresh token again to either instance: 400 invalid_grant, and the new one is revoked too`);
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
