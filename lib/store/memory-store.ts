import { ExpiringMap } from './expiring-map';
import { MemoryRateLimiter } from './memory-rate-limiter';
import type { RateLimiter, RateLimiterSettings } from './rate-limiter';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  ConsentRecord,
  ConsumedAuthorizationCode,
  RefreshTokenRecord,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  Store,
} from './store';

interface CodeEntry {
  readonly record: AuthorizationCodeRecord;
  used: boolean;
}

/** How long a revoked family is remembered, so tokens saved for it after the revocation are refused. */
const REVOKED_FAMILY_MS = 24 * 3600 * 1000;

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

/** A refresh token family: its one live token, and the rotated ones kept as tombstones to detect reuse. */
interface Family {
  readonly clientId: string;
  readonly sub: string;
  readonly scope: readonly string[];
  readonly familyExpiresAt: number | undefined;
  current: string;
  issuedAt: number;
  expiresAt: number;
  /** When the live token stops being live, on the store's clock (ms). */
  currentUntil: number;
  /** Rotated token hash → when its tombstone ends (ms). */
  readonly rotated: Map<string, number>;
}

const NOT_FOUND: RotateRefreshTokenResult = Object.freeze({ status: 'not_found' });
const REUSED: RotateRefreshTokenResult = Object.freeze({ status: 'reused' });
const WRONG_CLIENT: RotateRefreshTokenResult = Object.freeze({ status: 'wrong_client' });
const INVALID_SCOPE: RotateRefreshTokenResult = Object.freeze({ status: 'invalid_scope' });

/**
 * The embedded {@link Store}: everything in this process's memory, bounded and expiring. Right for one
 * instance and for tests; several instances need the Redis store to share state.
 *
 * Check-and-change operations run without awaiting in between, so on Node's single thread they are atomic.
 */
export class MemoryStore implements Store {
  private readonly accessTokens: ExpiringMap<string, AccessTokenRecord>;
  private readonly families: ExpiringMap<string, Family>;
  /** Family id → hashes of the opaque access tokens issued from it, for revocation. */
  private readonly familyAccessTokens: ExpiringMap<string, Set<string>>;
  /** Families revoked in the last day: tokens saved for them now are dropped. */
  private readonly revokedFamilies: ExpiringMap<string, true>;
  private readonly codes: ExpiringMap<string, CodeEntry>;
  private readonly consents: ExpiringMap<string, ConsentRecord>;
  private readonly now: () => number;
  private readonly revokedJwtIds: ExpiringMap<string, true>;
  private readonly maxEntries: number;

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 1_000_000;
    if (!Number.isInteger(maxEntries) || maxEntries <= 0) throw new TypeError('memoryStore: maxEntries must be a positive integer');
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
    this.accessTokens = new ExpiringMap(maxEntries, this.now);
    this.families = new ExpiringMap(maxEntries, this.now);
    this.familyAccessTokens = new ExpiringMap(maxEntries, this.now);
    this.revokedFamilies = new ExpiringMap(maxEntries, this.now);
    this.codes = new ExpiringMap(maxEntries, this.now);
    this.consents = new ExpiringMap(maxEntries, this.now);
    this.revokedJwtIds = new ExpiringMap(maxEntries, this.now);
  }

  async saveAccessToken(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void> {
    this.saveAccessTokenNow(tokenHash, record, ttlSeconds);
  }

  private saveAccessTokenNow(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): void {
    if (record.familyId !== undefined && this.revokedFamilies.get(record.familyId)) return;
    this.accessTokens.set(tokenHash, record, ttlSeconds * 1000);
    if (record.familyId !== undefined) {
      const hashes = this.familyAccessTokens.get(record.familyId) ?? new Set<string>();
      hashes.add(tokenHash);
      // Access tokens of one family all get the same lifetime, so the newest one bounds the set's.
      this.familyAccessTokens.set(record.familyId, hashes, ttlSeconds * 1000);
    }
  }

  async findAccessToken(tokenHash: string): Promise<AccessTokenRecord | undefined> {
    return this.accessTokens.get(tokenHash);
  }

  createRateLimiter(settings: RateLimiterSettings): RateLimiter {
    // Bounded like every other kind of record here: the keys are request input (claimed client ids, IPs).
    return new MemoryRateLimiter(settings, this.maxEntries, this.now);
  }

  async revokeAccessToken(tokenHash: string): Promise<void> {
    this.accessTokens.delete(tokenHash);
  }

  async saveRefreshToken(tokenHash: string, record: RefreshTokenRecord, ttlSeconds: number): Promise<void> {
    if (this.revokedFamilies.get(record.familyId)) return;
    const currentUntil = this.now() + ttlSeconds * 1000;
    const family: Family = {
      clientId: record.clientId,
      sub: record.sub,
      scope: [...record.scope],
      familyExpiresAt: record.familyExpiresAt,
      current: tokenHash,
      issuedAt: record.issuedAt,
      expiresAt: record.expiresAt,
      currentUntil,
      rotated: new Map(),
    };
    this.families.set(record.familyId, family, ttlSeconds * 1000);
  }

  async findRefreshToken(familyId: string, tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const family = this.families.get(familyId);
    if (family === undefined || family.current !== tokenHash || family.currentUntil <= this.now()) return undefined;
    return toRecord(familyId, family);
  }

  async rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    // Everything from here to the return runs without yielding: no other call sees a half-done rotation.
    const family = this.families.get(input.familyId);
    if (family === undefined) return NOT_FOUND;
    const now = this.now();
    const live = family.current === input.tokenHash && family.currentUntil > now;
    const tombstone = !live && (family.rotated.get(input.tokenHash) ?? 0) > now;
    if (!live && !tombstone) return NOT_FOUND;
    // RFC 6749 §6: the token is bound to its client. Checked before reuse so that another client cannot
    // revoke a family it does not own.
    if (family.clientId !== input.clientId) return WRONG_CLIENT;
    if (tombstone) {
      // RFC 9700 §4.14.2: a rotated token presented again means it leaked; revoke the whole family.
      this.revokeFamilyNow(input.familyId);
      return REUSED;
    }
    if (input.scope !== undefined && input.scope.some((s) => !family.scope.includes(s))) return INVALID_SCOPE;
    const ttl = family.familyExpiresAt === undefined ? input.ttl : Math.min(input.ttl, family.familyExpiresAt - input.now);
    if (ttl <= 0) return NOT_FOUND;

    family.rotated.set(input.tokenHash, family.currentUntil);
    // Tombstones are added in expiry order (each lives until its successor's start plus the ttl), so the
    // sweep can stop at the first live one instead of walking the family's whole history each refresh.
    for (const [hash, until] of family.rotated) {
      if (until > now) break;
      family.rotated.delete(hash);
    }
    family.current = input.newTokenHash;
    family.issuedAt = input.now;
    family.expiresAt = input.now + ttl;
    family.currentUntil = now + ttl * 1000;
    // Tombstones end no later than the token that replaced them, so the live token bounds the family's life.
    this.families.set(input.familyId, family, ttl * 1000);
    if (input.accessToken !== undefined) {
      const { tokenHash, ttl: accessTtl, allowedScope } = input.accessToken;
      this.saveAccessTokenNow(
        tokenHash,
        {
          clientId: family.clientId,
          sub: family.sub,
          scope: (input.scope ?? family.scope).filter((s) => allowedScope.includes(s)),
          issuedAt: input.now,
          expiresAt: input.now + accessTtl,
          familyId: input.familyId,
        },
        accessTtl,
      );
    }
    return { status: 'rotated', record: toRecord(input.familyId, family) };
  }

  async revokeFamily(familyId: string): Promise<void> {
    this.revokeFamilyNow(familyId);
  }

  // --- authorization code grant ----------------------------------------------------------------------

  async saveAuthorizationCode(codeHash: string, record: AuthorizationCodeRecord, ttlSeconds: number): Promise<void> {
    this.codes.set(codeHash, { record, used: false }, ttlSeconds * 1000);
  }

  async consumeAuthorizationCode(codeHash: string, retainUsedSeconds: number): Promise<ConsumedAuthorizationCode> {
    // Read and mark with no await in between: atomic within this process's single thread.
    const entry = this.codes.get(codeHash);
    if (entry === undefined) return { status: 'unknown' };
    if (entry.used) return { status: 'reused', record: entry.record };
    this.codes.set(codeHash, { record: entry.record, used: true }, retainUsedSeconds * 1000);
    return { status: 'consumed', record: entry.record };
  }

  async saveConsent(sub: string, clientId: string, record: ConsentRecord, ttlSeconds: number): Promise<void> {
    this.consents.set(consentKey(sub, clientId), record, ttlSeconds * 1000);
  }

  async findConsent(sub: string, clientId: string): Promise<ConsentRecord | undefined> {
    return this.consents.get(consentKey(sub, clientId));
  }

  async close(): Promise<void> {
    this.accessTokens.clear();
    this.families.clear();
    this.familyAccessTokens.clear();
    this.revokedFamilies.clear();
    this.codes.clear();
    this.consents.clear();
    this.revokedJwtIds.clear();
  }

  // --- Revocation (RFC 7009) of JWT access tokens: added with JWT access tokens, bearer and introspection. ---

  async revokeJwtId(jti: string, ttlSeconds: number): Promise<void> {
    this.revokedJwtIds.set(jti, true, ttlSeconds * 1000);
  }

  // Synchronous: the bearer check of a cached JWT then needs no promise at all.
  isJwtIdRevoked(jti: string): boolean {
    return this.revokedJwtIds.get(jti) === true;
  }
  // --- end of revocation block ---

  /** Number of live-or-unswept access token records (for tests and benchmarks). */
  get accessTokenCount(): number {
    return this.accessTokens.size;
  }

  private revokeFamilyNow(familyId: string): void {
    this.families.delete(familyId);
    const hashes = this.familyAccessTokens.get(familyId);
    if (hashes !== undefined) for (const hash of hashes) this.accessTokens.delete(hash);
    this.familyAccessTokens.delete(familyId);
    this.revokedFamilies.set(familyId, true, REVOKED_FAMILY_MS);
  }
}

function toRecord(familyId: string, family: Family): RefreshTokenRecord {
  return {
    clientId: family.clientId,
    sub: family.sub,
    scope: family.scope,
    familyId,
    issuedAt: family.issuedAt,
    expiresAt: family.expiresAt,
    ...(family.familyExpiresAt === undefined ? {} : { familyExpiresAt: family.familyExpiresAt }),
  };
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

// NUL does not occur in client ids or subjects, so each (client, subject) pair maps to exactly one key.
function consentKey(sub: string, clientId: string): string {
  return `${clientId}\u0000${sub}`;
}
