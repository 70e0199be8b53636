import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256, sha256Bytes } from '../crypto/sha256';
import { ServerError } from '../errors/token-errors';
import type { Awaitable, Client } from './client';
import { hashClientSecret, verifyClientSecretHash } from './secret-hash';

const SHA256_PREFIX = '$sha256$';

/**
 * Digest form of a plaintext secret, so that even development secrets are kept in memory only as hashes.
 * SHA-256 is enough here because it only stands in for the plaintext the operator already wrote down.
 */
export function sha256SecretDigest(secret: string): string {
  return SHA256_PREFIX + sha256(secret);
}

interface CacheEntry {
  /** The stored hash the verification was made against: a rotated secret misses the cache. */
  readonly hash: string;
  readonly mac: Buffer;
  readonly expiresAt: number;
}

/** Options of {@link SecretVerifier}. */
export interface SecretVerifierOptions {
  /** Accept clients that carry `clientSecret` in plaintext. */
  allowPlaintextSecrets: boolean;
  /** How many clients' recent successful verifications to remember. Default 10 000. */
  cacheSize?: number;
  /** How long a remembered verification stays valid, in ms. Default 10 minutes. */
  cacheTtlMs?: number;
}

/**
 * Checks presented client secrets in constant time. A scrypt verification costs tens of milliseconds, so a
 * successful one is remembered as a SHA-256 keyed by a per-process random key: the next request with the same
 * secret costs one hash, and the cache never holds the secret itself.
 */
export class SecretVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  /** Hash checks in flight, by stored hash and keyed digest of the presented secret; as many as requests waiting. */
  private readonly checking = new Map<string, Promise<boolean>>();
  /** Secret of this process, so the cache holds nothing an attacker could test guesses against. */
  private readonly cacheKey = randomBytes(32).toString('base64url');
  private decoyHash: Promise<string> | undefined;
  private readonly allowPlaintext: boolean;
  private readonly cacheSize: number;
  private readonly cacheTtlMs: number;

  constructor(options: SecretVerifierOptions) {
    this.allowPlaintext = options.allowPlaintextSecrets;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.cacheTtlMs = options.cacheTtlMs ?? 10 * 60_000;
  }

  /** True when `presented` is the client's secret. Synchronous on a cache hit or a digest comparison. */
  verify(client: Client, presented: string): Awaitable<boolean> {
    const stored = this.storedHash(client);
    if (stored === undefined) return false;
    if (stored.startsWith(SHA256_PREFIX)) return safeEqual(sha256SecretDigest(presented), stored);
    const mac = this.macOf(client.clientId, presented);
    if (this.remembered(client, stored, mac)) return true;
    // Concurrent checks of one secret against one hash share a scrypt: when a busy client's remembered
    // verification expires, its waiting requests would otherwise each run their own.
    const key = `${stored}\0${mac.toString('base64url')}`;
    const running = this.checking.get(key);
    if (running !== undefined) return running;
    const check = verifyClientSecretHash(presented, stored).then(
      (ok) => {
        this.checking.delete(key);
        if (ok) this.remember(client.clientId, { hash: stored, mac, expiresAt: Date.now() + this.cacheTtlMs });
        return ok;
      },
      (err: unknown) => {
        this.checking.delete(key);
        throw err;
      },
    );
    this.checking.set(key, check);
    return check;
  }

  /**
   * True when `presented` is known to be the client's secret without a hash check: it matches the digest a
   * development secret is kept as, or a verification this process remembers. False says nothing about a
   * wrong secret, so a guard may run before the real check and never tell a guess apart from the truth.
   */
  recognises(client: Client, presented: string): boolean {
    const stored = this.storedHash(client);
    if (stored === undefined) return false;
    if (stored.startsWith(SHA256_PREFIX)) return safeEqual(sha256SecretDigest(presented), stored);
    return this.remembered(client, stored, this.macOf(client.clientId, presented));
  }

  /**
   * A keyed digest of a presented secret, which tells two presentations of one secret apart from others
   * without keeping the secret or a digest anyone outside this process could test guesses against.
   */
  fingerprint(clientId: string, presented: string): string {
    return this.macOf(clientId, presented).toString('base64url');
  }

  // A keyed digest, compared for equality only and never leaving the process: a plain SHA-256 over the
  // fixed-length key, the client id and the secret serves, at a third of an HMAC's cost.
  private macOf(clientId: string, presented: string): Buffer {
    return sha256Bytes(`${this.cacheKey}${clientId}\0${presented}`);
  }

  private remembered(client: Client, stored: string, mac: Buffer): boolean {
    const hit = this.cache.get(client.clientId);
    return hit !== undefined && hit.hash === stored && hit.expiresAt > Date.now() && timingSafeEqual(hit.mac, mac);
  }

  /**
   * Spends what checking a secret against a scrypt hash costs, then fails: for a client id that is unknown
   * (or may not use the method), so response time does not tell which client ids exist. The decoy hash is made
   * once, on first need, from a random secret nobody knows.
   */
  async decoy(presented: string): Promise<false> {
    this.decoyHash ??= hashClientSecret(randomBytes(16).toString('base64url'));
    await verifyClientSecretHash(presented, await this.decoyHash);
    return false;
  }

  private storedHash(client: Client): string | undefined {
    if (client.clientSecretHash !== undefined) return client.clientSecretHash;
    if (client.clientSecret === undefined) return undefined;
    if (!this.allowPlaintext) {
      throw new ServerError({
        detail: `client ${client.clientId} has a plaintext clientSecret but allowPlaintextSecrets is off`,
      });
    }
    return sha256SecretDigest(client.clientSecret);
  }

  private remember(clientId: string, entry: CacheEntry): void {
    this.cache.delete(clientId);
    if (this.cache.size >= this.cacheSize) {
      // Map iterates in insertion order, so the first key is the least recently verified.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(clientId, entry);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
