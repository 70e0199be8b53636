import { generateKeyPairSync } from 'node:crypto';
// What the grant and token issuer unit specs share: a real memory store, a real TokenMinter over the server's
// own access token formats, a GrantContext without any framework, and lookups that find what the store holds
// the way a verifier would (by SHA-256 of the token, computed here rather than by the code under test).
import { createHash } from 'node:crypto';
import type { AccessTokenRecord, Client, RefreshTokenRecord, TokenTypeLabel } from '../../lib';
import type { MintingGrantContext } from '../../lib/grants/registered-grant';
import type { PlainRequest } from '../../lib/http';
import { ServerEvents } from '../../lib/events/server-events';
import { MemoryStore } from '../../lib/store/memory-store';
import { accessTokenFormat } from '../../lib/tokens/access-token-formats';
import { RefreshTokenIssuer } from '../../lib/tokens/refresh-token-issuer';
import { resolveSigningKeys, type SigningKeySet } from '../../lib/tokens/signing-keys';
import { TokenMinter } from '../../lib/tokens/token-issuer';

export const ISSUER = 'https://auth.example.test';
/** The access token lifetime the specs' servers use, in seconds. */
export const ACCESS_TTL = 900;
/** The refresh token lifetime the specs' servers use, in seconds. */
export const REFRESH_TTL = 3600;
/** A fixed start time (epoch ms), so records and claims can be asserted exactly. */
export const T0 = Date.parse('2026-05-04T10:00:00Z');
export const T0_SECONDS = T0 / 1000;

/** A grant family token: 128 bits of family seed, a dot, 256 bits of secret. */
export const FAMILY_TOKEN = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
/** An opaque access token outside any family: 256 random bits. */
export const PLAIN_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const REQUEST: PlainRequest = Object.freeze({ method: 'POST', path: '/token', headers: {}, ip: '203.0.113.7' });

/**
 * Fixes `Date.now()` at {@link T0} (only the date: timers and microtasks stay real), so that the grants, the
 * store and jsonwebtoken all read one clock the spec moves with {@link advanceClock}.
 */
export function fixClock(): void {
  jest.useFakeTimers({
    now: T0,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}

/** Moves the fixed clock forward. */
export function advanceClock(seconds: number): void {
  jest.setSystemTime(Date.now() + seconds * 1000);
}

export interface IssuingSettings {
  /** The server default access token format. Default: `opaque`. */
  readonly format?: 'opaque' | 'jwt';
  /** Whether the server serves the refresh_token grant (and so issues refresh tokens). Default: true. */
  readonly refreshTokens?: boolean;
  readonly absoluteTtl?: number;
  readonly tokenTypeLabel?: TokenTypeLabel;
}

/** A real store and issuer, built the way the server builds them. Call after {@link fixClock}. */
export interface Issuing {
  readonly store: MemoryStore;
  readonly tokens: TokenMinter;
  readonly events: ServerEvents;
  readonly keys: SigningKeySet;
  context(client: Client, params?: Record<string, string>): MintingGrantContext;
}

export function issuing(settings: IssuingSettings = {}): Issuing {
  const store = new MemoryStore();
  const keys = resolveSigningKeys([{ kid: 'test-es256', key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey }]);
  const refreshTokens = settings.refreshTokens === false ? undefined : new RefreshTokenIssuer(store, { ttl: REFRESH_TTL, absoluteTtl: settings.absoluteTtl });
  const tokens = new TokenMinter(
    accessTokenFormat({ store, issuer: ISSUER, signingKeys: keys, audience: [ISSUER], format: settings.format ?? 'opaque' }),
    { accessTokenTtl: ACCESS_TTL, ...(settings.tokenTypeLabel === undefined ? {} : { tokenTypeLabel: settings.tokenTypeLabel }) },
    refreshTokens,
  );
  const events = new ServerEvents();
  return {
    store,
    tokens,
    events,
    keys,
    context: (client, params = {}) => ({ client, params, tokens, request: REQUEST, events }),
  };
}

/** SHA-256, base64url: what the store keys a token by. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** The family id a family token names: the hash of its seed. */
export function familyOf(token: string): string {
  return sha256(token.split('.')[0] as string);
}

/** The store's record of an opaque access token. */
export function accessRecord(store: MemoryStore, token: string): Promise<AccessTokenRecord | undefined> {
  return store.findAccessToken(sha256(token));
}

/** The store's record of a live refresh token. */
export function refreshRecord(store: MemoryStore, token: string): Promise<RefreshTokenRecord | undefined> {
  return store.findRefreshToken(familyOf(token), sha256(token));
}
