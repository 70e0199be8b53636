import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ExpiringMap } from './expiring-map';
import { fromRateLimiterFlexible, type RateLimiter, type RateLimiterSettings } from './rate-limiter';
import type { AccessTokenRecord, Store } from './store';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most entries kept per kind of record; past it the oldest are evicted. Bounds memory under load.
   * Default: 1 000 000.
   */
  maxEntries?: number;
  /** Clock in epoch milliseconds, for tests. Default: `Date.now`. */
  now?: () => number;
}

/**
 * The embedded {@link Store}: everything in this process's memory, bounded and expiring. Right for one
 * instance and for tests; several instances need the Redis store to share state.
 */
export class MemoryStore implements Store {
  private readonly accessTokens: ExpiringMap<string, AccessTokenRecord>;
  private readonly revokedJwtIds: ExpiringMap<string, true>;

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 1_000_000;
    if (!Number.isInteger(maxEntries) || maxEntries <= 0) throw new TypeError('memoryStore: maxEntries must be a positive integer');
    this.accessTokens = new ExpiringMap(maxEntries, options.now);
    this.revokedJwtIds = new ExpiringMap(maxEntries, options.now);
  }

  async saveAccessToken(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void> {
    this.accessTokens.set(tokenHash, record, ttlSeconds * 1000);
  }

  async findAccessToken(tokenHash: string): Promise<AccessTokenRecord | undefined> {
    return this.accessTokens.get(tokenHash);
  }

  createRateLimiter(settings: RateLimiterSettings): RateLimiter {
    return fromRateLimiterFlexible(
      new RateLimiterMemory({ keyPrefix: settings.name, points: settings.points, duration: settings.durationSeconds }),
    );
  }

  async close(): Promise<void> {
    this.accessTokens.clear();
    this.revokedJwtIds.clear();
  }

  // --- Revocation (RFC 7009) of access tokens: added with JWT access tokens, bearer and introspection. ---

  async revokeAccessToken(tokenHash: string): Promise<void> {
    this.accessTokens.delete(tokenHash);
  }

  async revokeJwtId(jti: string, ttlSeconds: number): Promise<void> {
    this.revokedJwtIds.set(jti, true, ttlSeconds * 1000);
  }

  async isJwtIdRevoked(jti: string): Promise<boolean> {
    return this.revokedJwtIds.get(jti) === true;
  }
  // --- end of revocation block ---

  /** Number of live-or-unswept access token records (for tests and benchmarks). */
  get accessTokenCount(): number {
    return this.accessTokens.size;
  }
}

/**
 * Creates the embedded memory {@link Store}.
 *
 * @example
 * ```ts
 * const auth = createAuthorizationServer({ clients, store: memoryStore({ maxEntries: 100_000 }) });
 * ```
 */
export function memoryStore(options?: MemoryStoreOptions): MemoryStore {
  return new MemoryStore(options);
}
