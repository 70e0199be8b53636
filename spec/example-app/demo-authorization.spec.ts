// The demo's additions for the authorization code flow: the playground at / (the JSON summary still answers
// Accept: application/json), the sign-in page with config users, and the config checks for users and
// public clients. Every existing route keeps answering as before.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildApp } from '../../example-app/app';
import { checkConfig, loadConfigFile, type LoadedConfig } from '../../example-app/config';

const dir = mkdtempSync(join(tmpdir(), 'keyturn-demo-authz-'));
const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const client = { clientId: 'a', clientSecret: 'b', grants: ['client_credentials'], scopes: ['x'] };

describe('demo: playground, sign-in and config users', () => {
  let config: LoadedConfig;
  beforeAll(async () => {
    config = await loadConfigFile(
      write('users.json', {
        clients: [client, { clientId: '<b>pub</b>', tokenEndpointAuthMethod: 'none', grants: ['authorization_code'], scopes: ['openid'], redirectUris: ['http://127.0.0.1:3000/playground/callback'] }],
        users: [{ username: 'alice', password: 'pw-alice' }],
      }),
    );
  });

  it('hashes user passwords at load and keeps public clients secret-less', () => {
    expect(config.users).toEqual([{ username: 'alice', passwordHash: expect.stringMatching(/^\$scrypt\$/) }]);
    expect(JSON.stringify(config)).not.toContain('pw-alice');
    expect(config.clients[1]).not.toHaveProperty('clientSecretHash');
  });

  it('GET / is the playground page, with every value escaped', async () => {
    const { app } = buildApp(config);
    const res = await request(app).get('/').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const id of ['cc-run', 'code-start', 'code-exchange', 'call-accounts', 'call-refresh', 'call-revoke', 'call-introspect']) {
      expect(res.text).toContain(`id="${id}"`);
    }
    expect(res.text).not.toContain('<b>pub</b>');
    expect(res.text).toContain('&lt;b&gt;pub&lt;/b&gt;');
    expect(res.text).toContain('\\u003cb\\u003epub\\u003c/b\\u003e');
  });

  it('serves OpenID Connect discovery at issuer + /.well-known/openid-configuration, and UserInfo asks for a token', async () => {
    const { app } = buildApp(config);
    const res = await request(app).get('/oauth2/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ issuer: 'http://127.0.0.1:3000/oauth2', userinfo_endpoint: 'http://127.0.0.1:3000/oauth2/userinfo', subject_types_supported: ['public'] });
    expect(res.body.id_token_signing_alg_values_supported).toEqual([expect.any(String)]);
    const userinfo = await request(app).get('/oauth2/userinfo');
    expect([userinfo.status, userinfo.headers['www-authenticate']]).toEqual([401, expect.stringMatching(/^Bearer realm=/)]);
  });

  it('GET / still answers JSON to clients that ask for it', async () => {
    const { app } = buildApp(config);
    const res = await request(app).get('/').set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'Keyturn demo: an accounts API with an OAuth 2.0 authorization server',
      profile: 'default',
      endpoints: { token: 'POST /oauth2/token', authorize: 'GET /oauth2/authorize', accounts: ['GET /accounts', 'POST /accounts'] },
    });
  });

  it('serves the playground script and the callback page', async () => {
    const { app } = buildApp(config);
    const script = await request(app).get('/playground/playground.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    const callback = await request(app).get('/playground/callback?code=abc&state=xyz');
    expect(callback.status).toBe(200);
    expect(callback.headers['cache-control']).toBe('no-store');
  });

  it('the login page escapes returnTo and refuses off-site ones', async () => {
    const { app } = buildApp(config);
    const hostile = await request(app).get('/login').query({ returnTo: '/x"><script>alert(1)</script>' });
    expect(hostile.text).toContain('value="/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(hostile.text).not.toContain('<script>alert(1)');
    const offsite = await request(app).get('/login').query({ returnTo: 'https://evil.example/' });
    expect(offsite.text).toContain('name="returnTo" value="/"');
  });

  it('signs in with a config user and signs out', async () => {
    const { app } = buildApp(config);
    const bad = await request(app).post('/login').type('form').send({ username: 'nobody', password: 'pw-alice', returnTo: '/' });
    expect(bad.status).toBe(401);
    const ok = await request(app).post('/login').type('form').send({ username: 'alice', password: 'pw-alice', returnTo: '/oauth2/authorize?x=1' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/oauth2/authorize?x=1');
    const cookie = (ok.headers['set-cookie'] as unknown as string[])[0] as string;
    expect(cookie).toMatch(/^demo_session=[^;]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    const page = await request(app).get('/').set('Cookie', cookie.split(';')[0] as string);
    expect(page.text).toContain('Signed in as <strong>alice</strong>');
    const out = await request(app).post('/logout');
    expect(out.status).toBe(303);
    expect((out.headers['set-cookie'] as unknown as string[])[0]).toBe('demo_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
  });

  it('the authorization endpoint answers only GET (405 otherwise)', async () => {
    const { app } = buildApp(config);
    const res = await request(app).post('/oauth2/authorize');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });

  it('names each bad users or public-client field', () => {
    const cases: Array<[unknown, string]> = [
      [{ clients: [client], users: {} }, 'users must be an array'],
      [{ clients: [client], users: [{ username: '', password: 'x' }] }, 'users[0].username must be a non-empty string'],
      [{ clients: [client], users: [{ username: 'a' }] }, 'users[0] needs exactly one of password and passwordHash'],
      [{ clients: [client], users: [{ username: 'a', password: 'x' }, { username: 'a', password: 'y' }] }, 'users[1].username is listed twice'],
      [{ clients: [{ ...client, tokenEndpointAuthMethod: 'none' }] }, 'clients[0] is public (tokenEndpointAuthMethod "none") and must have no secret'],
      [{ clients: [{ ...client, tokenEndpointAuthMethod: 'tls_client_auth' }] }, 'clients[0].tokenEndpointAuthMethod must be one of "client_secret_basic", "client_secret_post", "none", "private_key_jwt", "client_secret_jwt"'],
    ];
    for (const [value, message] of cases) expect(() => checkConfig(value)).toThrow(`config: ${message}`);
  });
});
