// Scenarios 3 and 5, Keyturn: the token endpoint with `grants: ['client_credentials', 'refresh_token']`, the
// client secret a scrypt hash as in scenario 1. Every client_credentials response carries a refresh token (the
// default `issueWithClientCredentials`), which the load generator's refresh-rotation hook redeems, chain after
// chain (bench/load-hooks/refresh-rotation.ts).
//   STORE=memory (default) | redis: the memory store, or redisStore(new Redis(...)) under this process's own prefix
//   ACCESS=opaque (default) | jwt: opaque access tokens (saved in the store) or ES256 JWTs (not stored)
//   MODE=refresh (default) | introspect: for introspect, the server issues one opaque access token at start-up and
//     asks the harness to send `token=<it>` to POST /oauth2/introspect (scenario 5)
//   SEED_FAMILIES / SEED_ACCESS_TOKENS: live refresh families / opaque access tokens written to Redis by pipeline
//     before the server reports ready (scenario 5; at most 2000 each in a smoke run); deleted on SIGTERM
// With Redis, GET /__bench/stats answers the counters of bench/servers/redis-bench.ts and INFO commandstats.
import { generateKeyPairSync } from 'node:crypto';
import express from 'express';
import { createAuthorizationServer, hashClientSecret, memoryStore, type Store } from '../../lib';
import { redisStore } from '../../lib/redis';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_TTL } from '../fixtures';
import type { Counters } from './redis-bench';
import { fail, serve } from './serve';
import { fetchTestToken } from './test-token';

async function main(): Promise<void> {
  const storeKind = process.env.STORE ?? 'memory';
  const access = process.env.ACCESS ?? 'opaque';
  const mode = process.env.MODE ?? 'refresh';
  if (storeKind !== 'memory' && storeKind !== 'redis') throw new Error(`STORE must be memory or redis, got ${storeKind}`);
  if (access !== 'opaque' && access !== 'jwt') throw new Error(`ACCESS must be opaque or jwt, got ${access}`);
  if (mode !== 'refresh' && mode !== 'introspect') throw new Error(`MODE must be refresh or introspect, got ${mode}`);

  const counters: Counters = {};
  let store: Store;
  let stats: () => Promise<Counters> = async () => ({ ...counters });
  let onStop: (() => Promise<void>) | undefined;
  if (storeKind === 'redis') {
    // Loaded only here: with ioredis merely loaded, every Express request in the process cost ~10 k more
    // instructions (bench/findings.md), which the memory-store rows and the bare baselines must not pay.
    const { benchRedis, commandStats, deleteBenchKeys, instrument, refreshRoundTrips, seedAccessTokens, seedCount, seedFamilies, BENCH_PREFIX } = await import('./redis-bench');
    const client = benchRedis();
    const statsClient = benchRedis();
    const redis = redisStore(client, { keyPrefix: BENCH_PREFIX });
    instrument(client, redis, counters);
    store = redis;
    stats = async () => ({ ...counters, refreshRoundTrips: refreshRoundTrips(counters), ...(await commandStats(statsClient)) });
    onStop = async () => {
      const deleted = await deleteBenchKeys(statsClient);
      console.error(`deleted ${deleted} keys under ${BENCH_PREFIX}`);
      await Promise.all([client.quit(), statsClient.quit()]);
    };
    // Live tokens the load never touches: the keyspace a busy server has (scenario 5). Long TTLs: they stay live
    // for the run, and expire by themselves should the process be killed before it deletes them.
    const families = seedCount('SEED_FAMILIES');
    const accessTokens = seedCount('SEED_ACCESS_TOKENS');
    const started = Date.now();
    await seedFamilies(statsClient, families, CLIENT_ID, [SCOPE], 3600);
    await seedAccessTokens(statsClient, accessTokens, CLIENT_ID, [SCOPE], 3600);
    if (families + accessTokens > 0) console.error(`seeded ${families} families and ${accessTokens} access tokens in ${Date.now() - started} ms`);
  } else {
    const memory = memoryStore();
    const rotate = memory.rotateRefreshToken.bind(memory);
    memory.rotateRefreshToken = async (input) => {
      const result = await rotate(input);
      if (result.status === 'rotated') counters.rotated = (counters.rotated ?? 0) + 1;
      return result;
    };
    store = memory;
  }

  const jwt = access === 'jwt';
  const auth = createAuthorizationServer({
    ...(jwt ? { issuer: 'https://bench.keyturn.test', signingKeys: [{ kid: 'bench-1', alg: 'ES256' as const, key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey }] } : {}),
    store,
    grants: ['client_credentials', 'refresh_token'],
    accessToken: { ttl: TOKEN_TTL, ...(jwt ? { format: 'jwt' as const } : {}) },
    clients: [{ clientId: CLIENT_ID, clientSecretHash: await hashClientSecret(CLIENT_SECRET), grants: ['client_credentials', 'refresh_token'], scopes: [SCOPE] }],
  });
  const app = express();
  app.get('/__bench/stats', (_req, res, next) => {
    stats().then((c) => res.json(c), next);
  });
  // Requests answered, for per-request figures in scenario 5 (one counter increment, on every Keyturn row alike).
  app.use('/oauth2', (_req, _res, next) => {
    counters.requests = (counters.requests ?? 0) + 1;
    next();
  });
  app.use('/oauth2', auth.router());

  let introspectBody: string | undefined;
  serve(app, {
    ...(onStop === undefined ? {} : { onStop }),
    requestBody: () => introspectBody,
    onListening: async (port) => {
      if (mode !== 'introspect') return;
      introspectBody = `token=${encodeURIComponent(await fetchTestToken(port))}`;
    },
  });
}

main().catch(fail);
