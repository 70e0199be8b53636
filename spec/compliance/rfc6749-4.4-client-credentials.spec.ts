// RFC 6749 §4.4: "The client can request an access token using only its client credentials". §3.3: "The
// value of the scope parameter is expressed as a list of space-delimited, case-sensitive strings." ... "If
// the client omits the scope parameter when requesting authorization, the authorization server MUST either
// process the request using a pre-defined default value or fail the request indicating an invalid scope."
// §5.1: access_token, token_type, expires_in, scope. §5.2: invalid_scope, unauthorized_client.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { MemoryStore } from '../../lib/store/memory-store';
import { basic, buildTestApp, MOOV_CLIENT, READ_ONLY_CLIENT } from '../support/app';

describe('RFC 6749 §4.4 client credentials grant', () => {
  const store = new MemoryStore();
  const { app } = buildTestApp({
    store,
    clients: [
      MOOV_CLIENT,
      READ_ONLY_CLIENT,
      { clientId: 'no-cc', clientSecret: 'x', grants: ['refresh_token'], scopes: ['a'] },
      { clientId: 'short', clientSecret: 'x', grants: ['client_credentials'], scopes: ['a'], accessTokenTtl: 60 },
    ],
  });
  const token = (clientId: string, secret: string, body: Record<string, string>) =>
    request(app).post('/oauth2/token').set('Authorization', basic(clientId, secret)).type('form').send({ grant_type: 'client_credentials', ...body });

  it('§5.1: answers {access_token, token_type: "Bearer", expires_in: 900, scope}', async () => {
    const res = await token(MOOV_CLIENT.clientId, 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-', { scope: '/accounts.write' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: '/accounts.write' });
    // 256 random bits, base64url: 43 characters, far under the seed's 4096 limit.
    expect(res.body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('stores only the SHA-256 hash of the token, with the grant details', async () => {
    const res = await token(MOOV_CLIENT.clientId, 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-', { scope: '/accounts.read' });
    const hash = createHash('sha256').update(res.body.access_token).digest('base64url');
    expect(await store.findAccessToken(res.body.access_token)).toBeUndefined();
    const record = await store.findAccessToken(hash);
    expect(record).toMatchObject({ clientId: MOOV_CLIENT.clientId, sub: MOOV_CLIENT.clientId, scope: ['/accounts.read'] });
    expect(record!.expiresAt - record!.issuedAt).toBe(900);
  });

  it('mints a different token every time', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add((await token('reader', 'reader-secret', {})).body.access_token);
    expect(seen.size).toBe(20);
  });

  it('§3.3: grants the requested scopes when all are allowed, space-delimited and de-duplicated', async () => {
    const res = await token(MOOV_CLIENT.clientId, 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-', { scope: '/accounts.write /accounts.read /accounts.write' });
    expect(res.body.scope).toBe('/accounts.write /accounts.read');
  });

  it('§3.3: grants the client default scopes when none are requested', async () => {
    const res = await token('reader', 'reader-secret', {});
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('/accounts.read');
  });

  it('§5.2: answers a scope outside the client\'s allowed scopes with 400 invalid_scope', async () => {
    const res = await token('reader', 'reader-secret', { scope: '/accounts.read /accounts.write' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_scope', error_description: 'scope not allowed: /accounts.write' });
  });

  it('§3.3: answers a scope with characters outside scope-token with 400 invalid_scope', async () => {
    const res = await token('reader', 'reader-secret', { scope: '/accounts.read "quoted"' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_scope');
  });

  it('§5.2: answers a client not allowed this grant with 400 unauthorized_client', async () => {
    const res = await token('no-cc', 'x', {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'this client may not use the client_credentials grant' });
  });

  it('uses a client\'s own accessTokenTtl', async () => {
    const res = await token('short', 'x', {});
    expect(res.body.expires_in).toBe(60);
  });

  it('leaves the store as it was when a request fails', async () => {
    const before = store.accessTokenCount;
    await token('reader', 'reader-secret', { scope: '/nope' });
    await token('reader', 'wrong', {});
    expect(store.accessTokenCount).toBe(before);
  });
});
