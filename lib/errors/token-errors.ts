import { OAuthError, type OAuthErrorInit } from './oauth-error';

// One class per error code of RFC 6749 §5.2 (token endpoint) and the codes the framework
// adds for server-side failures (§4.1.2.1). Each carries the status the RFC prescribes.

/**
 * The request is missing a parameter, repeats one, has an unsupported value or is otherwise malformed:
 * 400 `invalid_request`.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * // In an extension grant's handle(): a parameter that is present but not well-formed.
 * function deviceCode(params: Readonly<Record<string, string | undefined>>): string {
 *   const code = params.device_code ?? '';
 *   if (!/^[A-Za-z0-9_-]{40}$/.test(code)) throw new errors.InvalidRequestError({ description: 'device_code is malformed', parameter: 'device_code' });
 *   return code;
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidRequestError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_request', 400, init);
  }
}

/**
 * Client authentication failed: 401 `invalid_client`. Keyturn's own client authentication sends it with a
 * `WWW-Authenticate: Basic` challenge in `headers`, as RFC 6749 §5.2 asks for a 401; one built elsewhere
 * carries whatever `headers` it is given.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * const err = new errors.InvalidClientError({
 *   description: 'client authentication failed',
 *   headers: { 'WWW-Authenticate': 'Basic realm="keyturn"' },
 * });
 * err.status; // 401
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidClientError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_client', 401, init);
  }
}

/**
 * The grant (code, refresh token, credentials) is invalid, expired, revoked or bound to another client:
 * 400 `invalid_grant`. Tell the client as little as that; say which in `detail`, for the logs.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * function checkNotExpired(expiresAt: number, clientId: string): void {
 *   if (expiresAt <= Date.now() / 1000) {
 *     throw new errors.InvalidGrantError({ description: 'the device code is invalid or expired', detail: `expired device code of ${clientId}` });
 *   }
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidGrantError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_grant', 400, init);
  }
}

/**
 * The authenticated client may not use this grant type: 400 `unauthorized_client`. The token endpoint
 * raises it itself when the grant is not in the client's `grants`.
 *
 * @example
 * ```ts
 * import type { Client } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * // A stricter rule of your own inside an extension grant: public clients may not use it.
 * function confidentialOnly(client: Client): void {
 *   if (client.tokenEndpointAuthMethod === 'none') {
 *     throw new errors.UnauthorizedClientError({ description: 'public clients may not use this grant' });
 *   }
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class UnauthorizedClientError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('unauthorized_client', 400, init);
  }
}

/**
 * The grant type is not supported by this server (not in its `grants`): 400 `unsupported_grant_type`.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type ErrorRenderer } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * // Point clients at the grant this server does serve.
 * const renderError: ErrorRenderer = (err, req) =>
 *   err instanceof errors.UnsupportedGrantTypeError
 *     ? { status: err.status, headers: err.headers, body: { error: err.code, error_description: 'use grant_type=client_credentials' } }
 *     : errors.renderOAuthError(err, req);
 * createAuthorizationServer({ clients, renderError });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class UnsupportedGrantTypeError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('unsupported_grant_type', 400, init);
  }
}

/**
 * The requested scope is invalid, unknown, malformed or exceeds what the client (or grant) allows:
 * 400 `invalid_scope`.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * function checkScope(requested: readonly string[], allowed: readonly string[]): void {
 *   const extra = requested.find((s) => !allowed.includes(s));
 *   if (extra !== undefined) {
 *     throw new errors.InvalidScopeError({ description: `scope "${extra}" is not allowed`, parameter: 'scope', parameterValue: extra });
 *   }
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidScopeError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_scope', 400, init);
  }
}

/**
 * The request body is larger than the `bodyLimit` option (or has too many parameters). Rendered as 413 with
 * the `invalid_request` code, because RFC 6749 has no code of its own for it.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type ErrorRenderer } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * const bodyLimit = 4096;
 * const renderError: ErrorRenderer = (err, req) =>
 *   err instanceof errors.RequestTooLargeError
 *     ? { status: 413, body: { error: err.code, error_description: `the body must be at most ${bodyLimit} bytes` } }
 *     : errors.renderOAuthError(err, req);
 * createAuthorizationServer({ clients, bodyLimit, renderError });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14
 */
export class RequestTooLargeError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_request', 413, init);
  }
}

/**
 * The endpoint was called with an HTTP method it does not serve: 405 `invalid_request` with an `Allow`
 * header naming the methods it does serve (the constructor's first argument).
 *
 * @example
 * ```ts
 * import { bearerErrorHandler } from 'keyturn/resource-server';
 * import * as errors from 'keyturn/errors';
 *
 * app.post('/reports', listAccounts);
 * app.all('/reports', (req, _res, next) => next(new errors.MethodNotAllowedError('POST', { description: `${req.method} is not allowed here` })));
 * app.use(bearerErrorHandler({ server: auth })); // renders it: 405, Allow: POST
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6
 */
export class MethodNotAllowedError extends OAuthError {
  constructor(allow: string, init?: OAuthErrorInit) {
    super('invalid_request', 405, { ...init, headers: { Allow: allow, ...init?.headers } });
  }
}

/**
 * An unexpected failure: 500 `server_error`. Give it no description or a generic one; what went wrong goes
 * in `detail` and `cause`, which only the `onError` hook sees. Keyturn turns anything thrown that is not an
 * {@link OAuthError} (nor a {@link StoreUnavailableError}) into one of these.
 *
 * @example
 * ```ts
 * import type { Client, ClientStore } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * declare function queryClient(clientId: string): Promise<Client | undefined>;
 * const clientStore: ClientStore = {
 *   async findClient(clientId) {
 *     try {
 *       return await queryClient(clientId);
 *     } catch (err) {
 *       throw new errors.ServerError({ detail: 'client lookup failed', cause: err });
 *     }
 *   },
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class ServerError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('server_error', 500, init);
  }
}

/**
 * The server cannot serve the request now (store unreachable, closed hours): 503
 * `temporarily_unavailable`. Set `Retry-After` through `headers`, so clients know when to come back.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * // In an extension grant that depends on another service.
 * function upstreamDown(): never {
 *   throw new errors.TemporarilyUnavailableError({ description: 'the device service is down; retry later', headers: { 'Retry-After': '30' } });
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class TemporarilyUnavailableError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('temporarily_unavailable', 503, init);
  }
}

/**
 * Too many requests: rate limited or locked out. Rendered as 429 with `Retry-After` (RFC 6585 §4).
 * RFC 6749 has no code for it; `slow_down` is borrowed from RFC 8628 §3.5 as the closest.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * // A device-flow grant whose client polls too fast answers as RFC 8628 §3.5 does: 400 slow_down.
 * const slowDown = new errors.TooManyRequestsError({ description: 'poll at most every 5 seconds', status: 400 });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export class TooManyRequestsError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('slow_down', 429, init);
  }
}
