import { ExpiringMap } from './expiring-map';
import { MemoryRateLimiter } from './memory-rate-limiter';
import { RevocationSet } from './revocation-set';
import type { RateLimiter, RateLimiterSettings } from './rate-limiter';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  ConsentRecord,
  ConsumedAuthorizationCode,
  KeyRingRecord,
  RefreshTokenRecord,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  Store,
} from './store';

interface CodeEntry {
  readonly record: AuthorizationCodeRecord;
  used: boolean;
}

/**
 * How long a revoked family is remembered at least: tokens saved for it after the revocation are refused (the
 * only such save is an exchange already under way, which ends within one request), and its JWT access tokens
 * are refused until they expire, so the server asks for longer when its JWTs outlive a day. Matches the
 * Redis store.
 */
const REVOKED_FAMILY_MS = 24 * 3600 * 1000;

/**
 * Options of {@link memoryStore}.
 *
 * @example
 * ```ts
 * import { memoryStore } from 'keyturn';
 *
 * const store = memoryStore({ maxEntries: 100_000 });
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * Most entries kept per kind of record: opaque access tokens, grant families, authorization codes,
   * consents, the windows of each rate limiter, revoked JWT ids, revoked families. Bounds memory under load.
   * Default: 1 000 000.
   *
   * What happens at the bound depends on what forgetting would do:
   * - Tokens, codes, families, consents and counters make room by evicting the oldest entry of their kind. An
   *   evicted token or code stops working as if it had expired, and an evicted family takes its refresh and
   *   access tokens with it, so eviction only ever refuses a token that was valid.
   * - Revocations are never evicted: a revoked JWT id is kept until the token's own expiry (the one given to
   *   `revokeJwtId`), a revoked family for a day (or the longer time the server asks, for JWTs that outlive a
   *   day). When one of these kinds holds `maxEntries` live entries, the
   *   next revocation of that kind is refused: `revokeJwtId` or `revokeFamily` (and a refresh that detects
   *   reuse, or a grace re-issue that retires a child's JWT, which then changes nothing) throws
   *   `StoreUnavailableError`, which the endpoint answers with 503 `temporarily_unavailable` and
   *   a `Retry-After` until the soonest revocation ends. A refused `revokeFamily` still ends the refresh and
   *   opaque access tokens the family holds; what is missing is the marker that refuses tokens saved for the
   *   family afterwards, and the family's JWT access tokens, which only that marker refuses.
   *
   * So size it for the revocations one token lifetime can bring, not only for the live tokens.
   */
  maxEntries?: number;
  /** Clock in epoch milliseconds, for tests. Default: `Date.now`. */
  now?: () => number;
}

/** The live refresh token of a family, and the rotated ones kept as tombstones to detect reuse. */
interface RefreshState {
  readonly clientId: string;
  readonly sub: string;
  readonly scope: readonly string[];
  readonly familyExpiresAt: number | undefined;
  readonly authTime: number | undefined;
  jkt: string | undefined;
  /** The resources granted to the family (RFC 8707), when it has some. */
  readonly audience: readonly string[] | undefined;
  current: string;
  issuedAt: number;
  expiresAt: number;
  /** When the live token stops being live, on the store's clock (ms). */
  currentUntil: number;
  /** Rotated token hash → when its tombstone ends (ms). */
  readonly rotated: Map<string, number>;
  /**
   * With a grace window: the token the live one was rotated from and the rotation's `now` (epoch s), so that
   * presenting it again soon enough re-issues instead of revoking the family.
   */
  parent: { readonly hash: string; readonly rotatedAt: number } | undefined;
  /** With a grace window: the opaque access token issued with the live token, retired with it by a re-issue. */
  currentAccess: string | undefined;
  /**
   * With a grace window: the `jti` of the JWT access token issued with the live token, and until when (epoch
   * s) it must stay refused once revoked; a re-issue revokes it with the live token.
   */
  currentJwt: { readonly jti: string; readonly until: number } | undefined;
}

/**
 * A grant family. Its opaque access tokens are valid only while it is here, so revoking (or evicting) the
 * family ends them all at once, with no list of their hashes that could itself be evicted.
 */
interface Family {
  /** Absent for a family that has access tokens but no refresh token (a code exchanged without one). */
  refresh: RefreshState | undefined;
  /** When the family's longest-lived access token ends (ms), 0 when it has none. */
  accessUntil: number;
}

const NOT_FOUND: RotateRefreshTokenResult = Object.freeze({ status: 'not_found' });
const REUSED: RotateRefreshTokenResult = Object.freeze({ status: 'reused' });
const WRONG_CLIENT: RotateRefreshTokenResult = Object.freeze({ status: 'wrong_client' });
const WRONG_KEY: RotateRefreshTokenResult = Object.freeze({ status: 'wrong_key' });
const INVALID_SCOPE: RotateRefreshTokenResult = Object.freeze({ status: 'invalid_scope' });
const INVALID_TARGET: RotateRefreshTokenResult = Object.freeze({ status: 'invalid_target' });

/**
 * The embedded {@link Store}: everything in this process's memory, bounded and expiring. Right for one
 * instance and for tests; several instances need the Redis store to share state. Apps get it, typed as
 * `Store`, from {@link memoryStore}; the class itself is not part of the package's API.
 *
 * Check-and-change operations run without awaiting in between, so on Node's single thread they are atomic.
 */
export class MemoryStore implements Store {
  private readonly accessTokens: ExpiringMap<string, AccessTokenRecord>;
  private readonly families: ExpiringMap<string, Family>;
  private readonly revokedFamilies: RevocationSet;
  private readonly revokedJwtIds: RevocationSet;
  private readonly usedOnce: RevocationSet;
  private readonly codes: ExpiringMap<string, CodeEntry>;
  private readonly consents: ExpiringMap<string, ConsentRecord>;
  private readonly now: () => number;
  private readonly maxEntries: number;
  private keyRing: { readonly record: KeyRingRecord; readonly until: number } | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 1_000_000;
    if (!Number.isInteger(maxEntries) || maxEntries <= 0) throw new TypeError('memoryStore: maxEntries must be a positive integer');
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
    this.accessTokens = new ExpiringMap(maxEntries, this.now);
    this.families = new ExpiringMap(maxEntries, this.now);
    this.revokedFamilies = new RevocationSet(maxEntries, this.now, 'revoked families');
    this.revokedJwtIds = new RevocationSet(maxEntries, this.now, 'revoked JWT ids');
    this.usedOnce = new RevocationSet(maxEntries, this.now, 'one-time values');
    this.codes = new ExpiringMap(maxEntries, this.now);
    this.consents = new ExpiringMap(maxEntries, this.now);
  }

  async saveAccessToken(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void> {
    const { familyId } = record;
    if (familyId !== undefined) {
      if (this.revokedFamilies.has(familyId)) return;
      const now = this.now();
      const family = this.families.get(familyId) ?? { refresh: undefined, accessUntil: 0 };
      family.accessUntil = Math.max(family.accessUntil, now + ttlSeconds * 1000);
      this.keepFamily(familyId, family, now);
    }
    this.accessTokens.set(tokenHash, record, ttlSeconds * 1000);
  }

  async findAccessToken(tokenHash: string): Promise<AccessTokenRecord | undefined> {
    const record = this.accessTokens.get(tokenHash);
    if (record?.familyId !== undefined && this.families.get(record.familyId) === undefined) {
      // Its family was revoked or evicted: the token ended with it.
      this.accessTokens.delete(tokenHash);
      return undefined;
    }
    return record;
  }

  async revokeAccessToken(tokenHash: string): Promise<void> {
    this.accessTokens.delete(tokenHash);
  }

  async revokeJwtId(jti: string, ttlSeconds: number): Promise<void> {
    this.revokedJwtIds.add(jti, ttlSeconds * 1000);
  }

  // Synchronous: the bearer check of a cached JWT then needs no promise at all.
  isJwtIdRevoked(jti: string, familyId?: string): boolean {
    return this.revokedJwtIds.has(jti) || (familyId !== undefined && this.revokedFamilies.has(familyId));
  }

  async saveRefreshToken(tokenHash: string, record: RefreshTokenRecord, ttlSeconds: number): Promise<void> {
    if (this.revokedFamilies.has(record.familyId)) return;
    const now = this.now();
    const family = this.families.get(record.familyId) ?? { refresh: undefined, accessUntil: 0 };
    family.refresh = {
      clientId: record.clientId,
      sub: record.sub,
      scope: [...record.scope],
      familyExpiresAt: record.familyExpiresAt,
      authTime: record.authTime,
      jkt: record.jkt,
      audience: record.audience === undefined ? undefined : [...record.audience],
      current: tokenHash,
      issuedAt: record.issuedAt,
      expiresAt: record.expiresAt,
      currentUntil: now + ttlSeconds * 1000,
      rotated: new Map(),
      parent: undefined,
      currentAccess: undefined,
      currentJwt: undefined,
    };
    this.keepFamily(record.familyId, family, now);
  }

  async findRefreshToken(familyId: string, tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const refresh = this.families.get(familyId)?.refresh;
    if (refresh === undefined || refresh.current !== tokenHash || refresh.currentUntil <= this.now()) return undefined;
    return toRecord(familyId, refresh);
  }

  async rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    // Everything from here to the return runs without yielding: no other call sees a half-done rotation.
    const family = this.families.get(input.familyId);
    const refresh = family?.refresh;
    if (family === undefined || refresh === undefined) return NOT_FOUND;
    const now = this.now();
    const live = refresh.current === input.tokenHash && refresh.currentUntil > now;
    const grace = input.reuseGraceSeconds ?? 0;
    // The token the live one was just rotated from, within the window: a client retrying a refresh whose
    // answer it lost. Measured from that rotation, so re-issuing never extends it.
    const again =
      !live && grace > 0 && refresh.currentUntil > now && refresh.parent?.hash === input.tokenHash && input.now - refresh.parent.rotatedAt <= grace;
    const tombstone = !live && !again && (refresh.rotated.get(input.tokenHash) ?? 0) > now;
    if (!live && !again && !tombstone) return NOT_FOUND;
    // RFC 6749 §6: the token is bound to its client. Checked before reuse so that another client cannot
    // revoke a family it does not own.
    if (refresh.clientId !== input.clientId) return WRONG_CLIENT;
    // RFC 9449 §5: a bound family moves only for its key; checked before reuse too, so that a party without
    // the key cannot revoke the family by presenting a spent token.
    if (refresh.jkt !== undefined && refresh.jkt !== input.jkt) return WRONG_KEY;
    if (tombstone) {
      // RFC 9700 §4.14.2: a rotated token presented again means it leaked; revoke the whole family, and
      // remember that as long as the caller's JWTs need.
      this.revokeFamilyNow(input.familyId, revokedFamilyMs(input.revokedFamilyRetainSeconds));
      return REUSED;
    }
    if (input.scope !== undefined && input.scope.some((s) => !refresh.scope.includes(s))) return INVALID_SCOPE;
    // RFC 8707 §2.2: a refresh may narrow the family's resources, never add one.
    const granted = refresh.audience;
    if (input.resource !== undefined && input.resource.some((r) => granted === undefined || !granted.includes(r))) return INVALID_TARGET;
    const allowedResources = input.allowedResources;
    const audience = allowedResources === undefined ? (input.resource ?? granted) : (input.resource ?? granted)?.filter((r) => allowedResources.includes(r));
    if (granted !== undefined && granted.length > 0 && (audience === undefined || audience.length === 0)) return INVALID_TARGET;
    const ttl = refresh.familyExpiresAt === undefined ? input.ttl : Math.min(input.ttl, refresh.familyExpiresAt - input.now);
    if (ttl <= 0) return NOT_FOUND;

    if (again) {
      // At most one live child: the one the lost answer carried is retired, and presenting it later is reuse.
      // Its JWT first: the one step here that can fail (revocations full), and then nothing has changed.
      const retiredJwt = refresh.currentJwt;
      if (retiredJwt !== undefined && retiredJwt.until > input.now) this.revokedJwtIds.add(retiredJwt.jti, (retiredJwt.until - input.now) * 1000);
      refresh.rotated.set(refresh.current, refresh.currentUntil);
      if (refresh.currentAccess !== undefined) this.accessTokens.delete(refresh.currentAccess);
    } else {
      refresh.rotated.set(input.tokenHash, refresh.currentUntil);
    }
    // Tombstones are added in expiry order (each lives until its successor's start plus the ttl), so the
    // sweep can stop at the first live one instead of walking the family's whole history each refresh.
    for (const [hash, until] of refresh.rotated) {
      if (until > now) break;
      refresh.rotated.delete(hash);
    }
    refresh.current = input.newTokenHash;
    refresh.issuedAt = input.now;
    refresh.expiresAt = input.now + ttl;
    refresh.currentUntil = now + ttl * 1000;
    if (grace > 0) {
      if (!again) refresh.parent = { hash: input.tokenHash, rotatedAt: input.now };
      refresh.currentAccess = input.accessToken?.tokenHash;
      const jwt = input.jwtAccessToken;
      refresh.currentJwt = jwt === undefined ? undefined : { jti: jwt.jti, until: input.now + jwt.ttl };
    } else {
      refresh.parent = undefined;
      refresh.currentAccess = undefined;
      refresh.currentJwt = undefined;
    }
    if (input.accessToken !== undefined) {
      const { tokenHash, ttl: accessTtl, allowedScope } = input.accessToken;
      family.accessUntil = Math.max(family.accessUntil, now + accessTtl * 1000);
      this.accessTokens.set(
        tokenHash,
        {
          clientId: refresh.clientId,
          sub: refresh.sub,
          scope: (input.scope ?? refresh.scope).filter((s) => allowedScope.includes(s)),
          issuedAt: input.now,
          expiresAt: input.now + accessTtl,
          familyId: input.familyId,
          ...(input.accessToken.jkt === undefined ? {} : { jkt: input.accessToken.jkt }),
          ...audienceOf(audience),
        },
        accessTtl * 1000,
      );
    }
    if (refresh.jkt === undefined && input.bindKey === true && input.jkt !== undefined) refresh.jkt = input.jkt;
    this.keepFamily(input.familyId, family, now);
    return { status: again ? 'reissued' : 'rotated', record: toRecord(input.familyId, refresh) };
  }

  async revokeFamily(familyId: string, retainSeconds?: number): Promise<void> {
    this.revokeFamilyNow(familyId, revokedFamilyMs(retainSeconds));
  }

  createRateLimiter(settings: RateLimiterSettings): RateLimiter {
    // Bounded like every other kind of record here: the keys are request input (claimed client ids, IPs).
    return new MemoryRateLimiter(settings, this.maxEntries, this.now);
  }

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

  // A replay cache's entry, forgotten, would admit a replay: it lives in a RevocationSet, which refuses rather
  // than evicts when full. No await between the check and the add, so the first caller alone gets true.
  async useOnce(namespace: string, id: string, ttlSeconds: number): Promise<boolean> {
    const key = `${namespace}\0${id}`;
    if (this.usedOnce.has(key)) return false;
    this.usedOnce.add(key, ttlSeconds * 1000);
    return true;
  }

  /** The ring lives in this process: no other process can read this store. */
  readonly shared = false;

  async loadKeyRing(): Promise<KeyRingRecord | undefined> {
    return this.liveKeyRing();
  }

  async saveKeyRing(next: KeyRingRecord, ttlSeconds: number): Promise<boolean> {
    // No await between the check and the write: one call runs to completion before another starts.
    if (next.version !== (this.liveKeyRing()?.version ?? 0) + 1) return false;
    this.keyRing = { record: next, until: this.now() + ttlSeconds * 1000 };
    return true;
  }

  async close(): Promise<void> {
    this.keyRing = undefined;
    this.accessTokens.clear();
    this.families.clear();
    this.revokedFamilies.clear();
    this.codes.clear();
    this.consents.clear();
    this.revokedJwtIds.clear();
  }

  /** Number of live-or-unswept access token records (for tests and benchmarks). */
  get accessTokenCount(): number {
    return this.accessTokens.size;
  }

  private liveKeyRing(): KeyRingRecord | undefined {
    const ring = this.keyRing;
    return ring === undefined || ring.until <= this.now() ? undefined : ring.record;
  }

  /** Keeps a family for as long as its live refresh token or its longest-lived access token. */
  private keepFamily(familyId: string, family: Family, now: number): void {
    const until = Math.max(family.refresh?.currentUntil ?? 0, family.accessUntil);
    this.families.set(familyId, family, until - now);
  }

  /**
   * Ends the family's tokens first (dropping the family ends its refresh and opaque access tokens), then
   * records the revocation, which throws when the revoked families are full: the caller then answers 503, and
   * what the family held is gone all the same, except its JWT access tokens, which only the record refuses.
   */
  private revokeFamilyNow(familyId: string, retainMs = REVOKED_FAMILY_MS): void {
    this.families.delete(familyId);
    this.revokedFamilies.add(familyId, retainMs);
  }
}

/** How long a family revocation is kept: a day, or `retainSeconds` when that is longer. */
function revokedFamilyMs(retainSeconds: number | undefined): number {
  return Math.max(REVOKED_FAMILY_MS, (retainSeconds ?? 0) * 1000);
}

function toRecord(familyId: string, family: RefreshState): RefreshTokenRecord {
  return {
    clientId: family.clientId,
    sub: family.sub,
    scope: family.scope,
    familyId,
    issuedAt: family.issuedAt,
    expiresAt: family.expiresAt,
    ...(family.familyExpiresAt === undefined ? {} : { familyExpiresAt: family.familyExpiresAt }),
    ...(family.authTime === undefined ? {} : { authTime: family.authTime }),
    ...(family.jkt === undefined ? {} : { jkt: family.jkt }),
    ...(family.audience === undefined ? {} : { audience: family.audience }),
  };
}

function audienceOf(audience: readonly string[] | undefined): { audience?: readonly string[] } {
  return audience === undefined || audience.length === 0 ? {} : { audience: [...audience] };
}

/**
 * Creates the embedded memory {@link Store}.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, memoryStore } from 'keyturn';
 *
 * const auth = createAuthorizationServer({ clients, store: memoryStore({ maxEntries: 100_000 }) });
 * ```
 */
export function memoryStore(options?: MemoryStoreOptions): Store {
  return new MemoryStore(options);
}

// NUL does not occur in client ids or subjects, so each (client, subject) pair maps to exactly one key.
function consentKey(sub: string, clientId: string): string {
  return `${clientId}\u0000${sub}`;
}
