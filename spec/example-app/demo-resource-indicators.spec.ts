// The demo with resource indicators (RFC 8707 §2: "resource ... Indicates the target service or resource to
// which access is being requested"; "the authorization server SHOULD audience-restrict issued access tokens
// to the resource(s) indicated"). The shipped config lets two clients ask for the demo's /ledger API; an
// independent client library, oauth4webapi, passes `resource` as an extra parameter, and the token's aud
// (answered by introspection, RFC 7662 §2.2) is that resource. The ledger accepts it; /accounts, whose
// audience is the server's default, refuses it (RFC 6750 §3.1 invalid_token).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { buildApp } from '../../example-app/app';
import { loadConfigFile } from '../../example-app/config';
import { ALICE, Browser, FALCON, introspect } from '../support/rp-demo';

describe('the demo with oauth4webapi: a token for a resource (RFC 8707)', () => {
  let server: Server;
  let base: string;
  let ledger: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ledger = `${base}/ledger`;
    const config = await loadConfigFile(join(__dirname, '..', '..', 'example-app', 'config.json'));
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
  const insecure = { [oauth.allowInsecureRequests]: true } as const;
  const JOB_SECRET = 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-';

  /** RFC 7662 introspection by oauth4webapi, as the client that holds the token (it may introspect its own). */
  async function introspectOwn(clientId: string, secret: string, token: string): Promise<oauth.IntrospectionResponse> {
    const client: oauth.Client = { client_id: clientId };
    const server = { ...as(), introspection_endpoint: `${base}/oauth2/introspect` };
    return oauth.processIntrospectionResponse(server, client, await oauth.introspectionRequest(server, client, oauth.ClientSecretBasic(secret), token, insecure));
  }

  async function expectLedgerOnly(accessToken: string): Promise<void> {
    const atLedger = await fetch(ledger, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(atLedger.status).toBe(200);
    expect(await atLedger.json()).toEqual({ aud: ledger, entries: [] });
    const atAccounts = await fetch(`${base}/accounts`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(atAccounts.status).toBe(401);
    expect(atAccounts.headers.get('www-authenticate')).toBe('Bearer realm="keyturn", error="invalid_token", error_description="the access token is meant for another audience", DPoP realm="keyturn", algs="ES256 EdDSA RS256 PS256"');
  }

  it('client credentials with resource: the token is for the ledger, and only the ledger accepts it', async () => {
    const client: oauth.Client = { client_id: '5clTR_MdVrrkgxw2' };
    const auth = oauth.ClientSecretBasic(JOB_SECRET);
    const response = await oauth.clientCredentialsGrantRequest(as(), client, auth, new URLSearchParams({ scope: '/accounts.read', resource: ledger }), insecure);
    const result = await oauth.processClientCredentialsResponse(as(), client, response);
    expect(result).toMatchObject({ token_type: 'bearer', scope: '/accounts.read' });
    expect(await introspectOwn('5clTR_MdVrrkgxw2', JOB_SECRET, result.access_token)).toMatchObject({ active: true, aud: ledger, client_id: '5clTR_MdVrrkgxw2' });
    await expectLedgerOnly(result.access_token);
  });

  it('client credentials without resource: today\'s default audience, accepted at /accounts and refused at the ledger', async () => {
    const client: oauth.Client = { client_id: '5clTR_MdVrrkgxw2' };
    const response = await oauth.clientCredentialsGrantRequest(as(), client, oauth.ClientSecretBasic(JOB_SECRET), { scope: '/accounts.read' }, insecure);
    const result = await oauth.processClientCredentialsResponse(as(), client, response);
    expect(await introspectOwn('5clTR_MdVrrkgxw2', JOB_SECRET, result.access_token)).toMatchObject({ active: true, aud: `${base}/oauth2` });
    expect((await fetch(`${base}/accounts`, { headers: { authorization: `Bearer ${result.access_token}` } })).status).toBe(200);
    expect((await fetch(ledger, { headers: { authorization: `Bearer ${result.access_token}` } })).status).toBe(401);
  });

  it('a resource the client may not ask for is invalid_target, as oauth4webapi reports it', async () => {
    const client: oauth.Client = { client_id: 'bank-demo-client' };
    const response = await oauth.clientCredentialsGrantRequest(as(), client, oauth.ClientSecretBasic('bank-demo-secret-change-me'), { resource: ledger }, insecure);
    await expect(oauth.processClientCredentialsResponse(as(), client, response)).rejects.toMatchObject({
      error: 'invalid_target',
      status: 400,
    });
  });

  it('authorization code: resource at /authorize and again at /token, the refresh keeps it', async () => {
    const client: oauth.Client = { client_id: FALCON.clientId };
    const clientAuth = oauth.ClientSecretBasic(FALCON.clientSecret);
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
      resource: ledger,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await new Browser().signInAndConsent(authorizationUrl, ALICE);
    const params = oauth.validateAuthResponse(as(), client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as(), client, clientAuth, params, redirectUri, codeVerifier, { ...insecure, additionalParameters: { resource: ledger } });
    const result = await oauth.processAuthorizationCodeResponse(as(), client, response);
    expect(await introspect(`${base}/oauth2`, result.access_token)).toMatchObject({ active: true, aud: ledger, sub: 'alice' });
    await expectLedgerOnly(result.access_token);

    const refreshed = await oauth.processRefreshTokenResponse(
      as(),
      client,
      await oauth.refreshTokenGrantRequest(as(), client, clientAuth, result.refresh_token as string, { ...insecure, additionalParameters: { resource: ledger } }),
    );
    await expectLedgerOnly(refreshed.access_token);
    // §2.2: a refresh may not add a resource the grant did not include.
    const wider = await oauth.refreshTokenGrantRequest(as(), client, clientAuth, refreshed.refresh_token as string, { ...insecure, additionalParameters: { resource: `${base}/elsewhere` } });
    await expect(oauth.processRefreshTokenResponse(as(), client, wider)).rejects.toMatchObject({ error: 'invalid_target' });
  });
});
