/**
 * Whether `value` may be fetched as a client's JWK Set: an absolute https URL without fragment, or http on the
 * loopback interface for development and tests (OpenID Connect Registration §2, RFC 7591 §2: the keys come over
 * TLS). Checked at start-up for listed clients and again before each fetch, since a `ClientStore` serves
 * clients the server never saw at start-up.
 *
 * @example
 * ```ts
 * isFetchableJwksUri('https://billing.internal/jwks.json'); // true
 * isFetchableJwksUri('http://10.0.0.5/jwks.json'); // false: plain http off the loopback interface
 * ```
 */
export function isFetchableJwksUri(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return url.hash === '' && (url.protocol === 'https:' || (url.protocol === 'http:' && loopback));
}
