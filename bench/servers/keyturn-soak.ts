// The soak's Keyturn instance (bench/harness/soak.ts starts two of these, each its own process, on one Redis): what
// a small multi-instance deployment mounts. The token endpoint (client_credentials and refresh_token, the client
// secret a scrypt hash), POST /oauth2/introspect, and a GET route behind `requireBearer`; ES256 JWT access tokens
// signed with the key ring both instances keep in the store (sealed with the shared `secret`), the failed-
// authentication lockout and a rate limit on, all state in Redis under the one prefix the harness gives both
// instances in BENCH_KEY_PREFIX. The harness deletes those keys after both instances stopped; so that a killed
// run's keys still go away, refresh tokens live an hour instead of 30 days.
// The bad traffic sends wrong secrets for the good traffic's own client id from another address: the lockout
// must refuse the stranger and never the client.
// GET /__bench/memory answers this process's `process.memoryUsage()`, which the harness reads once a minute.
import express from 'express';
import { createAuthorizationServer, hashClientSecret } from '../../lib';
import { redisStore } from '../../lib/redis';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { CLIENT_ID, CLIENT_SECRET, RESOURCE_BODY, RESOURCE_PATH, SCOPE, SERVER_SECRET, TOKEN_TTL } from '../fixtures';
import { SOAK_RATE_LIMIT } from '../harness/soak-traffic';
import { benchRedis, BENCH_PREFIX } from './redis-bench';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  if (process.env.BENCH_KEY_PREFIX === undefined) throw new Error('BENCH_KEY_PREFIX must name the prefix both soak instances share');
  const client = benchRedis();
  const secretHash = await hashClientSecret(CLIENT_SECRET);
  const auth = createAuthorizationServer({
    issuer: 'https://bench.keyturn.test',
    store: redisStore(client, { keyPrefix: BENCH_PREFIX }),
    secret: SERVER_SECRET,
    grants: ['client_credentials', 'refresh_token'],
    accessToken: { format: 'jwt', ttl: TOKEN_TTL },
    refreshToken: { ttl: 3600 },
    lockout: {},
    rateLimit: SOAK_RATE_LIMIT,
    clients: [
      { clientId: CLIENT_ID, clientSecretHash: secretHash, grants: ['client_credentials', 'refresh_token'], scopes: [SCOPE] },
    ],
  });
  // The key ring's first read (the second instance finds the ring the first one wrote).
  await auth.ready();

  const app = express();
  app.get('/__bench/memory', (_req, res) => {
    res.json(process.memoryUsage());
  });
  app.use('/oauth2', auth.router());
  app.get(RESOURCE_PATH, requireBearer({ server: auth, scopes: [SCOPE] }), (_req, res) => {
    res.json(RESOURCE_BODY);
  });
  app.use(bearerErrorHandler({ server: auth }));
  serve(app, { onStop: async () => void (await client.quit()) });
}

main().catch(fail);
