import { randomBytes, randomFillSync } from 'node:crypto';
import { sha256 } from '../crypto/sha256';

/** Bytes of randomness in every token Keyturn mints: 256 bits (RFC 6749 §10.10, RFC 6750 §5.2). */
export const TOKEN_BYTES = 32;

// Random bytes are drawn from the CSPRNG 8 KiB at a time and handed out once each: one randomFillSync per
// 256 tokens instead of one randomBytes call (and Buffer) per token, which cost more than the token's hash.
const POOL_BYTES = 8192;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * A new unguessable token: 256 random bits, base64url-encoded (43 characters).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.10
 */
export function generateToken(): string {
  return randomString(TOKEN_BYTES);
}

/** `bytes` random bytes from the CSPRNG, base64url-encoded. Each byte of the pool is used once. */
export function randomString(bytes: number): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString('base64url');
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const value = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return value;
}

/**
 * The key a token is stored under. Tokens carry 256 random bits, so a fast unsalted SHA-256 cannot be
 * reversed or brute-forced, and a stolen store holds nothing usable.
 */
export function hashToken(token: string): string {
  return sha256(token);
}
