import type { ErrorRequestHandler } from 'express';
import type { ErrorListener } from '../errors/error-listener';
import { renderOAuthError, type ErrorRenderer } from '../errors/render';
import { toOAuthError } from '../errors/to-oauth-error';
import { setErrorCode } from './request-state';
import { sendJson, type SendBody } from './send-body';


/**
 * The one place errors become responses. OAuth errors render as they are; a store that cannot answer
 * renders as 503 `temporarily_unavailable`; anything else is an unexpected failure and renders as a generic
 * `server_error` (500) whose body says nothing of the cause, so no stack or internal message reaches the
 * client (see {@link toOAuthError}).
 */
export function errorHandler(render: ErrorRenderer, onError?: ErrorListener, send: SendBody = sendJson): ErrorRequestHandler {
  return function errorHandlerMiddleware(err, req, res, next) {
    if (res.headersSent) return next(err);
    const error = toOAuthError(err);
    setErrorCode(req, error.code);
    if (onError !== undefined) {
      try {
        onError(error, req);
      } catch {
        // A failing log hook must not turn into a second, unrendered error.
      }
    }
    let rendered;
    try {
      rendered = render(error, req);
    } catch {
      rendered = renderOAuthError(error, req);
    }
    res.status(rendered.status);
    if (rendered.headers !== undefined) {
      for (const [name, value] of Object.entries(rendered.headers)) res.setHeader(name, value);
    }
    send(req, res, rendered.body);
  };
}
