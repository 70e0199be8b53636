import { createHash, randomBytes } from 'node:crypto';

/** Bytes of randomness in every token Keyturn mints: 256 bits (RFC 6749 §10.10, RFC 6750 §5.2). */
export const TOKEN_BYTES = 32;

/**
 * A new unguessable token: 256 random bits, base64url-encoded (43 characters).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.10
 */
export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * The key a token is stored under. Tokens carry 256 random bits, so a fast unsalted SHA-256 cannot be
 * reversed or brute-forced, and a stolen store holds nothing usable.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
