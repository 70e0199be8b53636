// OpenID Connect Discovery 1.0 §4: "OpenID Providers supporting Discovery MUST make a JSON document available
// at the path formed by concatenating the string /.well-known/openid-configuration to the Issuer." §4.3: "The
// issuer value returned MUST be identical to the Issuer URL that was used as the prefix". §3: issuer,
// authorization_endpoint, jwks_uri, response_types_supported, subject_types_supported and
// id_token_signing_alg_values_supported are REQUIRED; token_endpoint is REQUIRED unless only the implicit flow
// is used; userinfo_endpoint, scopes_supported (which "MUST support the openid scope value") and
// claims_supported are RECOMMENDED.
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { ISSUER, WEB_CLIENT, buildAuthorizeApp } from '../support/authorize';

const hooks = { authenticateUser: () => undefined, renderConsent: () => undefined };

describe('OpenID Connect Discovery §4: /.well-known/openid-configuration', () => {
  const { app, auth, signer } = buildAuthorizeApp({ userInfo: () => ({ name: 'Alice' }) });

  it('is served at issuer + /.well-known/openid-configuration when the router is mounted at the issuer', async () => {
    const url = new URL(`${ISSUER}/.well-known/openid-configuration`);
    const res = await request(app).get(url.pathname);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body.issuer).toBe(ISSUER);
    expect(res.body).toMatchObject({
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      userinfo_endpoint: `${ISSUER}/userinfo`,
      jwks_uri: `${ISSUER}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [signer.alg],
      scopes_supported: ['openid', '/accounts.read', '/accounts.write'],
    });
    expect(res.body.claims_supported).toEqual(expect.arrayContaining(['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'name', 'email', 'email_verified', 'address', 'phone_number']));
    // Both documents are one: RFC 8414's metadata lists the same fields.
    expect(auth.metadataDocument).toEqual(res.body);
    const head = await request(app).head(url.pathname);
    expect(head.status).toBe(200);
    const post = await request(app).post(url.pathname);
    expect([post.status, post.headers.allow, post.body.error]).toEqual([405, 'GET, HEAD', 'invalid_request']);
  });

  it('lists the alg of a custom signer, and openid ahead of the configured scopes', () => {
    const custom = buildAuthorizeApp(
      { idToken: { signer: { alg: 'PS384', sign: async () => 'x.y.z' } } },
      { scopesSupported: ['/accounts.read', 'profile'] },
    );
    expect(custom.auth.metadataDocument).toMatchObject({
      id_token_signing_alg_values_supported: ['PS384'],
      scopes_supported: ['openid', '/accounts.read', 'profile'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash'],
    });
  });

  it('is served by auth.openidConfiguration() where the app mounts it, when the router lives below the issuer', async () => {
    const below = createAuthorizationServer({
      clients: [WEB_CLIENT], allowPlaintextSecrets: true, issuer: 'https://auth.example.com', mountPath: '/oauth2',
      grants: ['authorization_code'], authorization: hooks,
    });
    const root = express();
    root.use('/oauth2', below.router());
    root.get('/.well-known/openid-configuration', below.openidConfiguration());
    const res = await request(root).get('/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ issuer: 'https://auth.example.com', userinfo_endpoint: 'https://auth.example.com/oauth2/userinfo', id_token_signing_alg_values_supported: ['ES256'] });
    // The router does not also publish it at a path no relying party derives from the issuer.
    expect((await request(root).get('/oauth2/.well-known/openid-configuration')).status).toBe(404);
  });

  it('is absent from a server that issues no id_tokens, and auth.openidConfiguration() says why', async () => {
    const plain = createAuthorizationServer({ clients: [WEB_CLIENT], allowPlaintextSecrets: true, issuer: ISSUER });
    const root = express();
    root.use('/oauth2', plain.router());
    expect((await request(root).get('/oauth2/.well-known/openid-configuration')).status).toBe(404);
    expect((await request(root).get('/oauth2/userinfo')).status).toBe(404);
    expect(plain.metadataDocument).not.toHaveProperty('id_token_signing_alg_values_supported');
    expect(plain.metadataDocument).not.toHaveProperty('userinfo_endpoint');
    expect(() => plain.openidConfiguration()).toThrow(/options\.authorization/);
  });
});
