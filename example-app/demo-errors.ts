import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { bodyParserError } from '../lib/adapters/express/parse-body';
import { InvalidRequestError, isOAuthError, ServerError, type OAuthError } from '../lib/errors';
import { errorPage } from './pages/error';

/**
 * Wraps one of Express's body parsers for the demo's own routes: a malformed, oversize or undecodable body
 * becomes an {@link OAuthError} (400, or 413), the way Keyturn's own endpoints treat theirs, and never
 * reaches the error handler as body-parser's error, which carries the raw body and quotes it.
 */
export function demoBodyParser(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    parser(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      next(bodyParserError(err) ?? err);
    });
  };
}

/**
 * The demo's error handler for the browser's pages: an error on a request that wants HTML (the sign-in form,
 * the playground) is answered with the demo's error page, its status and its description, never a stack,
 * whatever `NODE_ENV` is. Any other request's error goes on, as an {@link OAuthError}, to the handler that
 * renders JSON in the profile's shape (`bearerErrorHandler`): an unexpected failure is `server_error`, with
 * its cause kept for `onError` only.
 */
export function demoErrorHandler(wantsJson: (req: Request) => boolean): ErrorRequestHandler {
  return (err, req, res, next) => {
    // An answer already under way cannot become an error page; Express ends the connection.
    if (res.headersSent) return next(err);
    const error = asOAuthError(err);
    if (wantsJson(req)) return next(error);
    res.status(error.status).setHeader('Cache-Control', 'no-store');
    res.type('html').send(errorPage(error.status, error.description ?? 'The request could not be completed.'));
  };
}

/** The last handler: whatever is left (an answer already started) ends the request without a stack page. */
export const lastResortHandler: ErrorRequestHandler = (_err, _req, res, _next) => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(500).json({ error: 'server_error', error_description: 'the server failed to process the request' });
};

function asOAuthError(err: unknown): OAuthError {
  if (isOAuthError(err)) return err;
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  // Express's router and static files raise 4xx errors of their own: a path that does not decode, a bad range.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new InvalidRequestError({ description: 'the request is malformed', status, detail: `status ${status}` });
  }
  return new ServerError({ description: 'the server failed to process the request', cause: err });
}
