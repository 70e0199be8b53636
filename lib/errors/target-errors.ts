import { OAuthError, type OAuthErrorInit } from './oauth-error';

/**
 * A `resource` parameter (RFC 8707 §2) is malformed (not an absolute URI, or with a fragment), or names a
 * resource the client may not ask for, or one outside what the grant it refreshes or exchanges was
 * authorized for: 400 `invalid_target`. At the authorization endpoint it goes back to the client's redirect
 * URI, as the other authorization errors do (RFC 6749 §4.1.2.1).
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * // In an extension grant's handle(): a resource the grant cannot issue a token for.
 * throw new errors.InvalidTargetError({ description: 'the requested resource is not allowed for this client', parameter: 'resource' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export class InvalidTargetError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_target', 400, init);
  }
}
