import type { RequestHandler } from 'express';
import { InvalidRequestError } from '../errors/token-errors';
import { getParams } from './request-state';

/**
 * Answers `invalid_request` when a required parameter is missing, before client authentication spends a
 * secret check on a request that cannot succeed.
 */
export function requireParam(name: string): RequestHandler {
  return function requireParamMiddleware(req, _res, next) {
    if (getParams(req)[name] === undefined) return next(new InvalidRequestError({ description: `${name} is required`, parameter: name }));
    next();
  };
}
