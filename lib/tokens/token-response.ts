/**
 * The successful token endpoint response (RFC 6749 §5.1): what a {@link GrantType}'s `handle` resolves and
 * the endpoint sends as the body.
 *
 * @example
 * ```ts
 * import type { TokenResponse } from 'keyturn';
 *
 * const response: TokenResponse = {
 *   access_token: 'xh4hQ0h2Ul7cYdA9RcwBnIZmzeZ1nQ3c',
 *   token_type: 'Bearer',
 *   expires_in: 900,
 *   scope: '/accounts.read /accounts.write',
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface TokenResponse {
  /** The access token. */
  access_token: string;
  /** How to use it: `Bearer` (RFC 6750 §4) unless `compat.tokenTypeLabel` says otherwise. */
  token_type: string;
  /** Seconds until the access token expires. */
  expires_in: number;
  /** The granted scope tokens, space-separated; absent when none were granted. */
  scope?: string;
  /** The refresh token, when the grant issues one (RFC 6749 §6). */
  refresh_token?: string;
  /** The OpenID Connect ID Token, when the `openid` scope was granted by the authorization code grant. */
  id_token?: string;
}
