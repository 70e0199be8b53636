import type { RequestHandler } from 'express';
import { isPromiseLike } from '../core/awaitable';
import type { BearerAuth } from './bearer-auth';
import type { BearerCheck } from './bearer-check-core';

/**
 * The Express wrapper of the bearer core: on success sets `req.auth` and calls `next()`; on failure calls
 * `next(err)` with the `OAuthError`, and never writes the response itself, so the app's error handler (the
 * one from {@link bearerErrorHandler}) renders it like every other Keyturn error.
 *
 * @example
 * ```ts
 * app.get('/accounts', bearerMiddleware(core), listAccounts);
 * app.use(bearerErrorHandler());
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function bearerMiddleware(authenticator: BearerCheck): RequestHandler {
  return function bearerMiddleware(req, _res, next) {
    let auth: BearerAuth | Promise<BearerAuth>;
    try {
      auth = authenticator.check(req);
    } catch (err) {
      return next(err);
    }
    // A reused JWT on the memory store is checked synchronously: the route runs without a promise hop.
    if (!isPromiseLike(auth)) {
      req.auth = auth;
      return next();
    }
    auth.then((verified) => {
      req.auth = verified;
      next();
    }, next);
  };
}
