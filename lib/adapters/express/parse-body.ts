import express, { type Request, type RequestHandler, type Response } from 'express';
import type { BodyType } from '../../core/request-state';
import type { OAuthError } from '../../errors/oauth-error';
import { InvalidRequestError, RequestTooLargeError } from '../../errors/token-errors';

/** A body as Express's parsers left it, or why they could not. */
export interface ParsedBody {
  readonly body: unknown;
  readonly bodyType: BodyType | undefined;
  readonly bodyError?: OAuthError;
}

/** Body formats an endpoint can accept. */
export type BodyFormat = BodyType;

const MEDIA_TYPE: Record<BodyFormat, string> = { form: 'application/x-www-form-urlencoded', json: 'application/json' };

/**
 * Builds the body reader of the OAuth endpoints: a JSON or form body, the two shapes they accept (RFC 6749
 * §3.2 requires form; Moov's API also takes JSON), through Express's own parsers. Any other content type, an
 * oversize body or a malformed one becomes an {@link OAuthError} for the core to render in its turn.
 *
 * The form parser runs with `extended: false`: a parameter sent twice arrives as an array and nested `a[b]`
 * syntax stays a flat string key, which the core then rejects or ignores.
 */
export function bodyReader(
  limit: number,
  formats: readonly BodyFormat[] = ['form', 'json'],
): (req: Request, res: Response, done: (parsed: ParsedBody) => void, fail: (err: unknown) => void) => void {
  const parsers: Partial<Record<BodyFormat, RequestHandler>> = {
    ...(formats.includes('json') ? { json: express.json({ limit, strict: true, type: () => true }) } : {}),
    ...(formats.includes('form') ? { form: express.urlencoded({ limit, extended: false, parameterLimit: 100, type: () => true }) } : {}),
  };
  const accepted = formats.map((f) => MEDIA_TYPE[f]).join(' or ');
  // Callbacks rather than a promise: this runs on every token request, and a promise hop is measurable there.
  return (req, res, resolve, reject) => {
      // type-is against the two types; `false` for a bodiless request or another type.
      const type = req.is(['application/x-www-form-urlencoded', 'application/json']);
      const bodyType: BodyType | undefined = type === 'application/json' ? 'json' : type === 'application/x-www-form-urlencoded' ? 'form' : undefined;
      const parser = bodyType === undefined ? undefined : parsers[bodyType];
      if (parser === undefined) {
        const detail = `content-type: ${req.headers['content-type'] ?? '(none)'}`;
        return resolve({ body: undefined, bodyType, bodyError: new InvalidRequestError({ description: `the request body must be ${accepted}`, detail }) });
      }
      parser(req, res, (err?: unknown) => {
        if (!err) return resolve({ body: req.body, bodyType });
        const bodyError = bodyParserError(err);
        // Not about the request (a server fault): the core's renderer reports it as server_error.
        if (bodyError === undefined) return reject(err);
        resolve({ body: undefined, bodyType, bodyError });
      });
  };
}

interface HttpError {
  status?: number;
  type?: string;
}

/**
 * body-parser's error as an {@link OAuthError} (413 for a body too large or with too many parameters, 400
 * otherwise), or `undefined` for a failure that is not about the request. Its own error is never kept as the
 * cause: it carries the raw body (`err.body`, with any client_secret, code, token or password in it) and the
 * JSON parser's message quotes part of it. onError gets the kind of failure instead, as `detail`.
 */
export function bodyParserError(err: unknown): OAuthError | undefined {
  const { status, type } = (err ?? {}) as HttpError;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const detail = `body-parser: ${typeof type === 'string' ? type.slice(0, 40) : `status ${status}`}`;
  if (type === 'entity.too.large' || type === 'parameters.too.many') {
    return new RequestTooLargeError({ description: 'the request body is too large', detail });
  }
  if (type === 'entity.parse.failed') return new InvalidRequestError({ description: 'the request body is not valid JSON', detail });
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new InvalidRequestError({ description: 'the request body uses an unsupported charset or content encoding', detail });
  }
  return new InvalidRequestError({ description: 'the request body could not be read', detail });
}
