import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient, type SigningKey as JwksSigningKey } from 'jwks-rsa';
import { TemporarilyUnavailableError } from '../errors/token-errors';
import type { ResolveVerifyKey } from '../tokens/jwt-verifier';
import { TokenRejection } from './token-rejection';

/** Settings of {@link jwksKeyResolver}. */
export interface JwksResolverSettings {
  readonly jwksUri: string;
  /** How long fetched keys are kept, in seconds. */
  readonly cacheMaxAge: number;
  /** Most JWKS fetches per minute; an unknown `kid` past it is refused rather than fetched. */
  readonly requestsPerMinute: number;
  /** Fetch timeout in milliseconds. */
  readonly timeout: number;
}

/**
 * Resolves a JWT's key from a remote JWKS (RFC 7517) through jwks-rsa, the ecosystem's JWKS client for
 * jsonwebtoken: keys are cached per `kid`, an unknown `kid` triggers a refetch (a rotation at the issuer), and
 * refetches are rate-limited so tokens with made-up `kid`s cannot make us hammer the issuer. jwks-rsa hands
 * keys over as PEM; each is turned into a KeyObject once and remembered with the cached key object.
 * @see https://www.rfc-editor.org/rfc/rfc7517
 */
export function jwksKeyResolver(settings: JwksResolverSettings): ResolveVerifyKey {
  const client = new JwksClient({
    jwksUri: settings.jwksUri,
    cache: true,
    cacheMaxAge: settings.cacheMaxAge * 1000,
    cacheMaxEntries: 16,
    rateLimit: true,
    jwksRequestsPerMinute: settings.requestsPerMinute,
    timeout: settings.timeout,
  });
  const keyObjects = new WeakMap<JwksSigningKey, KeyObject>();

  return async (kid, alg) => {
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

function jwksFailure(err: unknown): Error {
  const name = err instanceof Error ? err.name : '';
  if (name === 'SigningKeyNotFoundError') return new TokenRejection('the access token is signed by an unknown key');
  if (name === 'JwksRateLimitError') return new TokenRejection('the access token is signed by an unknown key', 'JWKS refetch rate limit reached');
  return new TemporarilyUnavailableError({ description: 'the signing keys could not be fetched', detail: err instanceof Error ? err.message.slice(0, 200) : undefined, cause: err });
}
