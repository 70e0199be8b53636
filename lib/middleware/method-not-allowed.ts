import type { RequestHandler } from 'express';
import { MethodNotAllowedError } from '../errors/token-errors';

/** Answers a method an endpoint does not serve with 405 and `Allow` (RFC 9110 §15.5.6), as a JSON error. */
export function methodNotAllowed(allow: string): RequestHandler {
  return function methodNotAllowedMiddleware(req, _res, next) {
    next(new MethodNotAllowedError(allow, { description: `${req.method} is not allowed here; use ${allow}` }));
  };
}
