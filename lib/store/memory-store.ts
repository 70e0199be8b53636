import { ExpiringMap } from './expiring-map';
import type { AccessTokenRecord, AuthorizationCodeRecord, ConsentRecord, ConsumedAuthorizationCode, Store } from './store';

interface FamilyEntry {
  readonly hashes: Set<string>;
  expiresAt: number;
  /** Set by revokeFamily: later tokens of the family are not kept. */
  revoked: boolean;
}

/** How long a revoked family is remembered, so tokens issued for it after the revocation are refused. */
const REVOKED_FAMILY_MS = 24 * 3600 * 1000;

interface CodeEntry {
  readonly record: AuthorizationCodeRecord;
  used: boolean;
}

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
  // Authorization code grant state (see the block of the same name in store.ts).
  private readonly codes: ExpiringMap<string, CodeEntry>;
  private readonly familyTokens: ExpiringMap<string, FamilyEntry>;
  private readonly consents: ExpiringMap<string, ConsentRecord>;

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 1_000_000;
    if (!Number.isInteger(maxEntries) || maxEntries <= 0) throw new TypeError('memoryStore: maxEntries must be a positive integer');
    this.accessTokens = new ExpiringMap(maxEntries, options.now);
    this.codes = new ExpiringMap(maxEntries, options.now);
    this.familyTokens = new ExpiringMap(maxEntries, options.now);
    this.consents = new ExpiringMap(maxEntries, options.now);
    this.now = options.now ?? Date.now;
  }

  private readonly now: () => number;

  async saveAccessToken(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void> {
    if (record.familyId !== undefined && !this.indexFamilyToken(record.familyId, tokenHash, ttlSeconds)) return;
    this.accessTokens.set(tokenHash, record, ttlSeconds * 1000);
  }

  async findAccessToken(tokenHash: string): Promise<AccessTokenRecord | undefined> {
    return this.accessTokens.get(tokenHash);
  }

  // --- authorization code grant -------------------------------------------------------------------------

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

  async revokeFamily(familyId: string): Promise<void> {
    const family = this.familyTokens.get(familyId);
    if (family !== undefined) {
      for (const hash of family.hashes) this.accessTokens.delete(hash);
    }
    this.familyTokens.set(familyId, { hashes: new Set(), expiresAt: this.now() + REVOKED_FAMILY_MS, revoked: true }, REVOKED_FAMILY_MS);
  }

  async saveConsent(sub: string, clientId: string, record: ConsentRecord, ttlSeconds: number): Promise<void> {
    this.consents.set(consentKey(sub, clientId), record, ttlSeconds * 1000);
  }

  async findConsent(sub: string, clientId: string): Promise<ConsentRecord | undefined> {
    return this.consents.get(consentKey(sub, clientId));
  }

  // The family index lives as long as the family's longest-lived token, so revocation finds every one.
  // Returns false for a revoked family: the token must not be kept.
  private indexFamilyToken(familyId: string, tokenHash: string, ttlSeconds: number): boolean {
    const now = this.now();
    const family = this.familyTokens.get(familyId) ?? { hashes: new Set<string>(), expiresAt: 0, revoked: false };
    if (family.revoked) return false;
    family.hashes.add(tokenHash);
    family.expiresAt = Math.max(family.expiresAt, now + ttlSeconds * 1000);
    this.familyTokens.set(familyId, family, family.expiresAt - now);
    return true;
  }

  // -------------------------------------------------------------------------------------------------------

  async close(): Promise<void> {
    this.accessTokens.clear();
    this.codes.clear();
    this.familyTokens.clear();
    this.consents.clear();
  }

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

// NUL does not occur in client ids or subjects, so each (client, subject) pair maps to exactly one key.
function consentKey(sub: string, clientId: string): string {
  return `${clientId}\u0000${sub}`;
}
