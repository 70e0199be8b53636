/*
 * Revoking a grant family reaches its JWT access tokens, at the server's own bearer check and at /introspect.
 * RFC 9700 §4.14.2: "If a refresh token is compromised and subsequently used by both the attacker and the
 *   legitimate client, one of them will present an invalidated refresh token, which will inform the
 *   authorization server of the breach. The authorization server cannot determine which party submitted the
 *   invalid refresh token, but it will revoke the active refresh token. This stops the attack at the cost of
 *   forcing the legitimate client to obtain a fresh authorization grant."
 * RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server MUST deny the
 *   request and SHOULD revoke (when possible) all tokens previously issued based on that authorization code."
 * RFC 7009 §2.1: "If the particular token is a refresh token and the authorization server supports the
 *   revocation of access tokens, then the authorization server SHOULD also invalidate all access tokens based
 *   on the same authorization grant".
 * RFC 7662 §2.2: a revoked token answers {"active": false}.
 *
 * Each JWT is checked twice before the revocation, so the verified-token cache holds it: the refusal after
 * must come past the cache. Run on the memory store, a standalone Redis and a three-master Redis Cluster.
 */
import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';
import request from 'supertest';
import type { Client, Store } from '../../lib';
import { redisStore } from '../../lib/redis';
import { MemoryStore } from '../../lib/store/memory-store';
import { parseFamilyToken } from '../../lib/tokens/family-token';
import { basic } from '../support/app';
import { authorizeCode, buildAuthorizeApp, VERIFIER, webRequest } from '../support/authorize';
import { deleteKeysUnder, localCluster, standaloneRedis, uniquePrefix, type LocalCluster, type StandaloneRedis } from '../support/redis';

const CB = 'https://client.example/cb';
const RP: Client = {
  clientId: 'rp',
  clientSecret: 'rp-secret',
  grants: ['authorization_code', 'refresh_token'],
  scopes: ['openid', '/accounts.read'],
  redirectUris: [CB],
  accessTokenFormat: 'jwt',
};
/** Its codes start a family that has no refresh token: only the code's replay can revoke it. */
const NO_REFRESH_RP: Client = { ...RP, clientId: 'rp-no-refresh', clientSecret: 'rp-no-refresh-secret', grants: ['authorization_code'] };
const REVOKED = { error: 'invalid_token', error_description: 'the access token was revoked' };

describe.each(['memory', 'redis', 'cluster'] as const)('revoking a grant family ends its JWT access tokens (%s store)', (kind) => {
  const prefix = uniquePrefix('jwt-family');
  let redis: StandaloneRedis | undefined;
  let cluster: LocalCluster | undefined;
  let client: Redis | Cluster | undefined;
  let server: ReturnType<typeof buildAuthorizeApp>;

  beforeAll(async () => {
    if (kind === 'redis') {
      redis = await standaloneRedis();
      client = await redis.connect();
    } else if (kind === 'cluster') {
      cluster = await localCluster();
      client = await cluster.connect();
    }
    server = buildAuthorizeApp({}, {
      clients: [RP, NO_REFRESH_RP],
      grants: ['authorization_code', 'refresh_token'],
      ...(client === undefined ? {} : { store: redisStore(client, { keyPrefix: prefix }), secret: 'jwt-family-revocation-spec-secret-32-bytes' }),
    });
    server.app.get('/accounts', server.auth.bearer({ scopes: ['/accounts.read'] }), (req, res) => {
      res.json({ clientId: req.auth?.clientId, sub: req.auth?.sub });
    });
    server.app.use(server.auth.errorHandler());
  }, 60_000);
  afterAll(async () => {
    await server?.auth.close();
    if (client !== undefined) await deleteKeysUnder(client, prefix);
    await redis?.release();
    await cluster?.release();
  });

  const token = (rp: Client, body: Record<string, string>) =>
    request(server.app).post('/oauth2/token').set('Authorization', basic(rp.clientId, rp.clientSecret!)).type('form').send(body);
  const bearer = (accessToken: string) => request(server.app).get('/accounts').set('Authorization', `Bearer ${accessToken}`);
  const introspect = (rp: Client, accessToken: string) =>
    request(server.app).post('/oauth2/introspect').set('Authorization', basic(rp.clientId, rp.clientSecret!)).type('form').send({ token: accessToken });

  async function signIn(rp: Client = RP): Promise<{ code: string; access_token: string; refresh_token?: string }> {
    const code = await authorizeCode(server.app, webRequest({ client_id: rp.clientId, scope: '/accounts.read' }));
    const res = await token(rp, { grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(res.status).toBe(200);
    expect(res.body.access_token.split('.')).toHaveLength(3);
    return { code, ...res.body };
  }

  /** Accepted at the bearer check (twice: the second answer comes from the verified-token cache) and active at /introspect. */
  async function expectLive(accessToken: string, rp: Client = RP): Promise<void> {
    for (let i = 0; i < 2; i++) {
      const res = await bearer(accessToken);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ clientId: rp.clientId, sub: 'alice' });
    }
    const res = await introspect(rp, accessToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: true, client_id: rp.clientId, sub: 'alice' });
  }

  /** Refused at the bearer check (401 invalid_token with its challenge) and inactive at /introspect. */
  async function expectRevoked(accessToken: string, rp: Client = RP): Promise<void> {
    const res = await bearer(accessToken);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="keyturn", error="invalid_token", error_description="${REVOKED.error_description}"`);
    expect(res.body).toEqual(REVOKED);
    const answer = await introspect(rp, accessToken);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ active: false });
  }

  it('RFC 9700 §4.14.2: refresh token reuse refuses every JWT of the family at once, and no other family\'s', async () => {
    const first = await signIn();
    const bystander = await signIn();
    await expectLive(first.access_token);
    const rotated = await token(RP, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
    expect(rotated.status).toBe(200);
    await expectLive(rotated.body.access_token);

    const replay = await token(RP, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');

    await expectRevoked(first.access_token);
    await expectRevoked(rotated.body.access_token);
    await expectLive(bystander.access_token);
  });

  if (kind !== 'memory') {
    it('RFC 9700 §4.14.2: the reuse revokes the family\'s JWTs in the rotation itself: Redis failing right after it loses nothing', async () => {
      const first = await signIn();
      const rotated = await token(RP, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
      expect(rotated.status).toBe(200);
      await expectLive(rotated.body.access_token);

      // From the moment the rotation script has gone out, every later command fails as if the connection broke.
      const familyKey = `${prefix}{${parseFamilyToken(first.refresh_token!)!.familyId}}:rf`;
      const target = client as Redis;
      const send = target.sendCommand.bind(target);
      let rotationSent = false;
      const after: string[] = [];
      const spy = jest.spyOn(target, 'sendCommand').mockImplementation(((command: Parameters<Redis['sendCommand']>[0], ...rest: unknown[]) => {
        if (rotationSent) {
          after.push(command.name);
          return Promise.reject(new Error('Connection is closed.'));
        }
        if (command.name === 'evalsha' && command.args.includes(familyKey)) rotationSent = true;
        return (send as (...a: unknown[]) => unknown)(command, ...rest);
      }) as never);
      let replay: request.Response;
      try {
        replay = await token(RP, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
      } finally {
        spy.mockRestore();
      }
      expect(rotationSent).toBe(true);
      expect(after).toEqual([]);
      expect(replay.status).toBe(400);
      expect(replay.body).toEqual({ error: 'invalid_grant', error_description: 'the refresh token is invalid, expired or revoked' });
      await expectRevoked(first.access_token);
      await expectRevoked(rotated.body.access_token);
    });
  }

  it('RFC 6749 §4.1.2: a replayed authorization code refuses the JWTs issued from it, with or without a refresh token', async () => {
    for (const rp of [RP, NO_REFRESH_RP]) {
      const issued = await signIn(rp);
      expect(issued.refresh_token === undefined).toBe(rp === NO_REFRESH_RP);
      await expectLive(issued.access_token, rp);

      const replay = await token(rp, { grant_type: 'authorization_code', code: issued.code, redirect_uri: CB, code_verifier: VERIFIER });
      expect(replay.status).toBe(400);
      expect(replay.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code was already used' });

      await expectRevoked(issued.access_token, rp);
    }
  });

  it('RFC 7009 §2.1: revoking the refresh token refuses the JWTs of the same grant', async () => {
    const issued = await signIn();
    const bystander = await signIn();
    await expectLive(issued.access_token);

    const revoked = await request(server.app)
      .post('/oauth2/revoke')
      .set('Authorization', basic(RP.clientId, RP.clientSecret!))
      .type('form')
      .send({ token: issued.refresh_token!, token_type_hint: 'refresh_token' });
    expect(revoked.status).toBe(200);

    await expectRevoked(issued.access_token);
    await expectLive(bystander.access_token);
  });
});

describe('a revoked family whose JWTs live longer than the store\'s day stays revoked as long as they live', () => {
  const THREE_DAYS = 3 * 86_400;
  const LONG_RP: Client = { ...RP, accessTokenTtl: THREE_DAYS };
  const DAY_MS = 86_400_000;

  /** Signs in, then ends the family by revoking its refresh token (RFC 7009) or by presenting it after its rotation (reuse). */
  async function revokedFamilyApp(store: Store, how: 'revoke' | 'reuse' = 'revoke') {
    const server = buildAuthorizeApp({}, { clients: [LONG_RP], grants: ['authorization_code', 'refresh_token'], store, secret: 'jwt-family-revocation-spec-secret-32-bytes' });
    server.app.get('/accounts', server.auth.bearer({ scopes: ['/accounts.read'] }), (_req, res) => res.json({}));
    server.app.use(server.auth.errorHandler());
    const code = await authorizeCode(server.app, webRequest({ client_id: LONG_RP.clientId, scope: '/accounts.read' }));
    const issued = await request(server.app).post('/oauth2/token').set('Authorization', basic(LONG_RP.clientId, LONG_RP.clientSecret!)).type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(issued.body.expires_in).toBe(THREE_DAYS);
    const bearer = () => request(server.app).get('/accounts').set('Authorization', `Bearer ${issued.body.access_token}`);
    expect((await bearer()).status).toBe(200);
    const tokenRequest = (body: Record<string, string>) =>
      request(server.app).post(`/oauth2/${how === 'revoke' ? 'revoke' : 'token'}`).set('Authorization', basic(LONG_RP.clientId, LONG_RP.clientSecret!)).type('form').send(body);
    if (how === 'revoke') {
      expect((await tokenRequest({ token: issued.body.refresh_token })).status).toBe(200);
    } else {
      expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token })).status).toBe(200);
      expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token })).status).toBe(400);
    }
    expect((await bearer()).status).toBe(401);
    return { server, bearer, familyId: parseFamilyToken(issued.body.refresh_token)!.familyId };
  }

  it.each(['revoke', 'reuse'] as const)('memory store: still refused two days later on the store\'s clock (%s)', async (how) => {
    const clock = { now: Date.now() };
    const { server, bearer } = await revokedFamilyApp(new MemoryStore({ now: () => clock.now }), how);
    clock.now += 2 * DAY_MS;
    expect((await bearer()).status).toBe(401);
    await server.auth.close();
  });

  it.each(['revoke', 'reuse'] as const)('Redis: the family\'s revoked marker is kept for the JWTs\' lifetime (%s)', async (how) => {
    const prefix = uniquePrefix('jwt-family-long');
    const redis = await standaloneRedis();
    const client = await redis.connect();
    try {
      const { server, familyId } = await revokedFamilyApp(redisStore(client, { keyPrefix: prefix }), how);
      expect(await client.pttl(`${prefix}{${familyId}}:rv`)).toBeGreaterThan(THREE_DAYS * 1000);
      await server.auth.close();
    } finally {
      await deleteKeysUnder(client, prefix);
      await redis.release();
    }
  });
});
