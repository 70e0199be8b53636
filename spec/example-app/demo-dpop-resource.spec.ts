// The demo's accounts API with DPoP-bound tokens (RFC 9449 §7), from an independent client: oauth4webapi gets a
// client_credentials token with a DPoP proof from the demo's token endpoint, then calls GET and POST /accounts
// with `Authorization: DPoP` and a fresh proof each time, as any RFC 9449 client does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { buildApp } from '../../example-app/app';
import { loadConfigFile } from '../../example-app/config';

const insecure = { [oauth.allowInsecureRequests]: true }; // the demo speaks plain HTTP on loopback
const ALGS = 'ES256 EdDSA RS256 PS256';

describe('the demo accounts API with DPoP, driven by oauth4webapi', () => {
  let server: Server;
  let base: string;
  let close: () => Promise<void>;
  const client: oauth.Client = { client_id: '5clTR_MdVrrkgxw2' };
  const auth = oauth.ClientSecretPost('dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-');

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = await loadConfigFile(join(__dirname, '..', '..', 'example-app', 'config.json'));
    const built = buildApp(config, { origin: base });
    server.on('request', built.app);
    close = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await built.auth.close();
    };
  });
  afterAll(() => close());

  const as = (): oauth.AuthorizationServer => ({ issuer: `${base}/oauth2`, token_endpoint: `${base}/oauth2/token` });

  async function boundToken(dpop: oauth.DPoPHandle): Promise<string> {
    const response = await oauth.clientCredentialsGrantRequest(as(), client, auth, { scope: '/accounts.read /accounts.write' }, { DPoP: dpop, ...insecure });
    const result = await oauth.processClientCredentialsResponse(as(), client, response);
    expect(result.token_type).toBe('dpop');
    return result.access_token;
  }

  it('GET and POST /accounts accept a DPoP-bound token with a fresh proof per request', async () => {
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const token = await boundToken(dpop);
    const created = await oauth.protectedResourceRequest(token, 'POST', new URL(`${base}/accounts`), new Headers({ 'content-type': 'application/json' }), JSON.stringify({ name: 'Bound' }), { DPoP: dpop, ...insecure });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'Bound' });
    for (let i = 0; i < 2; i++) {
      const listed = await oauth.protectedResourceRequest(token, 'GET', new URL(`${base}/accounts`), undefined, undefined, { DPoP: dpop, ...insecure });
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { accounts: Array<{ name: string }> }).accounts.map((a) => a.name)).toContain('Bound');
    }
  });

  it('refuses the bound token sent as a bearer token (RFC 9449 §7.2), and a proof from another key', async () => {
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const token = await boundToken(dpop);
    const asBearer = await fetch(`${base}/accounts`, { headers: { authorization: `Bearer ${token}` } });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toBe(
      `Bearer realm="keyturn", DPoP realm="keyturn", error="invalid_token", error_description="the access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof", algs="${ALGS}"`,
    );
    const thief = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const stolen = await oauth.protectedResourceRequest(token, 'GET', new URL(`${base}/accounts`), undefined, undefined, { DPoP: thief, ...insecure }).catch((err: unknown) => err);
    // oauth4webapi turns the DPoP challenge into a WWWAuthenticateChallengeError.
    expect(stolen).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = (stolen as oauth.WWWAuthenticateChallengeError).cause.find((c) => c.scheme === 'dpop');
    expect(challenge?.parameters.error).toBe('invalid_dpop_proof');
    expect(challenge?.parameters.algs).toBe(ALGS);
  });
});
