import express, { type RequestHandler } from 'express';
import { InvalidRequestError, RequestTooLargeError } from '../errors/token-errors';
import type { OAuthError } from '../errors/oauth-error';

/**
 * Parses a JSON or form body, the two shapes OAuth endpoints accept here (RFC 6749 §3.2 requires form;
 * Moov's API also takes JSON). Any other content type, an oversize body or a malformed one becomes an
 * {@link OAuthError}, so the renderer answers it like every other failure.
 *
 * The form parser runs with `extended: false`: a parameter sent twice arrives as an array and nested
 * `a[b]` syntax stays a flat string key, which `readParams` then rejects or ignores.
 */
export function parseBody(limit: number, formats: readonly BodyFormat[] = ['form', 'json']): RequestHandler {
  const json = formats.includes('json') ? express.json({ limit, strict: true, type: () => true }) : undefined;
  const form = formats.includes('form') ? express.urlencoded({ limit, extended: false, parameterLimit: 100, type: () => true }) : undefined;
  const accepted = formats.map((f) => MEDIA_TYPE[f]).join(' or ');

  return function parseBodyMiddleware(req, res, next) {
    const done = (err?: unknown) => (err ? next(bodyError(err)) : next());
    // type-is against the two types; `false` for a bodiless request or another type.
    const type = req.is(['application/x-www-form-urlencoded', 'application/json']);
    if (type === 'application/x-www-form-urlencoded' && form !== undefined) return form(req, res, done);
    if (type === 'application/json' && json !== undefined) return json(req, res, done);
    next(
      new InvalidRequestError({
        description: `the request body must be ${accepted}`,
        detail: `content-type: ${req.headers['content-type'] ?? '(none)'}`,
      }),
    );
  };
}

/** Body formats an endpoint can accept. */
export type BodyFormat = 'form' | 'json';

const MEDIA_TYPE: Record<BodyFormat, string> = { form: 'application/x-www-form-urlencoded', json: 'application/json' };

interface HttpError {
  status?: number;
  type?: string;
}

// Returns the error unchanged when it is not about the request (a server fault), for the error handler to
// report as server_error.
function bodyError(err: unknown): OAuthError | unknown {
  const { status, type } = (err ?? {}) as HttpError;
  if (type === 'entity.too.large' || type === 'parameters.too.many') {
    return new RequestTooLargeError({ description: 'the request body is too large', cause: err });
  }
  if (type === 'entity.parse.failed') {
    return new InvalidRequestError({ description: 'the request body is not valid JSON', cause: err });
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new InvalidRequestError({ description: 'the request body uses an unsupported charset or content encoding', cause: err });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new InvalidRequestError({ description: 'the request body could not be read', cause: err });
  }
  return err;
}
