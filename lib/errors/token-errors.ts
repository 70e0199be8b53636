import { OAuthError, type OAuthErrorInit } from './oauth-error';

// One class per error code of RFC 6749 §5.2 (token endpoint) and the codes the framework
// adds for server-side failures (§4.1.2.1). Each carries the status the RFC prescribes.

/**
 * The request is missing a parameter, repeats one, has an unsupported value or is otherwise malformed.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidRequestError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_request', 400, init);
  }
}

/**
 * Client authentication failed. Rendered as 401 with a `WWW-Authenticate` challenge.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidClientError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_client', 401, init);
  }
}

/**
 * The grant (code, refresh token, credentials) is invalid, expired, revoked or bound to another client.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidGrantError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_grant', 400, init);
  }
}

/**
 * The authenticated client may not use this grant type.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class UnauthorizedClientError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('unauthorized_client', 400, init);
  }
}

/**
 * The grant type is not supported by this server.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class UnsupportedGrantTypeError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('unsupported_grant_type', 400, init);
  }
}

/**
 * The requested scope is invalid, unknown, malformed or exceeds what the client (or grant) allows.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidScopeError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_scope', 400, init);
  }
}

/**
 * The request body is larger than the configured limit. Rendered as 413 with the `invalid_request` code,
 * because RFC 6749 has no code of its own for it.
 */
export class RequestTooLargeError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_request', 413, init);
  }
}

/**
 * The endpoint was called with an HTTP method it does not serve. Rendered as 405 with an `Allow` header.
 */
export class MethodNotAllowedError extends OAuthError {
  constructor(allow: string, init?: OAuthErrorInit) {
    super('invalid_request', 405, { ...init, headers: { Allow: allow, ...init?.headers } });
  }
}

/**
 * An unexpected failure. Its description is generic; what went wrong is only in `detail` and `cause`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class ServerError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('server_error', 500, init);
  }
}

/**
 * The server cannot serve the request now (store unreachable, closed hours). Rendered as 503;
 * set `Retry-After` through `headers`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class TemporarilyUnavailableError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('temporarily_unavailable', 503, init);
  }
}

/**
 * Too many requests: rate limited or locked out. Rendered as 429 with `Retry-After`.
 * RFC 6749 has no code for it; `slow_down` is borrowed from RFC 8628 §3.5 as the closest.
 */
export class TooManyRequestsError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('slow_down', 429, init);
  }
}
