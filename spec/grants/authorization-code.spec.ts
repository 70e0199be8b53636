// RFC 6749 §4.1.3: the server must "ensure that the authorization code was issued to the authenticated
// confidential client", "verify that the authorization code is valid", and "ensure that the redirect_uri
// parameter is present if the redirect_uri parameter was included in the initial authorization request
// [...] and if included ensure that their values are identical". §4.1.2: "The client MUST NOT use the
// authorization code more than once. If an authorization code is used more than once, the authorization
// server MUST deny the request and SHOULD revoke (when possible) all tokens previously issued based on that
// authorization code." RFC 7636 §4.6: the server transforms code_verifier with the recorded method and
// compares it with the code_challenge. OpenID Connect Core §3.1.3.3: an id_token when openid was granted.
// The grant's handle() is called directly, with a real memory store, token issuer and id_token signer.
import jwt from 'jsonwebtoken';
import type { AuthorizationCodeRecord, Client, TokenResponse } from '../../lib';
import { InvalidGrantError } from '../../lib/errors';
import { authorizationCodeGrant, USED_CODE_RETENTION_SECONDS } from '../../lib/grants/authorization-code';
import { s256CodeChallenge } from '../../lib/grants/pkce';
import { mintFamilyToken } from '../../lib/tokens/family-token';
import { accessTokenHash, createDevelopmentIdTokenSigner, IdTokenIssuer } from '../../lib/tokens/id-token';
import {
  ACCESS_TTL,
  accessRecord,
  advanceClock,
  FAMILY_TOKEN,
  familyOf,
  fixClock,
  ISSUER,
  issuing,
  refreshRecord,
  sha256,
  T0_SECONDS,
  type Issuing,
} from '../support/token-issuing';

const CALLBACK = 'https://client.example/cb';
// RFC 7636 Appendix B's verifier and challenge.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const AUTH_TIME = T0_SECONDS - 30;
const ID_TOKEN_TTL = 300;

const WEB_APP: Client = {
  clientId: 'web-app',
  clientSecret: 'web-secret',
  grants: ['authorization_code'],
  scopes: ['openid', '/accounts.read', '/accounts.write'],
  redirectUris: [CALLBACK],
};
const REFRESHING_APP: Client = { ...WEB_APP, grants: ['authorization_code', 'refresh_token'] };
const OTHER_APP: Client = { ...WEB_APP, clientId: 'other-app', clientSecret: 'other-secret' };
const SPA: Client = { clientId: 'spa', grants: ['authorization_code'], scopes: ['/accounts.read'], redirectUris: [CALLBACK], tokenEndpointAuthMethod: 'none' };

const signer = createDevelopmentIdTokenSigner();
let env: Issuing;
const grant = () => authorizationCodeGrant(env.store, new IdTokenIssuer(signer, ISSUER, ID_TOKEN_TTL));

/** Saves a code as the authorization endpoint would, bound to web-app and alice; returns the code and its record. */
async function code(overrides: Partial<AuthorizationCodeRecord> = {}): Promise<{ code: string; record: AuthorizationCodeRecord }> {
  const minted = mintFamilyToken();
  const record: AuthorizationCodeRecord = {
    clientId: 'web-app',
    redirectUri: CALLBACK,
    redirectUriSent: true,
    sub: 'alice',
    scope: ['/accounts.read'],
    codeChallenge: CHALLENGE,
    codeChallengeMethod: 'S256',
    authTime: AUTH_TIME,
    issuedAt: T0_SECONDS,
    expiresAt: T0_SECONDS + 60,
    familyId: minted.familyId,
    ...overrides,
  };
  await env.store.saveAuthorizationCode(minted.tokenHash, record, 60);
  return { code: minted.token, record };
}

const exchange = (codeValue: string, params: Record<string, string> = {}, client: Client = WEB_APP): Promise<TokenResponse> =>
  grant().handle(env.context(client, { grant_type: 'authorization_code', code: codeValue, redirect_uri: CALLBACK, code_verifier: VERIFIER, ...params }));

/** The same exchange with some parameters left out. */
const exchangeWithout = (codeValue: string, omit: readonly string[], client: Client = WEB_APP): Promise<TokenResponse> => {
  const params: Record<string, string> = { grant_type: 'authorization_code', code: codeValue, redirect_uri: CALLBACK, code_verifier: VERIFIER };
  for (const name of omit) delete params[name];
  return grant().handle(env.context(client, params));
};

const invalidGrant = (description: string) => ({ code: 'invalid_grant', status: 400, description });

beforeEach(() => {
  fixClock();
  env = issuing();
});
afterEach(() => jest.useRealTimers());

describe('RFC 6749 §4.1.3 authorization code grant at the token endpoint', () => {
  it('names its grant type and requires code', () => {
    expect(grant()).toMatchObject({ type: 'authorization_code', requiredParameters: ['code'] });
  });

  it('answers tokens for the code\'s user and scope; the access token joins the code\'s grant family', async () => {
    const { code: value, record } = await code();
    const response = await exchange(value);
    expect(response).toEqual({ access_token: expect.stringMatching(FAMILY_TOKEN), token_type: 'Bearer', expires_in: ACCESS_TTL, scope: '/accounts.read' });
    expect(familyOf(response.access_token)).toBe(record.familyId);
    expect(await accessRecord(env.store, response.access_token)).toEqual({
      clientId: 'web-app',
      sub: 'alice',
      scope: ['/accounts.read'],
      issuedAt: T0_SECONDS,
      expiresAt: T0_SECONDS + ACCESS_TTL,
      familyId: record.familyId,
    });
  });

  it('a client allowed refresh_token also gets a refresh token, in the code\'s family', async () => {
    const { code: value, record } = await code();
    const response = await exchange(value, {}, REFRESHING_APP);
    expect(response.refresh_token).toMatch(FAMILY_TOKEN);
    expect(familyOf(response.refresh_token as string)).toBe(record.familyId);
    expect(await refreshRecord(env.store, response.refresh_token as string)).toMatchObject({ clientId: 'web-app', sub: 'alice', scope: ['/accounts.read'], familyId: record.familyId });
  });

  describe('§4.1.2 single use', () => {
    it('a consumed code cannot be consumed twice: the store holds it as used', async () => {
      const { code: value } = await code();
      await exchange(value);
      expect(await env.store.consumeAuthorizationCode(sha256(value), USED_CODE_RETENTION_SECONDS)).toMatchObject({ status: 'reused' });
    });

    it('a second exchange is invalid_grant and revokes every token issued from the code', async () => {
      const { code: value, record } = await code();
      const first = await exchange(value, {}, REFRESHING_APP);
      const replay = exchange(value, {}, REFRESHING_APP);
      await expect(replay).rejects.toBeInstanceOf(InvalidGrantError);
      await expect(replay).rejects.toMatchObject({
        ...invalidGrant('the authorization code was already used'),
        detail: `authorization code reused by client web-app; revoked grant family ${record.familyId}`,
      });
      expect(await accessRecord(env.store, first.access_token)).toBeUndefined();
      expect(await refreshRecord(env.store, first.refresh_token as string)).toBeUndefined();
    });

    it('the replay is recognised for a day after the exchange, not only while the code would have lived', async () => {
      const { code: value } = await code();
      await exchange(value);
      advanceClock(USED_CODE_RETENTION_SECONDS - 1);
      await expect(exchange(value)).rejects.toMatchObject(invalidGrant('the authorization code was already used'));
    });
  });

  describe('the code must be valid', () => {
    it.each([
      ['a value that is not a code', 'not-a-code'],
      ['a well-formed code never issued', `${'B'.repeat(22)}.${'C'.repeat(43)}`],
    ])('%s: invalid_grant', async (_case, value) => {
      await expect(exchange(value)).rejects.toMatchObject(invalidGrant('the authorization code is invalid or expired'));
      expect(env.store.accessTokenCount).toBe(0);
    });

    it('an expired code: invalid_grant, and no token issued', async () => {
      const { code: value } = await code({ expiresAt: T0_SECONDS });
      await expect(exchange(value)).rejects.toMatchObject(invalidGrant('the authorization code is invalid or expired'));
      expect(env.store.accessTokenCount).toBe(0);
    });
  });

  describe('§4.1.3 bound to its client', () => {
    it('another client\'s exchange is invalid_grant, and spends the code so its owner cannot use it after the attempt', async () => {
      const { code: value } = await code();
      await expect(exchange(value, {}, OTHER_APP)).rejects.toMatchObject({
        ...invalidGrant('the authorization code was issued to another client'),
        detail: 'code of web-app presented by other-app',
      });
      expect(env.store.accessTokenCount).toBe(0);
      await expect(exchange(value)).rejects.toMatchObject(invalidGrant('the authorization code was already used'));
    });
  });

  describe('§4.1.3 redirect_uri', () => {
    it('required when the authorization request included it', async () => {
      const { code: value } = await code();
      await expect(exchangeWithout(value, ['redirect_uri'])).rejects.toMatchObject(invalidGrant('redirect_uri does not match the authorization request'));
    });

    it('must be identical: a different value is refused', async () => {
      const { code: value } = await code();
      await expect(exchange(value, { redirect_uri: `${CALLBACK}/` })).rejects.toMatchObject(invalidGrant('redirect_uri does not match the authorization request'));
    });

    it('when the authorization request had none, it may be omitted, and a value sent anyway must be the one the code went to', async () => {
      const omitted = await code({ redirectUriSent: false });
      await expect(exchangeWithout(omitted.code, ['redirect_uri'])).resolves.toMatchObject({ scope: '/accounts.read' });
      const other = await code({ redirectUriSent: false });
      await expect(exchange(other.code, { redirect_uri: 'https://attacker.example/cb' })).rejects.toMatchObject(invalidGrant('redirect_uri does not match the authorization request'));
      const same = await code({ redirectUriSent: false });
      await expect(exchange(same.code)).resolves.toMatchObject({ scope: '/accounts.read' });
    });
  });

  describe('RFC 7636 §4.6 PKCE', () => {
    it('S256: the RFC 7636 Appendix B verifier matches its challenge', async () => {
      expect(s256CodeChallenge(VERIFIER)).toBe(CHALLENGE);
      const { code: value } = await code();
      await expect(exchange(value)).resolves.toMatchObject({ token_type: 'Bearer' });
    });

    it('S256: a missing verifier is invalid_grant', async () => {
      const { code: value } = await code();
      await expect(exchangeWithout(value, ['code_verifier'])).rejects.toMatchObject(invalidGrant('code_verifier is required'));
    });

    it('S256: a wrong verifier, or the challenge itself sent as verifier, is invalid_grant', async () => {
      for (const verifier of [`${VERIFIER.slice(0, -1)}A`, CHALLENGE, 'short']) {
        const { code: value } = await code();
        await expect(exchange(value, { code_verifier: verifier })).rejects.toMatchObject(invalidGrant('code_verifier does not match the code_challenge'));
      }
      expect(env.store.accessTokenCount).toBe(0);
    });

    it('plain: the verifier must equal the challenge', async () => {
      const plain = 'a'.repeat(43);
      const good = await code({ codeChallenge: plain, codeChallengeMethod: 'plain' });
      await expect(exchange(good.code, { code_verifier: plain })).resolves.toMatchObject({ scope: '/accounts.read' });
      const bad = await code({ codeChallenge: plain, codeChallengeMethod: 'plain' });
      await expect(exchange(bad.code, { code_verifier: 'b'.repeat(43) })).rejects.toMatchObject(invalidGrant('code_verifier does not match the code_challenge'));
    });

    it('OAuth 2.1 §4.1.3: a verifier sent for a code issued without a challenge is refused (no PKCE downgrade)', async () => {
      const { code: value } = await code({ codeChallenge: undefined, codeChallengeMethod: undefined });
      await expect(exchange(value)).rejects.toMatchObject(invalidGrant('code_verifier sent but the authorization request had no code_challenge'));
    });

    it('a confidential client with pkce "optional" exchanges a code issued without a challenge, without a verifier', async () => {
      const { code: value } = await code({ codeChallenge: undefined, codeChallengeMethod: undefined });
      await expect(exchangeWithout(value, ['code_verifier'], { ...WEB_APP, pkce: 'optional' })).resolves.toMatchObject({ scope: '/accounts.read' });
    });

    it('so does any confidential client without pkce of its own when the server does not require it of them', async () => {
      const { code: value } = await code({ codeChallenge: undefined, codeChallengeMethod: undefined });
      const lenient = authorizationCodeGrant(env.store, new IdTokenIssuer(signer, ISSUER, ID_TOKEN_TTL), false);
      const params = { grant_type: 'authorization_code', code: value, redirect_uri: CALLBACK };
      await expect(lenient.handle(env.context(WEB_APP, params))).resolves.toMatchObject({ scope: '/accounts.read' });
    });

    it('a client that must use PKCE is refused a code issued without a challenge (its policy may have changed since)', async () => {
      for (const client of [WEB_APP, { ...WEB_APP, pkce: 'required' as const }]) {
        const { code: value } = await code({ codeChallenge: undefined, codeChallengeMethod: undefined });
        await expect(exchangeWithout(value, ['code_verifier'], client)).rejects.toMatchObject(invalidGrant('this client must use PKCE'));
      }
      const { code: value } = await code({ codeChallenge: undefined, codeChallengeMethod: undefined });
      const lenient = authorizationCodeGrant(env.store, new IdTokenIssuer(signer, ISSUER, ID_TOKEN_TTL), false);
      const params = { grant_type: 'authorization_code', code: value, redirect_uri: CALLBACK };
      await expect(lenient.handle(env.context({ ...WEB_APP, pkce: 'required' }, params))).rejects.toMatchObject(invalidGrant('this client must use PKCE'));
      expect(env.store.accessTokenCount).toBe(0);
    });

    it('a code issued with a challenge still needs the verifier from a client with pkce "optional"', async () => {
      const { code: value } = await code();
      await expect(exchangeWithout(value, ['code_verifier'], { ...WEB_APP, pkce: 'optional' })).rejects.toMatchObject(invalidGrant('code_verifier is required'));
    });

    it('a public client must have used PKCE, even one a ClientStore marks "optional"', async () => {
      for (const client of [SPA, { ...SPA, pkce: 'optional' as const }]) {
        const { code: value } = await code({ clientId: 'spa', codeChallenge: undefined, codeChallengeMethod: undefined });
        await expect(exchangeWithout(value, ['code_verifier'], client)).rejects.toMatchObject(invalidGrant('public clients must use PKCE'));
      }
    });
  });

  describe('OpenID Connect Core §3.1.3.3 id_token', () => {
    it('with openid granted: an id_token for the user and the client, with auth_time, nonce and at_hash', async () => {
      const { code: value } = await code({ scope: ['openid', '/accounts.read'], nonce: 'n-0S6_WzA2Mj' });
      const response = await exchange(value);
      expect(Object.keys(response).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
      expect(response.scope).toBe('openid /accounts.read');
      const claims = jwt.verify(response.id_token as string, signer.publicKey, { algorithms: ['ES256'], issuer: ISSUER, audience: 'web-app' });
      expect(claims).toEqual({
        iss: ISSUER,
        sub: 'alice',
        aud: 'web-app',
        exp: T0_SECONDS + ID_TOKEN_TTL,
        iat: T0_SECONDS,
        auth_time: AUTH_TIME,
        nonce: 'n-0S6_WzA2Mj',
        at_hash: accessTokenHash(response.access_token, 'ES256'),
      });
    });

    it('without a nonce in the authorization request, the id_token has none', async () => {
      const { code: value } = await code({ scope: ['openid'] });
      const claims = jwt.decode((await exchange(value)).id_token as string) as Record<string, unknown>;
      expect(Object.keys(claims).sort()).toEqual(['at_hash', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'sub']);
    });

    it('without openid: no id_token', async () => {
      const { code: value } = await code({ scope: ['/accounts.read'] });
      expect(await exchange(value)).not.toHaveProperty('id_token');
    });
  });
});
