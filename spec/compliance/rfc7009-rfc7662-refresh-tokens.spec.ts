/*
 * Refresh tokens at the revocation and introspection endpoints.
 * RFC 7009 §2.1: "If the particular token is a refresh token and the authorization server supports the
 *   revocation of access tokens, then the authorization server SHOULD also invalidate all access tokens based
 *   on the same authorization grant"; a client may revoke only its own tokens.
 * RFC 7662 §2.2: token_type says what the token is; inactive tokens answer {active:false}.
 */
import request from 'supertest';
import { parseFamilyToken } from '../../lib/tokens/family-token';
import type { Client } from '../../lib';
import { buildTestApp } from '../support/server';
import { OTHER } from '../support/clients';
import { findAccessRecord } from '../support/access-tokens';

const RT_CLIENT: Client = { clientId: 'rt-job', clientSecret: 'rt-secret', grants: ['client_credentials', 'refresh_token'], scopes: ['/accounts.read'], accessTokenFormat: 'opaque' };
const { app, auth } = buildTestApp({ grants: ['client_credentials', 'refresh_token'], clients: [RT_CLIENT, OTHER] });
afterAll(() => auth.close());

async function grant(): Promise<{ access_token: string; refresh_token: string }> {
  const res = await request(app).post('/token').auth(RT_CLIENT.clientId, RT_CLIENT.clientSecret!).type('form').send({ grant_type: 'client_credentials' });
  expect(res.status).toBe(200);
  expect(res.body.refresh_token).toEqual(expect.any(String));
  return res.body;
}

const post = (path: string, client: Client, body: Record<string, string>) =>
  request(app).post(path).auth(client.clientId, client.clientSecret!).type('form').send(body);

describe('RFC 7662: introspecting a refresh token', () => {
  it('describes a live refresh token with token_type refresh_token', async () => {
    const { refresh_token } = await grant();
    const { familyId, tokenHash } = parseFamilyToken(refresh_token)!;
    const record = await auth.store.findRefreshToken(familyId, tokenHash);
    const res = await post('/introspect', RT_CLIENT, { token: refresh_token, token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      active: true,
      scope: '/accounts.read',
      client_id: 'rt-job',
      sub: 'rt-job',
      exp: record!.expiresAt,
      iat: record!.issuedAt,
      token_type: 'refresh_token',
      iss: 'https://auth.example.test',
    });
  });

  it("answers {active:false} to another client and for an unknown refresh-shaped token", async () => {
    const { refresh_token } = await grant();
    expect((await post('/introspect', OTHER, { token: refresh_token })).body).toEqual({ active: false });
    const forged = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
    expect((await post('/introspect', RT_CLIENT, { token: forged })).body).toEqual({ active: false });
  });
});

describe('RFC 7009 §2.1: revoking a refresh token', () => {
  it('revokes the family and the opaque access tokens of the same grant, whatever the hint', async () => {
    const { access_token, refresh_token } = await grant();
    const res = await post('/revoke', RT_CLIENT, { token: refresh_token, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{}');
    const { familyId, tokenHash } = parseFamilyToken(refresh_token)!;
    expect(await auth.store.findRefreshToken(familyId, tokenHash)).toBeUndefined();
    expect(await findAccessRecord(auth.store, access_token)).toBeUndefined();
    const refreshed = await post('/token', RT_CLIENT, { grant_type: 'refresh_token', refresh_token });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it("leaves another client's refresh token alone and still answers 200", async () => {
    const { refresh_token } = await grant();
    const res = await post('/revoke', OTHER, { token: refresh_token });
    expect(res.status).toBe(200);
    const { familyId, tokenHash } = parseFamilyToken(refresh_token)!;
    expect(await auth.store.findRefreshToken(familyId, tokenHash)).toMatchObject({ clientId: RT_CLIENT.clientId, familyId });
  });
});
