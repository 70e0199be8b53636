/**
 * Why a token was refused, raised by the token verifiers and turned into an `invalid_token` error by the
 * bearer core (which knows the realm) or into `{active:false}` by introspection. The description is safe to
 * show; the detail is for logs. Neither ever holds the token.
 *
 * @example
 * ```ts
 * throw new TokenRejection('the access token is unknown', 'no session row');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export class TokenRejection extends Error {
  constructor(
    readonly description: string,
    readonly detail?: string,
  ) {
    super(description);
    this.name = 'TokenRejection';
  }
}

/**
 * True when `value` is a {@link TokenRejection}.
 *
 * @example
 * ```ts
 * core.verifyToken(token).catch((err) => (isTokenRejection(err) ? deny() : crash(err)));
 * ```
 */
export function isTokenRejection(value: unknown): value is TokenRejection {
  return value instanceof TokenRejection;
}
