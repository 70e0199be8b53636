// Scenario 4, Keyturn: `requireBearer({ server: auth, scopes })` protecting the GET route, with
// `bearerErrorHandler({ server: auth })` after it, as the docs show. TOKEN_FORMAT=jwt (default: RFC 9068 tokens verified with the server's own key, no store
// lookup; JWT_ALG=ES256 (default) or RS256) or opaque (a store lookup: STORE=memory (default) or redis, i.e.
// redisStore(new Redis()) on 127.0.0.1 under this process's own key prefix, deleted on SIGTERM). The test token
// comes from the server's own token endpoint once it listens, and is handed to the harness.
// VERIFIED_TOKEN_CACHE=off builds the route with `verifiedTokenCache: false`: every request verifies the JWT's
// signature (the cold path); by default the one token the load reuses is verified once and then served from
// the verified-token cache (exp, key and the revoked-jti list still checked on every request).
// SIGNING_KEYS=ring gives no `signingKeys`: the server keeps its own ES256 key ring in the store (lib/tokens/key-ring),
// sealed with `secret`, and the bearer check verifies with the ring's keys as read at start-up.
// With STORE=redis the server also gets `secret`, counts the protected requests it answers and its Redis commands
// and round trips, and answers them on GET /__bench/stats (bench/servers/redis-bench.ts).
import { generateKeyPairSync } from 'node:crypto';
import express from 'express';
import { createAuthorizationServer, type SigningKeyInput, type Store } from '../../lib';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { CLIENT_ID, CLIENT_SECRET, RESOURCE_BODY, RESOURCE_PATH, SCOPE, SERVER_SECRET } from '../fixtures';
import type { Counters } from './redis-bench';
import { fail, serve } from './serve';
import { fetchTestToken } from './test-token';

async function main(): Promise<void> {
  const format = process.env.TOKEN_FORMAT ?? 'jwt';
  if (format !== 'jwt' && format !== 'opaque') throw new Error(`TOKEN_FORMAT must be jwt or opaque, got ${format}`);
  const alg = process.env.JWT_ALG ?? 'ES256';
  if (alg !== 'ES256' && alg !== 'RS256') throw new Error(`JWT_ALG must be ES256 or RS256, got ${alg}`);
  const cacheSetting = process.env.VERIFIED_TOKEN_CACHE ?? 'on';
  if (cacheSetting !== 'on' && cacheSetting !== 'off') throw new Error(`VERIFIED_TOKEN_CACHE must be on or off, got ${cacheSetting}`);
  const storeKind = process.env.STORE ?? 'memory';
  if (storeKind !== 'memory' && storeKind !== 'redis') throw new Error(`STORE must be memory or redis, got ${storeKind}`);
  const keys = process.env.SIGNING_KEYS ?? 'configured';
  if (keys !== 'configured' && keys !== 'ring') throw new Error(`SIGNING_KEYS must be configured or ring, got ${keys}`);
  if (keys === 'ring' && alg !== 'ES256') throw new Error('SIGNING_KEYS=ring signs ES256 only');

  let store: Store | undefined;
  let onStop: (() => Promise<void>) | undefined;
  let stats: { counters: Counters; read: () => Promise<Counters> } | undefined;
  if (storeKind === 'redis') {
    // Loaded only here: with ioredis merely loaded, every Express request in the process cost ~10 k more
    // instructions (bench/findings.md), which the memory-store rows and the bare GET must not pay.
    const { countedRedisStore } = await import('./redis-bench');
    const redis = countedRedisStore();
    store = redis.store;
    onStop = redis.onStop;
    stats = { counters: redis.counters, read: redis.stats };
  }
  const signingKeys: SigningKeyInput[] | undefined =
    keys === 'ring'
      ? undefined
      : [{ kid: `bench-${alg.toLowerCase()}`, alg, key: (alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 })).privateKey }];
  const auth = createAuthorizationServer({
    issuer: 'https://bench.keyturn.test',
    ...(signingKeys === undefined ? {} : { signingKeys }),
    ...(store === undefined ? {} : { store, secret: SERVER_SECRET }),
    // An hour: the token stays valid for the whole benchmark.
    accessToken: { format, ttl: 3600 },
    // The plaintext mode: only the one token request at start-up authenticates a client.
    allowPlaintextSecrets: true,
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, grants: ['client_credentials'], scopes: [SCOPE] }],
  });

  // The key ring's first read (or write) of the store, before the test token is fetched.
  await auth.ready();

  const app = express();
  if (stats !== undefined) {
    const { counters, read } = stats;
    app.get('/__bench/stats', (_req, res, next) => {
      read().then((c) => res.json(c), next);
    });
    // Protected requests answered, for per-request counters (on every Redis row alike).
    app.use(RESOURCE_PATH, (_req, _res, next) => {
      counters.requests = (counters.requests ?? 0) + 1;
      next();
    });
  }
  app.use('/oauth2', auth.router());
  app.get(RESOURCE_PATH, requireBearer({ server: auth, scopes: [SCOPE], ...(cacheSetting === 'off' ? { verifiedTokenCache: false as const } : {}) }), (_req, res) => {
    res.json(RESOURCE_BODY);
  });
  app.use(bearerErrorHandler({ server: auth }));

  serve(app, {
    ...(onStop === undefined ? {} : { onStop }),
    onListening: async (port) => ({ Authorization: `Bearer ${await fetchTestToken(port)}` }),
  });
}

main().catch(fail);
