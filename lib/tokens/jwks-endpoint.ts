import type { RequestHandler } from 'express';
import type { SigningKeySet } from './signing-keys';

/**
 * `GET /jwks`: the public signing keys as an RFC 7517 JWK Set, serialized once. Resource servers may cache it
 * for `max-age` seconds; after a rotation they refetch on meeting the new `kid`.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function jwksEndpoint(keys: SigningKeySet, maxAge: number): RequestHandler {
  const body = JSON.stringify(keys.jwks);
  const cacheControl = `public, max-age=${maxAge}`;
  return function jwksEndpointMiddleware(_req, res) {
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('Content-Type', 'application/jwk-set+json; charset=utf-8');
    res.send(body);
  };
}
