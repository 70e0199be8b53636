import { createHash, timingSafeEqual } from 'node:crypto';

/** A PKCE transformation (RFC 7636 §4.2). */
export type CodeChallengeMethod = 'S256' | 'plain';

// RFC 7636 §4.1: code-verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
// §4.2 gives code_challenge the same alphabet and length (an S256 challenge is always 43 characters).
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * True when `value` is a well-formed `code_verifier` or `code_challenge`: 43 to 128 unreserved characters.
 * @example
 * ```ts
 * isPkceValue('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // true
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function isPkceValue(value: string): boolean {
  return VERIFIER.test(value);
}

/**
 * The S256 `code_challenge` of a verifier: BASE64URL(SHA256(ASCII(code_verifier))).
 * @example
 * ```ts
 * s256CodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function s256CodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Checks a `code_verifier` against the challenge stored with the code, in constant time (RFC 7636 §4.6:
 * transform the verifier with the recorded method and compare).
 * @example
 * ```ts
 * verifyCodeVerifier(params.code_verifier, record.codeChallenge, 'S256');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export function verifyCodeVerifier(verifier: string, challenge: string, method: CodeChallengeMethod): boolean {
  if (!isPkceValue(verifier)) return false;
  const computed = Buffer.from(method === 'S256' ? s256CodeChallenge(verifier) : verifier);
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
