/*
 * RFC 8414 (OAuth 2.0 Authorization Server Metadata)
 * §2: issuer REQUIRED; token_endpoint; jwks_uri; scopes_supported RECOMMENDED; response_types_supported
 *   REQUIRED; grant_types_supported; token_endpoint_auth_methods_supported; revocation_endpoint (+ auth
 *   methods); introspection_endpoint (+ auth methods); code_challenge_methods_supported.
 * §3: "/.well-known/oauth-authorization-server"; §3.1 "inserted between the host component and the path".
 * §3.3: "The "issuer" value returned MUST be identical to the authorization server's issuer identifier value".
 */
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { metadataUrl } from '../../lib/resource-server/discovery';
import { ALL_CLIENTS } from '../support/clients';

describe('RFC 8414 §2 and §3: the metadata document', () => {
  const auth = createAuthorizationServer({
    clients: ALL_CLIENTS,
    allowPlaintextSecrets: true,
    issuer: 'https://auth.example.test',
    mountPath: '/oauth2',
    accessToken: { format: 'jwt' },
  });
  const app = express();
  app.use('/oauth2', auth.router());
  app.get('/.well-known/oauth-authorization-server', auth.metadata());
  afterAll(() => auth.close());

  it('publishes the endpoints under issuer + mountPath, with the grants, auth methods and scopes', async () => {
    const res = await request(app).get('/.well-known/oauth-authorization-server');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toEqual({
      issuer: 'https://auth.example.test',
      token_endpoint: 'https://auth.example.test/oauth2/token',
      jwks_uri: 'https://auth.example.test/oauth2/jwks',
      scopes_supported: ['/accounts.read', '/accounts.write'],
      response_types_supported: [],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint: 'https://auth.example.test/oauth2/revoke',
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint: 'https://auth.example.test/oauth2/introspect',
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
    expect(auth.metadataDocument).toEqual(res.body);
  });

  it('serves the endpoints it names', async () => {
    expect((await request(app).get('/oauth2/jwks')).status).toBe(200);
    expect((await request(app).post('/oauth2/revoke')).status).toBe(400);
    expect((await request(app).post('/oauth2/introspect')).status).toBe(400);
  });

  it('honours scopesSupported and omits jwks_uri when no key is public (HS256)', () => {
    const hs = createAuthorizationServer({
      clients: ALL_CLIENTS,
      allowPlaintextSecrets: true,
      issuer: 'https://auth.example.test/',
      scopesSupported: ['/accounts.read'],
      signingKeys: [{ kid: 'hs', alg: 'HS256', key: 'a-very-long-shared-secret-of-32-bytes-or-more' }],
    });
    expect(hs.metadataDocument).toMatchObject({ issuer: 'https://auth.example.test/', token_endpoint: 'https://auth.example.test/token', scopes_supported: ['/accounts.read'] });
    expect(hs.metadataDocument).not.toHaveProperty('jwks_uri');
  });

  it('needs an issuer', () => {
    const noIssuer = createAuthorizationServer({ clients: ALL_CLIENTS, allowPlaintextSecrets: true });
    expect(() => noIssuer.metadata()).toThrow(new TypeError('auth.metadata() needs options.issuer (RFC 8414 §2)'));
  });
});

describe('RFC 8414 §3.1: where the metadata of an issuer lives', () => {
  it.each([
    ['https://auth.example.test', 'https://auth.example.test/.well-known/oauth-authorization-server'],
    ['https://auth.example.test/', 'https://auth.example.test/.well-known/oauth-authorization-server'],
    ['https://example.test/tenant1', 'https://example.test/.well-known/oauth-authorization-server/tenant1'],
  ])('%s -> %s', (issuer, url) => {
    expect(metadataUrl(issuer)).toBe(url);
  });
});
