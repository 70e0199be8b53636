// openid-client (panva, v6) as a relying party of the demo process on a port other than 3000: default
// OpenID Connect Discovery 1.0 §4, authorization code + PKCE (RFC 7636), the id_token's signature verified
// against jwks_uri (enableNonRepudiationChecks), UserInfo (OpenID Connect Core §5.3) and a refresh that
// answers a new id_token (§12.2). The client is the shipped confidential falcon-demo-client.
import * as client from 'openid-client';
import { ALICE, Browser, FALCON, freePort, startDemoOnPort, type RunningDemo } from '../support/rp-demo';

describe('openid-client against the demo process', () => {
  let demo: RunningDemo;
  let redirectUri: string;

  beforeAll(async () => {
    demo = await startDemoOnPort(await freePort());
    redirectUri = `${new URL(demo.issuer).origin}/playground/callback`;
  }, 30_000);
  afterAll(() => demo?.stop());

  it('discovers, signs in with code + PKCE, verifies the id_token, reads UserInfo and refreshes to a new id_token', async () => {
    expect(new URL(demo.issuer).port).not.toBe('3000');
    // Default discovery: issuer + /.well-known/openid-configuration, and the issuer in it must match exactly.
    const config = await client.discovery(new URL(demo.issuer), FALCON.clientId, FALCON.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    // Makes openid-client check the id_token's JWS signature against the keys at jwks_uri.
    client.enableNonRepudiationChecks(config);
    expect(config.serverMetadata().issuer).toBe(demo.issuer);

    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid /accounts.read',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await new Browser().signInAndConsent(authorizationUrl, ALICE);
    expect(callback.origin + callback.pathname).toBe(redirectUri);

    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(typeof tokens.access_token).toBe('string');
    expect(typeof tokens.refresh_token).toBe('string');
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: demo.issuer, sub: ALICE.username, aud: FALCON.clientId, nonce });

    // The signing key is one the JWKS publishes, under the id_token's kid.
    const header = JSON.parse(Buffer.from((tokens.id_token as string).split('.')[0] as string, 'base64url').toString()) as { kid?: string; alg: string };
    const jwks = (await (await fetch(config.serverMetadata().jwks_uri as string)).json()) as { keys: Array<{ kid?: string }> };
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    expect(config.serverMetadata().id_token_signing_alg_values_supported).toContain(header.alg);

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims?.sub as string);
    expect(userinfo.sub).toBe(ALICE.username);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(typeof refreshed.id_token).toBe('string');
    expect(refreshed.id_token).not.toBe(tokens.id_token);
    expect(refreshed.claims()).toMatchObject({ iss: demo.issuer, sub: ALICE.username, aud: FALCON.clientId });
  });
});
