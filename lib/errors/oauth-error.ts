/**
 * Fields an {@link OAuthError} can be built with: what the client may see (`description`, `parameter`,
 * `headers`, `status`) apart from what only logs may see (`detail`, `cause`). All are optional.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * const init: errors.OAuthErrorInit = {
 *   description: 'scope "/admin" is not allowed for this client',
 *   detail: 'client reporting-job asked for /admin',
 *   parameter: 'scope',
 *   parameterValue: '/admin',
 * };
 * throw new errors.InvalidScopeError(init);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export interface OAuthErrorInit {
  /** Human-readable text safe to show the client (`error_description`). */
  description?: string;
  /**
   * Private detail for logs and `onError` hooks; never rendered.
   * Must not contain secrets or token values.
   */
  detail?: string;
  /** The request parameter the error is about, for renderers that report it. */
  parameter?: string;
  /**
   * The offending value of `parameter`. Only set for parameters that are never secret
   * (grant_type, scope, ...), because renderers may echo it.
   */
  parameterValue?: string;
  /** Extra response headers, such as `WWW-Authenticate` or `Retry-After`. */
  headers?: Readonly<Record<string, string>>;
  /** Overrides the status the error class carries (RFC 6749 allows 401 or 400 for some codes). Default: the class's. */
  status?: number;
  /** The underlying error, kept for `onError` hooks. */
  cause?: unknown;
}

/**
 * An OAuth 2.0 error as data: the OAuth `code` (RFC 6749 §5.2, RFC 6750 §3.1), the HTTP status,
 * a public description and a private detail. Every failure in Keyturn is one of these, rendered in
 * exactly one place by the configured {@link "keyturn"!ErrorRenderer}.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * throw new errors.InvalidScopeError({ description: 'scope "/admin" is not allowed for this client', parameter: 'scope' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OAuthError extends Error {
  /** The OAuth error code, e.g. `invalid_request`. Stable: renderers and tests match on it. */
  readonly code: string;
  /** HTTP status code. */
  readonly status: number;
  /** Public description (`error_description`). */
  readonly description: string | undefined;
  /** Private detail; never rendered. */
  readonly detail: string | undefined;
  /** The request parameter the error concerns. */
  readonly parameter: string | undefined;
  /** The offending value, only for non-secret parameters. */
  readonly parameterValue: string | undefined;
  /** Response headers the error requires. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: string, status: number, init: OAuthErrorInit = {}) {
    super(init.description ?? code, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = init.status ?? status;
    this.description = init.description;
    this.detail = init.detail;
    this.parameter = init.parameter;
    this.parameterValue = init.parameterValue;
    this.headers = init.headers ?? NO_HEADERS;
  }
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * True when `value` is an {@link OAuthError}: an error Keyturn (or your code) raised on purpose, with a
 * status and code to render, as opposed to an unexpected failure.
 *
 * @example
 * ```ts
 * import type { ErrorRequestHandler } from 'express';
 * import * as errors from 'keyturn/errors';
 *
 * const handler: ErrorRequestHandler = (err, _req, res, next) => {
 *   if (!errors.isOAuthError(err)) return next(err);
 *   res.status(err.status).set(err.headers).json({ error: err.code, error_description: err.description });
 * };
 * app.use(handler);
 * ```
 */
export function isOAuthError(value: unknown): value is OAuthError {
  return value instanceof OAuthError;
}
