import type { RateLimiter, RateLimiterSettings } from './rate-limiter';
import type { StoreUnavailableError } from '../errors/store-unavailable-error';

/**
 * What Keyturn remembers about an opaque access token, under the token's SHA-256 hash (base64url), never the
 * token itself. A store adapter keeps it as it is given and returns it unchanged. Times are epoch seconds.
 *
 * @example
 * ```ts
 * import type { AccessTokenRecord } from 'keyturn';
 *
 * // What store.saveAccessToken receives for a client_credentials token that lives 15 minutes.
 * const record: AccessTokenRecord = {
 *   clientId: 'reporting-job',
 *   sub: 'reporting-job',
 *   scope: ['/accounts.read'],
 *   issuedAt: 1736154000,
 *   expiresAt: 1736154900,
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export interface AccessTokenRecord {
  /** The client the token was issued to. */
  readonly clientId: string;
  /** The resource owner, when the grant had one; the client id for client_credentials. */
  readonly sub: string;
  /** Granted scope tokens. */
  readonly scope: readonly string[];
  /** When the token was issued. */
  readonly issuedAt: number;
  /** When the token expires. */
  readonly expiresAt: number;
  /**
   * The grant family the token descends from (refresh rotation, authorization code), when there is one.
   * Such a token is minted in the family (`<family seed>.<secret>`), so its family is known from the token.
   */
  readonly familyId?: string;
  /** RFC 9449 §6: the RFC 7638 thumbprint of the DPoP key the token is bound to, when it is bound (`cnf.jkt`). */
  readonly jkt?: string;
  /**
   * The resources (RFC 8707 absolute URIs) the token is restricted to, when the client asked for some; the
   * bearer checks refuse it at any other audience, and introspection answers them as `aud`. Absent: the
   * server's default audience (`accessToken.audience`), as before resource indicators.
   */
  readonly audience?: readonly string[];
}

/**
 * What Keyturn remembers about an authorization code, under the code's SHA-256 hash (base64url), never the
 * code itself: everything the token request must match, and the grant family its tokens will join. Times
 * are epoch seconds.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * import type { AuthorizationCodeRecord } from 'keyturn';
 *
 * const now = Math.floor(Date.now() / 1000);
 * const record: AuthorizationCodeRecord = {
 *   clientId: 'web-app',
 *   redirectUri: 'https://app.example.com/callback',
 *   redirectUriSent: true,
 *   sub: 'user-42',
 *   scope: ['openid', '/accounts.read'],
 *   codeChallenge: 'mjWVBPZpcNIDpYUckhcu8l3Oixe-5ahQw89YMZqhIQ8', // SHA-256 of the client's code_verifier
 *   codeChallengeMethod: 'S256',
 *   authTime: now - 5,
 *   issuedAt: now,
 *   expiresAt: now + 60,
 *   familyId: createHash('sha256').update('family seed').digest('base64url'),
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export interface AuthorizationCodeRecord {
  /** The client the code was issued to (RFC 6749 §4.1.3: the code is bound to it). */
  readonly clientId: string;
  /** The redirect URI the code was sent to. */
  readonly redirectUri: string;
  /** True when the authorization request named `redirect_uri`, so the token request must repeat it (§4.1.3). */
  readonly redirectUriSent: boolean;
  /** The resource owner who approved. */
  readonly sub: string;
  /** Granted scope tokens. */
  readonly scope: readonly string[];
  /** PKCE `code_challenge` (RFC 7636 §4.2), when the request carried one. */
  readonly codeChallenge?: string;
  /** PKCE `code_challenge_method`: `S256`, or `plain` when the server allows it. */
  readonly codeChallengeMethod?: 'S256' | 'plain';
  /** OpenID Connect `nonce`, echoed in the id_token. */
  readonly nonce?: string;
  /** When the user authenticated (OpenID Connect `auth_time`). */
  readonly authTime: number;
  /** When the code was issued. */
  readonly issuedAt: number;
  /** When the code expires. */
  readonly expiresAt: number;
  /** The grant family: every token issued from this code carries it, so a reuse can revoke them all. */
  readonly familyId: string;
  /** RFC 9449 §10: the `dpop_jkt` of the authorization request; the token request must prove that key. */
  readonly jkt?: string;
  /**
   * The resources (RFC 8707 §2) the authorization request named and the user approved: the token request
   * may ask for these or a subset (§2.2), and the refresh token keeps all of them. Absent when none was named.
   */
  readonly audience?: readonly string[];
}

/**
 * The outcome of {@link Store.consumeAuthorizationCode}: the first use gets the record; a later use is told
 * the code was used already (with the record, so the tokens issued from it can be revoked); an unknown or
 * expired code is `unknown`.
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 *
 * declare const code: string; // the code as the client presented it
 * const used = await store.consumeAuthorizationCode(createHash('sha256').update(code).digest('base64url'), 86_400);
 * if (used.status === 'reused') await store.revokeFamily(used.record.familyId);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export type ConsumedAuthorizationCode =
  | { readonly status: 'consumed'; readonly record: AuthorizationCodeRecord }
  | { readonly status: 'reused'; readonly record: AuthorizationCodeRecord }
  | { readonly status: 'unknown' };

/**
 * A user's remembered consent for one client. Times are epoch seconds.
 * @example
 * ```ts
 * import type { ConsentRecord } from 'keyturn';
 *
 * const consent: ConsentRecord = { scope: ['openid', '/accounts.read'], grantedAt: Math.floor(Date.now() / 1000) };
 * await store.saveConsent('user-42', 'web-app', consent, 30 * 86_400);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.2
 */
export interface ConsentRecord {
  /** The scope tokens the user approved for the client. */
  readonly scope: readonly string[];
  /** When the consent was given. */
  readonly grantedAt: number;
}

/**
 * What Keyturn remembers about the live refresh token of a family. Times are epoch seconds.
 *
 * A family is every refresh token descended, by rotation, from one original grant (RFC 9700 §4.14.2): it has
 * exactly one live token at a time, and revoking the family invalidates all of them.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * import type { RefreshTokenRecord } from 'keyturn';
 *
 * const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');
 * const now = Math.floor(Date.now() / 1000);
 * const record: RefreshTokenRecord = {
 *   clientId: 'web-app', sub: 'user-42', scope: ['/accounts.read'], familyId: sha256('family seed'),
 *   issuedAt: now, expiresAt: now + 2_592_000, familyExpiresAt: now + 7_776_000,
 * };
 * await store.saveRefreshToken(sha256('the refresh token'), record, 2_592_000);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export interface RefreshTokenRecord {
  /** The client the token is bound to (RFC 6749 §6: only that client may use it). */
  readonly clientId: string;
  /** The resource owner; the client id for client_credentials. */
  readonly sub: string;
  /**
   * The scope originally granted. Rotation never changes it: RFC 6749 §6 says a new refresh token's scope
   * must be identical to that of the one presented, even when the request narrowed the access token's scope.
   */
  readonly scope: readonly string[];
  /** The family the token belongs to (an opaque id the token format derives; never the token itself). */
  readonly familyId: string;
  /** When this token was issued. */
  readonly issuedAt: number;
  /** When this token expires. */
  readonly expiresAt: number;
  /** When the whole family ends, whatever the rotations (the absolute lifetime), if it has one. */
  readonly familyExpiresAt?: number;
  /**
   * When the user authenticated (OpenID Connect `auth_time`), for a family that an authorization code
   * started; rotation never changes it, so the id_token of a refresh (OpenID Connect Core §12.2) carries
   * the original sign-in's time. Absent for families without a user sign-in.
   */
  readonly authTime?: number;
  /**
   * RFC 9449 §5: the thumbprint of the DPoP key a public client's family is bound to; rotation never changes
   * it, and only a refresh request proving that key rotates the family. Absent for unbound families.
   */
  readonly jkt?: string;
  /**
   * The resources (RFC 8707) granted to the family, when the grant named some: each access token refreshed
   * from it is for these or a subset the request names (§2.2). Rotation never changes it.
   */
  readonly audience?: readonly string[];
}

/**
 * One atomic refresh: check the presented token and replace it by a new one, in a single step of the store.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * import type { RotateRefreshTokenInput } from 'keyturn';
 *
 * const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');
 * const input: RotateRefreshTokenInput = {
 *   familyId: sha256('family seed'), tokenHash: sha256('the presented token'), clientId: 'web-app', scope: ['/accounts.read'],
 *   newTokenHash: sha256('its replacement'), now: Math.floor(Date.now() / 1000), ttl: 2_592_000,
 * };
 * const result = await store.rotateRefreshToken(input);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export interface RotateRefreshTokenInput {
  /** The family the presented token says it belongs to. */
  readonly familyId: string;
  /** Hash of the presented token. */
  readonly tokenHash: string;
  /** The authenticated client; must be the one the token was issued to. */
  readonly clientId: string;
  /**
   * The scope the request asks for, when it names one: must be within the token's scope (narrowing is
   * allowed, widening is not). `undefined` means the token's own scope.
   */
  readonly scope?: readonly string[];
  /** Hash of the replacement token. */
  readonly newTokenHash: string;
  /**
   * The resources the request names (RFC 8707 §2.2), when it names some: each must be among the family's
   * `audience`, or the rotation answers `invalid_target` and changes nothing. The new opaque access token is
   * restricted to them, or to the family's `audience` when `undefined`.
   */
  readonly resource?: readonly string[];
  /**
   * The resources the client may ask for now (its `resources`), when given: the new access token's audience
   * keeps only these, so a resource taken from the client's registration since the grant is not granted
   * again; when that leaves none of a family's resources, the rotation answers `invalid_target` and changes
   * nothing. Absent: no filter.
   */
  readonly allowedResources?: readonly string[];
  /** The current time, epoch seconds: the new token's `issuedAt`. */
  readonly now: number;
  /** The new token's lifetime in seconds; cut short by the family's `familyExpiresAt`, if any. */
  readonly ttl: number;
  /**
   * The opaque access token issued with the new refresh token, saved in the same atomic step when the
   * rotation succeeds (and not at all otherwise): one store round trip per refresh, and no window in which
   * the refresh token has moved on but its access token is missing.
   */
  readonly accessToken?: RotationAccessToken;
  /**
   * The refresh grace window in seconds (server option `refreshToken.reuseGraceSeconds`). Default: 0, strict
   * reuse detection. When positive, a rotation remembers the token it spent (the parent) and when; presenting
   * that parent again within this many seconds of its rotation (`now` minus the rotation's `now`) answers
   * `reissued` instead of `reused`: the live child and its opaque access token are retired (the child becomes a
   * tombstone) and the new token takes its place. The window is not extended by a re-issue. Outside it, or for
   * any older token, or for a child a re-issue retired, presenting a spent token is reuse as without a window.
   */
  readonly reuseGraceSeconds?: number;
  /**
   * The JWT access token issued with the new refresh token, when the client's access tokens are JWTs: its
   * `jti`, chosen before the rotation so that the store can remember it with the live token (only with a
   * grace window; otherwise nothing reads it). A later re-issue retires that child, and revokes this `jti` in
   * the same atomic step, as {@link Store.revokeJwtId}(jti, remaining ttl, familyId) would: so with JWTs, too,
   * at most one child of the family is live.
   */
  readonly jwtAccessToken?: RotationJwtAccessToken;
  /**
   * How long the family's revocation is remembered when this rotation detects reuse, as `retainSeconds` of
   * {@link Store.revokeFamily}: a day, or this when it is longer (the server asks for longer when its JWT
   * access tokens outlive a day). The revocation, marker included, is part of the rotation's atomic step.
   */
  readonly revokedFamilyRetainSeconds?: number;
  /**
   * The thumbprint of the DPoP key the refresh request proved, if any (RFC 9449 §5). A family bound to a key
   * (its record's `jkt`) rotates only for that key: any other, or none, is `wrong_key` and nothing changes.
   */
  readonly jkt?: string;
  /**
   * True for a public client's refresh with a proof: a family not yet bound to a key becomes bound to `jkt`
   * in this rotation, since RFC 9449 §5 binds every refresh token issued to a public client in a DPoP request,
   * including one whose family began without DPoP. Ignored without `jkt`, and for a family already bound.
   */
  readonly bindKey?: boolean;
}

/**
 * The JWT access token issued by a rotation, as {@link Store.rotateRefreshToken} remembers it for a grace
 * re-issue ({@link RotateRefreshTokenInput.jwtAccessToken}).
 *
 * @example
 * ```ts
 * import type { RotationJwtAccessToken } from 'keyturn';
 *
 * // A JWT that lives 15 minutes, refused for a minute past its exp once revoked (verifiers' clock tolerance).
 * const jwtAccessToken: RotationJwtAccessToken = { jti: 'k3Vx9w2Qb7nJm1Zp4Lr8Tg', ttl: 900 + 60 };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.2
 */
export interface RotationJwtAccessToken {
  /** The token's `jti` claim. */
  readonly jti: string;
  /**
   * Seconds from the rotation's `now` during which the token must be refused once it is revoked: its
   * lifetime, plus the clock tolerance resource servers allow past `exp`. A re-issue at `now'` revokes the
   * `jti` for what is left of it, `now + ttl - now'`.
   */
  readonly ttl: number;
}

/**
 * The opaque access token saved by {@link Store.rotateRefreshToken}. Its record is the family's client and
 * `sub`, with the scope the request asked for (or the family's own) narrowed to `allowedScope`, issued at
 * `now`, and the `audience` the request named ({@link RotateRefreshTokenInput.resource}) or the family's own.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * import type { RotationAccessToken } from 'keyturn';
 *
 * const tokenHash = createHash('sha256').update('the new access token').digest('base64url');
 * const accessToken: RotationAccessToken = { tokenHash, ttl: 3600, allowedScope: ['/accounts.read'] };
 * ```
 */
export interface RotationAccessToken {
  /** Hash of the new access token. */
  readonly tokenHash: string;
  /** Its lifetime in seconds. */
  readonly ttl: number;
  /** The scopes the client may hold now: a scope it lost since the grant is not granted again. */
  readonly allowedScope: readonly string[];
  /** The DPoP key thumbprint the new access token is bound to (its record's `jkt`), when it is bound. */
  readonly jkt?: string;
}

/**
 * What {@link Store.rotateRefreshToken} did. Only `rotated` and `reissued` issued a new token; `reused` revoked
 * the whole family; the others changed nothing.
 *
 * @example
 * ```ts
 * import type { RotateRefreshTokenInput } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * declare const input: RotateRefreshTokenInput;
 * const result = await store.rotateRefreshToken(input);
 * if (result.status !== 'rotated') throw new errors.InvalidGrantError({ detail: result.status });
 * result.record.scope; // the scope originally granted
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export type RotateRefreshTokenResult =
  /** The presented token was live: it is now a tombstone, and `record` describes its replacement. */
  | { readonly status: 'rotated'; readonly record: RefreshTokenRecord }
  /**
   * The presented token is the one the live token was rotated from, within the grace window
   * ({@link RotateRefreshTokenInput.reuseGraceSeconds}): the live token is retired instead of the family, with
   * its opaque access token or its JWT's `jti` ({@link RotateRefreshTokenInput.jwtAccessToken}), and `record`
   * describes its replacement.
   */
  | { readonly status: 'reissued'; readonly record: RefreshTokenRecord }
  /**
   * The presented token had already been rotated: the family (and its access tokens) is now revoked, as by
   * {@link Store.revokeFamily}(familyId, {@link RotateRefreshTokenInput.revokedFamilyRetainSeconds}), JWT
   * access tokens included, in the rotation's own atomic step.
   */
  | { readonly status: 'reused' }
  /** Unknown, expired or revoked. */
  | { readonly status: 'not_found' }
  /** Issued to another client; nothing changed. */
  | { readonly status: 'wrong_client' }
  /** The family is bound to a DPoP key the request did not prove ({@link RotateRefreshTokenInput.jkt}); nothing changed. */
  | { readonly status: 'wrong_key' }
  /** The requested scope is wider than the token's; nothing changed. */
  | { readonly status: 'invalid_scope' }
  /** A requested resource is not among the family's (RFC 8707 §2.2); nothing changed. */
  | { readonly status: 'invalid_target' };

/**
 * One key of the server's key ring as the store keeps it. The private half is sealed (AES-256-GCM under a
 * key derived from the server's `secret`), so what the store holds cannot sign anything. Times are epoch
 * seconds.
 *
 * @example
 * ```ts
 * import type { StoredSigningKey } from 'keyturn';
 *
 * const now = Math.floor(Date.now() / 1000);
 * const key: StoredSigningKey = {
 *   kid: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
 *   alg: 'ES256',
 *   publicJwk: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' },
 *   sealedPrivateKey: 'base64url of iv, ciphertext and tag',
 *   createdAt: now,
 *   signsFrom: now + 86_400,
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-4
 */
export interface StoredSigningKey {
  /** Key id: the RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  /** The JWS algorithm the key signs with. */
  readonly alg: 'ES256';
  /** The public key as a JWK (kty, crv, x, y), as the JWKS publishes it. */
  readonly publicJwk: Readonly<Record<string, string>>;
  /** The private key, sealed: base64url of the 12-byte IV, the ciphertext and the 16-byte GCM tag. */
  readonly sealedPrivateKey: string;
  /** When the key was made. */
  readonly createdAt: number;
  /** When it starts signing; it is published from `createdAt`, so verifiers know it before any token carries it. */
  readonly signsFrom: number;
  /** Set once a newer key signs: after this, every token the key signed has expired, and the ring drops it. */
  readonly publishedUntil?: number;
}

/**
 * The key ring as the store keeps it. `version` grows by one with every write, so that of two instances
 * rotating at once only one write lands ({@link Store.saveKeyRing} compares it).
 *
 * @example
 * ```ts
 * import type { KeyRingRecord, StoredSigningKey } from 'keyturn';
 *
 * declare const newKey: StoredSigningKey;
 * const ring = await store.loadKeyRing();
 * const next: KeyRingRecord = { version: (ring?.version ?? 0) + 1, keys: [...(ring?.keys ?? []), newKey] };
 * const written = await store.saveKeyRing(next, 90 * 86_400);
 * ```
 */
export interface KeyRingRecord {
  /** 1 for the first ring, one more for each replacement. */
  readonly version: number;
  /** Every key that is published: signing, waiting to sign, or retired but still verifying. */
  readonly keys: readonly StoredSigningKey[];
}

/**
 * Everything the server keeps goes through this interface, so one app instance or many (sharing Redis)
 * behave as one server. Keys are hashes of tokens, never tokens. Every write carries a TTL so nothing
 * outlives its token, and every check-and-change is atomic inside the store.
 *
 * Every member is required: each serves a feature any server may turn on (refresh rotation, the
 * authorization code grant, RFC 7009 revocation, rate limits), and a store that lacked one would fail only
 * when that feature is first used. `storeContract` from `keyturn/testing` checks an adapter against all of it.
 *
 * A store that cannot answer, or cannot keep what it is asked to, throws {@link StoreUnavailableError}; the
 * endpoint then answers 503 `temporarily_unavailable` with `Retry-After`. It never drops a revocation (a
 * revoked JWT id, a revoked family) before its TTL to make room: it refuses the write instead.
 *
 * Adapters: `memoryStore()` from `keyturn` (the embedded default) and `redisStore()` from `keyturn/redis`.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createAuthorizationServer } from 'keyturn';
 * import { redisStore } from 'keyturn/redis';
 *
 * const auth = createAuthorizationServer({ clients, store: redisStore(new Redis(process.env.REDIS_URL!), { keyPrefix: 'keyturn:' }) });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14
 */
export interface Store {
  /**
   * Keeps an opaque access token's record under the token's hash for `ttlSeconds`. A record with a
   * `familyId` belongs to that family: revoking the family ends it, and while the family is revoked the
   * record is not kept at all.
   */
  saveAccessToken(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void>;
  /**
   * The live record for a token hash, or `undefined` when unknown, expired or revoked. `familyId` is the
   * family the token names (tokens of a grant family carry its seed, see {@link AccessTokenRecord.familyId}):
   * a store may keep a family's tokens with the family, as the Redis store does to stay on one Cluster slot.
   */
  findAccessToken(tokenHash: string, familyId?: string): Promise<AccessTokenRecord | undefined>;
  /** Forgets an opaque access token, so bearer checks and introspection reject it. `familyId` as for `findAccessToken`. */
  revokeAccessToken(tokenHash: string, familyId?: string): Promise<void>;

  /**
   * Records a JWT access token's `jti` as revoked for `ttlSeconds` (RFC 7009): until the token's own `exp`,
   * after which the signature check refuses it anyway, so the entry can go. Never forgotten earlier; a store
   * that cannot keep it throws {@link StoreUnavailableError}. `familyId` is the grant family the token names
   * (its `fid` claim), when it has one: a store may keep the entry with the family, as the Redis store does so
   * that {@link Store.isJwtIdRevoked} reads both in one command on one Cluster slot.
   * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
   */
  revokeJwtId(jti: string, ttlSeconds: number, familyId?: string): Promise<void>;
  /**
   * True when {@link Store.revokeJwtId} recorded this `jti` and the entry has not yet expired, or when
   * `familyId` is given and {@link Store.revokeFamily} revoked that family (a JWT of a revoked family is
   * refused at once, though nothing indexed its `jti`). Both are answered in one store operation: this is
   * read on every bearer check of a JWT, cached or not, and costs one round trip at most. A store that knows
   * without I/O (the memory store) may answer synchronously.
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
   */
  isJwtIdRevoked(jti: string, familyId?: string): boolean | Promise<boolean>;

  /**
   * Starts a refresh token family: `tokenHash` becomes the live token of `record.familyId` for `ttlSeconds`.
   * Does nothing while the family is revoked.
   */
  saveRefreshToken(tokenHash: string, record: RefreshTokenRecord, ttlSeconds: number): Promise<void>;
  /** The record of a family's live refresh token, or `undefined` when it is not live (unknown, rotated, expired, revoked). */
  findRefreshToken(familyId: string, tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Checks the presented refresh token (live, same client, scope not widened) and replaces it, atomically:
   * of concurrent calls with one token, exactly one rotates it. A rotated token stays a tombstone until its
   * own expiry, so presenting it again is recognised as reuse and revokes the family (RFC 9700 §4.14.2),
   * except for the grace re-issue described at {@link RotateRefreshTokenInput.reuseGraceSeconds}.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
   */
  rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult>;
  /**
   * Revokes every token of a grant family: its refresh tokens and the opaque access tokens issued from it
   * (RFC 9700 §4.14.2 on refresh token reuse, RFC 6749 §4.1.2 on authorization code reuse). The revocation
   * is remembered for a day, or for `retainSeconds` when that is longer: while it is, a token saved for the
   * family is dropped (so a revocation that races a concurrent exchange still wins), and
   * {@link Store.isJwtIdRevoked} refuses the family's JWT access tokens, which is why the server asks for
   * longer when its JWTs live longer than a day. Like a revoked `jti`, the revocation is never forgotten
   * earlier; a store that cannot keep it throws {@link StoreUnavailableError}.
   */
  revokeFamily(familyId: string, retainSeconds?: number): Promise<void>;

  /**
   * A rate limiter whose counters live in this store, so instances sharing the store share the limits.
   * Created once per limiter, at start-up; limiters of different `settings.name` count separately.
   */
  createRateLimiter(settings: RateLimiterSettings): RateLimiter;

  /** Keeps a new authorization code's record under the code's hash for `ttlSeconds`. */
  saveAuthorizationCode(codeHash: string, record: AuthorizationCodeRecord, ttlSeconds: number): Promise<void>;
  /**
   * Marks a code used and returns what it was, atomically: of two concurrent calls exactly one gets
   * `consumed`. A used code is remembered for `retainUsedSeconds` (from now) so that a replay is recognised
   * as `reused` rather than `unknown` (RFC 6749 §4.1.2).
   */
  consumeAuthorizationCode(codeHash: string, retainUsedSeconds: number): Promise<ConsumedAuthorizationCode>;
  /** Remembers that `sub` approved `record.scope` for `clientId`, for `ttlSeconds`; replaces an earlier consent. */
  saveConsent(sub: string, clientId: string, record: ConsentRecord, ttlSeconds: number): Promise<void>;
  /** The remembered consent of `sub` for `clientId`, or `undefined`. */
  findConsent(sub: string, clientId: string): Promise<ConsentRecord | undefined>;

  /**
   * Records that `id` was used in `namespace`, for `ttlSeconds`, and answers whether this was its first use:
   * of concurrent calls with one id, exactly one gets `true`, on every instance sharing the store. A replay
   * cache for one-time values that arrive signed: DPoP proof `jti`s (RFC 9449 §11.1) and client assertion
   * `jti`s (RFC 7523 §3). `ttlSeconds` must cover the time the value would otherwise be accepted (the proof's
   * or assertion's own window), since a forgotten entry admits a replay; like a revocation it is therefore
   * never dropped early, and a store that cannot keep it throws {@link StoreUnavailableError}. Callers pass
   * a bounded `id` (a hash of the value and of whom it belongs to), never attacker-sized input. One round trip.
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-11.1
   * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
   */
  useOnce(namespace: string, id: string, ttlSeconds: number): Promise<boolean>;

  /**
   * True when other processes see what this store keeps (Redis), false when it lives in this process (the
   * memory store). A shared store needs the server's `secret`, so that every instance can open the key ring.
   */
  readonly shared: boolean;
  /** The server's key ring, or `undefined` when none is kept yet (or it expired). */
  loadKeyRing(): Promise<KeyRingRecord | undefined>;
  /**
   * Replaces the key ring by `next`, kept for `ttlSeconds`, if and only if the ring kept now has version
   * `next.version - 1` (no ring at all for version 1), in one atomic step: of several instances writing the
   * same version, exactly one succeeds. Returns whether this write landed.
   */
  saveKeyRing(next: KeyRingRecord, ttlSeconds: number): Promise<boolean>;

  /** Releases connections and timers. The store must not be used afterwards. */
  close(): Promise<void>;
}
