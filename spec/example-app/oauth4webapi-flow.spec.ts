// The demo, end to end, with an independent client: oauth4webapi's authorization code + PKCE helpers run the
// whole flow (RFC 6749 §4.1, RFC 7636, RFC 9207 iss, OpenID Connect id_token with nonce) against the demo app,
// a person's part (the login and consent forms) played with fetch.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { buildApp } from '../../example-app/app';
import { loadConfigFile, type LoadedConfig } from '../../example-app/config';

describe('the demo with oauth4webapi: authorization code + PKCE', () => {
  let server: Server;
  let base: string;
  let config: LoadedConfig;
  let close: () => Promise<void>;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The shipped config as it is: the issuer and the playground's callback follow the address given.
    config = await loadConfigFile(join(__dirname, '..', '..', 'example-app', 'config.json'));
    const { app, auth } = buildApp(config, { origin: base });
    server.on('request', app);
    close = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
    };
  });
  afterAll(() => close());

  const as = (): oauth.AuthorizationServer => ({
    issuer: `${base}/oauth2`,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  });

  /** Plays the person: follows the login redirect, signs in, consents, and returns the callback URL. */
  async function signInAndConsent(authorizationUrl: URL, username: string, password: string): Promise<URL> {
    const toLogin = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(toLogin.status).toBe(302);
    const loginUrl = new URL(toLogin.headers.get('location') as string, base);
    expect(loginUrl.pathname).toBe('/login');
    const loginPage = await (await fetch(loginUrl)).text();
    const returnTo = /name="returnTo" value="([^"]*)"/.exec(loginPage)?.[1]?.replace(/&amp;/g, '&') as string;

    const signedIn = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password, returnTo }),
    });
    expect(signedIn.status).toBe(303);
    const session = (signedIn.headers.get('set-cookie') as string).split(';')[0] as string;

    const consent = await fetch(new URL(signedIn.headers.get('location') as string, base), { headers: { cookie: session }, redirect: 'manual' });
    expect(consent.status).toBe(200);
    const csrfCookie = (consent.headers.get('set-cookie') as string).split(';')[0] as string;
    const html = await consent.text();
    const action = /<form method="post" action="([^"]*\/authorize\/consent)"/.exec(html)?.[1] as string;
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));

    const decided = await fetch(new URL(action, base), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${session}; ${csrfCookie}` },
      body: new URLSearchParams({ ...fields, decision: 'allow' }),
    });
    expect(decided.status).toBe(303);
    const location = decided.headers.get('location') as string;
    if (!URL.canParse(location)) throw new Error(`consent answered ${decided.status} with Location ${location}`);
    return new URL(location);
  }

  it('a public client (the playground\'s) gets an access token and a verified-claims id_token, then calls /accounts', async () => {
    const client: oauth.Client = { client_id: 'keyturn-playground', id_token_signed_response_alg: 'ES256' };
    const redirectUri = `${base}/playground/callback`;
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const authorizationUrl = new URL(as().authorization_endpoint as string);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid /accounts.read',
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();

    const callback = await signInAndConsent(authorizationUrl, 'alice', 'alice-demo-password-change-me');
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    // Checks state and RFC 9207 iss.
    const params = oauth.validateAuthResponse(as(), client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as(), client, oauth.None(), params, redirectUri, codeVerifier, { [oauth.allowInsecureRequests]: true });
    const result = await oauth.processAuthorizationCodeResponse(as(), client, response, { expectedNonce: nonce, requireIdToken: true });
    expect(result.token_type).toBe('bearer');
    expect(result.scope).toBe('openid /accounts.read');
    const claims = oauth.getValidatedIdTokenClaims(result) as oauth.IDToken;
    expect(claims).toMatchObject({ iss: `${base}/oauth2`, sub: 'alice', aud: 'keyturn-playground', nonce });
    expect(typeof claims.auth_time).toBe('number');

    const accounts = await fetch(`${base}/accounts`, { headers: { authorization: `Bearer ${result.access_token}` } });
    expect(accounts.status).toBe(200);
    expect(await accounts.json()).toEqual({ accounts: [] });

    // The same code a second time: invalid_grant.
    const again = await oauth.authorizationCodeGrantRequest(as(), client, oauth.None(), params, redirectUri, codeVerifier, { [oauth.allowInsecureRequests]: true });
    await expect(oauth.processAuthorizationCodeResponse(as(), client, again)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a confidential client (falcon-demo-client) authenticates with client_secret_basic', async () => {
    const client: oauth.Client = { client_id: 'falcon-demo-client' };
    const redirectUri = `${base}/playground/callback`;
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(`${base}/oauth2/authorize`);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: '/accounts.read',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await signInAndConsent(authorizationUrl, 'bob', 'bob-demo-password-change-me');
    const params = oauth.validateAuthResponse(as(), client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as(), client, oauth.ClientSecretBasic('falcon-demo-secret-change-me'), params, redirectUri, codeVerifier, {
      [oauth.allowInsecureRequests]: true,
    });
    const result = await oauth.processAuthorizationCodeResponse(as(), client, response);
    expect(result).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: '/accounts.read' });
    expect(result.id_token).toBeUndefined();
  });

  it('a wrong password keeps the person on the login page (401), and returnTo cannot leave the site', async () => {
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: 'wrong', returnTo: '/' }),
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Wrong user name or password.');
    const offsite = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: 'alice-demo-password-change-me', returnTo: '//evil.example/x' }),
    });
    expect(offsite.status).toBe(303);
    expect(offsite.headers.get('location')).toBe('/');
  });
});
