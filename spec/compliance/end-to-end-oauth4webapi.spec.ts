/*
 * End to end, with oauth4webapi (a strict RFC client written by others) as the client and a second Express
 * app as the resource server. The authorization server listens on 127.0.0.1 so that discovery (RFC 8414),
 * the JWKS (RFC 7517) and introspection (RFC 7662) are real HTTP calls.
 *
 * "A second Express app that knows only the issuer URL protects a route with requireBearer and accepts the
 *  demo's JWTs and rejects revoked opaque ones via introspection."
 */
import express, { type Express } from 'express';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import { bearerErrorHandler, createAuthorizationServer, requireBearer, type AuthorizationServer } from '../../lib';
import { JOB, OPAQUE_JOB, RESOURCE_SERVER } from '../helpers/clients';
import { listen, type Listening } from '../helpers/listen';

const API = 'https://accounts-api.example.test';
const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks plain HTTP on loopback

let listening: Listening;
let issuer: string;
let auth: AuthorizationServer;
let as: oauth.AuthorizationServer;
let resourceApp: Express;

beforeAll(async () => {
  let handler: express.Express | undefined;
  listening = await listen((req, res) => handler!(req, res));
  issuer = listening.url;
  auth = createAuthorizationServer({
    issuer,
    mountPath: '/oauth2',
    clients: [JOB, OPAQUE_JOB, RESOURCE_SERVER],
    allowPlaintextSecrets: true,
    accessToken: { format: 'jwt', audience: API },
  });
  const app = express();
  app.use('/oauth2', auth.router());
  app.get('/.well-known/oauth-authorization-server', auth.metadata());
  handler = app;

  as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oauth2', ...insecure }));

  // The resource server knows the issuer, its own audience and its introspection credentials; nothing else.
  resourceApp = express();
  const protect = (scopes: string[], cacheTtl?: number) =>
    requireBearer({
      issuer,
      audience: API,
      introspection: { clientId: RESOURCE_SERVER.clientId, clientSecret: RESOURCE_SERVER.clientSecret!, ...(cacheTtl === undefined ? {} : { cacheTtl }) },
      scopes,
    });
  resourceApp.get('/accounts', protect(['/accounts.read']), (req, res) => res.json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes }));
  resourceApp.post('/accounts', protect(['/accounts.write'], 0), (req, res) => res.status(201).json({ clientId: req.auth?.clientId }));
  resourceApp.use(bearerErrorHandler());
});

afterAll(async () => {
  await listening.close();
  await auth.close();
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
  const response = await oauth.introspectionRequest(as, { client_id: RESOURCE_SERVER.clientId }, oauth.ClientSecretBasic(RESOURCE_SERVER.clientSecret!), token, insecure);
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
      token_endpoint: `${issuer}/oauth2/token`,
      jwks_uri: `${issuer}/oauth2/jwks`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      introspection_endpoint: `${issuer}/oauth2/introspect`,
      grant_types_supported: ['client_credentials'],
    });
  });

  it('gets a JWT access token that oauth4webapi validates as an RFC 9068 resource server would', async () => {
    const tokens = await clientCredentials(JOB, '/accounts.read');
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: '/accounts.read' });
    const claims = await oauth.validateJwtAccessToken(as, new Request(`${API}/accounts`, { headers: { authorization: `Bearer ${tokens.access_token}` } }), API, insecure);
    expect(claims).toMatchObject({ iss: issuer, aud: API, sub: JOB.clientId, client_id: JOB.clientId, scope: '/accounts.read' });
  });

  it('introspects and revokes a JWT (RFC 7662, RFC 7009)', async () => {
    const { access_token } = await clientCredentials(JOB);
    expect(await introspect(access_token)).toMatchObject({ active: true, client_id: JOB.clientId, token_type: 'Bearer', iss: issuer, aud: API });
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
    expect((await request(resourceApp).post('/accounts').set('Authorization', `Bearer ${access_token}`)).status).toBe(401);
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
