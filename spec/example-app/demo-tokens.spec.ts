// The demo with issue 4: accessToken.format from the config, the metadata route (RFC 8414 §3.1 path for an
// issuer with a path), and the accounts API behind the bearer middleware (read and write scopes).
import request from 'supertest';
import { buildApp } from '../../example-app/app';
import type { LoadedConfig } from '../../example-app/config';
import { hashClientSecret } from '../../lib';

let config: LoadedConfig;
beforeAll(async () => {
  // A low scrypt cost keeps the suite fast; the demo's loader uses the default.
  const clientSecretHash = await hashClientSecret('demo-secret', { logN: 10 });
  config = {
    issuer: 'http://127.0.0.1:3000/oauth2',
    accessToken: { format: 'jwt', ttl: 600 },
    clients: [
      { clientId: 'writer', clientSecretHash, grants: ['client_credentials'], scopes: ['/accounts.read', '/accounts.write'] },
      { clientId: 'reader', clientSecretHash, grants: ['client_credentials'], scopes: ['/accounts.read'] },
    ],
  };
});

async function token(app: Parameters<typeof request>[0], clientId: string): Promise<string> {
  const res = await request(app).post('/oauth2/token').auth(clientId, 'demo-secret').type('form').send({ grant_type: 'client_credentials' });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

describe('demo: tokens, metadata and protected accounts API', () => {
  it('issues JWT access tokens when the config says so', async () => {
    const { app } = buildApp(config);
    const jwt = await token(app, 'writer');
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
  });

  it('serves the metadata where RFC 8414 §3.1 puts it for the issuer http://127.0.0.1:3000/oauth2', async () => {
    const { app } = buildApp(config);
    const res = await request(app).get('/.well-known/oauth-authorization-server/oauth2');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: 'http://127.0.0.1:3000/oauth2',
      token_endpoint: 'http://127.0.0.1:3000/oauth2/token',
      revocation_endpoint: 'http://127.0.0.1:3000/oauth2/revoke',
      introspection_endpoint: 'http://127.0.0.1:3000/oauth2/introspect',
      jwks_uri: 'http://127.0.0.1:3000/oauth2/jwks',
    });
    expect((await request(app).get('/oauth2/jwks')).body.keys).toHaveLength(1);
  });

  it('lets GET /accounts need /accounts.read and POST /accounts need /accounts.write', async () => {
    const { app } = buildApp(config);
    const reader = await token(app, 'reader');
    const writer = await token(app, 'writer');
    expect((await request(app).get('/accounts')).status).toBe(401);
    expect((await request(app).get('/accounts').set('Authorization', `Bearer ${reader}`)).body).toEqual({ accounts: [] });
    const denied = await request(app).post('/accounts').set('Authorization', `Bearer ${reader}`).send({ name: 'Ops' });
    expect(denied.status).toBe(403);
    expect(denied.headers['www-authenticate']).toContain('scope="/accounts.write"');
    const created = await request(app).post('/accounts').set('Authorization', `Bearer ${writer}`).send({ name: 'Ops' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ accountId: 'acct_1', name: 'Ops' });
  });

  it('renders the bearer errors with the profile renderer (falcon envelope)', async () => {
    const { app } = buildApp(config, { profile: 'falcon' });
    const res = await request(app).get('/accounts').set('Authorization', 'Bearer nope');
    // The Falcon renderer answers 401s as 403 and drops WWW-Authenticate: the renderer decides, for bearer
    // errors as for token endpoint errors.
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toEqual({
      meta: { pagination: { limit: 0, offset: 0, total_count: 0 } },
      errors: [{ httpcode: 403, message: 'the access token is unknown, expired or revoked' }],
    });
  });

  it('serves no metadata when the endpoints are not under the issuer (bank profile at /v1/oauth)', async () => {
    const { app } = buildApp(config, { profile: 'bank' });
    expect((await request(app).get('/.well-known/oauth-authorization-server/oauth2')).status).toBe(404);
    expect((await request(app).post('/v1/oauth/token').send({ client_id: 'reader', client_secret: 'demo-secret' })).status).toBe(200);
  });
});

describe('demo: refreshToken.reuseGraceSeconds from the config', () => {
  async function retriedRefresh(refreshToken: LoadedConfig['refreshToken']): Promise<number> {
    const clientSecretHash = await hashClientSecret('demo-secret', { logN: 10 });
    const { app } = buildApp({
      ...config,
      ...(refreshToken === undefined ? {} : { refreshToken }),
      clients: [{ clientId: 'mobile', clientSecretHash, grants: ['client_credentials', 'refresh_token'], scopes: ['/accounts.read'] }],
    });
    const post = (body: Record<string, string>) => request(app).post('/oauth2/token').auth('mobile', 'demo-secret').type('form').send(body);
    const issued = await post({ grant_type: 'client_credentials' });
    expect(issued.status).toBe(200);
    const lost = await post({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token });
    expect(lost.status).toBe(200);
    return (await post({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token })).status;
  }

  it('with the field, a refresh retried after a lost answer gets new tokens', async () => {
    expect(await retriedRefresh({ ttl: 86_400, reuseGraceSeconds: 30 })).toBe(200);
  });

  it('without it, reuse detection stays strict', async () => {
    expect(await retriedRefresh({ ttl: 86_400 })).toBe(400);
    expect(await retriedRefresh(undefined)).toBe(400);
  });
});
