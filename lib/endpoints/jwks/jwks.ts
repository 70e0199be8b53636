import type { PlainResponse } from '../../http';
import type { SigningKeys } from '../../tokens/signing-keys';

/**
 * `GET /jwks`: the public signing keys as an RFC 7517 JWK Set. Public and cacheable, unlike the other
 * endpoints: resource servers may keep it for `max-age` seconds, and after a rotation they refetch on meeting
 * the new `kid` (the key ring publishes a key before it signs). Serialized once per set of keys.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function jwksResponse(keys: SigningKeys, maxAge: number): () => PlainResponse | Promise<PlainResponse> {
  const headers = Object.freeze({ 'Cache-Control': `public, max-age=${maxAge}`, 'Content-Type': 'application/jwk-set+json; charset=utf-8' });
  let served: { readonly jwks: object; readonly response: PlainResponse } | undefined;
  const respond = (): PlainResponse => {
    const jwks = keys.jwks;
    if (served?.jwks !== jwks) served = { jwks, response: Object.freeze({ status: 200, headers, body: JSON.stringify(jwks) }) };
    return served.response;
  };
  return () => {
    const pending = keys.whenReady();
    return pending === undefined ? respond() : pending.then(respond);
  };
}
