import type { PlainRequest } from '../http';
import type { OAuthError } from './oauth-error';

/**
 * What an {@link ErrorRenderer} returns: the response to send for an error.
 */
export interface RenderedError {
  /** HTTP status code. */
  status: number;
  /** Response headers, merged over `Cache-Control: no-store`. */
  headers?: Readonly<Record<string, string>>;
  /** JSON body. */
  body: unknown;
}

/**
 * Turns an {@link OAuthError} into a response. Keyturn calls it for every failure, so one function decides
 * the error shape of the whole server: RFC 6749's `{error, error_description}` by default, or an existing
 * API's envelope.
 *
 * @example
 * ```ts
 * const renderError: ErrorRenderer = (err) => ({
 *   status: err.status,
 *   headers: err.headers,
 *   body: { errors: [{ code: err.code, message: err.description ?? err.code }] },
 * });
 * createAuthorizationServer({ clients, renderError });
 * ```
 */
export type ErrorRenderer = (error: OAuthError, req: PlainRequest) => RenderedError;

/**
 * The default renderer: RFC 6749 §5.2 `{ "error": code, "error_description": text }` with the error's
 * own status and headers.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export const renderOAuthError: ErrorRenderer = (error) => ({
  status: error.status,
  headers: error.headers,
  body:
    error.description === undefined
      ? { error: error.code }
      : { error: error.code, error_description: error.description },
});
