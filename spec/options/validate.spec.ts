// Options are validated once, when the server is built: a bad option fails start-up with a message naming
// it, rather than failing the first request.
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationServerOptions } from '../../lib';
import { basic, MOOV_CLIENT } from '../support/app';

const base = { clients: [MOOV_CLIENT], allowPlaintextSecrets: true } as const;
const build = (options: Partial<AuthorizationServerOptions> | Record<string, unknown>) =>
  () => createAuthorizationServer({ ...base, ...options } as AuthorizationServerOptions);

describe('createAuthorizationServer option validation', () => {
  it('throws without a client store', () => {
    expect(() => createAuthorizationServer({} as AuthorizationServerOptions)).toThrow(/options\.clients is required/);
  });
  it('throws for an unknown grant name', () => {
    expect(build({ grants: ['client_credentials', 'pasword'] })).toThrow('grants[1]: unknown grant "pasword"');
  });
  it('throws for a duplicate or malformed grant', () => {
    expect(build({ grants: ['client_credentials', 'client_credentials'] })).toThrow(/listed twice/);
    expect(build({ grants: [{ type: 'x' } as never] })).toThrow(/grants\[0\]/);
  });
  it('throws for a ttl <= 0 or not an integer', () => {
    expect(build({ accessToken: { ttl: 0 } })).toThrow('options.accessToken.ttl must be a positive integer (got 0)');
    expect(build({ accessToken: { ttl: -5 } })).toThrow(/accessToken\.ttl/);
    expect(build({ accessToken: { ttl: 1.5 } })).toThrow(/accessToken\.ttl/);
  });
  it('throws for a defaultGrantType that is not served', () => {
    expect(build({ defaultGrantType: 'refresh_token' })).toThrow(/defaultGrantType "refresh_token" is not one of options.grants/);
  });
  it('throws for an unknown option (a typo)', () => {
    expect(build({ acessToken: { ttl: 60 } })).toThrow('createAuthorizationServer: unknown option "acessToken"');
  });
  it('throws for plaintext secrets unless allowed', () => {
    expect(() => createAuthorizationServer({ clients: [MOOV_CLIENT] })).toThrow(/clients\[0\]\.clientSecret is plaintext/);
  });
  it('throws for a malformed client list', () => {
    expect(build({ clients: [{ ...MOOV_CLIENT, grants: [] }] })).toThrow(/clients\[0\]\.grants/);
    expect(build({ clients: [MOOV_CLIENT, MOOV_CLIENT] })).toThrow(/listed twice/);
    expect(build({ clients: [{ clientId: 'x', grants: ['client_credentials'], scopes: [] }] })).toThrow(/needs clientSecretHash/);
    expect(build({ clients: [{ clientId: 'x', clientSecretHash: 'plain', grants: ['client_credentials'], scopes: [] }] })).toThrow(/not a hash made by hashClientSecret/);
  });
  it('throws for a bad issuer, body limit, realm or policy', () => {
    expect(build({ issuer: 'not a url' })).toThrow(/issuer/);
    expect(build({ issuer: 'https://a.example/?q=1' })).toThrow(/without query/);
    expect(build({ bodyLimit: 0 })).toThrow(/bodyLimit/);
    expect(build({ clientAuthentication: { realm: 'a"b' } })).toThrow(/realm/);
    expect(build({ clientAuthentication: { basicWithBody: 'maybe' as never } })).toThrow(/basicWithBody/);
  });
  it('valid options take effect: the issuer is published, a request without grant_type gets the default, tokens live accessToken.ttl', async () => {
    const auth = build({ issuer: 'https://auth.example.com', accessToken: { ttl: 60 }, defaultGrantType: 'client_credentials' })();
    expect(auth.metadataDocument).toMatchObject({ issuer: 'https://auth.example.com', grant_types_supported: ['client_credentials'] });
    const app = express();
    app.use('/oauth2', auth.router());
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string)).type('form').send('');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 60, scope: '/accounts.read /accounts.write' });
    await auth.close();
  });
});
