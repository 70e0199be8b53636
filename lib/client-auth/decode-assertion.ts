import type { ClientAssertion } from '../core/request-state';

/** The `client_assertion_type` of RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const PART = /^[A-Za-z0-9_-]+$/;

/**
 * Splits a compact JWS (RFC 7515 §7.1) into header, claims and signature; `undefined` for anything else: not
 * three base64url parts (a JWE, two JWTs, padding), a header or payload that is not a JSON object. RFC 7523
 * §2.2: the assertion "MUST NOT contain more than one JWT".
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export function decodeAssertion(assertion: string): ClientAssertion | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  if (!PART.test(h) || !PART.test(p) || !PART.test(s)) return undefined;
  const header = jsonObject(h);
  const payload = jsonObject(p);
  if (header === undefined || payload === undefined) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

function jsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
