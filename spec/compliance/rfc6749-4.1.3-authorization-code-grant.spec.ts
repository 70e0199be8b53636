// RFC 6749 §4.1.3: the client sends grant_type=authorization_code, code, redirect_uri ("REQUIRED, if the
// redirect_uri parameter was included in the authorization request ... and their values MUST be identical")
// and client_id (public clients). The server MUST "require client authentication for confidential clients",
// "ensure that the authorization code was issued to the authenticated confidential client, or if the client
// is public, ensure that the code was issued to client_id in the request", "verify that the authorization
// code is valid". §4.1.2: "The authorization code MUST expire shortly after it is issued ... A maximum
// authorization code lifetime of 10 minutes is RECOMMENDED. The client MUST NOT use the authorization code
// more than once. If an authorization code is used more than once, the authorization server MUST deny the
// request and SHOULD revoke (when possible) all tokens previously issued based on that authorization code."
import { createHash } from 'node:crypto';
import request from 'supertest';
import type { AuthorizationCodeRecord } from '../../lib';
import { basic, expectNoStore } from '../support/app';
import { AUTH_TIME, authorizeCode, buildAuthorizeApp, CHALLENGE, VERIFIER, WEB_CLIENT, webRequest } from '../support/authorize';
import { mintFamilyToken } from '../../lib/tokens/family-token';
import { findAccessRecord } from '../support/access-tokens';

const CB = 'https://client.example/cb';
const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

describe('RFC 6749 §4.1.3 access token request with an authorization code', () => {
  const { app, store } = buildAuthorizeApp();
  const token = (body: Record<string, string>, authorization: string | null = basic('web-app', 'web-secret')) => {
    const req = request(app).post('/oauth2/token').type('form');
    if (authorization !== null) req.set('Authorization', authorization);
    return req.send({ grant_type: 'authorization_code', ...body });
  };

  it('§4.1.4: a confidential client with Basic credentials gets tokens and an id_token for openid', async () => {
    const code = await authorizeCode(app);
    const res = await token({ code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(res.status).toBe(200);
    expectNoStore(res.headers);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'openid /accounts.read' });
    const record = await findAccessRecord(store, res.body.access_token);
    expect(record).toMatchObject({ clientId: 'web-app', sub: 'alice', scope: ['openid', '/accounts.read'], familyId: expect.any(String) });
  });

  it('a confidential client may authenticate in the body (client_secret_post)', async () => {
    const code = await authorizeCode(app);
    const res = await token({ code, redirect_uri: CB, code_verifier: VERIFIER, client_id: 'web-app', client_secret: 'web-secret' }, null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'openid /accounts.read' });
    expect(await findAccessRecord(store, res.body.access_token)).toMatchObject({ clientId: 'web-app', sub: 'alice' });
  });

  it('a confidential client that sends only client_id is invalid_client (401)', async () => {
    const code = await authorizeCode(app);
    const res = await token({ code, redirect_uri: CB, code_verifier: VERIFIER, client_id: 'web-app' }, null);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="keyturn"');
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('a public client sends only client_id and its verifier; no id_token without openid', async () => {
    const code = await authorizeCode(app, { response_type: 'code', client_id: 'spa', scope: '/accounts.read', code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    const res = await token({ code, client_id: 'spa', code_verifier: VERIFIER }, null);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
  });

  it('stores the code only hashed, bound to client, redirect_uri, challenge, scope, user, nonce and auth_time, for 60 s', async () => {
    const saved: Array<[string, AuthorizationCodeRecord, number]> = [];
    const original = store.saveAuthorizationCode.bind(store);
    const spy = jest.spyOn(store, 'saveAuthorizationCode').mockImplementation(async (hash, record, ttl) => {
      saved.push([hash, record, ttl]);
      return original(hash, record, ttl);
    });
    try {
      const code = await authorizeCode(app);
      expect(saved).toHaveLength(1);
      const [hash, record, ttl] = saved[0]!;
      expect(hash).toBe(sha256(code));
      expect(JSON.stringify(record)).not.toContain(code);
      expect(ttl).toBe(60);
      expect(record).toEqual({
        clientId: 'web-app',
        redirectUri: CB,
        redirectUriSent: true,
        sub: 'alice',
        scope: ['openid', '/accounts.read'],
        codeChallenge: CHALLENGE,
        codeChallengeMethod: 'S256',
        nonce: 'n-0S6_WzA2Mj',
        authTime: AUTH_TIME,
        issuedAt: expect.any(Number),
        expiresAt: record.issuedAt + 60,
        familyId: expect.any(String),
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('§4.1.2: a second use fails and revokes the tokens issued from the code', async () => {
    const code = await authorizeCode(app);
    const first = await token({ code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(first.status).toBe(200);
    expect(await findAccessRecord(store, first.body.access_token)).toMatchObject({ clientId: 'web-app', sub: 'alice' });

    const second = await token({ code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code was already used' });
    expect(await findAccessRecord(store, first.body.access_token)).toBeUndefined();
  });

  it('a reuse revokes only that code\'s tokens', async () => {
    const keep = await token({ code: await authorizeCode(app), redirect_uri: CB, code_verifier: VERIFIER });
    const code = await authorizeCode(app);
    await token({ code, redirect_uri: CB, code_verifier: VERIFIER });
    await token({ code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(await findAccessRecord(store, keep.body.access_token)).toMatchObject({ clientId: 'web-app', sub: 'alice' });
  });

  it('an unknown code is invalid_grant', async () => {
    const res = await token({ code: 'not-a-code', redirect_uri: CB, code_verifier: VERIFIER });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code is invalid or expired' });
  });

  it('a missing code is invalid_request', async () => {
    const res = await token({ redirect_uri: CB, code_verifier: VERIFIER });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'code is required' });
  });

  it('a code presented by another client is invalid_grant', async () => {
    const code = await authorizeCode(app);
    const res = await token({ code, redirect_uri: CB, code_verifier: VERIFIER }, basic('other-app', 'other-secret'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code was issued to another client' });
  });

  it('a public client cannot redeem a confidential client\'s code by naming it', async () => {
    const code = await authorizeCode(app);
    const res = await token({ code, redirect_uri: CB, code_verifier: VERIFIER, client_id: 'spa' }, null);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code was issued to another client' });
  });

  it.each([
    ['a different registered URI', { redirect_uri: 'https://client.example/cb2?tenant=a' }],
    ['an unregistered URI', { redirect_uri: 'https://evil.example/cb' }],
    ['no redirect_uri although the request had one', {}],
  ])('redirect_uri mismatch (%s) is invalid_grant', async (_label, extra: Record<string, string>) => {
    const code = await authorizeCode(app);
    const res = await token({ code, code_verifier: VERIFIER, ...extra });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'redirect_uri does not match the authorization request' });
  });

  it('redirect_uri may be left out when the authorization request left it out', async () => {
    const code = await authorizeCode(app, { response_type: 'code', client_id: 'spa', code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    const res = await token({ code, client_id: 'spa', code_verifier: VERIFIER }, null);
    expect(res.status).toBe(200);
    expect(await findAccessRecord(store, res.body.access_token)).toMatchObject({ clientId: 'spa', sub: 'alice' });
  });

  it('a client not registered for the grant is unauthorized_client', async () => {
    const res = await token({ code: 'x', redirect_uri: CB }, basic('machine', 'machine-secret'));
    expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'this client may not use the authorization_code grant' });
  });

  it('§4.1.2: an expired code is invalid_grant (codeTtl: 1)', async () => {
    const short = buildAuthorizeApp({ codeTtl: 1 });
    const code = await authorizeCode(short.app);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await request(short.app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code is invalid or expired' });
  });

  it('no code, verifier or secret reaches the error listener', async () => {
    const seen: string[] = [];
    const logged = buildAuthorizeApp({}, { onError: (err) => seen.push(JSON.stringify({ d: err.description, x: err.detail, m: err.message })) });
    const code = await authorizeCode(logged.app);
    const send = () => request(logged.app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    await send();
    await send();
    expect(seen).toHaveLength(1);
    expect(seen.join()).not.toContain(code);
    expect(seen.join()).not.toContain(VERIFIER);
    expect(seen.join()).not.toContain('web-secret');
  });
});

describe('§4.1.2 code reuse with refresh tokens', () => {
  it('revokes the refresh token issued from the code as well: it joined the code\'s family', async () => {
    const refreshing = { ...WEB_CLIENT, grants: ['authorization_code', 'refresh_token'] };
    const { app, store } = buildAuthorizeApp({}, { clients: [refreshing], grants: ['authorization_code', 'refresh_token'] });
    const post = (body: Record<string, string>) =>
      request(app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form').send(body);
    const code = await authorizeCode(app);
    const first = await post({ grant_type: 'authorization_code', code, redirect_uri: 'https://client.example/cb', code_verifier: VERIFIER });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    // The code, the refresh token and the opaque access token carry the same family seed.
    expect(first.body.refresh_token.split('.')[0]).toBe(code.split('.')[0]);
    expect(first.body.access_token.split('.')[0]).toBe(code.split('.')[0]);

    const replay = await post({ grant_type: 'authorization_code', code, redirect_uri: 'https://client.example/cb', code_verifier: VERIFIER });
    expect(replay.status).toBe(400);
    expect(await findAccessRecord(store, first.body.access_token)).toBeUndefined();
    const refreshed = await post({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
  });
});

describe('the authorization code grant without PKCE from a public client', () => {
  it('is refused at the token endpoint even if a code without a challenge existed', async () => {
    const { app, store } = buildAuthorizeApp();
    const now = Math.floor(Date.now() / 1000);
    // A well-formed code (`<family seed>.<secret>`, as the authorization endpoint mints them) planted directly.
    const planted = mintFamilyToken();
    await store.saveAuthorizationCode(planted.tokenHash, {
      clientId: 'spa', redirectUri: 'https://spa.example/callback', redirectUriSent: false, sub: 'alice', scope: [],
      authTime: now, issuedAt: now, expiresAt: now + 60, familyId: planted.familyId,
    }, 60);
    const res = await request(app).post('/oauth2/token').type('form').send({ grant_type: 'authorization_code', code: planted.token, client_id: 'spa' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'public clients must use PKCE' });
  });
  void webRequest;
});
