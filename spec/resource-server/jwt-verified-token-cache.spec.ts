/*
 * The verified-token cache on its own: its bound, and what happens to a cached token when the keys change.
 * A verification made with a key that is no longer accepted must not be served (RFC 9068 §4: the signature
 * is validated with the issuer's current keys): a key that is gone refuses the token as a full verification
 * would, and a kid now naming another key sends the token through a full verification again.
 */
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TokenRejection } from '../../lib/resource-server/token-rejection';
import { JwtAccessTokenVerifier } from '../../lib/resource-server/jwt-verifier';
import {
  cachedJwtVerification,
  DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES,
  VerifiedTokenCache,
  verifiedTokenCacheSize,
  type CachedVerification,
} from '../../lib/resource-server/verified-token-cache';
import { ecKeyPair, rsaKeyPair } from '../support/keys';

const ISSUER = 'https://issuer.example.test';
const first = ecKeyPair();
const second = ecKeyPair();
const rsa = rsaKeyPair('rsa-a');

function sign(kid: string, key: KeyObject = first.privateKey, alg: jwt.Algorithm = 'ES256'): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    { iss: ISSUER, sub: 'svc', aud: ISSUER, exp: now + 300, iat: now, jti: `j${Math.random()}`, client_id: 'svc', scope: 'read' },
    key,
    { algorithm: alg, header: { alg, typ: 'at+jwt', kid } },
  );
}

/** A verifier over a key set that can change while it runs, as a rotating key set or a refetched JWKS does. */
function rotatingVerifier(keys: Map<string, KeyObject>): JwtAccessTokenVerifier {
  return new JwtAccessTokenVerifier({
    issuer: ISSUER,
    audience: [ISSUER],
    algorithms: ['ES256', 'RS256'],
    clockTolerance: 5,
    resolveKey: (kid) => {
      const key = kid === undefined ? undefined : keys.get(kid);
      if (key === undefined) throw new TokenRejection('the access token is signed by an unknown key');
      return key;
    },
  });
}

function entry(n: number): CachedVerification<{ n: number }> {
  return { value: { n }, signedPart: 'h.p', exp: 0, nbf: undefined, kid: 'k', alg: 'ES256', key: first.publicKey };
}

afterEach(() => jest.restoreAllMocks());

describe('VerifiedTokenCache: bounded by maxEntries', () => {
  it('never holds more than maxEntries, dropping the oldest first', () => {
    const cache = new VerifiedTokenCache<{ n: number }>(3);
    for (let n = 0; n < 10; n++) {
      cache.set(`t${n}`, entry(n));
      expect(cache.size).toBeLessThanOrEqual(3);
    }
    expect(cache.size).toBe(3);
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => cache.get(`t${n}`))).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    expect([7, 8, 9].map((n) => cache.get(`t${n}`)?.value)).toEqual([{ n: 7 }, { n: 8 }, { n: 9 }]);
  });

  it('replaces an entry set again without dropping another', () => {
    const cache = new VerifiedTokenCache<{ n: number }>(2);
    cache.set('a', entry(1));
    cache.set('b', entry(2));
    cache.set('a', entry(3));
    expect(cache.size).toBe(2);
    expect([cache.get('a')?.value, cache.get('b')?.value]).toEqual([{ n: 3 }, { n: 2 }]);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new VerifiedTokenCache(0)).toThrow(new TypeError('VerifiedTokenCache: maxEntries must be a positive integer'));
  });
});

describe('verifiedTokenCacheSize: the option, checked once', () => {
  it('defaults to 10 000 entries, false turns the cache off', () => {
    expect(DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES).toBe(10_000);
    expect(verifiedTokenCacheSize(undefined, 'x')).toBe(10_000);
    expect(verifiedTokenCacheSize({}, 'x')).toBe(10_000);
    expect(verifiedTokenCacheSize({ maxEntries: 5 }, 'x')).toBe(5);
    expect(verifiedTokenCacheSize(false, 'x')).toBeUndefined();
  });

  it('names the option in its error', () => {
    expect(() => verifiedTokenCacheSize({ maxEntries: -1 }, 'requireBearer: options.verifiedTokenCache')).toThrow(
      new TypeError('requireBearer: options.verifiedTokenCache must be false or { maxEntries: a positive integer }'),
    );
  });
});

describe('cachedJwtVerification: key changes', () => {
  let verifications: jest.SpiedFunction<typeof jwt.verify>;
  beforeEach(() => {
    verifications = jest.spyOn(jwt, 'verify');
  });

  function setup() {
    const keys = new Map<string, KeyObject>([
      ['k1', first.publicKey],
      ['r1', rsa.publicKey],
    ]);
    const cache = new VerifiedTokenCache<{ sub: string; claims: object }>(10);
    const check = cachedJwtVerification(rotatingVerifier(keys), cache, (claims) => ({ sub: claims.sub, claims }));
    // As a promise whichever way the check answered (a hit answers synchronously; see the test below).
    const verify = async (token: string) => check(token);
    return { keys, cache, verify, check };
  }

  it('answers a hit synchronously, and throws the rejection of a hit synchronously, when the key lookup needs no I/O', async () => {
    const { keys, check } = setup();
    const token = sign('k1');
    const miss = check(token);
    expect(miss).toBeInstanceOf(Promise);
    const value = await miss;
    expect(check(token)).toBe(value);
    keys.delete('k1');
    expect(() => check(token)).toThrow(new TokenRejection('the access token is signed by an unknown key'));
  });

  it('serves a token again from the cache while its key is still in the set, with the same frozen result', async () => {
    const { cache, verify } = setup();
    const token = sign('k1');
    const miss = await verify(token);
    const hit = await verify(token);
    expect(hit).toBe(miss);
    expect(Object.isFrozen(hit) && Object.isFrozen(hit.claims)).toBe(true);
    expect(verifications).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(1);
  });

  it('refuses a cached token whose key was removed, as a full verification would, and drops it', async () => {
    const { keys, cache, verify } = setup();
    const token = sign('k1');
    await verify(token);
    keys.delete('k1');
    await expect(verify(token)).rejects.toEqual(new TokenRejection('the access token is signed by an unknown key'));
    expect(cache.size).toBe(0);
    // The same answer an uncached verifier gives.
    await expect(rotatingVerifier(keys).verify(token)).rejects.toEqual(new TokenRejection('the access token is signed by an unknown key'));
  });

  it('verifies a cached token again when its kid now names another key (and refuses it: the signature no longer matches)', async () => {
    const { keys, cache, verify } = setup();
    const token = sign('k1');
    await verify(token);
    keys.set('k1', second.publicKey);
    verifications.mockClear();
    await expect(verify(token)).rejects.toEqual(new TokenRejection('the access token signature is invalid'));
    expect(verifications).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(0);
  });

  it('keeps serving tokens of the keys that stay, across a rotation that removes another', async () => {
    const { keys, cache, verify } = setup();
    const kept = sign('r1', rsa.privateKey, 'RS256');
    const dropped = sign('k1');
    await verify(kept);
    await verify(dropped);
    keys.delete('k1');
    verifications.mockClear();
    await expect(verify(kept)).resolves.toMatchObject({ sub: 'svc' });
    await expect(verify(dropped)).rejects.toEqual(new TokenRejection('the access token is signed by an unknown key'));
    expect(verifications).not.toHaveBeenCalled();
    expect(cache.size).toBe(1);
  });

  it('remembers nothing without a cache, and still hands out frozen results', async () => {
    const verify = cachedJwtVerification(rotatingVerifier(new Map([['k1', first.publicKey]])), undefined, (claims) => ({ claims }));
    const token = sign('k1');
    const a = await verify(token);
    const b = await verify(token);
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
    expect(Object.isFrozen(a.claims)).toBe(true);
    expect(verifications).toHaveBeenCalledTimes(2);
  });
});
