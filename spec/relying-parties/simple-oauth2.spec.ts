// simple-oauth2 (v5) against the demo process on a port other than 3000: its revoke('access_token'),
// revoke('refresh_token') and revokeAll() (RFC 7009 §2.1) must succeed, and the tokens must then really be
// revoked: introspection answers active:false (RFC 7662 §2.2) and the refresh token is refused (RFC 6749 §5.2).
import { AuthorizationCode, type AccessToken } from 'simple-oauth2';
import { ALICE, Browser, FALCON, freePort, introspect, pkcePair, startDemoOnPort, type RunningDemo } from '../support/rp-demo';

describe('simple-oauth2 revocation against the demo process', () => {
  let demo: RunningDemo;
  let oauth2: AuthorizationCode;
  let redirectUri: string;

  beforeAll(async () => {
    demo = await startDemoOnPort(await freePort());
    const base = new URL(demo.issuer).origin;
    redirectUri = `${base}/playground/callback`;
    oauth2 = new AuthorizationCode({
      client: { id: FALCON.clientId, secret: FALCON.clientSecret },
      auth: { tokenHost: base, tokenPath: '/oauth2/token', revokePath: '/oauth2/revoke', authorizePath: '/oauth2/authorize' },
      options: { authorizationMethod: 'header' },
    });
  }, 30_000);
  afterAll(() => demo?.stop());

  /** A fresh access + refresh token pair for alice, through the demo's sign-in and consent. */
  async function tokenSet(): Promise<AccessToken> {
    const { verifier, challenge } = pkcePair();
    const state = `s-${Math.random().toString(36).slice(2)}`;
    const authorizationUrl = new URL(
      `${oauth2.authorizeURL({ redirect_uri: redirectUri, scope: '/accounts.read', state })}&code_challenge=${challenge}&code_challenge_method=S256`,
    );
    const callback = await new Browser().signInAndConsent(authorizationUrl, ALICE);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code') as string;
    expect(code).toBeTruthy();
    // simple-oauth2 passes extra parameters through to the token request: the PKCE verifier rides along.
    const token = await oauth2.getToken({ code, redirect_uri: redirectUri, code_verifier: verifier } as Parameters<AuthorizationCode['getToken']>[0]);
    expect(typeof token.token.access_token).toBe('string');
    expect(typeof token.token.refresh_token).toBe('string');
    expect(await introspect(demo.issuer, token.token.access_token as string)).toMatchObject({ active: true });
    expect(await introspect(demo.issuer, token.token.refresh_token as string, 'refresh_token')).toMatchObject({ active: true });
    return token;
  }

  async function refreshRefused(refreshToken: string): Promise<void> {
    const res = await fetch(`${demo.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${FALCON.clientId}:${FALCON.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  }

  it("revoke('access_token') then revoke('refresh_token') revoke both", async () => {
    const token = await tokenSet();
    const { access_token: access, refresh_token: refresh } = token.token as { access_token: string; refresh_token: string };
    await expect(token.revoke('access_token')).resolves.not.toThrow();
    expect(await introspect(demo.issuer, access)).toEqual({ active: false });
    await expect(token.revoke('refresh_token')).resolves.not.toThrow();
    expect(await introspect(demo.issuer, refresh, 'refresh_token')).toEqual({ active: false });
    await refreshRefused(refresh);
  });

  it('revokeAll() revokes the access token and the refresh token', async () => {
    const token = await tokenSet();
    const { access_token: access, refresh_token: refresh } = token.token as { access_token: string; refresh_token: string };
    await expect(token.revokeAll()).resolves.not.toThrow();
    expect(await introspect(demo.issuer, access)).toEqual({ active: false });
    expect(await introspect(demo.issuer, refresh, 'refresh_token')).toEqual({ active: false });
    await refreshRefused(refresh);
    // And simple-oauth2's own refresh is refused too.
    await expect(token.refresh()).rejects.toMatchObject({ output: { statusCode: 400 } });
  });
});
