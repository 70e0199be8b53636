import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/**
 * The asymmetric JWS algorithms `private_key_jwt` accepts (RFC 7518 §3.3–3.5, RFC 8037, RFC 9864), when node
 * can verify them. `none` and the HMAC algorithms are never among them: a public key is no HMAC key.
 */
export const ASYMMETRIC_ASSERTION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

/** The HMAC algorithms `client_secret_jwt` accepts (RFC 7518 §3.2), and only it. */
export const HMAC_ASSERTION_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

const HASH: Readonly<Record<string, string>> = {
  RS256: 'sha256', RS384: 'sha384', RS512: 'sha512',
  PS256: 'sha256', PS384: 'sha384', PS512: 'sha512',
  ES256: 'sha256', ES384: 'sha384', ES512: 'sha512',
  HS256: 'sha256', HS384: 'sha384', HS512: 'sha512',
};
const EC_CURVE: Readonly<Record<string, string>> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
export function hmacKeyBytes(alg: string): number {
  return alg === 'HS512' ? 64 : alg === 'HS384' ? 48 : 32;
}

/** True when `alg` is an asymmetric algorithm this server accepts. */
export function isAsymmetricAlgorithm(alg: unknown): alg is string {
  return typeof alg === 'string' && (ASYMMETRIC_ASSERTION_ALGORITHMS as readonly string[]).includes(alg);
}

/** True when `alg` is an HMAC algorithm. */
export function isHmacAlgorithm(alg: unknown): alg is string {
  return typeof alg === 'string' && (HMAC_ASSERTION_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * True when a public key may verify `alg`: RSA (at least 2048 bits, RFC 7518 §3.3) for RS*, RSA or RSA-PSS for
 * PS*, the curve the algorithm names for ES*, an Edwards curve for EdDSA. A key used with another algorithm
 * than its own is how algorithm confusion starts.
 */
export function keyFitsAlgorithm(key: KeyObject, alg: string): boolean {
  if (key.type !== 'public') return false;
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails;
  if (alg.startsWith('RS')) return type === 'rsa' && (details?.modulusLength ?? 0) >= 2048;
  if (alg.startsWith('PS')) return (type === 'rsa' || type === 'rsa-pss') && (details?.modulusLength ?? 0) >= 2048;
  if (alg.startsWith('ES')) return type === 'ec' && details?.namedCurve === EC_CURVE[alg];
  if (alg === 'Ed25519') return type === 'ed25519';
  if (alg === 'EdDSA') return type === 'ed25519' || type === 'ed448';
  return false;
}

/** Checks a JWS signature (RFC 7515 §5.2) with a key already known to fit `alg`. */
export function verifyAsymmetric(alg: string, key: KeyObject, signingInput: string, signature: Buffer): boolean {
  const data = Buffer.from(signingInput, 'ascii');
  try {
    if (alg === 'EdDSA' || alg === 'Ed25519') return verify(null, data, key, signature);
    const hash = HASH[alg] as string;
    if (alg.startsWith('PS')) return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    // JWS ECDSA signatures are R || S (RFC 7518 §3.4), not DER.
    if (alg.startsWith('ES')) return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    return verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

/** Checks a JWS HMAC (RFC 7518 §3.2) in constant time. */
export function verifyHmac(alg: string, key: KeyObject, signingInput: string, signature: Buffer): boolean {
  const expected = createHmac(HASH[alg] as string, key).update(signingInput, 'ascii').digest();
  return expected.length === signature.length && timingSafeEqual(expected, signature);
}
