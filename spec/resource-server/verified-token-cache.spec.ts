/*
 * auth.bearer()'s verified-token cache. A client reuses its access token until it expires, so a verified JWT
 * is remembered (by the token, in process memory) and its signature is not checked again. What a cached token
 * must still go through on every request, as RFC 9068 §4 and RFC 7009 §2 ask of any accepted token:
 *   RFC 9068 §4: "The resource server MUST validate the exp claim"; nbf likewise, with the clock tolerance;
 *   RFC 7009 §2: a revoked token must stop being accepted, so the revoked-jti list is read on every request;
 *   and a token whose signing key is gone is no longer accepted (spec/resource-server/jwt-verified-token-cache.spec.ts).
 * A hit must answer exactly as a full verification would: same status, headers and body.
 */
import express, { type Express, type RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions } from '../../lib';
import { redisStore } from '../../lib/redis';
import { JOB, OTHER } from '../support/clients';
import { ecKeyPair } from '../support/keys';
import { deleteKeysUnder, standaloneRedis, uniquePrefix, type StandaloneRedis } from '../support/redis';
import { decodeJwt, ISSUER, tokenFor } from '../support/server';

const key = ecKeyPair();

/** Routes over one server: the default cache, a second route sharing it, no cache, and a cache of two. */
function resourceApp(options: Partial<AuthorizationServerOptions> = {}): { app: Express; auth: AuthorizationServer } {
  const auth = createAuthorizationServer({
    clients: [JOB, OTHER],
    allowPlaintextSecrets: true,
    issuer: ISSUER,
    accessToken: { format: 'jwt' },
    signingKeys: [{ kid: 'ec-1', key: key.privateKey }],
    ...options,
  });
  const app = express();
  app.use(auth.router());
  const echo: RequestHandler = (req, res) => {
    res.json({ auth: req.auth, frozen: Object.isFrozen(req.auth?.claims) && Object.isFrozen(req.auth?.scopes) });
  };
  app.get('/cached', auth.bearer({ scopes: ['/accounts.read'] }), echo);
  app.get('/cached-too', auth.bearer({ scopes: ['/accounts.read'], match: 'any' }), echo);
  app.get('/uncached', auth.bearer({ scopes: ['/accounts.read'], verifiedTokenCache: false }), echo);
  app.get('/two', auth.bearer({ verifiedTokenCache: { maxEntries: 2 } }), echo);
  app.use(auth.errorHandler());
  return { app, auth };
}

const get = (app: Express, path: string, token: string) => request(app).get(path).set('Authorization', `Bearer ${token}`);

/** Everything of a response but its Date header. */
function answer(res: request.Response): { status: number; headers: Record<string, unknown>; body: unknown } {
  const { date: _date, ...headers } = res.headers as Record<string, unknown>;
  return { status: res.status, headers, body: res.body };
}

function invalidToken(description: string) {
  return {
    status: 401,
    headers: expect.objectContaining({
      'www-authenticate': `Bearer realm="keyturn", error="invalid_token", error_description="${description}"`,
      'content-type': 'application/json; charset=utf-8',
    }),
    body: { error: 'invalid_token', error_description: description },
  };
}

/** Full signature verifications done by jsonwebtoken (the work the cache saves). */
let verifications: jest.SpiedFunction<typeof jwt.verify>;
beforeEach(() => {
  verifications = jest.spyOn(jwt, 'verify');
});
afterEach(() => {
  jest.restoreAllMocks();
});

/** Runs `during` with Date.now() fixed at `epochSeconds`, the clock both jsonwebtoken and the cache read. */
async function at<T>(epochSeconds: number, during: () => Promise<T>): Promise<T> {
  const clock = jest.spyOn(Date, 'now').mockReturnValue(epochSeconds * 1000);
  try {
    return await during();
  } finally {
    clock.mockRestore();
  }
}

describe('a cache hit answers exactly as a full verification', () => {
  const { app, auth } = resourceApp();
  afterAll(() => auth.close());

  it('verifies the signature once, and answers the same status, headers and body every time', async () => {
    const token = await tokenFor(app, JOB);
    verifications.mockClear();
    const first = await get(app, '/cached', token);
    const second = await get(app, '/cached', token);
    const uncached = await get(app, '/uncached', token);
    expect(verifications).toHaveBeenCalledTimes(2); // the first /cached request and the /uncached one
    expect(first.status).toBe(200);
    const { payload } = decodeJwt(token);
    expect(first.body).toEqual({
      auth: { token, clientId: JOB.clientId, sub: JOB.clientId, scopes: ['/accounts.read', '/accounts.write'], claims: payload },
      frozen: true,
    });
    expect(answer(second)).toEqual(answer(first));
    expect(answer(uncached)).toEqual(answer(first));
  });

  it('is shared by routes built with the same audience, clock tolerance and cache settings', async () => {
    const token = await tokenFor(app, JOB);
    verifications.mockClear();
    expect((await get(app, '/cached', token)).status).toBe(200);
    expect((await get(app, '/cached-too', token)).status).toBe(200);
    expect(verifications).toHaveBeenCalledTimes(1);
  });

  it('still checks the scope of a cached token on every route (RFC 6750 §3.1)', async () => {
    const token = await tokenFor(app, JOB, '/accounts.write');
    expect((await get(app, '/two', token)).status).toBe(200);
    const res = await get(app, '/cached', token);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="keyturn", error="insufficient_scope", error_description="the access token lacks the scope this resource needs", scope="/accounts.read"',
    );
    expect(res.body).toEqual({ error: 'insufficient_scope', error_description: 'the access token lacks the scope this resource needs' });
  });

  it('never remembers a rejection', async () => {
    const token = await tokenFor(app, JOB);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    verifications.mockClear();
    for (let i = 0; i < 2; i++) expect(answer(await get(app, '/cached', forged))).toEqual(invalidToken('the access token signature is invalid'));
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('a cached signature under another header or payload is a miss: the forged token is verified, and refused', async () => {
    const token = await tokenFor(app, JOB);
    expect((await get(app, '/cached', token)).status).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    verifications.mockClear();
    expect(answer(await get(app, '/cached', `${header}.${widened}.${signature}`))).toEqual(invalidToken('the access token signature is invalid'));
    expect(verifications).toHaveBeenCalledTimes(1);
    // The genuine token's entry is untouched: it is still served without a verification.
    expect((await get(app, '/cached', token)).status).toBe(200);
    expect(verifications).toHaveBeenCalledTimes(1);
  });

  it('verifies every request when the cache is off (verifiedTokenCache: false)', async () => {
    const token = await tokenFor(app, JOB);
    verifications.mockClear();
    expect((await get(app, '/uncached', token)).status).toBe(200);
    expect((await get(app, '/uncached', token)).status).toBe(200);
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('keeps no more than maxEntries tokens, dropping the oldest', async () => {
    const [a, b, c] = [await tokenFor(app, JOB), await tokenFor(app, JOB), await tokenFor(app, OTHER)];
    verifications.mockClear();
    for (const token of [a, b, c]) expect((await get(app, '/two', token)).status).toBe(200);
    expect(verifications).toHaveBeenCalledTimes(3);
    // c and b are held; a was dropped when c came in.
    expect((await get(app, '/two', c)).status).toBe(200);
    expect((await get(app, '/two', b)).status).toBe(200);
    expect(verifications).toHaveBeenCalledTimes(3);
    expect((await get(app, '/two', a)).status).toBe(200);
    expect(verifications).toHaveBeenCalledTimes(4);
  });
});

describe('RFC 9068 §4: exp and nbf of a cached token are checked against the clock on every request', () => {
  const { app, auth } = resourceApp();
  afterAll(() => auth.close());

  it('refuses an expired cached token exactly as an uncached one, and drops it', async () => {
    const token = await tokenFor(app, JOB);
    const exp = decodeJwt(token).payload.exp as number;
    expect((await get(app, '/cached', token)).status).toBe(200);
    // Within the 5 s clock tolerance the cached token is still good, and still not verified again.
    verifications.mockClear();
    expect((await at(exp + 4, () => get(app, '/cached', token))).status).toBe(200);
    expect(verifications).not.toHaveBeenCalled();
    const [cached, uncached] = await at(exp + 5, async () => [await get(app, '/cached', token), await get(app, '/uncached', token)]);
    expect(answer(cached)).toEqual(invalidToken('the access token expired'));
    expect(answer(cached)).toEqual(answer(uncached));
    // Dropped: with the clock back, the token is verified in full again.
    verifications.mockClear();
    expect((await get(app, '/cached', token)).status).toBe(200);
    expect(verifications).toHaveBeenCalledTimes(1);
  });

  it('refuses a cached token whose nbf is ahead of a clock that went back, as an uncached one', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign(
      { iss: ISSUER, sub: JOB.clientId, aud: ISSUER, exp: now + 300, iat: now, nbf: now, jti: `nbf-${now}`, client_id: JOB.clientId, scope: '/accounts.read' },
      key.privateKey,
      { algorithm: 'ES256', header: { alg: 'ES256', typ: 'at+jwt', kid: 'ec-1' } },
    );
    expect((await get(app, '/cached', token)).status).toBe(200);
    const [cached, uncached] = await at(now - 6, async () => [await get(app, '/cached', token), await get(app, '/uncached', token)]);
    expect(answer(cached)).toEqual(invalidToken('the access token is not valid yet'));
    expect(answer(cached)).toEqual(answer(uncached));
  });
});

describe('RFC 7009 §2: a revoked JWT is refused on its next request, cached or not', () => {
  async function revokedAfterCaching(app: Express): Promise<void> {
    const token = await tokenFor(app, JOB);
    expect((await get(app, '/cached', token)).status).toBe(200);
    expect((await get(app, '/cached', token)).status).toBe(200);
    const revoked = await request(app).post('/revoke').auth(JOB.clientId, JOB.clientSecret ?? '').type('form').send({ token });
    expect(revoked.status).toBe(200);
    verifications.mockClear();
    expect(answer(await get(app, '/cached', token))).toEqual(invalidToken('the access token was revoked'));
    expect(verifications).not.toHaveBeenCalled(); // still a cache hit: only the revocation check refused it
    expect(answer(await get(app, '/uncached', token))).toEqual(invalidToken('the access token was revoked'));
  }

  it('with the memory store', async () => {
    const { app, auth } = resourceApp();
    await revokedAfterCaching(app);
    await auth.close();
  });

  describe('with the Redis store', () => {
    let redis: StandaloneRedis;
    const prefix = uniquePrefix('verified-token-cache');
    beforeAll(async () => {
      redis = await standaloneRedis();
    });
    afterAll(async () => {
      const cleanup = await redis.connect();
      await deleteKeysUnder(cleanup, prefix);
      await redis.release();
    });

    it('reads the revoked-jti list in Redis on every request', async () => {
      const { app } = resourceApp({ store: redisStore(await redis.connect(), { keyPrefix: prefix }) });
      await revokedAfterCaching(app);
    });
  });
});

describe('options are checked when the middleware is built', () => {
  const { app: issuer, auth } = resourceApp();
  afterAll(() => auth.close());

  it.each([[0], [1.5], [-1], ['10'], [null], [true], [[]], [{ maxEntries: 0 }], [{ maxEntries: Number.POSITIVE_INFINITY }]])('%p', (value) => {
    expect(() => auth.bearer({ verifiedTokenCache: value as never })).toThrow(
      new TypeError('auth.bearer: options.verifiedTokenCache must be false or { maxEntries: a positive integer }'),
    );
  });

  it.each([
    ['false: no cache, every request verifies the signature', false, 2],
    ['{}: the default cache, the second request is a hit', {}, 1],
    ['{ maxEntries: 1 }: a cache of one, the second request is a hit', { maxEntries: 1 }, 1],
  ] as const)('accepts %s', async (_case, verifiedTokenCache, signatureChecks) => {
    const app = express();
    app.get('/r', auth.bearer({ verifiedTokenCache }), (req, res) => void res.json({ clientId: req.auth?.clientId }));
    app.use(auth.errorHandler());
    const token = await tokenFor(issuer, JOB);
    verifications.mockClear();
    for (let i = 0; i < 2; i++) {
      const res = await get(app, '/r', token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ clientId: JOB.clientId });
    }
    expect(verifications).toHaveBeenCalledTimes(signatureChecks);
  });
});
