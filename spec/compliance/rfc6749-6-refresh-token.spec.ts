// RFC 6749 §6: "If valid and authorized, the authorization server issues an access token ... The
// authorization server MAY issue a new refresh token, in which case the client MUST discard the old refresh
// token and replace it with the new refresh token. The authorization server MAY revoke the old refresh token
// after issuing a new refresh token to the client. If a new refresh token is issued, the refresh token scope
// MUST be identical to that of the refresh token included by the client in the request."
// "The requested scope MUST NOT include any scope not originally granted by the resource owner, and if
// omitted is treated as equal to the scope originally granted". The server must "validate the refresh token"
// and "ensure that the refresh token was issued to the authenticated client".
// RFC 9700 §4.14.2: with rotation, "If a refresh token is compromised and subsequently used by both the
// attacker and the legitimate client, one of them will present an invalidated refresh token, which will
// inform the authorization server of the breach. The authorization server cannot determine which party
// submitted the invalid refresh token, but it will revoke the active refresh token."
// Run against the memory store, a standalone Redis and a Redis Cluster: the same app, only the store differs.
import { createHash } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { type AuthorizationServerOptions, type Store } from '../../lib';
import { storeBackends, type StoreBackend } from '../support/store-backends';
import {
  clientCredentials,
  expectTokenEndpointHeaders,
  INVALID_GRANT,
  NO_REFRESH_APP,
  OTHER_APP,
  postToken,
  refresh,
  REFRESH_TOKEN_FORMAT,
  startInstance,
  WEB_APP,
  type RunningInstance,
} from '../support/refresh-app';
import { FAMILY_TOKEN, findAccessRecord } from '../support/access-tokens';

const sha256 = (token: string) => createHash('sha256').update(token).digest('base64url');
const familyOf = (refreshToken: string) => sha256(refreshToken.split('.')[0] as string);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(storeBackends('rfc6749-6'))('RFC 6749 §6 refresh token grant (%s)', (_name, makeBackend) => {
  let backend: StoreBackend;
  let store: Store;
  let server: RunningInstance;
  const started: RunningInstance[] = [];
  async function instance(options: Partial<AuthorizationServerOptions> = {}): Promise<RunningInstance> {
    const s = await startInstance({ store, ...options });
    started.push(s);
    return s;
  }

  beforeAll(async () => {
    backend = await makeBackend();
    store = backend.store();
    server = await instance();
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await store?.close();
    await backend?.release();
  });

  describe('§1.5 / §5.1: refresh tokens issued with the access token', () => {
    it('a client allowed the refresh_token grant gets one with client_credentials, stored only as a hash', async () => {
      const res = await postToken(server, WEB_APP, { grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      expectTokenEndpointHeaders(res.headers);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(FAMILY_TOKEN),
        token_type: 'Bearer',
        expires_in: 900,
        scope: '/accounts.read /accounts.write',
        refresh_token: expect.stringMatching(REFRESH_TOKEN_FORMAT),
      });
      const familyId = familyOf(res.body.refresh_token);
      const record = await store.findRefreshToken(familyId, sha256(res.body.refresh_token));
      expect(record).toEqual({
        clientId: 'web-app',
        sub: 'web-app',
        scope: ['/accounts.read', '/accounts.write'],
        familyId,
        issuedAt: expect.any(Number),
        expiresAt: record!.issuedAt + 2_592_000,
      });
      // The access token belongs to the family (it carries the family seed), so revoking the family revokes it.
      expect(familyOf(res.body.access_token)).toBe(familyId);
      expect(await findAccessRecord(store, res.body.access_token)).toMatchObject({ familyId });
    });

    it('a client not allowed the refresh_token grant gets none', async () => {
      const res = await postToken(server, NO_REFRESH_APP, { grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    });

    it('refreshToken.issueWithClientCredentials: false issues none with client_credentials', async () => {
      const quiet = await instance({ refreshToken: { issueWithClientCredentials: false } });
      const res = await postToken(quiet, WEB_APP, { grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      expect(res.body.refresh_token).toBeUndefined();
    });

    it('a server that does not serve the refresh_token grant issues none', async () => {
      const plain = await instance({ grants: ['client_credentials'] });
      const res = await postToken(plain, WEB_APP, { grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      expect(res.body.refresh_token).toBeUndefined();
    });
  });

  describe('§6: refreshing', () => {
    it('the refreshed opaque access token is saved with the rotation: the bearer check, introspection and revocation find it', async () => {
      const first = await clientCredentials(server);
      const res = await refresh(server, first.refresh_token!);
      expect(res.status).toBe(200);
      const accessToken = res.body.access_token as string;
      const resource = express();
      resource.get('/accounts', server.auth.bearer({ scopes: ['/accounts.read'] }), (req, res2) => {
        res2.json({ sub: (req as express.Request & { auth?: { sub: string } }).auth?.sub });
      });
      resource.use(server.auth.errorHandler());
      const allowed = await request(resource).get('/accounts').set('Authorization', `Bearer ${accessToken}`);
      expect(allowed.status).toBe(200);
      expect(allowed.body).toEqual({ sub: 'web-app' });

      const introspected = await request(server.url).post('/oauth2/introspect').auth(WEB_APP.clientId, WEB_APP.clientSecret as string).type('form').send({ token: accessToken });
      expect(introspected.status).toBe(200);
      expect(introspected.body).toMatchObject({ active: true, client_id: 'web-app', sub: 'web-app', scope: '/accounts.read /accounts.write', token_type: 'Bearer' });

      // RFC 7009 §2.1: a wrong hint does not stop the server from finding the token; the refresh token stays live.
      const revoked = await request(server.url).post('/oauth2/revoke').auth(WEB_APP.clientId, WEB_APP.clientSecret as string).type('form').send({ token: accessToken, token_type_hint: 'refresh_token' });
      expect(revoked.status).toBe(200);
      expect(await findAccessRecord(store, accessToken)).toBeUndefined();
      const denied = await request(resource).get('/accounts').set('Authorization', `Bearer ${accessToken}`);
      expect(denied.status).toBe(401);
      expect(await store.findRefreshToken(familyOf(res.body.refresh_token), sha256(res.body.refresh_token))).toMatchObject({ clientId: 'web-app', familyId: familyOf(res.body.refresh_token) });
    });

    it('answers a new access token and a new refresh token (rotation); the presented one stops being live', async () => {
      const first = await clientCredentials(server);
      const res = await refresh(server, first.refresh_token!);
      expect(res.status).toBe(200);
      expectTokenEndpointHeaders(res.headers);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(FAMILY_TOKEN),
        token_type: 'Bearer',
        expires_in: 900,
        scope: '/accounts.read /accounts.write',
        refresh_token: expect.stringMatching(REFRESH_TOKEN_FORMAT),
      });
      expect(res.body.refresh_token).not.toBe(first.refresh_token);
      expect(res.body.access_token).not.toBe(first.access_token);
      const familyId = familyOf(first.refresh_token!);
      expect(familyOf(res.body.refresh_token)).toBe(familyId);
      expect(await store.findRefreshToken(familyId, sha256(first.refresh_token!))).toBeUndefined();
      expect(await store.findRefreshToken(familyId, sha256(res.body.refresh_token))).toMatchObject({ clientId: 'web-app', sub: 'web-app' });
      expect(familyOf(res.body.access_token)).toBe(familyId);
      expect(await findAccessRecord(store, res.body.access_token)).toMatchObject({ clientId: 'web-app', sub: 'web-app', familyId });
    });

    it('each new refresh token refreshes in turn', async () => {
      let token = (await clientCredentials(server)).refresh_token!;
      const familyId = familyOf(token);
      for (let i = 0; i < 3; i++) {
        const res = await refresh(server, token);
        expect(res.status).toBe(200);
        expect(res.body.scope).toBe('/accounts.read /accounts.write');
        // Each rotation retires its predecessor and keeps the family.
        expect(await store.findRefreshToken(familyId, sha256(token))).toBeUndefined();
        token = res.body.refresh_token;
        expect(familyOf(token)).toBe(familyId);
        expect(await store.findRefreshToken(familyId, sha256(token))).toMatchObject({ clientId: 'web-app', familyId });
      }
    });

    it('§6 scope: a narrower scope is granted, and the next refresh without scope gets the original scope back', async () => {
      const first = await clientCredentials(server);
      const narrowed = await refresh(server, first.refresh_token!, WEB_APP, '/accounts.read');
      expect(narrowed.status).toBe(200);
      expect(narrowed.body.scope).toBe('/accounts.read');
      expect(await findAccessRecord(store, narrowed.body.access_token)).toMatchObject({ scope: ['/accounts.read'] });
      const again = await refresh(server, narrowed.body.refresh_token);
      expect(again.status).toBe(200);
      expect(again.body.scope).toBe('/accounts.read /accounts.write');
    });

    it('§6 scope: a wider scope is 400 invalid_scope, and the token stays usable', async () => {
      const first = await clientCredentials(server, WEB_APP, '/accounts.read');
      const res = await refresh(server, first.refresh_token!, WEB_APP, '/accounts.read /accounts.write');
      expect(res.status).toBe(400);
      expectTokenEndpointHeaders(res.headers);
      expect(res.body).toEqual({ error: 'invalid_scope', error_description: 'the requested scope exceeds the scope originally granted' });
      expect((await refresh(server, first.refresh_token!)).status).toBe(200);
    });

    it('§6: a refresh token issued to another client is 400 invalid_grant, and the owner can still use it', async () => {
      const first = await clientCredentials(server);
      const res = await refresh(server, first.refresh_token!, OTHER_APP);
      expect(res.status).toBe(400);
      expectTokenEndpointHeaders(res.headers);
      expect(res.body).toEqual(INVALID_GRANT);
      expect((await refresh(server, first.refresh_token!)).status).toBe(200);
    });

    it('§5.2: an unknown, malformed or oversized refresh token is 400 invalid_grant', async () => {
      const unknown = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
      for (const token of [unknown, 'not-a-token', 'x'.repeat(5000)]) {
        const res = await refresh(server, token);
        expect(res.status).toBe(400);
        expect(res.body).toEqual(INVALID_GRANT);
      }
    });

    it('§5.2: a missing refresh_token is 400 invalid_request', async () => {
      const res = await postToken(server, WEB_APP, { grant_type: 'refresh_token' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'refresh_token is required' });
    });

    it('§5.2: a client not allowed the refresh_token grant is 400 unauthorized_client', async () => {
      const first = await clientCredentials(server);
      const res = await refresh(server, first.refresh_token!, NO_REFRESH_APP);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'this client may not use the refresh_token grant' });
    });
  });

  describe('RFC 9700 §4.14.2: reuse detection', () => {
    it('presenting a rotated refresh token is 400 invalid_grant and revokes the whole family with its access tokens', async () => {
      const first = await clientCredentials(server);
      const second = (await refresh(server, first.refresh_token!)).body;
      const reuse = await refresh(server, first.refresh_token!);
      expect(reuse.status).toBe(400);
      expectTokenEndpointHeaders(reuse.headers);
      expect(reuse.body).toEqual(INVALID_GRANT);

      const afterReuse = await refresh(server, second.refresh_token);
      expect(afterReuse.status).toBe(400);
      expect(afterReuse.body).toEqual(INVALID_GRANT);
      const familyId = familyOf(first.refresh_token!);
      expect(await store.findRefreshToken(familyId, sha256(second.refresh_token))).toBeUndefined();
      expect(await findAccessRecord(store, first.access_token!)).toBeUndefined();
      expect(await findAccessRecord(store, second.access_token)).toBeUndefined();
    });

    it('50 parallel refreshes with one token: exactly one 200, the other 49 are 400 invalid_grant', async () => {
      const first = await clientCredentials(server);
      const responses = await Promise.all(Array.from({ length: 50 }, () => refresh(server, first.refresh_token!)));
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      const losers = responses.filter((r) => r.status !== 200);
      expect(losers).toHaveLength(49);
      for (const r of losers) {
        expect(r.status).toBe(400);
        expect(r.body).toEqual(INVALID_GRANT);
      }
    });
  });

  describe('lifetimes', () => {
    it('a refresh token past its ttl is 400 invalid_grant', async () => {
      const short = await instance({ refreshToken: { ttl: 1 } });
      const first = await clientCredentials(short);
      await sleep(1100);
      const res = await refresh(short, first.refresh_token!);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(INVALID_GRANT);
    });

    it('absoluteTtl bounds the family: a rotated token never outlives the first one\'s family', async () => {
      const bounded = await instance({ refreshToken: { ttl: 3600, absoluteTtl: 60 } });
      const first = await clientCredentials(bounded);
      const familyId = familyOf(first.refresh_token!);
      const initial = await store.findRefreshToken(familyId, sha256(first.refresh_token!));
      expect(initial).toMatchObject({ expiresAt: initial!.issuedAt + 60, familyExpiresAt: initial!.issuedAt + 60 });
      const next = await refresh(bounded, first.refresh_token!);
      expect(next.status).toBe(200);
      const rotated = await store.findRefreshToken(familyId, sha256(next.body.refresh_token));
      expect(rotated).toMatchObject({ expiresAt: initial!.familyExpiresAt, familyExpiresAt: initial!.familyExpiresAt });
    });
  });
});
