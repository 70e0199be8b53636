import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Client } from '../clients/client';
import { keyFitsAlgorithm } from './assertion-algorithms';
import { isFetchableJwksUri } from './jwks-uri';

/** Settings of {@link ClientKeys}: `clientAuthentication.assertions`, defaults filled in. */
export interface ClientKeysSettings {
  /** How many fetched JWK Sets (by `jwksUri`) are kept; the least recently used goes first. */
  readonly cacheSize: number;
  /** Shortest time between two fetches of one `jwksUri`, whatever asks for them (unknown `kid`s, expiry). */
  readonly refetchIntervalSeconds: number;
  /** Longest time a fetched set is used before it is fetched again (a shorter `Cache-Control: max-age` wins). */
  readonly maxAgeSeconds: number;
  /** Fetch timeout in milliseconds. */
  readonly timeoutMs: number;
}

/** One usable public key of a client. */
export interface ClientKey {
  readonly kid: string | undefined;
  /** The JWK's own `alg`, when it names one: the key then verifies only that algorithm. */
  readonly alg: string | undefined;
  readonly key: KeyObject;
}

interface FetchedSet {
  keys: readonly ClientKey[];
  /** When the set was last fetched or tried (ms), success or not: the refetch bound counts from here. */
  triedAt: number;
  freshUntil: number;
  pending: Promise<void> | undefined;
  /** Why the last fetch failed, while no keys are known. */
  failure: unknown;
}

/** Largest JWK Set response read, and most keys taken from it: a client's set is a handful of keys. */
const MAX_JWKS_BYTES = 64 * 1024;
const MAX_KEYS = 32;

/**
 * The public keys that verify a client's `private_key_jwt` assertions: its static `jwks` (turned into key
 * objects once per set), or the set at its `jwksUri`, fetched when first needed and cached. An assertion whose
 * `kid` the cached set lacks (the client rotated its key) makes the set be fetched again, but a set is never
 * fetched twice within `refetchIntervalSeconds`, whoever asks: a stranger sending made-up `kid`s for a client
 * costs its JWKS host at most one request per interval, and a failed fetch keeps the keys already known, so
 * neither can shut the client out.
 */
export class ClientKeys {
  private readonly fetched = new Map<string, FetchedSet>();
  private readonly staticSets = new WeakMap<object, readonly ClientKey[]>();

  constructor(private readonly settings: ClientKeysSettings, private readonly now: () => number = Date.now) {}

  /**
   * The keys of `client` that may verify an assertion with this `kid` and `alg`; empty when none does.
   * Rejects when the client's JWK Set cannot be fetched and no keys are known.
   */
  async candidates(client: Client, kid: string | undefined, alg: string): Promise<readonly ClientKey[]> {
    if (client.jwks !== undefined) return matching(this.staticKeys(client.jwks), kid, alg);
    const uri = client.jwksUri;
    // A ClientStore's client was never checked at start-up: a URI we would not fetch gives no keys.
    if (!isFetchableJwksUri(uri)) return [];
    let set = this.fetched.get(uri);
    if (set === undefined) {
      set = { keys: [], triedAt: Number.NEGATIVE_INFINITY, freshUntil: 0, pending: undefined, failure: undefined };
      this.remember(uri, set);
    } else {
      this.fetched.delete(uri);
      this.fetched.set(uri, set); // most recently used last
    }
    // Expired keys keep serving until the bound lets the set be fetched again.
    if (this.now() >= set.freshUntil) await this.refresh(uri, set);
    let found = matching(set.keys, kid, alg);
    // An unknown kid: the client may have rotated; look again, within the bound.
    if (found.length === 0) {
      await this.refresh(uri, set);
      found = matching(set.keys, kid, alg);
    }
    if (set.keys.length === 0 && set.failure !== undefined) throw set.failure;
    return found;
  }

  /** Checks a static JWK Set once (at start-up for listed clients), throwing a TypeError saying what is wrong. */
  static parseSet(jwks: unknown, where: string): readonly ClientKey[] {
    if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys)) {
      throw new TypeError(`${where} must be a JWK Set: { keys: [...] }`);
    }
    const keys = (jwks as { keys: unknown[] }).keys;
    if (keys.length === 0 || keys.length > MAX_KEYS) throw new TypeError(`${where}.keys must list 1 to ${MAX_KEYS} keys`);
    return keys.map((jwk, i) => {
      const key = toClientKey(jwk);
      if (typeof key === 'string') throw new TypeError(`${where}.keys[${i}] ${key}`);
      return key;
    }).filter((k): k is ClientKey => k !== undefined);
  }

  private staticKeys(jwks: object): readonly ClientKey[] {
    let keys = this.staticSets.get(jwks);
    if (keys === undefined) {
      // A ClientStore's client was not checked at start-up: unusable keys are skipped, not thrown.
      keys = ((jwks as { keys?: unknown }).keys instanceof Array ? ((jwks as { keys: unknown[] }).keys.slice(0, MAX_KEYS)) : [])
        .map(toClientKey)
        .filter((k): k is ClientKey => typeof k === 'object');
      this.staticSets.set(jwks, keys);
    }
    return keys;
  }

  private remember(uri: string, set: FetchedSet): void {
    this.fetched.set(uri, set);
    if (this.fetched.size > this.settings.cacheSize) {
      const oldest = this.fetched.keys().next().value as string;
      this.fetched.delete(oldest);
    }
  }

  // Fetches the set again unless it was tried within the interval (a failed try too, so a host that is down is
  // not asked per request); concurrent callers share one fetch.
  private refresh(uri: string, set: FetchedSet): Promise<void> {
    if (set.pending !== undefined) return set.pending;
    if (this.now() - set.triedAt < this.settings.refetchIntervalSeconds * 1000) return Promise.resolve();
    set.triedAt = this.now();
    set.pending = this.fetchSet(uri).then(
      ({ keys, maxAge }) => {
        set.keys = keys;
        set.freshUntil = this.now() + Math.min(maxAge ?? this.settings.maxAgeSeconds, this.settings.maxAgeSeconds) * 1000;
        set.pending = undefined;
        set.failure = undefined;
      },
      (err: unknown) => {
        set.pending = undefined;
        // Keys already known keep working; with none, callers learn that the keys could not be had.
        set.failure = err;
      },
    );
    return set.pending;
  }

  private async fetchSet(uri: string): Promise<{ keys: readonly ClientKey[]; maxAge: number | undefined }> {
    const res = await fetch(uri, {
      headers: { accept: 'application/jwk-set+json, application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    if (res.status !== 200) throw new Error(`the client's JWKS endpoint answered ${res.status}`);
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_JWKS_BYTES) throw new Error("the client's JWK Set is too large");
    const text = await readAtMost(res, MAX_JWKS_BYTES);
    const body = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(body?.keys)) throw new Error("the client's JWKS endpoint answered without a keys array");
    const keys = body.keys.slice(0, MAX_KEYS).map(toClientKey).filter((k): k is ClientKey => typeof k === 'object');
    return { keys, maxAge: cacheControlMaxAge(res.headers.get('cache-control')) };
  }
}

// A body sent without Content-Length (chunked) is read only up to the bound, never into memory whole.
async function readAtMost(res: Response, maxBytes: number): Promise<string> {
  const reader = res.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error("the client's JWK Set is too large");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function matching(keys: readonly ClientKey[], kid: string | undefined, alg: string): readonly ClientKey[] {
  return keys.filter((k) => (kid === undefined || k.kid === kid) && (k.alg === undefined || k.alg === alg) && keyFitsAlgorithm(k.key, alg));
}

// A JWK that can verify signatures: a public asymmetric key, not marked for encryption only. `undefined` for a
// key that is fine but not for signing (use "enc"); a string saying why for one that is not a usable key.
function toClientKey(jwk: unknown): ClientKey | undefined | string {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return 'is not a JWK object';
  const { kty, use, kid, alg, key_ops: ops, d } = jwk as Record<string, unknown>;
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') return `has kty ${JSON.stringify(kty)}; a client's keys are public RSA, EC or OKP keys`;
  if (d !== undefined) return 'is a private key; list only the public key';
  if (kid !== undefined && typeof kid !== 'string') return 'has a kid that is not a string';
  if (alg !== undefined && typeof alg !== 'string') return 'has an alg that is not a string';
  if (use !== undefined && use !== 'sig') return undefined;
  if (Array.isArray(ops) && !ops.includes('verify')) return undefined;
  try {
    return { kid: kid as string | undefined, alg: alg as string | undefined, key: createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }) };
  } catch {
    return 'is not a valid public JWK';
  }
}

// RFC 9111 §5.2.2.1 max-age; no-store and no-cache mean "do not reuse", i.e. refetch after the interval.
function cacheControlMaxAge(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/(?:^|,)\s*no-(?:store|cache)\s*(?:,|$)/i.test(header)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(header);
  return match === null ? undefined : Number(match[1]);
}
