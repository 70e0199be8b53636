// Scenario 2, Keyturn: the scenario-1 token request answered with RFC 9068 JWT access tokens
// (`accessToken.format: 'jwt'`). The client secret is a scrypt hash, as in scenario 1.
//   JWT_ALG=ES256 (default) | RS256: the algorithm of the key generated at start-up and passed as a crypto.KeyObject
//   SIGNING_KEYS=configured (default) | ring: `signingKeys` as above, or none, so the server keeps its own ES256
//     key ring in the store (lib/tokens/key-ring), sealed with `secret`; read at start-up and in the background
//   STORE=memory (default) | redis: the memory store, or redisStore(new Redis(...)) under this process's own key
//     prefix, deleted on SIGTERM. With Redis the server also gets `secret`, counts the requests it answers and
//     its Redis commands and round trips, and answers them on GET /__bench/stats (bench/servers/redis-bench.ts).
import { generateKeyPairSync } from 'node:crypto';
import express from 'express';
import { createAuthorizationServer, hashClientSecret, type SigningKeyInput, type Store } from '../../lib';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, SERVER_SECRET, TOKEN_TTL } from '../fixtures';
import type { Counters } from './redis-bench';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const alg = process.env.JWT_ALG ?? 'ES256';
  if (alg !== 'ES256' && alg !== 'RS256') throw new Error(`JWT_ALG must be ES256 or RS256, got ${alg}`);
  const keys = process.env.SIGNING_KEYS ?? 'configured';
  if (keys !== 'configured' && keys !== 'ring') throw new Error(`SIGNING_KEYS must be configured or ring, got ${keys}`);
  if (keys === 'ring' && alg !== 'ES256') throw new Error('SIGNING_KEYS=ring signs ES256 only');
  const storeKind = process.env.STORE ?? 'memory';
  if (storeKind !== 'memory' && storeKind !== 'redis') throw new Error(`STORE must be memory or redis, got ${storeKind}`);

  let redis: { store: Store; counters: Counters; stats: () => Promise<Counters>; onStop: () => Promise<void> } | undefined;
  if (storeKind === 'redis') {
    // Loaded only here: with ioredis merely loaded, every Express request in the process cost ~10 k more
    // instructions (bench/findings.md), which the memory-store rows and the baselines must not pay.
    const { countedRedisStore } = await import('./redis-bench');
    redis = countedRedisStore();
  }
  const signingKeys: SigningKeyInput[] | undefined =
    keys === 'ring'
      ? undefined
      : [{ kid: 'bench-1', alg, key: (alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 })).privateKey }];
  const auth = createAuthorizationServer({
    issuer: 'https://bench.keyturn.test',
    ...(signingKeys === undefined ? {} : { signingKeys }),
    ...(redis === undefined ? {} : { store: redis.store, secret: SERVER_SECRET }),
    accessToken: { format: 'jwt', ttl: TOKEN_TTL },
    clients: [{ clientId: CLIENT_ID, clientSecretHash: await hashClientSecret(CLIENT_SECRET), grants: ['client_credentials'], scopes: [SCOPE] }],
  });
  // The key ring's first read (or write) of the store, before the harness is told the server is ready.
  await auth.ready();
  const app = express();
  if (redis !== undefined) {
    const { counters, stats } = redis;
    app.get('/__bench/stats', (_req, res, next) => {
      stats().then((c) => res.json(c), next);
    });
    // Requests answered, for per-request counters (on both Redis rows alike).
    app.use('/oauth2', (_req, _res, next) => {
      counters.requests = (counters.requests ?? 0) + 1;
      next();
    });
  }
  app.use('/oauth2', auth.router());
  serve(app, redis === undefined ? {} : { onStop: redis.onStop });
}

main().catch(fail);
