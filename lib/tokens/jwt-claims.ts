/**
 * The claims of a Keyturn JWT access token (RFC 9068 §2.2). Times are epoch seconds.
 *
 * @example
 * ```ts
 * app.get('/me', requireBearer({ server: auth }), (req, res) => {
 *   const claims = req.auth!.claims as JwtAccessTokenClaims;
 *   res.json({ client: claims.client_id, expires: claims.exp });
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.2
 */
export interface JwtAccessTokenClaims {
  readonly iss: string;
  /** The resource owner; the client id for client_credentials. */
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  readonly client_id: string;
  /** Space-delimited scope (RFC 8693 §4.2), absent when no scope was granted. */
  readonly scope?: string;
  readonly [claim: string]: unknown;
}

/** RFC 9068 §4: `typ` is `at+jwt`, or its full media type, compared case-insensitively. */
export function isAccessTokenType(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === 'at+jwt' || lower === 'application/at+jwt';
}

/** True when the token has the three dot-separated parts of a JWS compact serialization. */
export function looksLikeJwt(token: string): boolean {
  const first = token.indexOf('.');
  if (first <= 0) return false;
  const second = token.indexOf('.', first + 1);
  return second > first + 1 && second < token.length - 1 && token.indexOf('.', second + 1) === -1;
}
