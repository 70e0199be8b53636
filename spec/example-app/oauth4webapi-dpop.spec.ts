// The demo with DPoP (RFC 9449), driven by oauth4webapi, a client nobody here wrote: client credentials (the
// config's dpopBoundAccessTokens client) and the authorization code flow (the public playground client, its
// code bound with dpop_jkt, §10, and its refresh token bound to the key, §5), with the server nonce off (the
// shipped config) and on (config `dpop.nonce`), where oauth4webapi retries on use_dpop_nonce by itself (§8).
// What is asserted here is the token response and introspection's cnf.jkt; demo-dpop-resource.spec.ts takes
// such a token to the demo's /accounts route with fresh proofs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import * as jose from 'jose';
import { buildApp } from '../../example-app/app';
import { loadConfigFile, type LoadedConfig } from '../../example-app/config';

const INSECURE = { [oauth.allowInsecureRequests]: true } as const;

describe.each([
  ['server nonce off (the shipped config)', false],
  ['server nonce on (dpop.nonce: true)', true],
])('the demo with oauth4webapi and DPoP, %s', (_name, nonce) => {
  let server: Server;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const shipped = await loadConfigFile(join(__dirname, '..', '..', 'example-app', 'config.json'));
    const config: LoadedConfig = nonce ? { ...shipped, dpop: { nonce: true } } : shipped;
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
    introspection_endpoint: `${base}/oauth2/introspect`,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    dpop_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256', 'PS256'],
  });

  /** Sends the request, and once more when the server asks for a nonce (oauth4webapi keeps the one it was given). */
  async function withNonceRetry<T>(send: () => Promise<Response>, process: (r: Response) => Promise<T>): Promise<{ result: T; retried: boolean }> {
    try {
      return { result: await process(await send()), retried: false };
    } catch (err) {
      if (!oauth.isDPoPNonceError(err)) throw err;
      return { result: await process(await send()), retried: true };
    }
  }

  it('client credentials: the dpopBoundAccessTokens client gets a DPoP token bound to its key; without DPoP it is refused', async () => {
    const client: oauth.Client = { client_id: 'dpop-demo-client' };
    const auth = oauth.ClientSecretBasic('dpop-demo-secret-change-me');
    const keyPair = await oauth.generateKeyPair('ES256');
    const DPoP = oauth.DPoP(client, keyPair);
    const { result, retried } = await withNonceRetry(
      () => oauth.clientCredentialsGrantRequest(as(), client, auth, { scope: '/accounts.read' }, { DPoP, ...INSECURE }),
      (r) => oauth.processClientCredentialsResponse(as(), client, r),
    );
    expect(retried).toBe(nonce);
    expect(result).toMatchObject({ token_type: 'dpop', expires_in: 900, scope: '/accounts.read' });
    const jkt = await DPoP.calculateThumbprint();
    expect(jkt).toBe(await jose.calculateJwkThumbprint(await jose.exportJWK(keyPair.publicKey)));

    // RFC 9449 §6.2: introspection answers the key's thumbprint.
    const introspected = await oauth.processIntrospectionResponse(
      as(),
      client,
      await oauth.introspectionRequest(as(), client, auth, result.access_token, INSECURE),
    );
    expect(introspected).toMatchObject({ active: true, client_id: 'dpop-demo-client', token_type: 'DPoP', cnf: { jkt } });

    // §5.2: this client must use DPoP.
    const bare = await oauth.clientCredentialsGrantRequest(as(), client, auth, { scope: '/accounts.read' }, INSECURE);
    await expect(oauth.processClientCredentialsResponse(as(), client, bare)).rejects.toMatchObject({ error: 'invalid_request' });
  });

  it('authorization code + PKCE for the public playground client: code bound by dpop_jkt, token and refresh bound to the key', async () => {
    const client: oauth.Client = { client_id: 'keyturn-playground' };
    const keyPair = await oauth.generateKeyPair('ES256');
    const DPoP = oauth.DPoP(client, keyPair);
    const redirectUri = `${base}/playground/callback`;
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as().authorization_endpoint as string);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: '/accounts.read',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      dpop_jkt: await DPoP.calculateThumbprint(),
    }).toString();
    const callback = await signInAndConsent(base, authorizationUrl, 'alice', 'alice-demo-password-change-me');
    const params = oauth.validateAuthResponse(as(), client, callback, state);
    const { result, retried } = await withNonceRetry(
      () => oauth.authorizationCodeGrantRequest(as(), client, oauth.None(), params, redirectUri, codeVerifier, { DPoP, ...INSECURE }),
      (r) => oauth.processAuthorizationCodeResponse(as(), client, r),
    );
    expect(retried).toBe(nonce);
    expect(result).toMatchObject({ token_type: 'dpop', scope: '/accounts.read' });
    expect(typeof result.refresh_token).toBe('string');

    // §5: the public client's refresh token works with its key, and only with it.
    const refreshed = await withNonceRetry(
      () => oauth.refreshTokenGrantRequest(as(), client, oauth.None(), result.refresh_token as string, { DPoP, ...INSECURE }),
      (r) => oauth.processRefreshTokenResponse(as(), client, r),
    );
    expect(refreshed.result.token_type).toBe('dpop');
    const otherKey = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const stolen = await withNonceRetry(
      () => oauth.refreshTokenGrantRequest(as(), client, oauth.None(), refreshed.result.refresh_token as string, { DPoP: otherKey, ...INSECURE }),
      (r) => oauth.processRefreshTokenResponse(as(), client, r),
    ).catch((err: unknown) => err);
    expect(stolen).toMatchObject({ error: 'invalid_grant' });
  });
});

/** Plays the person: follows the login redirect, signs in, consents, and returns the callback URL. */
async function signInAndConsent(base: string, authorizationUrl: URL, username: string, password: string): Promise<URL> {
  const toLogin = await fetch(authorizationUrl, { redirect: 'manual' });
  const loginUrl = new URL(toLogin.headers.get('location') as string, base);
  const loginPage = await (await fetch(loginUrl)).text();
  const returnTo = /name="returnTo" value="([^"]*)"/.exec(loginPage)?.[1]?.replace(/&amp;/g, '&') as string;
  const signedIn = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, returnTo }),
  });
  const session = (signedIn.headers.get('set-cookie') as string).split(';')[0] as string;
  const consent = await fetch(new URL(signedIn.headers.get('location') as string, base), { headers: { cookie: session }, redirect: 'manual' });
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
  const location = decided.headers.get('location') as string;
  if (!URL.canParse(location)) throw new Error(`consent answered ${decided.status} with Location ${location}`);
  return new URL(location);
}
