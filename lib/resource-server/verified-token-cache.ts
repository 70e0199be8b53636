import type { KeyObject } from 'node:crypto';
import type { JwtAccessTokenClaims } from '../tokens/jwt-claims';
import type { Awaitable } from '../clients/client';
import { sha256 } from '../crypto/sha256';
import type { JwtAccessTokenVerifier } from './jwt-verifier';
import type { JwtAlgorithm } from '../tokens/signing-keys';

/**
 * The cache of verified JWT access tokens kept by `requireBearer()` and the other bearer checks: a client
 * reuses its access token until it expires, so remembering a successful verification saves the signature
 * check, the costliest step of a bearer check, on every later request with the same token. `false` turns it
 * off.
 *
 * What a cached token still goes through on every request: `exp` and `nbf` against the current time (with
 * the middleware's `clockTolerance`; an expired entry is refused as an uncached token would be, and dropped),
 * the lookup of its signing key (a key removed from the key set or the JWKS refuses it; a key replaced under
 * the same `kid` sends it through a full verification again), the revoked-`jti` list and the token's revoked
 * grant family of a `{ server }` check (one store lookup, read after the cache, so a token revoked, or whose
 * family was revoked, once cached is refused on its next request), and the scope check. Only successful verifications of signature and claims are remembered, never a rejection.
 *
 * The cache is a Map in this process's memory, keyed by the SHA-256 of the token's signature and holding its
 * public `header.payload`, never the whole token (like every place Keyturn keeps a token: a heap dump holds no
 * usable token); it is gone when the process exits. Cached results are shared
 * by the requests presenting the same token, so `req.auth.claims` and `req.auth.scopes` are frozen. Its
 * entries are bounded by `maxEntries`; when it is full the oldest entry is dropped (with one access token
 * lifetime for every client, the oldest is also the first to expire). An entry holds a hash, the token's signed
 * part and its decoded claims; bench/findings.md gives the memory that takes per entry.
 *
 * @example
 * ```ts
 * import { requireBearer } from 'keyturn/resource-server';
 *
 * app.get('/accounts', requireBearer({ server: auth, scopes: ['/accounts.read'], verifiedTokenCache: { maxEntries: 50_000 } }), listAccounts);
 * app.get('/audit', requireBearer({ issuer, audience: 'https://api.example.com', verifiedTokenCache: false }), listAccounts);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export type VerifiedTokenCacheOption = false | VerifiedTokenCacheOptions;

/**
 * Settings of the verified-token cache (see {@link VerifiedTokenCacheOption}).
 *
 * @example
 * ```ts
 * import { requireBearer, type VerifiedTokenCacheOptions } from 'keyturn/resource-server';
 *
 * const cache: VerifiedTokenCacheOptions = { maxEntries: 1_000 };
 * app.get('/accounts', requireBearer({ server: auth, verifiedTokenCache: cache }), listAccounts);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered (a positive integer); beyond it the oldest entry is dropped. Default: 10 000. */
  maxEntries?: number;
}

/** The default bound of the cache. */
export const DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES = 10_000;

/**
 * Checks the `verifiedTokenCache` option once, when the middleware is built: the bound to use, or
 * `undefined` for no cache. Throws a `TypeError` naming the option (`name`) otherwise.
 */
export function verifiedTokenCacheSize(option: unknown, name: string): number | undefined {
  if (option === false) return undefined;
  if (option === undefined) return DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES;
  const maxEntries: unknown = typeof option === 'object' && option !== null && !Array.isArray(option) ? (option as VerifiedTokenCacheOptions).maxEntries : 0;
  if (maxEntries === undefined) return DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES;
  if (typeof maxEntries !== 'number' || !Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError(`${name} must be false or { maxEntries: a positive integer }`);
  }
  return maxEntries;
}

/** One remembered verification: its result, and what a hit must check again. */
export interface CachedVerification<V> {
  readonly value: V;
  /**
   * The token's `header.payload`, which a hit must repeat exactly: the entry's key hashes only the signature.
   * Both parts are readable by anyone holding the token and, without the signature, not a usable token.
   */
  readonly signedPart: string;
  /** `exp` of the token, epoch seconds. */
  readonly exp: number;
  /** `nbf` of the token, epoch seconds, when it has one. */
  readonly nbf: number | undefined;
  /** The header's `kid` and `alg`, to look the key up again on a hit. */
  readonly kid: string | undefined;
  readonly alg: JwtAlgorithm;
  /** The key the signature was verified with: a hit counts only while the lookup still gives this key. */
  readonly key: KeyObject;
}

/**
 * A bounded map from an access token to its {@link CachedVerification}, in insertion order: when full, the
 * oldest entry goes. Holds tokens in process memory only (see {@link VerifiedTokenCacheOption}).
 */
export class VerifiedTokenCache<V> {
  private readonly entries = new Map<string, CachedVerification<V>>();

  constructor(readonly maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new TypeError('VerifiedTokenCache: maxEntries must be a positive integer');
  }

  /** Entries held now; never more than `maxEntries`. */
  get size(): number {
    return this.entries.size;
  }

  /** The entry under `key` (the token's SHA-256, see {@link cachedJwtVerification}). */
  get(key: string): CachedVerification<V> | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: CachedVerification<V>): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * A JWT check with a {@link VerifiedTokenCache} in front of `verifier`: on a miss the token is verified in
 * full, `toValue` turns its claims into the result, and both are remembered (frozen, since later requests
 * share them); on a hit the key is looked up again and `exp`/`nbf` are checked against the clock, with
 * the rejections a full verification gives, and a stale entry is dropped. Without a cache, every token is
 * verified in full (and the result frozen all the same, so both ways hand out the same kind of object).
 *
 * A hit whose key lookup needs no I/O (the server's own keys) is answered synchronously, and its rejection
 * thrown synchronously: the bearer check of a reused token then runs without a promise. Otherwise the
 * answer is a promise.
 */
export function cachedJwtVerification<V extends object>(
  verifier: JwtAccessTokenVerifier,
  cache: VerifiedTokenCache<V> | undefined,
  toValue: (claims: JwtAccessTokenClaims) => V,
): (token: string) => Awaitable<V> {
  const verifyAndFreeze = async (token: string) => {
    const verified = await verifier.verifyWithKey(token);
    return { verified, value: deepFreeze(toValue(verified.claims)) };
  };
  if (cache === undefined) return async (token) => (await verifyAndFreeze(token)).value;

  const verifyAndRemember = async (token: string, key: string, signedPart: string): Promise<V> => {
    const { verified, value } = await verifyAndFreeze(token);
    cache.set(key, {
      value,
      signedPart,
      exp: verified.claims.exp,
      nbf: typeof verified.claims.nbf === 'number' ? verified.claims.nbf : undefined,
      kid: verified.kid,
      alg: verified.alg,
      key: verified.key,
    });
    return value;
  };

  return (token) => {
    // Keyed by a hash of the signature alone, so a heap dump holds no usable token: hashing the signature
    // costs a fraction of hashing the whole token, and the rest of the token is compared in full instead.
    const dot = token.lastIndexOf('.');
    const signedPart = token.slice(0, dot);
    const key = sha256(token.slice(dot + 1));
    const hit = cache.get(key);
    if (hit === undefined || hit.signedPart !== signedPart) return verifyAndRemember(token, key, signedPart);
    // A key that is gone or a token that expired: refused as a full verification would, and forgotten.
    let recheck: Awaitable<boolean>;
    try {
      recheck = verifier.recheck(hit);
    } catch (err) {
      cache.delete(key);
      throw err;
    }
    // The common case allocates nothing: the key is the server's own and still current.
    if (recheck === true) return hit.value;
    // The key changed under the same kid: verify again, with the key the lookup gives now.
    const reverify = (): Promise<V> => {
      cache.delete(key);
      return verifyAndRemember(token, key, signedPart);
    };
    if (recheck === false) return reverify();
    return recheck.then(
      (current) => (current ? hit.value : reverify()),
      (err: unknown) => {
        cache.delete(key);
        throw err;
      },
    );
  };
}

// Claims are parsed JSON: plain objects and arrays, no cycles.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
