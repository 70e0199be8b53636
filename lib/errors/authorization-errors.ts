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
