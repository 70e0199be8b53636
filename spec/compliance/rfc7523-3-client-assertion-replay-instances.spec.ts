/*
 * RFC 7523 §3 point 7 across instances: "The authorization server MAY ensure that JWTs are not replayed by
 * maintaining the set of used "jti" values for the length of time for which the JWT would be considered valid
 * based on the applicable "exp" instant." Two app instances with their own Redis connections, one Redis and
 * one key prefix, are one server: an assertion used at one is refused at the other, and of concurrent uses
 * spread over both exactly one passes. The replay entry is kept until the assertion's exp (plus the skew).
 */
import express from 'express';
import type Redis from 'ioredis';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationServer } from '../../lib';
import { redisStore } from '../../lib/redis';
import { assertionForm, assertionKey, signAssertion, type AssertionKey } from '../support/client-assertions';
import { deleteKeysUnder, keysUnder, standaloneRedis, uniquePrefix, type StandaloneRedis } from '../support/redis';

const ISSUER = 'https://as.example.com';
const SECRET = 'a-secret-of-at-least-32-bytes-for-the-spec!';

describe('RFC 7523 §3 point 7: a replayed assertion is refused across two instances on one Redis', () => {
  const prefix = uniquePrefix('assertion-replay');
  let redis: StandaloneRedis;
  let clientA: Redis;
  let clientB: Redis;
  let a: { auth: AuthorizationServer; app: express.Express };
  let b: { auth: AuthorizationServer; app: express.Express };
  let key: AssertionKey;

  const instance = (client: Redis) => {
    const auth = createAuthorizationServer({
      issuer: ISSUER,
      secret: SECRET,
      store: redisStore(client, { keyPrefix: prefix }),
      clients: [{ clientId: 'svc', grants: ['client_credentials'], scopes: ['/a'], tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [key.publicJwk] } }],
    });
    const app = express();
    app.use(auth.router());
    return { auth, app };
  };

  beforeAll(async () => {
    key = await assertionKey('ES256');
    redis = await standaloneRedis();
    clientA = await redis.connect();
    clientB = await redis.connect();
    a = instance(clientA);
    b = instance(clientB);
  });
  afterAll(async () => {
    for (const i of [a, b]) {
      await i?.auth.close();
      await i?.auth.store.close();
    }
    if (clientA !== undefined) await deleteKeysUnder(clientA, prefix);
    await redis?.release();
  });

  it('used at instance A, the same assertion is 401 invalid_client at instance B', async () => {
    const assertion = await signAssertion(key, { clientId: 'svc', audience: ISSUER });
    const first = await request(a.app).post('/token').type('form').send(assertionForm(assertion));
    expect(first.status).toBe(200);
    const replay = await request(b.app).post('/token').type('form').send(assertionForm(assertion));
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ error: 'invalid_client', error_description: 'the client assertion was already used' });
  });

  it('20 concurrent uses of one assertion over both instances: exactly one 200; the replays fail (401, or 429 once the lockout counted five)', async () => {
    const assertion = await signAssertion(key, { clientId: 'svc', audience: ISSUER });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(i % 2 === 0 ? a.app : b.app).post('/token').type('form').send(assertionForm(assertion))),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = responses.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      if (r.status === 401) expect(r.body).toEqual({ error: 'invalid_client', error_description: 'the client assertion was already used' });
      else expect(r.status).toBe(429);
    }
    // A replay is a failed authentication, counted at its address; the client's next fresh assertion passes.
    const fresh = await request(a.app).post('/token').type('form').send(assertionForm(await signAssertion(key, { clientId: 'svc', audience: ISSUER })));
    expect(fresh.status).toBe(200);
  });

  it('the replay entry lives until exp plus the skew, and holds no assertion or jti in the clear', async () => {
    const jti = 'jti-visible-in-the-clear?';
    const assertion = await signAssertion(key, { clientId: 'svc', audience: ISSUER, claims: { jti }, lifetime: 100 });
    expect((await request(a.app).post('/token').type('form').send(assertionForm(assertion))).status).toBe(200);
    const keys = (await keysUnder(clientA, prefix)).filter((k) => k.includes('client_assertion'));
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).not.toContain(jti);
    const ttls = await Promise.all(keys.map((k) => clientA.pttl(k)));
    // 100 s of lifetime + 30 s of skew: the newest entry expires within (120 s, 130 s].
    expect(Math.max(...ttls)).toBeGreaterThan(120_000);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(130_000);
  });
});
