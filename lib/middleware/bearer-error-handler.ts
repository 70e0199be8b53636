import type { ErrorRequestHandler } from 'express';
import { isOAuthError } from '../errors/oauth-error';
import { renderOAuthError, type ErrorRenderer } from '../errors/render';
import { errorHandler, type ErrorListener } from './error-handler';

/**
 * Options of {@link bearerErrorHandler}.
 *
 * @example
 * ```ts
 * app.use(bearerErrorHandler({ renderError: myRenderer, onError: (err) => log.warn({ code: err.code }) }));
 * ```
 */
export interface BearerErrorHandlerOptions {
  /** Renders the errors. Default: `renderOAuthError` (`{error, error_description}`). */
  renderError?: ErrorRenderer;
  /** Told of every rendered error. */
  onError?: ErrorListener;
}

/**
 * Renders the errors the bearer middleware passes to `next(err)` (401/400/403 with their RFC 6750
 * `WWW-Authenticate` challenge, and 503 when the store holding opaque tokens cannot answer: the check fails
 * closed) through the same renderer as the authorization server, and passes every other error on to the
 * app's own handlers. Mount it after the protected routes.
 *
 * @example
 * ```ts
 * app.get('/accounts', requireBearer({ issuer, audience }), listAccounts);
 * app.use(bearerErrorHandler());
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function bearerErrorHandler(options: BearerErrorHandlerOptions = {}): ErrorRequestHandler {
  if (options.renderError !== undefined && typeof options.renderError !== 'function') throw new TypeError('bearerErrorHandler: renderError must be a function');
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('bearerErrorHandler: onError must be a function');
  const render = errorHandler(options.renderError ?? renderOAuthError, options.onError);
  return function bearerErrorHandlerMiddleware(err, req, res, next) {
    if (!isOAuthError(err)) return next(err);
    render(err, req, res, next);
  };
}

