// RFC 6749 §6: the server must "validate the refresh token", "ensure that the refresh token was issued to the
// authenticated client"; "The requested scope MUST NOT include any scope not originally granted by the
// resource owner, and if omitted is treated as equal to the scope originally granted"; "If a new refresh
// token is issued, the refresh token scope MUST be identical to that of the refresh token included by the
// client in the request."
// RFC 9700 §4.14.2, rotation: "If a refresh token is compromised and subsequently used by both the attacker
// and the legitimate client, one of them will present an invalidated refresh token, which will inform the
// authorization server of the breach. [...] it will revoke the active refresh token."
// The grant's handle() is called directly, with a real memory store and token issuer.
import jwt from 'jsonwebtoken';
import type { Client, RefreshGraceReissuedEvent, RefreshReuseDetectedEvent, TokenRefreshedEvent, TokenResponse } from '../../lib';
import { InvalidGrantError, InvalidScopeError } from '../../lib/errors';
import { createRefreshTokenGrant } from '../../lib/grants/refresh-token';
import { parseFamilyToken } from '../../lib/tokens/family-token';
import {
  ACCESS_TTL,
  accessRecord,
  advanceClock,
  FAMILY_TOKEN,
  familyOf,
  fixClock,
  ISSUER,
  issuing,
  REFRESH_TTL,
  refreshRecord,
  REQUEST,
  T0_SECONDS,
  type Issuing,
} from '../support/token-issuing';

const WEB_APP: Client = {
  clientId: 'web-app',
  clientSecret: 'web-secret',
  grants: ['authorization_code', 'refresh_token'],
  scopes: ['/accounts.read', '/accounts.write', 'offline'],
};
const OTHER_APP: Client = { ...WEB_APP, clientId: 'other-app', clientSecret: 'other-secret' };
const INVALID = 'the refresh token is invalid, expired or revoked';
const SCOPE = ['/accounts.read', '/accounts.write'];

let env: Issuing;
const grant = () => createRefreshTokenGrant({ store: env.store, ttl: REFRESH_TTL });
/** The first tokens of a grant, as the authorization code grant issues them for alice. */
const firstTokens = () => env.tokens.issue({ client: WEB_APP, sub: 'alice', scope: SCOPE });
const refresh = (token: string, client: Client = WEB_APP, scope?: string): Promise<TokenResponse> =>
  grant().handle(env.context(client, { grant_type: 'refresh_token', refresh_token: token, ...(scope === undefined ? {} : { scope }) }));

beforeEach(() => {
  fixClock();
  env = issuing();
});
afterEach(() => jest.useRealTimers());

describe('RFC 6749 §6 refresh token grant', () => {
  it('names its grant type and requires refresh_token', () => {
    expect(grant()).toMatchObject({ type: 'refresh_token', requiredParameters: ['refresh_token'] });
  });

  describe('rotation (RFC 9700 §4.14.2)', () => {
    it('answers a new access token and a new refresh token of the same family, with the scope originally granted', async () => {
      const first = await firstTokens();
      advanceClock(60);
      const response = await refresh(first.refresh_token as string);
      expect(response).toEqual({
        access_token: expect.stringMatching(FAMILY_TOKEN),
        token_type: 'Bearer',
        expires_in: ACCESS_TTL,
        scope: '/accounts.read /accounts.write',
        refresh_token: expect.stringMatching(FAMILY_TOKEN),
      });
      const familyId = familyOf(first.refresh_token as string);
      expect(response.refresh_token).not.toBe(first.refresh_token);
      expect(familyOf(response.refresh_token as string)).toBe(familyId);
      expect(familyOf(response.access_token)).toBe(familyId);
    });

    it('retires the presented refresh token and makes its successor the live one, with a full lifetime', async () => {
      const first = await firstTokens();
      advanceClock(60);
      const response = await refresh(first.refresh_token as string);
      const familyId = familyOf(first.refresh_token as string);
      expect(await refreshRecord(env.store, first.refresh_token as string)).toBeUndefined();
      expect(await refreshRecord(env.store, response.refresh_token as string)).toEqual({
        clientId: 'web-app',
        sub: 'alice',
        scope: SCOPE,
        familyId,
        issuedAt: T0_SECONDS + 60,
        expiresAt: T0_SECONDS + 60 + REFRESH_TTL,
      });
      expect(await accessRecord(env.store, response.access_token)).toEqual({
        clientId: 'web-app',
        sub: 'alice',
        scope: SCOPE,
        issuedAt: T0_SECONDS + 60,
        expiresAt: T0_SECONDS + 60 + ACCESS_TTL,
        familyId,
      });
    });

    it('a retired token presented again is invalid_grant and revokes the family: the live refresh token and every access token of it', async () => {
      const first = await firstTokens();
      const second = await refresh(first.refresh_token as string);
      const reuses: RefreshReuseDetectedEvent[] = [];
      env.events.on('refresh.reuse_detected', (e) => reuses.push(e));

      const replay = refresh(first.refresh_token as string);
      await expect(replay).rejects.toBeInstanceOf(InvalidGrantError);
      await expect(replay).rejects.toMatchObject({ code: 'invalid_grant', status: 400, description: INVALID, detail: expect.stringContaining('reused') });

      expect(await refreshRecord(env.store, second.refresh_token as string)).toBeUndefined();
      expect(await accessRecord(env.store, first.access_token)).toBeUndefined();
      expect(await accessRecord(env.store, second.access_token)).toBeUndefined();
      await expect(refresh(second.refresh_token as string)).rejects.toMatchObject({ code: 'invalid_grant', description: INVALID });
      expect(reuses).toEqual([{ at: T0_SECONDS * 1000, endpoint: 'token', ip: REQUEST.ip, clientId: 'web-app', familyId: familyOf(first.refresh_token as string) }]);
    });

    it('publishes token.refreshed with the family id and the granted scope, and no token', async () => {
      const first = await firstTokens();
      const refreshed: TokenRefreshedEvent[] = [];
      env.events.on('token.refreshed', (e) => refreshed.push(e));
      const response = await refresh(first.refresh_token as string, WEB_APP, '/accounts.read');
      expect(refreshed).toEqual([
        { at: T0_SECONDS * 1000, endpoint: 'token', ip: REQUEST.ip, clientId: 'web-app', familyId: familyOf(first.refresh_token as string), scope: ['/accounts.read'] },
      ]);
      const serialized = JSON.stringify(refreshed);
      for (const token of [first.refresh_token as string, response.refresh_token as string, response.access_token]) {
        expect(serialized).not.toContain(token);
        expect(serialized).not.toContain(token.split('.')[0]);
      }
    });
  });

  describe('§6 scope', () => {
    it('a narrower scope narrows the access token; the new refresh token keeps the scope originally granted', async () => {
      const first = await firstTokens();
      const narrowed = await refresh(first.refresh_token as string, WEB_APP, '/accounts.read');
      expect(narrowed.scope).toBe('/accounts.read');
      expect(await accessRecord(env.store, narrowed.access_token)).toMatchObject({ scope: ['/accounts.read'] });
      expect(await refreshRecord(env.store, narrowed.refresh_token as string)).toMatchObject({ scope: SCOPE });

      const full = await refresh(narrowed.refresh_token as string);
      expect(full.scope).toBe('/accounts.read /accounts.write');
    });

    it('a scope not originally granted is invalid_scope, and the presented token stays live', async () => {
      const first = await firstTokens();
      const widened = refresh(first.refresh_token as string, WEB_APP, '/accounts.read offline');
      await expect(widened).rejects.toBeInstanceOf(InvalidScopeError);
      await expect(widened).rejects.toMatchObject({
        code: 'invalid_scope',
        status: 400,
        description: 'the requested scope exceeds the scope originally granted',
        parameter: 'scope',
        parameterValue: '/accounts.read offline',
      });
      expect(await refreshRecord(env.store, first.refresh_token as string)).toMatchObject({ clientId: 'web-app', scope: SCOPE });
    });

    it('a client that lost a scope since the grant does not get it back by refreshing', async () => {
      const first = await firstTokens();
      const reduced: Client = { ...WEB_APP, scopes: ['/accounts.read'] };
      const response = await refresh(first.refresh_token as string, reduced);
      expect(response.scope).toBe('/accounts.read');
      expect(await accessRecord(env.store, response.access_token)).toMatchObject({ scope: ['/accounts.read'] });
    });

    it('a scope of only spaces is treated as omitted', async () => {
      const first = await firstTokens();
      expect((await refresh(first.refresh_token as string, WEB_APP, '   ')).scope).toBe('/accounts.read /accounts.write');
    });
  });

  describe('§6 validation: every invalid token fails alike, with invalid_grant, and changes nothing', () => {
    it('issued to another client: refused, and the token still works for its owner', async () => {
      const first = await firstTokens();
      await expect(refresh(first.refresh_token as string, OTHER_APP)).rejects.toMatchObject({
        code: 'invalid_grant',
        description: INVALID,
        detail: 'refresh token issued to another client',
      });
      expect(await refreshRecord(env.store, first.refresh_token as string)).toMatchObject({ clientId: 'web-app' });
      expect(await accessRecord(env.store, first.access_token)).toMatchObject({ clientId: 'web-app' });
      await expect(refresh(first.refresh_token as string)).resolves.toMatchObject({ scope: '/accounts.read /accounts.write' });
    });

    it('a retired token presented by another client does not revoke the owner\'s family', async () => {
      const first = await firstTokens();
      const second = await refresh(first.refresh_token as string);
      await expect(refresh(first.refresh_token as string, OTHER_APP)).rejects.toMatchObject({ code: 'invalid_grant', detail: 'refresh token issued to another client' });
      expect(await refreshRecord(env.store, second.refresh_token as string)).toMatchObject({ clientId: 'web-app' });
    });

    it.each([
      ['not a family token', 'not-a-refresh-token', 'malformed refresh token'],
      ['a seed without a secret', `${'B'.repeat(22)}.`, 'malformed refresh token'],
      ['well-formed but unknown', `${'B'.repeat(22)}.${'C'.repeat(43)}`, 'refresh token unknown, expired or revoked'],
    ])('%s', async (_case, token, detail) => {
      await expect(refresh(token)).rejects.toMatchObject({ code: 'invalid_grant', status: 400, description: INVALID, detail });
      expect(env.store.accessTokenCount).toBe(0);
    });

    it('expired: a refresh token past its lifetime is refused', async () => {
      const first = await firstTokens();
      advanceClock(REFRESH_TTL);
      await expect(refresh(first.refresh_token as string)).rejects.toMatchObject({ code: 'invalid_grant', detail: 'refresh token unknown, expired or revoked' });
    });

    it('an unknown token of a known family is refused without revoking the family', async () => {
      const first = await firstTokens();
      const forged = `${(first.refresh_token as string).split('.')[0]}.${'A'.repeat(43)}`;
      await expect(refresh(forged)).rejects.toMatchObject({ code: 'invalid_grant', detail: 'refresh token unknown, expired or revoked' });
      expect(await refreshRecord(env.store, first.refresh_token as string)).toMatchObject({ sub: 'alice' });
    });
  });

  describe('absolute lifetime (refreshToken.absoluteTtl)', () => {
    it('a rotation never outlives the family: the new token ends when the family does, and then nothing rotates', async () => {
      env = issuing({ absoluteTtl: REFRESH_TTL + 600 });
      const first = await firstTokens();
      advanceClock(REFRESH_TTL - 60);
      const second = await refresh(first.refresh_token as string);
      expect(await refreshRecord(env.store, second.refresh_token as string)).toMatchObject({
        issuedAt: T0_SECONDS + REFRESH_TTL - 60,
        expiresAt: T0_SECONDS + REFRESH_TTL + 600,
        familyExpiresAt: T0_SECONDS + REFRESH_TTL + 600,
      });
      advanceClock(660);
      await expect(refresh(second.refresh_token as string)).rejects.toMatchObject({ code: 'invalid_grant' });
    });
  });

  describe('the grace window (refreshToken.reuseGraceSeconds)', () => {
    const graced = () => createRefreshTokenGrant({ store: env.store, ttl: REFRESH_TTL, reuseGraceSeconds: 10 });
    const again = (token: string, scope?: string): Promise<TokenResponse> =>
      graced().handle(env.context(WEB_APP, { grant_type: 'refresh_token', refresh_token: token, ...(scope === undefined ? {} : { scope }) }));

    it('the spent token presented again 10 s after its rotation re-issues, and publishes refresh.grace_reissued instead of token.refreshed', async () => {
      const first = await firstTokens();
      const lost = await again(first.refresh_token as string);
      const events: Array<[string, RefreshGraceReissuedEvent | TokenRefreshedEvent]> = [];
      env.events.on('token.refreshed', (e) => events.push(['token.refreshed', e]));
      env.events.on('refresh.grace_reissued', (e) => events.push(['refresh.grace_reissued', e]));
      advanceClock(10);
      const retry = await again(first.refresh_token as string, '/accounts.read');
      expect(retry).toMatchObject({ scope: '/accounts.read', refresh_token: expect.stringMatching(FAMILY_TOKEN) });
      const familyId = familyOf(first.refresh_token as string);
      expect(familyOf(retry.refresh_token as string)).toBe(familyId);
      expect(await refreshRecord(env.store, retry.refresh_token as string)).toMatchObject({ scope: SCOPE, issuedAt: T0_SECONDS + 10, expiresAt: T0_SECONDS + 10 + REFRESH_TTL });
      expect(await refreshRecord(env.store, lost.refresh_token as string)).toBeUndefined();
      expect(await accessRecord(env.store, lost.access_token)).toBeUndefined();
      expect(await accessRecord(env.store, retry.access_token)).toMatchObject({ familyId, scope: ['/accounts.read'] });
      expect(events).toEqual([
        ['refresh.grace_reissued', { at: (T0_SECONDS + 10) * 1000, endpoint: 'token', ip: REQUEST.ip, clientId: 'web-app', familyId, scope: ['/accounts.read'] }],
      ]);
    });

    it('11 s after its rotation the spent token is reuse: invalid_grant, and the family is revoked', async () => {
      const first = await firstTokens();
      const lost = await again(first.refresh_token as string);
      advanceClock(11);
      await expect(again(first.refresh_token as string)).rejects.toMatchObject({ code: 'invalid_grant', description: INVALID, detail: expect.stringContaining('reused') });
      expect(await refreshRecord(env.store, lost.refresh_token as string)).toBeUndefined();
    });

    it('a grant built without the window stays strict', async () => {
      const first = await firstTokens();
      await refresh(first.refresh_token as string);
      await expect(refresh(first.refresh_token as string)).rejects.toMatchObject({ code: 'invalid_grant', detail: expect.stringContaining('reused') });
    });

    it('with JWT access tokens the re-issue answers a new JWT and revokes the retired one by its jti (nothing else of it is stored)', async () => {
      env = issuing({ format: 'jwt' });
      const first = await firstTokens();
      const lost = await again(first.refresh_token as string);
      const retry = await again(first.refresh_token as string);
      expect(retry.access_token).not.toBe(lost.access_token);
      const verify = (token: string) => jwt.verify(token, env.keys.current.verifyKey, { algorithms: ['ES256'], issuer: ISSUER, audience: ISSUER }) as jwt.JwtPayload;
      const [lostClaims, retryClaims] = [verify(lost.access_token), verify(retry.access_token)];
      expect(retryClaims).toMatchObject({ sub: 'alice', fid: lostClaims.fid });
      expect(await env.store.isJwtIdRevoked(lostClaims.jti as string, lostClaims.fid as string)).toBe(true);
      expect(await env.store.isJwtIdRevoked(retryClaims.jti as string, retryClaims.fid as string)).toBe(false);
      expect(await refreshRecord(env.store, retry.refresh_token as string)).toBeDefined();
      expect(await refreshRecord(env.store, lost.refresh_token as string)).toBeUndefined();
      expect(env.store.accessTokenCount).toBe(0);
    });
  });

  describe('what the rotation is told', () => {
    it('a reuse hands the family revocation\'s retention to the rotation, and makes no store call after it', async () => {
      const longGrant = createRefreshTokenGrant({ store: env.store, ttl: REFRESH_TTL, familyRevocationRetention: () => 3 * 86_400 });
      const longRefresh = (token: string) => longGrant.handle(env.context(WEB_APP, { grant_type: 'refresh_token', refresh_token: token }));
      const first = await firstTokens();
      await longRefresh(first.refresh_token as string);
      const rotate = jest.spyOn(env.store, 'rotateRefreshToken');
      const revokeFamily = jest.spyOn(env.store, 'revokeFamily');
      await expect(longRefresh(first.refresh_token as string)).rejects.toMatchObject({ code: 'invalid_grant', detail: expect.stringContaining('reused') });
      expect(rotate).toHaveBeenCalledTimes(1);
      expect(rotate.mock.calls[0]![0]).toMatchObject({ revokedFamilyRetainSeconds: 3 * 86_400 });
      expect(revokeFamily).not.toHaveBeenCalled();
      expect(await env.store.isJwtIdRevoked('any-jti', familyOf(first.refresh_token as string))).toBe(true);
    });

    it('with JWTs and a grace window, the jti of the JWT it answers, and how long it must stay refused; without a window, none', async () => {
      env = issuing({ format: 'jwt' });
      const rotate = jest.spyOn(env.store, 'rotateRefreshToken');
      const first = await firstTokens();
      const graceful = createRefreshTokenGrant({ store: env.store, ttl: REFRESH_TTL, reuseGraceSeconds: 10 });
      const answer = await graceful.handle(env.context(WEB_APP, { grant_type: 'refresh_token', refresh_token: first.refresh_token as string }));
      const claims = jwt.decode(answer.access_token) as jwt.JwtPayload;
      expect(rotate.mock.calls[0]![0].jwtAccessToken).toEqual({ jti: claims.jti, ttl: ACCESS_TTL + 60 });
      await refresh(answer.refresh_token as string);
      expect(rotate.mock.calls[1]![0].jwtAccessToken).toBeUndefined();
    });
  });

  describe('JWT access tokens (RFC 9068)', () => {
    it('the rotation answers a signed JWT for the family\'s user and keeps no access token in the store', async () => {
      env = issuing({ format: 'jwt' });
      const first = await firstTokens();
      const response = await refresh(first.refresh_token as string, WEB_APP, '/accounts.write');
      expect(response).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: ACCESS_TTL,
        scope: '/accounts.write',
        refresh_token: expect.stringMatching(FAMILY_TOKEN),
      });
      const claims = jwt.verify(response.access_token, env.keys.current.verifyKey, { algorithms: ['ES256'], issuer: ISSUER, audience: ISSUER });
      expect(claims).toEqual({
        iss: ISSUER,
        sub: 'alice',
        aud: ISSUER,
        exp: T0_SECONDS + ACCESS_TTL,
        iat: T0_SECONDS,
        jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        client_id: 'web-app',
        scope: '/accounts.write',
        // The grant family, so revoking the family refuses this JWT at the server's own checks.
        fid: parseFamilyToken(first.refresh_token as string)!.familyId,
      });
      expect(env.store.accessTokenCount).toBe(0);
    });
  });
});
