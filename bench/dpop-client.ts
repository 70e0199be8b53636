// The DPoP client of scenario 6: one fixed P-256 key (it protects nothing), shared by the resource servers,
// which bind the test token to its thumbprint, and by the load generator, which signs a fresh ES256 proof
// (RFC 9449 §4.2) for every request. Proofs are made with node's crypto alone: the header (typ, alg, jwk) is
// encoded once, and each proof costs one JSON payload and one P-256 signature on the load generator's core.
import { createHash, createPrivateKey, randomBytes, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

const PRIVATE_JWK: JsonWebKey = {
  kty: 'EC',
  crv: 'P-256',
  x: 'jVIs08vzhh7qdqsKSSY3tqzom-zlzMgvBBp1NJdwL3c',
  y: 'WCZGcuvI9TeaG_1Sa5xN_CCX9sGqqjfUtZXAtrTkIk4',
  d: 'J7HKp9XMhH7ajthnrO78x8KXMzFw5P88YETn5IjQDbE',
};

/** The public half, as a proof's header carries it. */
export const DPOP_PUBLIC_JWK = { kty: 'EC', crv: 'P-256', x: PRIVATE_JWK.x as string, y: PRIVATE_JWK.y as string };

/** RFC 7638 thumbprint of the key: the `cnf.jkt` every bound test token carries. */
export const DPOP_JKT = createHash('sha256')
  .update(JSON.stringify({ crv: DPOP_PUBLIC_JWK.crv, kty: DPOP_PUBLIC_JWK.kty, x: DPOP_PUBLIC_JWK.x, y: DPOP_PUBLIC_JWK.y }))
  .digest('base64url');

let privateKey: KeyObject | undefined;
const HEADER = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: DPOP_PUBLIC_JWK })).toString('base64url');

/** A proof for `htm` `htu` carrying `ath` (base64url SHA-256 of the access token), issued now, with a random jti. */
export function dpopProof(htm: string, htu: string, ath: string | undefined): string {
  privateKey ??= createPrivateKey({ key: PRIVATE_JWK, format: 'jwk' });
  const payload = Buffer.from(
    JSON.stringify({ jti: randomBytes(12).toString('base64url'), htm, htu, iat: Math.floor(Date.now() / 1000), ...(ath === undefined ? {} : { ath }) }),
  ).toString('base64url');
  const input = `${HEADER}.${payload}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** base64url(SHA-256(token)): the `ath` of proofs that go with `token`. */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The `htu` and `htm` of a proof (the one a server handed over), to sign more like it. */
export function proofTarget(proof: string): { htm: string; htu: string } {
  const payload = JSON.parse(Buffer.from(proof.split('.')[1] ?? '', 'base64url').toString('utf8')) as { htm: string; htu: string };
  return { htm: payload.htm, htu: payload.htu };
}
