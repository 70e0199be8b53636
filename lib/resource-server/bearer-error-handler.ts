import type { ErrorRequestHandler } from 'express';
import type { ErrorListener } from '../errors/error-listener';
import { isOAuthError } from '../errors/oauth-error';
import { renderOAuthError, type ErrorRenderer } from '../errors/render';
import { optionalFunction } from '../core/validate-option';
import { renderErrorResponse } from '../core/render-error';
import { plainJsonWriter } from '../core/response';
import { writeResponse } from '../core/write-response';
import { plainRequestView } from '../http';
import { localTokenSource } from './local-source';

/**
 * Options of {@link bearerErrorHandler}.
 *
 * @example
 * ```ts
 * import { bearerErrorHandler } from 'keyturn/resource-server';
 * import * as errors from 'keyturn/errors';
 *
 * app.use(bearerErrorHandler({
 *   renderError: (err, req) => ({ ...errors.renderOAuthError(err, req), body: { message: err.description ?? err.code } }),
 *   onError: (err) => console.warn(JSON.stringify({ code: err.code, detail: err.detail })),
 * }));
 * ```
 */
export interface BearerErrorHandlerOptions {
  /** Render with this server's `renderError` and `onError` (either given here wins). Default: none. */
  server?: object;
  /** Renders the errors. Default: the server's `renderError`, else `renderOAuthError` (`{error, error_description}`). */
  renderError?: ErrorRenderer;
  /** Told of every rendered error. Default: the server's `onError`, else none. */
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
 * import { bearerErrorHandler, requireBearer } from 'keyturn/resource-server';
 *
 * app.get('/accounts', requireBearer({ issuer, audience: 'https://api.example.com' }), listAccounts);
 * app.use(bearerErrorHandler());
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function bearerErrorHandler(options: BearerErrorHandlerOptions = {}): ErrorRequestHandler {
  const source = options.server === undefined ? undefined : localTokenSource(options.server, 'bearerErrorHandler');
  const renderError = optionalFunction(options.renderError, 'bearerErrorHandler: options.renderError') ?? source?.renderError ?? renderOAuthError;
  const onError = optionalFunction(options.onError, 'bearerErrorHandler: options.onError') ?? source?.onError;
  const rendering = { renderError, onError, write: plainJsonWriter };
  return function bearerErrorHandlerMiddleware(err, req, res, next) {
    if (!isOAuthError(err) || res.headersSent) return next(err);
    writeResponse(res, renderErrorResponse(rendering, err, plainRequestView(req), undefined).response);
  };
}
