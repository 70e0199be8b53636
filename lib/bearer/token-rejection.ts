/**
 * Why a token was refused, raised by the token verifiers and turned into an `invalid_token` error by the
 * bearer core (which knows the realm) or into `{active:false}` by introspection. The description is safe to
 * show; the detail is for logs. Neither ever holds the token.
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

/** True when `value` is a {@link TokenRejection}. */
export function isTokenRejection(value: unknown): value is TokenRejection {
  return value instanceof TokenRejection;
}
