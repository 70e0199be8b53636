// RFC 7636 §4.3: the client sends code_challenge and code_challenge_method ("defaults to plain if not present
// in the request"); §4.4.1: "If the server requires Proof Key for Code Exchange (PKCE) by OAuth public
// clients and the client does not send the code_challenge in the request, the authorization endpoint MUST
// return the authorization error response with the error value set to invalid_request". §4.6: the server
// transforms code_verifier and compares it to the stored code_challenge; "If the values are not equal, an
// error response indicating invalid_grant as described in Section 5.2 of [RFC6749] MUST be returned."
// OAuth 2.1 §4.1.1: S256 is mandatory to implement; PKCE is required for public clients. RFC 9700 §2.1.1:
// "Public clients MUST use PKCE [...]. For confidential clients, the use of PKCE is RECOMMENDED"; so a
// client's own `pkce` may make it optional, for a confidential client only. §4.8.2: "Authorization servers
// MUST [...] ensure that if there was no code_challenge in the authorization request, a request to the token
// endpoint containing a code_verifier is rejected" (the PKCE downgrade).
import request from 'supertest';
import type { Client, ClientStore } from '../../lib';
import { s256CodeChallenge, verifyCodeVerifier } from '../../lib/grants/pkce';
import { mintFamilyToken } from '../../lib/tokens/family-token';
import {
  authorizeCode,
  authorizePath,
  buildAuthorizeApp,
  CHALLENGE,
  ISS,
  SPA_CLIENT,
  VERIFIER,
  WEB_CLIENT,
  webRequest,
} from '../support/authorize';
import { basic } from '../support/app';

const CB = 'https://client.example/cb';
const SPA_CB = 'https://spa.example/callback';

describe('RFC 7636 PKCE', () => {
  it('Appendix B: S256 of the example verifier is the example challenge', () => {
    expect(s256CodeChallenge(VERIFIER)).toBe(CHALLENGE);
    expect(verifyCodeVerifier(VERIFIER, CHALLENGE, 'S256')).toBe(true);
    expect(verifyCodeVerifier(`${VERIFIER.slice(0, -1)}l`, CHALLENGE, 'S256')).toBe(false);
    expect(verifyCodeVerifier('short', 'short', 'plain')).toBe(false);
  });

  describe('§4.4.1 the authorization request', () => {
    const { app } = buildAuthorizeApp();
    const get = (params: Record<string, string>) => request(app).get(authorizePath(params)).set('x-test-user', 'alice');
    const expectInvalid = (res: request.Response, description: string, base = CB, state = 'af0ifjsldkj') => {
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`${base}?error=invalid_request&error_description=${description}&state=${state}&iss=${ISS}`);
    };

    it('a public client without code_challenge is refused', async () => {
      const res = await get({ response_type: 'code', client_id: 'spa', scope: 'openid', state: 's1' });
      expectInvalid(res, 'code_challenge+is+required+%28PKCE%2C+RFC+7636%29', SPA_CB, 's1');
    });
    it('a confidential client without code_challenge is refused by default', async () => {
      expectInvalid(await get(webRequest({ code_challenge: undefined, code_challenge_method: undefined })), 'code_challenge+is+required+%28PKCE%2C+RFC+7636%29');
    });
    it('code_challenge_method=plain is refused unless enabled', async () => {
      expectInvalid(await get(webRequest({ code_challenge: VERIFIER, code_challenge_method: 'plain' })), 'code_challenge_method+must+be+S256');
    });
    it('a missing code_challenge_method means plain (§4.3), so it is refused too', async () => {
      expectInvalid(await get(webRequest({ code_challenge_method: undefined })), 'code_challenge_method+must+be+S256');
    });
    it('an unknown method is refused', async () => {
      expectInvalid(await get(webRequest({ code_challenge_method: 'S512' })), 'code_challenge_method+must+be+S256');
    });
    it.each(['too-short', `${CHALLENGE}x`, `${CHALLENGE.slice(0, 42)}=`])('a malformed S256 challenge %s is refused', async (challenge) => {
      expectInvalid(await get(webRequest({ code_challenge: challenge })), 'code_challenge+is+malformed');
    });
    it('a method without a challenge is refused', async () => {
      const res = await get(webRequest({ code_challenge: undefined }));
      expectInvalid(res, 'code_challenge_method+without+code_challenge');
    });
  });

  describe('§4.6 the token request', () => {
    const { app } = buildAuthorizeApp();
    const exchange = (code: string, extra: Record<string, string>) =>
      request(app)
        .post('/oauth2/token')
        .set('Authorization', basic('web-app', 'web-secret'))
        .type('form')
        .send({ grant_type: 'authorization_code', code, redirect_uri: CB, ...extra });

    it('the right verifier gets tokens', async () => {
      const res = await exchange(await authorizeCode(app), { code_verifier: VERIFIER });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'openid /accounts.read' });
      expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
    });
    it('a wrong verifier is invalid_grant', async () => {
      const res = await exchange(await authorizeCode(app), { code_verifier: `${VERIFIER.slice(0, -1)}A` });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
    });
    it('the challenge itself sent as verifier is invalid_grant (no plain fallback)', async () => {
      const res = await exchange(await authorizeCode(app), { code_verifier: CHALLENGE });
      expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
    });
    it('a missing verifier is invalid_grant', async () => {
      const res = await exchange(await authorizeCode(app), {});
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier is required' });
    });
    it('a failed verifier burns the code: the right one afterwards fails too', async () => {
      const code = await authorizeCode(app);
      await exchange(code, { code_verifier: `${VERIFIER.slice(0, -1)}A` });
      const res = await exchange(code, { code_verifier: VERIFIER });
      expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code was already used' });
    });
  });

  describe('options', () => {
    it('pkce.allowPlain accepts plain, compared as sent', async () => {
      const { app } = buildAuthorizeApp({ pkce: { allowPlain: true } });
      const code = await authorizeCode(app, webRequest({ code_challenge: VERIFIER, code_challenge_method: 'plain' }));
      const token = (verifier: string, c: string) =>
        request(app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form')
          .send({ grant_type: 'authorization_code', code: c, redirect_uri: CB, code_verifier: verifier });
      expect((await token(VERIFIER, code)).status).toBe(200);
      const other = await authorizeCode(app, webRequest({ code_challenge: VERIFIER, code_challenge_method: 'plain' }));
      expect((await token(CHALLENGE, other)).body.error).toBe('invalid_grant');
    });

    it('pkce.requireForConfidentialClients=false lets a confidential client skip PKCE, never a public one', async () => {
      const { app } = buildAuthorizeApp({ pkce: { requireForConfidentialClients: false } });
      const code = await authorizeCode(app, webRequest({ code_challenge: undefined, code_challenge_method: undefined }));
      const ok = await request(app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form')
        .send({ grant_type: 'authorization_code', code, redirect_uri: CB });
      expect(ok.status).toBe(200);
      // OAuth 2.1 §4.1.3: a verifier for a code issued without a challenge is refused (PKCE downgrade).
      const another = await authorizeCode(app, webRequest({ code_challenge: undefined, code_challenge_method: undefined }));
      const downgrade = await request(app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form')
        .send({ grant_type: 'authorization_code', code: another, redirect_uri: CB, code_verifier: VERIFIER });
      expect(downgrade.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier sent but the authorization request had no code_challenge' });

      const res = await request(app).get(authorizePath({ response_type: 'code', client_id: SPA_CLIENT.clientId, state: 'x' })).set('x-test-user', 'alice');
      expect(res.headers.location).toBe(`${SPA_CB}?error=invalid_request&error_description=code_challenge+is+required+%28PKCE%2C+RFC+7636%29&state=x&iss=${ISS}`);
    });
  });

  describe('RFC 9700 §2.1.1 the client\'s own policy (Client.pkce)', () => {
    const LEGACY: Client = { ...WEB_CLIENT, clientId: 'legacy-app', clientSecret: 'legacy-secret', pkce: 'optional' };
    const STRICT: Client = { ...WEB_CLIENT, clientId: 'strict-app', clientSecret: 'strict-secret', pkce: 'required' };
    const noChallenge = (clientId: string) => webRequest({ client_id: clientId, code_challenge: undefined, code_challenge_method: undefined });
    const required = 'code_challenge+is+required+%28PKCE%2C+RFC+7636%29';
    const token = (app: Parameters<typeof request>[0], id: string, secret: string, params: Record<string, string>) =>
      request(app).post('/oauth2/token').set('Authorization', basic(id, secret)).type('form').send({ grant_type: 'authorization_code', redirect_uri: CB, ...params });

    it('pkce "optional": the confidential client gets a code without code_challenge and redeems it without code_verifier', async () => {
      const { app } = buildAuthorizeApp({}, { clients: [WEB_CLIENT, LEGACY, SPA_CLIENT] });
      const code = await authorizeCode(app, noChallenge('legacy-app'));
      const res = await token(app, 'legacy-app', 'legacy-secret', { code });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
      // The other clients are held to the server's default.
      const other = await request(app).get(authorizePath(noChallenge('web-app'))).set('x-test-user', 'alice');
      expect(other.headers.location).toBe(`${CB}?error=invalid_request&error_description=${required}&state=af0ifjsldkj&iss=${ISS}`);
    });

    it('pkce "optional" still checks a challenge that was sent: a missing or wrong verifier is invalid_grant', async () => {
      const { app } = buildAuthorizeApp({}, { clients: [LEGACY] });
      const missing = await token(app, 'legacy-app', 'legacy-secret', { code: await authorizeCode(app, webRequest({ client_id: 'legacy-app' })) });
      expect(missing.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier is required' });
      const wrong = await token(app, 'legacy-app', 'legacy-secret', { code: await authorizeCode(app, webRequest({ client_id: 'legacy-app' })), code_verifier: `${VERIFIER.slice(0, -1)}A` });
      expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
      const right = await token(app, 'legacy-app', 'legacy-secret', { code: await authorizeCode(app, webRequest({ client_id: 'legacy-app' })), code_verifier: VERIFIER });
      expect(right.status).toBe(200);
    });

    it('§4.8.2: a code_verifier for a code issued without a challenge is invalid_grant; the code is spent and no token issued', async () => {
      const { app, store } = buildAuthorizeApp({}, { clients: [LEGACY] });
      const code = await authorizeCode(app, noChallenge('legacy-app'));
      const downgrade = await token(app, 'legacy-app', 'legacy-secret', { code, code_verifier: VERIFIER });
      expect(downgrade.status).toBe(400);
      expect(downgrade.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier sent but the authorization request had no code_challenge' });
      expect(store.accessTokenCount).toBe(0);
      // The code was consumed before any check, as every failed redemption does: it cannot be tried again.
      const again = await token(app, 'legacy-app', 'legacy-secret', { code });
      expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code was already used' });
      expect(store.accessTokenCount).toBe(0);
    });

    it('pkce "required" overrides pkce.requireForConfidentialClients=false', async () => {
      const { app } = buildAuthorizeApp({ pkce: { requireForConfidentialClients: false } }, { clients: [WEB_CLIENT, STRICT] });
      const res = await request(app).get(authorizePath(noChallenge('strict-app'))).set('x-test-user', 'alice');
      expect(res.headers.location).toBe(`${CB}?error=invalid_request&error_description=${required}&state=af0ifjsldkj&iss=${ISS}`);
      expect((await token(app, 'web-app', 'web-secret', { code: await authorizeCode(app, noChallenge('web-app')) })).status).toBe(200);
    });

    it('a listed public client with pkce "optional" fails start-up with a TypeError naming it', () => {
      expect(() => buildAuthorizeApp({}, { clients: [WEB_CLIENT, { ...SPA_CLIENT, pkce: 'optional' }] })).toThrow(
        new TypeError('clients[1].pkce: "spa" is a public client (tokenEndpointAuthMethod "none"), which must use PKCE; "optional" is for confidential clients only (RFC 9700 §2.1.1)'),
      );
      expect(() => buildAuthorizeApp({}, { clients: [{ ...WEB_CLIENT, pkce: 'off' as never }] })).toThrow(new TypeError('clients[0].pkce must be "required" or "optional"'));
    });

    it('a public client from a ClientStore with pkce "optional" is held to PKCE, at /authorize and at the token endpoint', async () => {
      // A store is read per request, so nothing checked it at start-up.
      const spa: Client = { ...SPA_CLIENT, pkce: 'optional' };
      const clients: ClientStore = { findClient: (id) => (id === 'spa' ? spa : undefined) };
      const { app, store } = buildAuthorizeApp({}, { clients });
      const res = await request(app).get(authorizePath({ response_type: 'code', client_id: 'spa', scope: 'openid', state: 's1' })).set('x-test-user', 'alice');
      expect(res.headers.location).toBe(`${SPA_CB}?error=invalid_request&error_description=${required}&state=s1&iss=${ISS}`);
      // A code without a challenge planted for it (as if issued before) is refused too.
      const planted = mintFamilyToken();
      const now = Math.floor(Date.now() / 1000);
      await store.saveAuthorizationCode(planted.tokenHash, {
        clientId: 'spa', redirectUri: SPA_CB, redirectUriSent: false, sub: 'alice', scope: [], authTime: now, issuedAt: now, expiresAt: now + 60, familyId: planted.familyId,
      }, 60);
      const exchanged = await request(app).post('/oauth2/token').type('form').send({ grant_type: 'authorization_code', code: planted.token, client_id: 'spa' });
      expect(exchanged.body).toEqual({ error: 'invalid_grant', error_description: 'public clients must use PKCE' });
    });
  });
});
