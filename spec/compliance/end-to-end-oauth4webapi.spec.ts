/*
 * End to end, with oauth4webapi (a strict RFC client written by others) as the client (discovery, client
 * credentials, refresh, introspection, revocation) and a second Express
 * app as the resource server. The authorization server listens on 127.0.0.1 so that discovery (RFC 8414),
 * the JWKS (RFC 7517) and introspection (RFC 7662) are real HTTP calls.
 *
 * The authorization server is the demo app (example-app/app.ts buildApp) with a JWT config.
 *
 * "A second Express app that knows only the issuer URL protects a route with requireBearer and accepts the
 *  demo's JWTs and rejects revoked opaque ones via introspection."
 */
import express, { type Express } from 'express';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import { buildApp } from '../../example-app/app';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { hashClientSecret, memoryStore, type AuthorizationServer, type Client, type Store } from '../../lib';
import { listen, type Listening } from '../support/listen';

const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks plain HTTP on loopback
const SECRET = 'e2e-secret';
const JOB = { clientId: 'reporting-job', clientSecret: SECRET };
const OPAQUE_JOB = { clientId: 'opaque-job', clientSecret: SECRET };
const RESOURCE_SERVER = { clientId: 'accounts-api', clientSecret: SECRET };

let listening: Listening;
let issuer: string;
let auth: AuthorizationServer;
let store: Store;
let as: oauth.AuthorizationServer;
let resourceApp: Express;

beforeAll(async () => {
  let handler: Express | undefined;
  listening = await listen((req, res) => handler!(req, res));
  // The demo mounts the server at /oauth2 and the issuer includes that path, as in its config.json.
  issuer = `${listening.url}/oauth2`;
  const clientSecretHash = await hashClientSecret(SECRET, { logN: 10 }); // low cost: a test, not a deployment
  const scopes = ['/accounts.read', '/accounts.write'];
  const clients: Client[] = [
    { clientId: JOB.clientId, clientSecretHash, grants: ['client_credentials', 'refresh_token'], scopes },
    { clientId: OPAQUE_JOB.clientId, clientSecretHash, grants: ['client_credentials'], scopes, accessTokenFormat: 'opaque' },
    { clientId: RESOURCE_SERVER.clientId, clientSecretHash, grants: ['client_credentials'], scopes: [], introspection: 'any' },
  ];
  store = memoryStore();
  const demo = buildApp({ issuer, accessToken: { format: 'jwt' }, clients }, { store });
  auth = demo.auth;
  handler = demo.app;

  as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oauth2', ...insecure }));

  // The resource server knows the issuer (also its tokens' audience, the server's default) and its
  // introspection credentials; nothing else.
  resourceApp = express();
  const protect = (scopes: string[], cacheTtl?: number) =>
    requireBearer({
      issuer,
      audience: issuer,
      introspection: { clientId: RESOURCE_SERVER.clientId, clientSecret: SECRET, ...(cacheTtl === undefined ? {} : { cacheTtl }) },
      scopes,
    });
  resourceApp.get('/accounts', protect(['/accounts.read']), (req, res) => res.json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes }));
  resourceApp.post('/accounts', protect(['/accounts.write'], 0), (req, res) => res.status(201).json({ clientId: req.auth?.clientId }));
  resourceApp.use(bearerErrorHandler());
});

afterAll(async () => {
  await listening.close();
  await auth.close();
  await store.close();
});

async function clientCredentials(client: { clientId: string; clientSecret?: string }, scope?: string): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    { client_id: client.clientId },
    oauth.ClientSecretBasic(client.clientSecret!),
    scope === undefined ? {} : { scope },
    insecure,
  );
  return oauth.processClientCredentialsResponse(as, { client_id: client.clientId }, response);
}

async function introspect(token: string): Promise<oauth.IntrospectionResponse> {
  const response = await oauth.introspectionRequest(as, { client_id: RESOURCE_SERVER.clientId }, oauth.ClientSecretBasic(RESOURCE_SERVER.clientSecret), token, insecure);
  return oauth.processIntrospectionResponse(as, { client_id: RESOURCE_SERVER.clientId }, response);
}

async function revoke(client: { clientId: string; clientSecret?: string }, token: string): Promise<void> {
  const response = await oauth.revocationRequest(as, { client_id: client.clientId }, oauth.ClientSecretBasic(client.clientSecret!), token, insecure);
  await oauth.processRevocationResponse(response);
}

describe('oauth4webapi against Keyturn', () => {
  it('discovers the server metadata (RFC 8414)', () => {
    expect(as).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      revocation_endpoint: `${issuer}/revoke`,
      introspection_endpoint: `${issuer}/introspect`,
      authorization_endpoint: `${issuer}/authorize`,
      grant_types_supported: ['client_credentials', 'refresh_token', 'authorization_code'],
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('gets a JWT access token that oauth4webapi validates as an RFC 9068 resource server would', async () => {
    const tokens = await clientCredentials(JOB, '/accounts.read');
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: '/accounts.read' });
    const claims = await oauth.validateJwtAccessToken(as, new Request(`${listening.url}/accounts`, { headers: { authorization: `Bearer ${tokens.access_token}` } }), issuer, insecure);
    expect(claims).toMatchObject({ iss: issuer, aud: issuer, sub: JOB.clientId, client_id: JOB.clientId, scope: '/accounts.read' });
  });

  it("calls the demo's protected accounts API with the token (RFC 6750)", async () => {
    const { access_token } = await clientCredentials(JOB, '/accounts.read');
    const res = await oauth.protectedResourceRequest(access_token, 'GET', new URL(`${listening.url}/accounts`), undefined, undefined, insecure);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accounts: [] });
  });

  it('introspects and revokes a JWT (RFC 7662, RFC 7009)', async () => {
    const { access_token } = await clientCredentials(JOB);
    expect(await introspect(access_token)).toMatchObject({ active: true, client_id: JOB.clientId, token_type: 'Bearer', iss: issuer, aud: issuer });
    await revoke(JOB, access_token);
    expect(await introspect(access_token)).toEqual({ active: false });
  });

  it('introspects and revokes an opaque token', async () => {
    const { access_token } = await clientCredentials(OPAQUE_JOB);
    expect(await introspect(access_token)).toMatchObject({ active: true, client_id: OPAQUE_JOB.clientId, sub: OPAQUE_JOB.clientId });
    await revoke(OPAQUE_JOB, access_token);
    expect(await introspect(access_token)).toEqual({ active: false });
  });
});

describe('oauth4webapi: refresh (RFC 6749 §6) and refresh token revocation (RFC 7009)', () => {
  it('refreshes, introspects the refresh token, revokes it, and can no longer refresh', async () => {
    const first = await clientCredentials(JOB);
    expect(first.refresh_token).toEqual(expect.any(String));
    const client = { client_id: JOB.clientId };
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretBasic(SECRET), first.refresh_token!, insecure),
    );
    expect(refreshed).toMatchObject({ token_type: 'bearer', expires_in: 900 });
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    await oauth.validateJwtAccessToken(as, new Request(`${listening.url}/accounts`, { headers: { authorization: `Bearer ${refreshed.access_token}` } }), issuer, insecure);

    expect(await introspect(refreshed.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token', client_id: JOB.clientId });
    await revoke(JOB, refreshed.refresh_token!);
    expect(await introspect(refreshed.refresh_token!)).toEqual({ active: false });
    const again = await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretBasic(SECRET), refreshed.refresh_token!, insecure);
    await expect(oauth.processRefreshTokenResponse(as, client, again)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a refresh token presented to the resource server as an access token', async () => {
    const { refresh_token } = await clientCredentials(JOB);
    const res = await request(resourceApp).get('/accounts').set('Authorization', `Bearer ${refresh_token}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the token is not an access token' });
  });
});

describe('a second app that knows only the issuer, protecting routes with requireBearer', () => {
  it("accepts the server's JWTs, verified with the discovered JWKS", async () => {
    const { access_token } = await clientCredentials(JOB);
    const res = await request(resourceApp).get('/accounts').set('Authorization', `Bearer ${access_token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: JOB.clientId, scopes: ['/accounts.read', '/accounts.write'] });
  });

  it('accepts live opaque tokens through introspection', async () => {
    const { access_token } = await clientCredentials(OPAQUE_JOB);
    const res = await request(resourceApp).get('/accounts').set('Authorization', `Bearer ${access_token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: OPAQUE_JOB.clientId, scopes: ['/accounts.read', '/accounts.write'] });
  });

  it('rejects a revoked opaque token', async () => {
    const { access_token } = await clientCredentials(OPAQUE_JOB);
    await revoke(OPAQUE_JOB, access_token);
    const res = await request(resourceApp).get('/accounts').set('Authorization', `Bearer ${access_token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="the access token is not active"');
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the access token is not active' });
  });

  it('rejects an opaque token revoked after it was first accepted, when the introspection cache is off', async () => {
    const { access_token } = await clientCredentials(OPAQUE_JOB);
    expect((await request(resourceApp).post('/accounts').set('Authorization', `Bearer ${access_token}`)).status).toBe(201);
    await revoke(OPAQUE_JOB, access_token);
    const res = await request(resourceApp).post('/accounts').set('Authorization', `Bearer ${access_token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="the access token is not active"');
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the access token is not active' });
  });

  it('answers a token without the route scope with 403', async () => {
    const { access_token } = await clientCredentials(JOB, '/accounts.read');
    const res = await request(resourceApp).post('/accounts').set('Authorization', `Bearer ${access_token}`);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="the access token lacks the scope this resource needs", scope="/accounts.write"',
    );
  });
});
