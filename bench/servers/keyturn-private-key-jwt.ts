// Scenario 7, Keyturn: one server with two clients, the scenario-1 client with a scrypt-hashed secret and a
// `private_key_jwt` client (RFC 7523) whose ES256 public key is a static `jwks`. AUTH=assertion (default) hands
// the harness a body with a fresh assertion for its check; the load hook signs one per request. AUTH=basic
// leaves the scenario's Basic request alone: the same configuration, authenticated by the hashed secret.
//   STORE=memory (default) | redis: with Redis, the assertion's jti costs its one round trip (useOnce), counted
//     with the other store operations on GET /__bench/stats (bench/servers/redis-bench.ts).
import { createPublicKey } from 'node:crypto';
import express from 'express';
import { createAuthorizationServer, hashClientSecret, type Store } from '../../lib';
import { assertionTokenBody } from '../client-assertion';
import { ASSERTION_CLIENT_ID, ASSERTION_ISSUER, ASSERTION_KID, ASSERTION_PRIVATE_JWK, CLIENT_ID, CLIENT_SECRET, SCOPE, SERVER_SECRET, TOKEN_TTL } from '../fixtures';
import type { Counters } from './redis-bench';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const authKind = process.env.AUTH ?? 'assertion';
  if (authKind !== 'assertion' && authKind !== 'basic') throw new Error(`AUTH must be assertion or basic, got ${authKind}`);
  const storeKind = process.env.STORE ?? 'memory';
  if (storeKind !== 'memory' && storeKind !== 'redis') throw new Error(`STORE must be memory or redis, got ${storeKind}`);
  let redis: { store: Store; counters: Counters; stats: () => Promise<Counters>; onStop: () => Promise<void> } | undefined;
  if (storeKind === 'redis') {
    // Loaded only here, as in scenario 2: merely loading ioredis costs every Express request instructions.
    const { countedRedisStore } = await import('./redis-bench');
    redis = countedRedisStore();
  }
  const publicJwk = { ...createPublicKey({ key: { ...ASSERTION_PRIVATE_JWK }, format: 'jwk' }).export({ format: 'jwk' }), kid: ASSERTION_KID, use: 'sig' };
  const auth = createAuthorizationServer({
    issuer: ASSERTION_ISSUER,
    ...(redis === undefined ? {} : { store: redis.store, secret: SERVER_SECRET }),
    accessToken: { ttl: TOKEN_TTL },
    clients: [
      { clientId: CLIENT_ID, clientSecretHash: await hashClientSecret(CLIENT_SECRET), grants: ['client_credentials'], scopes: [SCOPE] },
      { clientId: ASSERTION_CLIENT_ID, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] }, grants: ['client_credentials'], scopes: [SCOPE] },
    ],
  });
  const app = express();
  if (redis !== undefined) {
    const { counters, stats } = redis;
    app.get('/__bench/stats', (_req, res, next) => {
      stats().then((c) => res.json(c), next);
    });
    app.use('/oauth2', (_req, _res, next) => {
      counters.requests = (counters.requests ?? 0) + 1;
      next();
    });
  }
  app.use('/oauth2', auth.router());
  serve(app, {
    ...(authKind === 'assertion' ? { requestBody: assertionTokenBody } : {}),
    ...(redis === undefined ? {} : { onStop: redis.onStop }),
  });
}

main().catch(fail);
