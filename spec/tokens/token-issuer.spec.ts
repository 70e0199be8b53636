// RFC 6749 §5.1: the successful response carries access_token, token_type, expires_in, the scope when it is
// not what was asked (Keyturn always names it when one was granted), and refresh_token when one is issued.
// RFC 6750 §4 registers the "Bearer" token type; RFC 9068 §2 shapes JWT access tokens. What the store keeps
// is the tokens' SHA-256, never a token or a family seed (RFC 6749 §10.3 and §10.4: tokens must be kept
// confidential in storage).
import jwt from 'jsonwebtoken';
import type { Client } from '../../lib';
import { ServerError } from '../../lib/errors';
import { MemoryStore } from '../../lib/store/memory-store';
import { accessTokenFormat } from '../../lib/tokens/access-token-formats';
import { mintFamilyToken } from '../../lib/tokens/family-token';
import { OpaqueAccessTokenFormat } from '../../lib/tokens/opaque-access-token';
import { RefreshTokenIssuer } from '../../lib/tokens/refresh-token-issuer';
import { TokenMinter } from '../../lib/tokens/token-issuer';
import {
  ACCESS_TTL,
  accessRecord,
  FAMILY_TOKEN,
  familyOf,
  fixClock,
  ISSUER,
  issuing,
  PLAIN_TOKEN,
  REFRESH_TTL,
  refreshRecord,
  sha256,
  T0_SECONDS,
} from '../support/token-issuing';

const JOB: Client = { clientId: 'reporting-job', clientSecret: 'job-secret', grants: ['client_credentials'], scopes: ['/accounts.read', '/accounts.write'] };
const REFRESHING: Client = { ...JOB, clientId: 'web-app', grants: ['authorization_code', 'refresh_token'] };
const JWT_CLIENT: Client = { ...JOB, clientId: 'jwt-job', accessTokenFormat: 'jwt' };
const SCOPE = ['/accounts.read', '/accounts.write'];

beforeEach(fixClock);
afterEach(() => jest.useRealTimers());

describe('TokenMinter (the TokenIssuer grants call): the RFC 6749 §5.1 response of every grant', () => {
  describe('opaque access tokens', () => {
    it('answers access_token, token_type Bearer, expires_in and the space-delimited scope', async () => {
      const { tokens } = issuing();
      expect(await tokens.issue({ client: JOB, sub: 'reporting-job', scope: SCOPE })).toEqual({
        access_token: expect.stringMatching(PLAIN_TOKEN),
        token_type: 'Bearer',
        expires_in: ACCESS_TTL,
        scope: '/accounts.read /accounts.write',
      });
    });

    it('stores the grant\'s details under the token\'s SHA-256, for the token\'s lifetime', async () => {
      const { store, tokens } = issuing();
      const response = await tokens.issue({ client: JOB, sub: 'alice', scope: SCOPE });
      expect(await accessRecord(store, response.access_token)).toEqual({
        clientId: 'reporting-job',
        sub: 'alice',
        scope: SCOPE,
        issuedAt: T0_SECONDS,
        expiresAt: T0_SECONDS + ACCESS_TTL,
      });
      expect(await store.findAccessToken(response.access_token)).toBeUndefined();
    });

    it('§5.1 scope is OPTIONAL: no scope member when none was granted', async () => {
      const { tokens } = issuing();
      const response = await tokens.issue({ client: JOB, sub: 'reporting-job', scope: [] });
      expect(Object.keys(response).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    });

    it('expires_in: the client\'s accessTokenTtl overrides the server\'s, in the response and the store', async () => {
      const { store, tokens } = issuing();
      const response = await tokens.issue({ client: { ...JOB, accessTokenTtl: 42 }, sub: 'reporting-job', scope: SCOPE });
      expect(response.expires_in).toBe(42);
      expect(await accessRecord(store, response.access_token)).toMatchObject({ issuedAt: T0_SECONDS, expiresAt: T0_SECONDS + 42 });
    });

    it('an access token of a known grant family carries the family\'s seed and is stored with the family', async () => {
      const { store, tokens } = issuing();
      const family = mintFamilyToken();
      const response = await tokens.issue({ client: JOB, sub: 'alice', scope: SCOPE, familyId: family.familyId, familySeed: family.seed });
      expect(response.access_token.startsWith(`${family.seed}.`)).toBe(true);
      expect(response.access_token).toMatch(FAMILY_TOKEN);
      expect(await accessRecord(store, response.access_token)).toMatchObject({ familyId: sha256(family.seed) });
      await store.revokeFamily(family.familyId);
      expect(await accessRecord(store, response.access_token)).toBeUndefined();
    });

    it('a family id without its seed is a wiring bug: server_error, and nothing stored', async () => {
      const store = new MemoryStore();
      const format = new OpaqueAccessTokenFormat(store);
      const failure = format.issue({ client: JOB, sub: 'alice', scope: SCOPE, familyId: 'f' }, ACCESS_TTL);
      await expect(failure).rejects.toBeInstanceOf(ServerError);
      await expect(failure).rejects.toMatchObject({ code: 'server_error', status: 500, description: undefined });
      expect(store.accessTokenCount).toBe(0);
    });
  });

  describe('JWT access tokens (RFC 9068 §2)', () => {
    it('a JWT with typ at+jwt and the current kid, whose claims verify with the published key; nothing stored', async () => {
      const { store, tokens, keys } = issuing({ format: 'jwt' });
      const response = await tokens.issue({ client: JOB, sub: 'alice', scope: SCOPE });
      expect(response).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: ACCESS_TTL, scope: '/accounts.read /accounts.write' });
      const { header } = jwt.decode(response.access_token, { complete: true }) as jwt.Jwt;
      expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: keys.current.kid });
      expect(jwt.verify(response.access_token, keys.current.verifyKey, { algorithms: ['ES256'], issuer: ISSUER, audience: ISSUER })).toEqual({
        iss: ISSUER,
        sub: 'alice',
        aud: ISSUER,
        exp: T0_SECONDS + ACCESS_TTL,
        iat: T0_SECONDS,
        jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        client_id: 'reporting-job',
        scope: '/accounts.read /accounts.write',
      });
      expect(store.accessTokenCount).toBe(0);
    });

    it('RFC 9068 §2.2.3: no scope claim when none was granted; every token has its own jti', async () => {
      const { tokens } = issuing({ format: 'jwt' });
      const a = jwt.decode((await tokens.issue({ client: JOB, sub: 'alice', scope: [] })).access_token) as Record<string, unknown>;
      const b = jwt.decode((await tokens.issue({ client: JOB, sub: 'alice', scope: [] })).access_token) as Record<string, unknown>;
      expect(Object.keys(a).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'sub']);
      expect(a.jti).not.toBe(b.jti);
    });

    it('a client\'s accessTokenFormat picks its format on a server whose default is the other one', async () => {
      const { store, tokens } = issuing({ format: 'opaque' });
      const asJwt = await tokens.issue({ client: JWT_CLIENT, sub: 'jwt-job', scope: SCOPE });
      expect(jwt.decode(asJwt.access_token)).toMatchObject({ client_id: 'jwt-job', sub: 'jwt-job' });
      expect(store.accessTokenCount).toBe(0);
      const opaque = await tokens.issue({ client: JOB, sub: 'reporting-job', scope: SCOPE });
      expect(opaque.access_token).toMatch(PLAIN_TOKEN);
      expect(store.accessTokenCount).toBe(1);
    });

    it('a client that wants JWTs from a server without signing keys: server_error that names the fix in its detail only', async () => {
      const store = new MemoryStore();
      const tokens = new TokenMinter(accessTokenFormat({ store, issuer: undefined, signingKeys: undefined, audience: [], format: 'opaque' }), { accessTokenTtl: ACCESS_TTL });
      await expect(tokens.issue({ client: JWT_CLIENT, sub: 'jwt-job', scope: SCOPE })).rejects.toMatchObject({
        code: 'server_error',
        status: 500,
        description: undefined,
        detail: 'client jwt-job wants jwt access tokens, which this server is not configured to issue (set options.issuer)',
      });
    });
  });

  describe('token_type (RFC 6750 §4, and the labels of the APIs Keyturn stands in for)', () => {
    it('Bearer by default, for both formats', async () => {
      const { tokens } = issuing();
      expect((await tokens.issue({ client: JOB, sub: 'x', scope: [] })).token_type).toBe('Bearer');
      expect((await tokens.issue({ client: JWT_CLIENT, sub: 'x', scope: [] })).token_type).toBe('Bearer');
    });

    it('a fixed label (Falcon: "bearer")', async () => {
      const { tokens } = issuing({ tokenTypeLabel: 'bearer' });
      expect((await tokens.issue({ client: JOB, sub: 'x', scope: [] })).token_type).toBe('bearer');
    });

    it('a label per format, following the format each token was minted in (Moov: "opaque" and "jwt")', async () => {
      const { tokens } = issuing({ tokenTypeLabel: (format) => format });
      expect((await tokens.issue({ client: JOB, sub: 'x', scope: [] })).token_type).toBe('opaque');
      expect((await tokens.issue({ client: JWT_CLIENT, sub: 'x', scope: [] })).token_type).toBe('jwt');
    });
  });

  describe('refresh tokens (RFC 6749 §1.5: issued with the access token)', () => {
    it('a client allowed the refresh_token grant gets one, in a new family that its access token joins', async () => {
      const { store, tokens } = issuing();
      const response = await tokens.issue({ client: REFRESHING, sub: 'alice', scope: SCOPE });
      expect(response).toEqual({
        access_token: expect.stringMatching(FAMILY_TOKEN),
        token_type: 'Bearer',
        expires_in: ACCESS_TTL,
        scope: '/accounts.read /accounts.write',
        refresh_token: expect.stringMatching(FAMILY_TOKEN),
      });
      const familyId = familyOf(response.refresh_token as string);
      expect(familyOf(response.access_token)).toBe(familyId);
      expect(await refreshRecord(store, response.refresh_token as string)).toEqual({
        clientId: 'web-app',
        sub: 'alice',
        scope: SCOPE,
        familyId,
        issuedAt: T0_SECONDS,
        expiresAt: T0_SECONDS + REFRESH_TTL,
      });
      expect(await accessRecord(store, response.access_token)).toMatchObject({ familyId });
    });

    it('a grant that has a family (an authorization code) starts the refresh token in it', async () => {
      const { store, tokens } = issuing();
      const code = mintFamilyToken();
      const response = await tokens.issue({ client: REFRESHING, sub: 'alice', scope: SCOPE, familyId: code.familyId, familySeed: code.seed });
      expect(familyOf(response.refresh_token as string)).toBe(code.familyId);
      expect(familyOf(response.access_token)).toBe(code.familyId);
      await store.revokeFamily(code.familyId);
      expect(await refreshRecord(store, response.refresh_token as string)).toBeUndefined();
      expect(await accessRecord(store, response.access_token)).toBeUndefined();
    });

    it('none for a client not allowed the refresh_token grant, and no family stored', async () => {
      const { store, tokens } = issuing();
      const saved = jest.spyOn(store, 'saveRefreshToken');
      const response = await tokens.issue({ client: JOB, sub: 'reporting-job', scope: SCOPE });
      expect(response).not.toHaveProperty('refresh_token');
      expect(saved).not.toHaveBeenCalled();
    });

    it('none when the server does not serve the refresh_token grant, even for a client allowed it', async () => {
      const { store, tokens } = issuing({ refreshTokens: false });
      const saved = jest.spyOn(store, 'saveRefreshToken');
      const response = await tokens.issue({ client: REFRESHING, sub: 'alice', scope: SCOPE });
      expect(Object.keys(response).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
      expect(response.access_token).toMatch(PLAIN_TOKEN);
      expect(saved).not.toHaveBeenCalled();
    });

    it('none when the grant asks for none (refreshToken: false)', async () => {
      const { store, tokens } = issuing();
      const saved = jest.spyOn(store, 'saveRefreshToken');
      expect(await tokens.issue({ client: REFRESHING, sub: 'alice', scope: SCOPE, refreshToken: false })).not.toHaveProperty('refresh_token');
      expect(saved).not.toHaveBeenCalled();
    });

    it('a rotation\'s own refresh token and stored access token are answered as given, and issue() stores nothing more', async () => {
      const { store, tokens } = issuing();
      const family = mintFamilyToken();
      const accessToken = tokens.mintStoredAccessToken(REFRESHING, family.seed);
      const saves = [jest.spyOn(store, 'saveRefreshToken'), jest.spyOn(store, 'saveAccessToken')];
      const response = await tokens.issue({ client: REFRESHING, sub: 'alice', scope: SCOPE, refreshToken: 'rotated-token', ...(accessToken === undefined ? {} : { accessToken }) });
      expect(response).toEqual({ access_token: accessToken?.token, token_type: 'Bearer', expires_in: ACCESS_TTL, scope: '/accounts.read /accounts.write', refresh_token: 'rotated-token' });
      for (const save of saves) expect(save).not.toHaveBeenCalled();
    });

    it('refreshToken.absoluteTtl: the family ends then, and a first token never outlives it', async () => {
      const { store, tokens } = issuing({ absoluteTtl: 600 });
      const response = await tokens.issue({ client: REFRESHING, sub: 'alice', scope: SCOPE });
      expect(await refreshRecord(store, response.refresh_token as string)).toMatchObject({
        issuedAt: T0_SECONDS,
        expiresAt: T0_SECONDS + 600,
        familyExpiresAt: T0_SECONDS + 600,
      });
      const longer = await new RefreshTokenIssuer(store, { ttl: 60, absoluteTtl: 600 }).start(REFRESHING, 'alice', SCOPE);
      await longer.saved;
      expect(await refreshRecord(store, longer.token)).toMatchObject({ expiresAt: T0_SECONDS + 60, familyExpiresAt: T0_SECONDS + 600 });
    });
  });

  describe('mintStoredAccessToken: for a grant that saves the access token in its own store step', () => {
    it('opaque: a token of the given family and its hash, minted and not saved', async () => {
      const { store, tokens } = issuing();
      const family = mintFamilyToken();
      const minted = tokens.mintStoredAccessToken({ ...REFRESHING, accessTokenTtl: 30 }, family.seed);
      expect(minted).toEqual({ token: expect.stringMatching(FAMILY_TOKEN), tokenHash: sha256(minted?.token as string), expiresIn: 30, format: 'opaque' });
      expect(familyOf(minted?.token as string)).toBe(family.familyId);
      expect(store.accessTokenCount).toBe(0);
    });

    it('JWT: none, since JWTs are not kept in the store', () => {
      const { tokens } = issuing();
      expect(tokens.mintStoredAccessToken(JWT_CLIENT, mintFamilyToken().seed)).toBeUndefined();
    });
  });

  describe('what reaches the store: hashes only', () => {
    it('no token, refresh token or family seed is ever an argument of a store write', async () => {
      const { store, tokens } = issuing();
      const writes = [jest.spyOn(store, 'saveAccessToken'), jest.spyOn(store, 'saveRefreshToken')];
      const response = await tokens.issue({ client: REFRESHING, sub: 'alice', scope: SCOPE });
      const refreshToken = response.refresh_token as string;
      const written = JSON.stringify(writes.flatMap((w) => w.mock.calls));
      expect(writes.map((w) => w.mock.calls.length)).toEqual([1, 1]);
      for (const secret of [response.access_token, refreshToken, refreshToken.split('.')[0] as string, refreshToken.split('.')[1] as string, response.access_token.split('.')[1] as string]) {
        expect(written).not.toContain(secret);
      }
      expect(written).toContain(sha256(response.access_token));
      expect(written).toContain(sha256(refreshToken));
    });
  });
});
