// OpenID Connect Core §12.2: "Upon successful validation of the Refresh Token, the response body is the Token
// Response of Section 3.1.3.3 except that it might not contain an id_token. If an ID Token is returned as a
// result of a token refresh request, the following requirements apply: its iss Claim Value MUST be the same
// as in the ID Token issued when the original authentication occurred, its sub Claim Value MUST be the same
// as in the ID Token issued when the original authentication occurred, its iat Claim MUST represent the time
// that the new ID Token is issued, its aud Claim Value MUST be the same as in the ID Token issued when the
// original authentication occurred, if the ID Token contains an auth_time Claim, its value MUST represent the
// time of the original authentication - not the time that the new ID token is issued, [...] it SHOULD NOT
// have a nonce Claim Value".
import { createHash } from 'node:crypto';
import { importJWK, jwtVerify, type JWTPayload } from 'jose';
import request from 'supertest';
import type { Client } from '../../lib';
import { redisStore } from '../../lib/redis';
import { basic } from '../support/app';
import { AUTH_TIME, ISSUER, authorizeCode, buildAuthorizeApp, VERIFIER, webRequest } from '../support/authorize';
import { deleteKeysUnder, standaloneRedis, uniquePrefix, type StandaloneRedis } from '../support/redis';
import type Redis from 'ioredis';

const CB = 'https://client.example/cb';
const RP: Client = {
  clientId: 'rp',
  clientSecret: 'rp-secret',
  grants: ['authorization_code', 'refresh_token', 'client_credentials'],
  scopes: ['openid', 'email', '/accounts.read'],
  redirectUris: [CB],
};
const atHash = (token: string): string => createHash('sha256').update(token, 'ascii').digest().subarray(0, 16).toString('base64url');

describe.each(['memory', 'redis'] as const)('OpenID Connect Core §12.2: an id_token from the refresh grant (%s store)', (kind) => {
  const prefix = uniquePrefix('oidc-refresh');
  let redis: StandaloneRedis | undefined;
  let client: Redis | undefined;
  let server: ReturnType<typeof buildAuthorizeApp>;
  beforeAll(async () => {
    if (kind === 'redis') {
      redis = await standaloneRedis();
      client = await redis.connect();
    }
    server = buildAuthorizeApp({}, {
      clients: [RP],
      grants: ['client_credentials', 'authorization_code', 'refresh_token'],
      ...(client === undefined ? {} : { store: redisStore(client, { keyPrefix: prefix }), secret: 'oidc-refresh-spec-secret-of-32-bytes-at-least' }),
    });
  });
  afterAll(async () => {
    await server.auth.close();
    if (client !== undefined) await deleteKeysUnder(client, prefix);
    await redis?.release();
  });
  const verify = async (idToken: string): Promise<JWTPayload> => {
    const key = await importJWK(server.signer.publicJwk as Parameters<typeof importJWK>[0], 'ES256');
    return (await jwtVerify(idToken, key, { issuer: ISSUER, audience: 'rp', algorithms: ['ES256'] })).payload;
  };
  const token = (body: Record<string, string>) => request(server.app).post('/oauth2/token').set('Authorization', basic('rp', 'rp-secret')).type('form').send(body);
  const signIn = async (scope: string) => {
    const code = await authorizeCode(server.app, webRequest({ client_id: 'rp', scope }));
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(res.status).toBe(200);
    return res.body as { access_token: string; refresh_token: string; id_token?: string };
  };

  it('answers a new id_token: same iss, sub and aud, the original auth_time, no nonce, a new iat and the new at_hash', async () => {
    const first = await signIn('openid email');
    const original = await verify(first.id_token as string);
    expect(original).toMatchObject({ nonce: 'n-0S6_WzA2Mj', auth_time: AUTH_TIME });
    let refreshToken = first.refresh_token;
    for (let i = 0; i < 2; i++) {
      const res = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
      expect(res.status).toBe(200);
      expect(typeof res.body.id_token).toBe('string');
      const claims = await verify(res.body.id_token);
      expect(claims).toEqual({
        iss: original.iss, sub: 'alice', aud: 'rp', auth_time: AUTH_TIME, iat: claims.iat, exp: (claims.iat as number) + 3600,
        at_hash: atHash(res.body.access_token),
      });
      expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(5);
      refreshToken = res.body.refresh_token;
    }
  });

  it('answers none when the refresh narrows the scope without openid, or the grant never had it', async () => {
    const first = await signIn('openid email');
    const narrowed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'email' });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body).not.toHaveProperty('id_token');
    const plain = await signIn('/accounts.read');
    const res = await token({ grant_type: 'refresh_token', refresh_token: plain.refresh_token });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('id_token');
  });

  it('answers none for a client_credentials family, whatever its scope: there was no sign-in', async () => {
    const cc = await token({ grant_type: 'client_credentials', scope: 'openid /accounts.read' });
    expect(cc.status).toBe(200);
    expect(typeof cc.body.refresh_token).toBe('string'); // refreshToken.issueWithClientCredentials defaults to true
    const res = await token({ grant_type: 'refresh_token', refresh_token: cc.body.refresh_token });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('id_token');
  });
});
