import type { PlainRequest } from '../http';
import type { OAuthError } from './oauth-error';

/**
 * What an {@link ErrorRenderer} returns: the response to send for an error. Keep the error's own status and
 * headers unless you mean to change them: they carry the `WWW-Authenticate` challenges and `Retry-After`.
 *
 * @example
 * ```ts
 * import type { ErrorRenderer, RenderedError } from 'keyturn';
 *
 * // An API whose clients expect every error as { "message": ... }.
 * const renderError: ErrorRenderer = (err): RenderedError => ({
 *   status: err.status,
 *   headers: err.headers,
 *   body: { message: err.description ?? err.code },
 * });
 * ```
 */
export interface RenderedError {
  /** HTTP status code. */
  status: number;
  /**
   * Response headers, merged over `Cache-Control: no-store`, `Pragma: no-cache` and the `Content-Type` (a
   * header named here wins). Default: none.
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * The body, serialized as JSON; under `compat.responseFormat: 'mirror-request'` a flat object answering a
   * form request is form-encoded instead.
   */
  body: unknown;
}

/**
 * Turns an {@link OAuthError} into a response. Keyturn calls it for every failure, so one function decides
 * the error shape of the whole server: RFC 6749's `{error, error_description}` by default, or an existing
 * API's envelope.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type ErrorRenderer } from 'keyturn';
 *
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
 * own status and headers (`error_description` only when the error has a description). A custom
 * {@link ErrorRenderer} can fall back to it for the errors it does not reshape.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type ErrorRenderer } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * // The standard shape, except that 429s also say when to come back in the body.
 * const renderError: ErrorRenderer = (err, req) => {
 *   const rendered = errors.renderOAuthError(err, req);
 *   if (err.status !== 429) return rendered;
 *   return { ...rendered, body: { ...(rendered.body as object), retry_after: Number(err.headers['Retry-After']) } };
 * };
 * createAuthorizationServer({ clients, renderError });
 * ```
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
