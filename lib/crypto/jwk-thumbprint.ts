import { sha256 } from './sha256';

// RFC 7638 §3.2: the required members of each key type, in lexicographic order. Anything else in the JWK
// (kid, alg, use, …) is left out, so the same key always has the same thumbprint.
const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
  oct: ['k', 'kty'],
};

/**
 * The RFC 7638 thumbprint of a JWK (SHA-256, base64url): the key ring names its keys by it and DPoP binds
 * tokens to it (`cnf.jkt`, RFC 9449 §6.1). Throws a TypeError when the key type is unknown or a required
 * member is missing or not a string.
 *
 * @example
 * ```ts
 * import { generateKeyPairSync } from 'node:crypto';
 *
 * const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
 * jwkThumbprint(publicKey.export({ format: 'jwk' })); // e.g. 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7638#section-3
 */
export function jwkThumbprint(jwk: Readonly<Record<string, unknown>>): string {
  const kty = jwk.kty;
  const members = typeof kty === 'string' && Object.hasOwn(REQUIRED_MEMBERS, kty) ? REQUIRED_MEMBERS[kty] : undefined;
  if (members === undefined) throw new TypeError('jwkThumbprint: unsupported key type');
  const canonical: Record<string, string> = {};
  for (const name of members) {
    const value = jwk[name];
    if (typeof value !== 'string') throw new TypeError(`jwkThumbprint: the key has no "${name}"`);
    canonical[name] = value;
  }
  // JSON.stringify writes the members in insertion order (sorted above) with no whitespace, and escapes
  // nothing a base64url member or curve name can hold: the RFC 7638 §3.3 UTF-8 form.
  return sha256(JSON.stringify(canonical));
}
