import { randomBytes } from 'node:crypto';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  RefreshTokenRecord,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  Store,
} from '../store/store';

// The records the cases write. Every id is random, so stores sharing a backend between tests (or runs) need
// no reset, and no case can pass on what another left behind.

/** The current time in epoch seconds, as Keyturn passes it to a store. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A random value shaped like what Keyturn hands a store as a token hash or family id: a SHA-256 in
 * base64url, 43 characters, never the token itself.
 */
export const randomHash = (): string => randomBytes(32).toString('base64url');

/** A short random label for the keys a case chooses itself (consent subjects, limiter keys). */
export const randomId = (label: string): string => `${label}-${randomBytes(8).toString('hex')}`;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function accessRecord(familyId?: string, ttl = 60): AccessTokenRecord {
  const t = nowSeconds();
  return { clientId: 'client-a', sub: 'user-1', scope: ['read'], issuedAt: t, expiresAt: t + ttl, ...(familyId === undefined ? {} : { familyId }) };
}

export function codeRecord(familyId: string = randomHash()): AuthorizationCodeRecord {
  const t = nowSeconds();
  return {
    clientId: 'client-a',
    redirectUri: 'https://client.example/cb',
    redirectUriSent: true,
    sub: 'alice',
    scope: ['openid', '/accounts.read'],
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    nonce: 'n-0S6_WzA2Mj',
    authTime: t,
    issuedAt: t,
    expiresAt: t + 60,
    familyId,
  };
}

export interface StartedFamily {
  readonly familyId: string;
  readonly tokenHash: string;
  readonly record: RefreshTokenRecord;
}

/** Starts a refresh token family, as the token endpoint does when it first issues a refresh token. */
export async function startFamily(store: Store, overrides: Partial<RefreshTokenRecord> = {}, ttl = 600): Promise<StartedFamily> {
  const t = nowSeconds();
  const familyId = overrides.familyId ?? randomHash();
  const tokenHash = randomHash();
  const record: RefreshTokenRecord = { clientId: 'client-a', sub: 'user-1', scope: ['read', 'write'], familyId, issuedAt: t, expiresAt: t + ttl, ...overrides };
  await store.saveRefreshToken(tokenHash, record, ttl);
  return { familyId, tokenHash, record };
}

export interface Rotation {
  readonly result: RotateRefreshTokenResult;
  readonly newTokenHash: string;
  /** The `now` the rotation was given. */
  readonly t: number;
}

/** Presents `tokenHash` of the family for rotation, as client-a and now unless told otherwise. */
export async function rotate(
  store: Store,
  familyId: string,
  tokenHash: string,
  extra: Partial<Pick<RotateRefreshTokenInput, 'clientId' | 'scope' | 'ttl' | 'accessToken' | 'now' | 'reuseGraceSeconds' | 'jwtAccessToken' | 'revokedFamilyRetainSeconds' | 'jkt' | 'bindKey' | 'resource' | 'allowedResources'>> = {},
): Promise<Rotation> {
  const newTokenHash = randomHash();
  const t = extra.now ?? nowSeconds();
  const result = await store.rotateRefreshToken({ familyId, tokenHash, clientId: 'client-a', newTokenHash, ttl: 600, ...extra, now: t });
  return { result, newTokenHash, t };
}
