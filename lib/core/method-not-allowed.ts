import { MethodNotAllowedError } from '../errors/token-errors';
import type { PlainRequest, PlainResponse } from '../http';
import { renderErrorResponse, type ErrorRendering } from './render-error';

/**
 * The answer to a method an endpoint does not serve: 405 with `Allow` (RFC 9110 §15.5.6), rendered like every
 * other error.
 */
export function methodNotAllowed(rendering: ErrorRendering, allow: string, request: PlainRequest): PlainResponse {
  const error = new MethodNotAllowedError(allow, { description: `${request.method} is not allowed here; use ${allow}` });
  return renderErrorResponse(rendering, error, request, undefined).response;
}
