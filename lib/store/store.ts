import type { RateLimiter, RateLimiterSettings } from './rate-limiter';

/**
 * What Keyturn remembers about an opaque access token. Times are epoch seconds.
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
  /** The grant family the token descends from (refresh rotation, authorization code), when there is one. */
  readonly familyId?: string;
}

/**
 * Everything the server keeps goes through this interface, so one app instance or many (sharing Redis)
 * behave as one server. Keys are hashes of tokens, never tokens. Every write carries a TTL so nothing
 * outlives its token, and every check-and-change is atomic inside the store.
 *
 * Adapters: {@link MemoryStore} (the embedded default) and the Redis store.
 */
export interface Store {
  /** Keeps an opaque access token's record under the token's hash for `ttlSeconds`. */
  saveAccessToken(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void>;
  /** The live record for a token hash, or `undefined` when unknown, expired or revoked. */
  findAccessToken(tokenHash: string): Promise<AccessTokenRecord | undefined>;
  // --- rate limits and lockouts ---------------------------------------------------------------
  /** A rate limiter whose counters live in this store (created once, at start-up). */
  createRateLimiter(settings: RateLimiterSettings): RateLimiter;

  /** Releases connections and timers. The store must not be used afterwards. */
  close(): Promise<void>;

  // --- Revocation (RFC 7009) of access tokens: added with JWT access tokens, bearer and introspection. ---

  /** Forgets an opaque access token, so the bearer check and introspection no longer find it. */
  revokeAccessToken(tokenHash: string): Promise<void>;
  /**
   * Records a JWT access token's `jti` as revoked for `ttlSeconds` (until the token's own `exp`, after which
   * the signature check refuses it anyway, so the entry can go).
   */
  revokeJwtId(jti: string, ttlSeconds: number): Promise<void>;
  /** True when {@link Store.revokeJwtId} recorded this `jti` and the entry has not yet expired. */
  isJwtIdRevoked(jti: string): Promise<boolean>;
  // --- end of revocation block ---
}
