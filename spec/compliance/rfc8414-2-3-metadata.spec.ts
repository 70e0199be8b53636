/*
 * RFC 8414 (OAuth 2.0 Authorization Server Metadata)
 * §2: issuer REQUIRED; token_endpoint; jwks_uri; scopes_supported RECOMMENDED; response_types_supported
 *   REQUIRED; grant_types_supported; token_endpoint_auth_methods_supported; revocation_endpoint (+ auth
 *   methods); introspection_endpoint (+ auth methods); code_challenge_methods_supported.
 * §3: "/.well-known/oauth-authorization-server"; §3.1 "inserted between the host component and the path".
 * §3.3: "The "issuer" value returned MUST be identical to the authorization server's issuer identifier value".
 * §2 token_endpoint_auth_signing_alg_values_supported: "This metadata entry MUST be present if either of these
 *   authentication methods are specified in the "token_endpoint_auth_methods_supported" entry. ... The value
 *   "none" MUST NOT be used." (and likewise for the revocation and introspection endpoints)
 */
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { metadataUrl } from '../../lib/resource-server/discovery';
import { ALL_CLIENTS, JOB } from '../support/clients';

const METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'client_secret_jwt'];
const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'HS256', 'HS384', 'HS512'];

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
      token_endpoint_auth_methods_supported: METHODS,
      token_endpoint_auth_signing_alg_values_supported: ALGS,
      revocation_endpoint: 'https://auth.example.test/oauth2/revoke',
      revocation_endpoint_auth_methods_supported: METHODS,
      revocation_endpoint_auth_signing_alg_values_supported: ALGS,
      introspection_endpoint: 'https://auth.example.test/oauth2/introspect',
      introspection_endpoint_auth_methods_supported: METHODS,
      introspection_endpoint_auth_signing_alg_values_supported: ALGS,
    });
    expect(auth.metadataDocument).toEqual(res.body);
  });

  it('serves the endpoints it names: a token from token_endpoint verifies with a key of jwks_uri, introspects and revokes', async () => {
    const doc = auth.metadataDocument;
    const path = (url: string | undefined) => new URL(url as string).pathname;
    const post = (url: string | undefined, body: Record<string, string>) =>
      request(app).post(path(url)).auth(JOB.clientId, JOB.clientSecret as string).type('form').send(body);

    const issued = await post(doc.token_endpoint, { grant_type: 'client_credentials' });
    expect(issued.status).toBe(200);
    const token = issued.body.access_token as string;
    const { kid } = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8')) as { kid: string };

    const jwks = await request(app).get(path(doc.jwks_uri));
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid })]);

    expect((await post(doc.introspection_endpoint, { token })).body).toMatchObject({ active: true, client_id: JOB.clientId });
    const revoked = await post(doc.revocation_endpoint, { token });
    expect([revoked.status, revoked.text]).toEqual([200, '{}']);
    expect((await post(doc.introspection_endpoint, { token })).body).toEqual({ active: false });
  });

  it('§2: the JWT methods and their algorithms follow clientAuthentication.assertions.algorithms, never "none"', () => {
    const es = createAuthorizationServer({ clients: ALL_CLIENTS, allowPlaintextSecrets: true, issuer: 'https://auth.example.test', clientAuthentication: { assertions: { algorithms: ['ES256', 'EdDSA'] } } });
    expect(es.metadataDocument).toMatchObject({
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA'],
      introspection_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA'],
    });
    void es.close();
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
