import type { PlainResponse } from '../../http';
import type { SigningKeySet } from '../../tokens/signing-keys';

/**
 * `GET /jwks`: the public signing keys as an RFC 7517 JWK Set, serialized once. Public and cacheable, unlike
 * the other endpoints: resource servers may keep it for `max-age` seconds, and after a rotation they refetch on
 * meeting the new `kid`.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function jwksResponse(keys: SigningKeySet, maxAge: number): PlainResponse {
  return Object.freeze({
    status: 200,
    headers: Object.freeze({ 'Cache-Control': `public, max-age=${maxAge}`, 'Content-Type': 'application/jwk-set+json; charset=utf-8' }),
    body: JSON.stringify(keys.jwks),
  });
}
