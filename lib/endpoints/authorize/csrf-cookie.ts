import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie holding the browser's CSRF token for consent forms. */
export const CSRF_COOKIE = 'keyturn_csrf';

/**
 * The consent form's CSRF defence, a double submit bound to the transaction: the browser gets a random
 * token in an HttpOnly, SameSite=Strict cookie scoped to the authorize endpoint; the form carries it too;
 * the signed transaction carries its hash. The adapter sends the `Set-Cookie` this returns. A forged POST from another site has neither the cookie (SameSite)
 * nor the value (it cannot read our page), and a token from another browser does not match this cookie.
 * The token is reused while the cookie lives, so two open consent tabs both work.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function issueCsrfToken(
  cookieHeader: string | undefined,
  where: { readonly mountPath: string; readonly secure: boolean },
  ttlSeconds: number,
): { readonly token: string; readonly setCookie: string } {
  const existing = readCookie(cookieHeader, CSRF_COOKIE);
  const token = existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomBytes(32).toString('base64url');
  const attributes = [`Path=${where.mountPath}/authorize`, `Max-Age=${ttlSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  if (where.secure) attributes.push('Secure');
  return { token, setCookie: `${CSRF_COOKIE}=${token}; ${attributes.join('; ')}` };
}

/** SHA-256 of a CSRF token, base64url: what the transaction carries. */
export function csrfHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** True when the form's token equals the cookie's and hashes to the transaction's. */
export function checkCsrfToken(cookieHeader: string | undefined, formToken: string | undefined, expectedHash: string): boolean {
  const cookie = readCookie(cookieHeader, CSRF_COOKIE);
  if (cookie === undefined || formToken === undefined) return false;
  return safeEqual(cookie, formToken) && safeEqual(csrfHash(formToken), expectedHash);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
