import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient, type SigningKey as JwksSigningKey } from 'jwks-rsa';
import { TemporarilyUnavailableError } from '../errors/token-errors';
import type { ResolveVerifyKey } from './jwt-verifier';
import { TokenRejection } from './token-rejection';

/** Settings of {@link jwksKeyResolver}. */
export interface JwksResolverSettings {
  readonly jwksUri: string;
  /** Longest time fetched keys are kept, in seconds. */
  readonly cacheMaxAge: number;
  /** Most JWKS fetches per minute; an unknown `kid` past it is refused rather than fetched. */
  readonly requestsPerMinute: number;
  /** Fetch timeout in milliseconds. */
  readonly timeout: number;
}

/** Shortest time keys are kept whatever the JWKS response says, so `max-age=0` cannot mean a fetch per request. */
const MIN_CACHE_SECONDS = 30;

/**
 * Resolves a JWT's key from a remote JWKS (RFC 7517) through jwks-rsa, the ecosystem's JWKS client for
 * jsonwebtoken: keys are cached per `kid`, an unknown `kid` triggers a refetch (a rotation at the issuer), and
 * refetches are rate-limited so tokens with made-up `kid`s cannot make us hammer the issuer.
 *
 * jwks-rsa keeps keys for a fixed time and ignores the response's `Cache-Control`; to honour it, the JWKS is
 * fetched here (jwks-rsa's `fetcher` hook), its `max-age` noted, and once it has passed the jwks-rsa client
 * (and with it the cache) is replaced. Keys thus live `max-age` seconds, clamped to [30, cacheMaxAge].
 * jwks-rsa hands keys over as PEM; each becomes a KeyObject once, remembered with the cached key object.
 * @see https://www.rfc-editor.org/rfc/rfc7517
 */
export function jwksKeyResolver(settings: JwksResolverSettings): ResolveVerifyKey {
  let freshUntil = Number.POSITIVE_INFINITY;
  const fetcher = async (uri: string): Promise<{ keys: unknown[] }> => {
    const res = await fetch(uri, { headers: { accept: 'application/jwk-set+json, application/json' }, signal: AbortSignal.timeout(settings.timeout) });
    if (res.status !== 200) throw new Error(`the JWKS endpoint answered ${res.status}`);
    const body = (await res.json()) as { keys?: unknown };
    if (!Array.isArray(body?.keys)) throw new Error('the JWKS endpoint answered without a keys array');
    const maxAge = cacheControlMaxAge(res.headers.get('cache-control')) ?? settings.cacheMaxAge;
    freshUntil = Date.now() + Math.min(Math.max(maxAge, MIN_CACHE_SECONDS), settings.cacheMaxAge) * 1000;
    return { keys: body.keys };
  };
  const newClient = () =>
    new JwksClient({
      jwksUri: settings.jwksUri,
      fetcher,
      cache: true,
      cacheMaxAge: settings.cacheMaxAge * 1000,
      cacheMaxEntries: 16,
      rateLimit: true,
      jwksRequestsPerMinute: settings.requestsPerMinute,
      timeout: settings.timeout,
    });
  let client = newClient();
  const keyObjects = new WeakMap<JwksSigningKey, KeyObject>();

  return async (kid, alg) => {
    if (Date.now() >= freshUntil) {
      freshUntil = Number.POSITIVE_INFINITY;
      client = newClient();
    }
    let signingKey: JwksSigningKey;
    try {
      signingKey = await client.getSigningKey(kid);
    } catch (err) {
      throw jwksFailure(err);
    }
    const published = (signingKey as { alg?: unknown }).alg;
    if (typeof published === 'string' && published !== alg) {
      throw new TokenRejection('the access token is signed with an algorithm that is not accepted', `alg ${alg}, key published for ${published}`);
    }
    let key = keyObjects.get(signingKey);
    if (key === undefined) {
      key = createPublicKey(signingKey.getPublicKey());
      keyObjects.set(signingKey, key);
    }
    return key;
  };
}

// RFC 9111 §5.2.2.1 max-age; no-store and no-cache mean "do not reuse", i.e. the shortest lifetime.
function cacheControlMaxAge(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/(?:^|,)\s*no-(?:store|cache)\s*(?:,|$)/i.test(header)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(header);
  return match === null ? undefined : Number(match[1]);
}

function jwksFailure(err: unknown): Error {
  const name = err instanceof Error ? err.name : '';
  if (name === 'SigningKeyNotFoundError') return new TokenRejection('the access token is signed by an unknown key');
  if (name === 'JwksRateLimitError') return new TokenRejection('the access token is signed by an unknown key', 'JWKS refetch rate limit reached');
  return new TemporarilyUnavailableError({ description: 'the signing keys could not be fetched', detail: err instanceof Error ? err.message.slice(0, 200) : undefined, cause: err });
}
