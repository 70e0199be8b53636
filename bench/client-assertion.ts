// The scenario-7 client's side: a fresh `private_key_jwt` assertion (RFC 7523 §3) per token request, signed
// ES256 with node's crypto, as a client library would. Shared by the load hook (every request) and the server
// (the one request the harness checks before the load).
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { ASSERTION_CLIENT_ID, ASSERTION_ISSUER, ASSERTION_KID, ASSERTION_PRIVATE_JWK, SCOPE } from './fixtures';

const key = createPrivateKey({ key: { ...ASSERTION_PRIVATE_JWK }, format: 'jwk' });
const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: ASSERTION_KID })).toString('base64url');
const TYPE = encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');

/** A signed assertion with a new `jti`, valid for 120 s from now (signed up to a round ahead of its use). */
export function clientAssertion(): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: ASSERTION_CLIENT_ID, sub: ASSERTION_CLIENT_ID, aud: ASSERTION_ISSUER, iat: now, exp: now + 120, jti: randomBytes(16).toString('base64url') };
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `${input}.${signature}`;
}

/** The form body of a client_credentials request authenticated by a fresh assertion. */
export function assertionTokenBody(): string {
  return `grant_type=client_credentials&scope=${SCOPE}&client_assertion_type=${TYPE}&client_assertion=${clientAssertion()}`;
}
