import { hkdfSync } from 'node:crypto';

/**
 * The HKDF labels of the keys Keyturn derives from its one `secret`. Each use has its own, so a key learnt in
 * one place (a leaked session key, say) tells nothing about another, and no two uses ever share a key.
 */
export const KEY_LABELS = {
  /** AES-256-GCM key that seals the key ring's private keys at rest. */
  keyRing: 'keyturn key ring v1',
  /** HMAC key of the authorization endpoint's consent transaction. */
  consentTransaction: 'keyturn consent transaction v1',
  /** HMAC key of the DPoP server nonces (RFC 9449 §8), so every instance sharing the secret accepts them. */
  dpopNonce: 'keyturn dpop nonce v1',
} as const;

/**
 * Derives a key of `length` bytes from a secret with HKDF-SHA256 (RFC 5869), under a label naming its use:
 * the same secret and label give the same key in every process, so instances that share the secret can read
 * what another sealed or signed. Use it for keys of your own app beside Keyturn's (a session cookie's, say),
 * each under a label of its own.
 *
 * @param secret At least 32 bytes: the server's `secret` option, as a string or Buffer.
 * @param label What the key is for; never reuse one label for two purposes.
 * @example
 * ```ts
 * import { deriveKey } from 'keyturn';
 *
 * const sessionKey = deriveKey(process.env.KEYTURN_SECRET!, 'my-app session cookie');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5869
 */
export function deriveKey(secret: string | Buffer, label: string, length = 32): Buffer {
  const key = secretBytes(secret, 'secret');
  if (typeof label !== 'string' || label === '') throw new TypeError('deriveKey: label must be a non-empty string');
  // No salt: the secret is already uniformly random (RFC 5869 §3.1 allows that); the label separates uses.
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), label, length));
}

/** The bytes of a secret option, refused when shorter than 32 bytes; the message names the option. */
export function secretBytes(secret: unknown, name: string): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.isBuffer(secret) ? secret : undefined;
  if (bytes === undefined) throw new TypeError(`${name} must be a string or Buffer`);
  if (bytes.length < 32) throw new TypeError(`${name} must be at least 32 bytes (e.g. 32 random bytes, base64url)`);
  return Buffer.from(bytes);
}
