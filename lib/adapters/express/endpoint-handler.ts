import type { RequestHandler, Response } from 'express';
import { writeResponse } from '../../core/write-response';
import type { Endpoint } from '../../core/endpoint';
import type { PlainResponse } from '../../http';
import { isPromiseLike } from '../../core/awaitable';
import { methodNotAllowed } from '../../core/method-not-allowed';
import { renderErrorResponse, type ErrorRendering } from '../../core/render-error';
import type { bodyReader } from './parse-body';
import { plainRequestView } from '../../http';
import type { EndpointInput } from '../../core/request-state';

/** Serves a core endpoint that reads a body: Express parses it, the core decides, Express writes the answer. */
export function bodyEndpointHandler(endpoint: Endpoint, readBody: ReturnType<typeof bodyReader>): RequestHandler {
  return function keyturnEndpoint(req, res, next) {
    const request = plainRequestView(req);
    readBody(
      req,
      res,
      (parsed) => {
        const response = endpoint.handle({ request, body: parsed.body, bodyType: parsed.bodyType, bodyError: parsed.bodyError });
        if (isPromiseLike(response)) response.then((r) => writeResponse(res, r), next);
        else writeResponse(res, response);
      },
      (err) => writeResponse(res, endpoint.fail(request, err)),
    );
  };
}

/**
 * Serves the UserInfo endpoint: its token comes in the `Authorization` header, or (POST) as `access_token` in
 * a form body (RFC 6750 §2.2), so only a form body is read; a POST with none, or with another type, is
 * answered from its header alone.
 */
export function userinfoHandler(endpoint: Endpoint, readForm: ReturnType<typeof bodyReader>): RequestHandler {
  return function keyturnUserinfo(req, res, next) {
    const request = plainRequestView(req);
    const run = (parsed: { body: unknown; bodyType: 'form' | 'json' | undefined; bodyError?: EndpointInput['bodyError'] }): void => {
      const response = endpoint.handle({ request, body: parsed.body, bodyType: parsed.bodyType, bodyError: parsed.bodyError });
      if (isPromiseLike(response)) response.then((r) => writeResponse(res, r), next);
      else writeResponse(res, response);
    };
    if (req.method !== 'POST' || req.is('application/x-www-form-urlencoded') !== 'application/x-www-form-urlencoded') return run({ body: undefined, bodyType: undefined });
    readForm(req, res, run, (err) => writeResponse(res, endpoint.fail(request, err)));
  };
}

/** Answers a method a path does not serve: 405 with `Allow`, rendered by the core. */
export function methodNotAllowedHandler(rendering: ErrorRendering, allow: string): RequestHandler {
  return function keyturnMethodNotAllowed(req, res) {
    writeResponse(res, methodNotAllowed(rendering, allow, plainRequestView(req)));
  };
}

/**
 * Serves a core document (the JWKS, the metadata document) to GET and HEAD through Express's `send`, so these
 * public, cacheable documents carry an ETag and answer a conditional GET with 304. The document may need to
 * wait (the key ring's first read); if that fails, the one error renderer answers.
 */
export function documentHandler(source: PlainResponse | (() => PlainResponse | Promise<PlainResponse>), rendering?: ErrorRendering): RequestHandler {
  const send = (res: Response, response: PlainResponse): void => {
    res.status(response.status);
    for (const name in response.headers) res.setHeader(name, response.headers[name] as string);
    res.send(response.body);
  };
  if (typeof source !== 'function') return function keyturnDocument(_req, res) {
    send(res, source);
  };
  return function keyturnDocument(req, res, next) {
    const response = source();
    if (!isPromiseLike(response)) return send(res, response);
    response.then(
      (r) => send(res, r),
      (err: unknown) => (rendering === undefined ? next(err) : writeResponse(res, renderErrorResponse(rendering, err, plainRequestView(req), undefined).response)),
    );
  };
}
