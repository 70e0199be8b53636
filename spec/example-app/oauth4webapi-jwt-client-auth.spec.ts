// The demo, end to end, with oauth4webapi's PrivateKeyJwt and ClientSecretJwt (RFC 7523 §2.2, OpenID Connect
// Core §9): clients declared in the demo's config with `jwks` and `tokenEndpointAuthMethod: private_key_jwt`,
// and with a secret and `client_secret_jwt`, get tokens by client credentials and by the authorization code
// flow, and revoke them. The metadata they discover lists both methods and their algorithms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import { buildApp } from '../../example-app/app';
import { loadConfigFile } from '../../example-app/config';

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const HMAC_SECRET = 'cs-jwt-demo-secret-of-at-least-32-bytes-0123456789';

describe('the demo with oauth4webapi: private_key_jwt and client_secret_jwt', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let close: () => Promise<void>;
  let as: oauth.AuthorizationServer;
  let privateKey: CryptoKey;
  const kid = 'svc-key-1';

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey as CryptoKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, use: 'sig' };
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const redirectUris = ['/playground/callback'];
    const grants = ['client_credentials', 'authorization_code', 'refresh_token'];
    const scopes = ['/accounts.read', 'openid'];
    dir = mkdtempSync(join(tmpdir(), 'keyturn-jwt-demo-'));
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        secret: 'a-demo-secret-for-this-spec-of-at-least-32-bytes',
        clients: [
          { clientId: 'pk-service', tokenEndpointAuthMethod: 'private_key_jwt', tokenEndpointAuthSigningAlg: 'ES256', jwks: { keys: [publicJwk] }, grants, scopes, redirectUris },
          { clientId: 'cs-service', tokenEndpointAuthMethod: 'client_secret_jwt', clientSecret: HMAC_SECRET, grants, scopes, redirectUris },
        ],
        users: [{ username: 'alice', password: 'alice-password' }],
      }),
    );
    const config = await loadConfigFile(file);
    const { app, auth } = buildApp(config, { origin: base });
    server.on('request', app);
    close = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
    };
    const issuer = new URL(`${base}/oauth2`);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });
  afterAll(async () => {
    await close?.();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const methods = () => ({
    'pk-service': oauth.PrivateKeyJwt({ key: privateKey, kid }),
    'cs-service': oauth.ClientSecretJwt(HMAC_SECRET),
  });

  it('RFC 8414 §2: the discovered metadata lists both methods and their signing algorithms', () => {
    expect(as.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['private_key_jwt', 'client_secret_jwt']));
    expect(as.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'RS256', 'EdDSA', 'HS256']));
    expect(as.token_endpoint_auth_signing_alg_values_supported).not.toContain('none');
    expect(as.revocation_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['private_key_jwt', 'client_secret_jwt']));
    expect(as.introspection_endpoint_auth_signing_alg_values_supported).toEqual(as.token_endpoint_auth_signing_alg_values_supported);
  });

  it.each(['pk-service', 'cs-service'] as const)('%s: client credentials, then the token calls /accounts and is revoked', async (clientId) => {
    const client: oauth.Client = { client_id: clientId };
    const auth = methods()[clientId];
    const response = await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: '/accounts.read' }, insecure);
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: '/accounts.read' });
    const accounts = await fetch(`${base}/accounts`, { headers: { authorization: `Bearer ${result.access_token}` } });
    expect(accounts.status).toBe(200);
    // RFC 7009 with the same method: the assertion's aud (the issuer) is accepted at the revocation endpoint.
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, result.access_token, insecure));
    expect((await fetch(`${base}/accounts`, { headers: { authorization: `Bearer ${result.access_token}` } })).status).toBe(401);
  });

  it.each(['pk-service', 'cs-service'] as const)('%s: the authorization code flow with PKCE, and a refresh', async (clientId) => {
    const client: oauth.Client = { client_id: clientId };
    const auth = methods()[clientId];
    const redirectUri = `${base}/playground/callback`;
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as.authorization_endpoint as string);
    authorizationUrl.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: '/accounts.read',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await signInAndConsent(authorizationUrl, 'alice', 'alice-password');
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, codeVerifier, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    expect(result).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: '/accounts.read' });
    expect(typeof result.refresh_token).toBe('string');
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, result.refresh_token as string, insecure));
    expect(refreshed.token_type).toBe('bearer');
  });

  it('an assertion signed by another key is refused with 401 invalid_client', async () => {
    const other = await generateKeyPair('ES256');
    const client: oauth.Client = { client_id: 'pk-service' };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.PrivateKeyJwt({ key: other.privateKey as CryptoKey, kid }), {}, insecure);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  /** Plays the person: follows the login redirect, signs in, consents, and returns the callback URL. */
  async function signInAndConsent(authorizationUrl: URL, username: string, password: string): Promise<URL> {
    const toLogin = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(toLogin.status).toBe(302);
    const loginUrl = new URL(toLogin.headers.get('location') as string, base);
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
    return new URL(decided.headers.get('location') as string);
  }
});
