// Seed 002: a Falcon-style POST /oauth2/token with a form body (MOD1, client_credentials: client_id,
// client_secret, scope); responses {access_token, expires_in, scope, token_type}; errors
// {meta: {pagination}, errors: [{httpcode, message}]} with 400 or 403. Its MOD2 (authorization_code) lists
// grant_type, code, redirect_uri, client_id as required, client_secret and code_challenge as optional, and
// no code_verifier: the demo's falcon profile makes PKCE optional for confidential clients (RFC 9700
// §2.1.1), and the response is {access_token, refresh_token, id_token, expires_in, scope, token_type}.
import express, { type Express } from 'express';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { buildApp } from '../../example-app/app';
import { loadConfigFile, type LoadedConfig } from '../../example-app/config';
import { renderFalconError } from '../../example-app/profiles/falcon';
import { FAMILY_TOKEN } from '../support/access-tokens';

describe('seed: Falcon POST /oauth2/token', () => {
  const auth = createAuthorizationServer({
    clients: [{ clientId: 'falcon-client', clientSecret: 'falcon-secret', grants: ['client_credentials'], scopes: ['hosts:read', 'detects:read'] }],
    allowPlaintextSecrets: true,
    renderError: renderFalconError,
  });
  const app = express();
  app.use('/oauth2', auth.router());

  it('200: MOD1 form request (client_credentials with body credentials and scope)', async () => {
    const res = await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=falcon-client&client_secret=falcon-secret&scope=hosts%3Aread');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), expires_in: 900, scope: 'hosts:read', token_type: 'Bearer' });
  });

  it('403: wrong credentials answer in the Falcon envelope', async () => {
    const res = await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=falcon-client&client_secret=wrong');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ meta: { pagination: { limit: 0, offset: 0, total_count: 0 } }, errors: [{ httpcode: 403, message: 'client authentication failed' }] });
  });

  it('400: a scope the client may not have', async () => {
    const res = await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=falcon-client&client_secret=falcon-secret&scope=admin');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ httpcode: 400, message: 'scope not allowed: admin' }]);
  });
});

const CONFIG = `${__dirname}/../../example-app/config.json`;
const CLIENT_ID = 'falcon-demo-client';
const CLIENT_SECRET = 'falcon-demo-secret-change-me';
const CALLBACK = 'http://127.0.0.1:3000/playground/callback';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 Appendix B
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const ENVELOPE = { meta: { pagination: { limit: 0, offset: 0, total_count: 0 } } };

/** GET /authorize on the demo as alice: the login page, the consent page (unless remembered), allow; the callback's URL. */
async function authorize(app: Express, params: Record<string, string>): Promise<URL> {
  const path = `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: CALLBACK, state: 'st-1', ...params })}`;
  const first = await request(app).get(path);
  const login = new URL(first.headers.location as string, 'http://demo');
  if (login.pathname !== '/login') return login; // an error redirected to the client
  const signedIn = await request(app).post('/login').type('form')
    .send({ username: 'alice', password: 'alice-demo-password-change-me', returnTo: login.searchParams.get('returnTo') as string });
  expect(signedIn.status).toBe(303);
  const session = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? [])[0]?.split(';')[0] as string;
  const consent = await request(app).get(signedIn.headers.location as string).set('Cookie', session);
  if (consent.status === 302) return new URL(consent.headers.location as string); // consent remembered from before
  expect(consent.status).toBe(200);
  const csrf = ([] as string[]).concat(consent.headers['set-cookie'] ?? [])[0]?.split(';')[0] as string;
  const action = /<form method="post" action="([^"]*\/authorize\/consent)"/.exec(consent.text)?.[1] as string;
  const fields = Object.fromEntries([...consent.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  const decided = await request(app).post(action).set('Cookie', `${session}; ${csrf}`).type('form').send({ ...fields, decision: 'allow' });
  expect(decided.status).toBe(303);
  return new URL(decided.headers.location as string);
}

async function code(app: Express, params: Record<string, string> = {}): Promise<string> {
  const callback = await authorize(app, { scope: 'openid /accounts.read', ...params });
  const value = callback.searchParams.get('code');
  if (value === null) throw new Error(`expected a code, got ${callback.toString()}`);
  return value;
}

/** The seed's MOD2 body, in its order, with no code_verifier. */
const mod2 = (value: string) =>
  `grant_type=authorization_code&code=${encodeURIComponent(value)}&redirect_uri=${encodeURIComponent(CALLBACK)}&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`;

describe('seed: Falcon MOD2 (authorization_code) on the demo', () => {
  let config: LoadedConfig;
  beforeAll(async () => {
    config = await loadConfigFile(CONFIG);
  });

  describe('KEYTURN_PROFILE=falcon', () => {
    let app: Express;
    beforeEach(() => {
      app = buildApp(config, { profile: 'falcon' }).app;
    });

    it('200: MOD2 exactly as listed (no code_verifier) after an authorization request without code_challenge', async () => {
      const res = await request(app).post('/oauth2/token').type('form').send(mod2(await code(app)));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(FAMILY_TOKEN),
        refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
        id_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        expires_in: 900,
        scope: 'openid /accounts.read',
        token_type: 'bearer',
      });
      // MOD3 then refreshes it, as the seed lists (grant_type and refresh_token; the client's credentials).
      const refreshed = await request(app).post('/oauth2/token').type('form')
        .send(`grant_type=refresh_token&refresh_token=${encodeURIComponent(res.body.refresh_token)}&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.token_type).toBe('bearer');
    });

    it('200: the optional code_challenge the seed lists in the token request is ignored', async () => {
      const res = await request(app).post('/oauth2/token').type('form').send(`${mod2(await code(app))}&code_challenge=${CHALLENGE}`);
      expect(res.status).toBe(200);
    });

    it('a client that used PKCE at /authorize still has to send the verifier', async () => {
      const challenged = { code_challenge: CHALLENGE, code_challenge_method: 'S256' };
      const missing = await request(app).post('/oauth2/token').type('form').send(mod2(await code(app, challenged)));
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ ...ENVELOPE, errors: [{ httpcode: 400, message: 'code_verifier is required' }] });
      const ok = await request(app).post('/oauth2/token').type('form').send(`${mod2(await code(app, challenged))}&code_verifier=${VERIFIER}`);
      expect(ok.status).toBe(200);
    });

    it('400 in the Falcon envelope: a code_verifier for a code issued without a challenge (PKCE downgrade, RFC 9700 §4.8.2)', async () => {
      const value = await code(app);
      const res = await request(app).post('/oauth2/token').type('form').send(`${mod2(value)}&code_verifier=${VERIFIER}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ ...ENVELOPE, errors: [{ httpcode: 400, message: 'code_verifier sent but the authorization request had no code_challenge' }] });
      // The refused request spent the code, as any failed redemption does.
      const again = await request(app).post('/oauth2/token').type('form').send(mod2(value));
      expect(again.body.errors).toEqual([{ httpcode: 400, message: 'the authorization code was already used' }]);
    });

    it('the public playground client still must use PKCE', async () => {
      const callback = await authorize(app, { client_id: 'keyturn-playground', scope: 'openid' });
      expect(callback.searchParams.get('error')).toBe('invalid_request');
      expect(callback.searchParams.get('error_description')).toBe('code_challenge is required (PKCE, RFC 7636)');
    });
  });

  describe('the default profile keeps PKCE required', () => {
    it('the authorization request without code_challenge is refused, so MOD2 without a verifier is too', async () => {
      const app = buildApp(config).app;
      const callback = await authorize(app, { scope: 'openid /accounts.read' });
      expect(callback.origin + callback.pathname).toBe(CALLBACK);
      expect(Object.fromEntries(callback.searchParams)).toEqual({
        error: 'invalid_request', error_description: 'code_challenge is required (PKCE, RFC 7636)', state: 'st-1', iss: 'http://127.0.0.1:3000/oauth2',
      });
      const value = await code(app, { code_challenge: CHALLENGE, code_challenge_method: 'S256' });
      const res = await request(app).post('/oauth2/token').type('form').send(mod2(value));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier is required' });
    });
  });
});
