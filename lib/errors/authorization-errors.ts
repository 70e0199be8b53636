import { OAuthError, type OAuthErrorInit } from './oauth-error';

// The error codes of the authorization endpoint (RFC 6749 §4.1.2.1) that the token endpoint does not share.
// invalid_request, unauthorized_client, invalid_scope, server_error and temporarily_unavailable are the
// classes in token-errors.ts: the code is the same whichever endpoint reports it.

/**
 * The resource owner or the authorization server denied the request.
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * throw new errors.AccessDeniedError({ description: 'the user denied the request' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class AccessDeniedError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('access_denied', 403, init);
  }
}

/**
 * The authorization server does not support obtaining an authorization code with this `response_type`.
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * throw new errors.UnsupportedResponseTypeError({ description: 'response_type must be "code"' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class UnsupportedResponseTypeError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('unsupported_response_type', 400, init);
  }
}

// OpenID Connect Core §3.1.2.6: the errors of `prompt=none` (and of a sign-in that cannot happen). They travel
// to the client's redirect URI like every other authorization error; the status is only a renderer's hint.

/**
 * The user must sign in, but the request forbids showing a page (`prompt=none`), or the sign-in `prompt=login`
 * or `max_age` asked for did not happen: `login_required`.
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * throw new errors.LoginRequiredError({ description: 'the user is not signed in' });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export class LoginRequiredError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('login_required', 400, init);
  }
}

/**
 * The user must approve the request, but `prompt=none` forbids showing the consent page: `consent_required`.
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * throw new errors.ConsentRequiredError({ description: 'the user has not approved these scopes' });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export class ConsentRequiredError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('consent_required', 400, init);
  }
}

/**
 * The user must interact with a page of some kind (an account chooser, accepting new terms) that
 * `prompt=none` forbids: `interaction_required`. An `authenticateUser` hook throws it when `ctx.prompt`
 * includes `none` and it cannot decide without the user.
 * @example
 * ```ts
 * import type { AuthenticateUser } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * declare function sessionsOf(req: unknown): Array<{ userId: string; signedInAt: number }>;
 *
 * const authenticateUser: AuthenticateUser = (req, res, ctx) => {
 *   const sessions = sessionsOf(req);
 *   if (sessions.length === 1) return { sub: sessions[0]!.userId, authTime: sessions[0]!.signedInAt };
 *   if (ctx.prompt.includes('none')) throw new errors.InteractionRequiredError({ description: 'choose an account' });
 *   res.redirect(`/choose-account?returnTo=${encodeURIComponent(ctx.returnTo)}`);
 *   return undefined;
 * };
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export class InteractionRequiredError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('interaction_required', 400, init);
  }
}
