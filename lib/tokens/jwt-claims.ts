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
  /**
   * Keyturn's own claim: the grant family the token was issued from (a refresh token family, or an
   * authorization code's grant), absent for a token of no family (client_credentials without a refresh
   * token). An opaque id, never part of a token. Revoking the family refuses the token at the server's own
   * checks (`requireBearer({ server })`, `/introspect`); a resource server that checks only the JWKS cannot know.
   */
  readonly fid?: string;
  /** RFC 9449 §6.1: for a DPoP-bound token, the RFC 7638 thumbprint of the key it is bound to. */
  readonly cnf?: { readonly jkt?: string };
  readonly [claim: string]: unknown;
}

/**
 * The grant family a verified token names (its `fid`), or `undefined` for a token of no family. Only the
 * server's own signed claims reach here; the shape check keeps anything else from becoming a store key.
 */
export function familyOfClaims(claims: JwtAccessTokenClaims): string | undefined {
  const fid = claims.fid;
  return typeof fid === 'string' && FAMILY_ID.test(fid) ? fid : undefined;
}

// A family id is the SHA-256 of the family's seed, in base64url (tokens/family-token.ts).
const FAMILY_ID = /^[A-Za-z0-9_-]{43}$/;

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
