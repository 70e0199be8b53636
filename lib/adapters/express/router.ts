import express, { type RequestHandler, type Router } from 'express';
import type { Endpoint } from '../../core/endpoint';
import type { PlainResponse } from '../../core/http';
import type { ErrorRendering } from '../../core/render-error';
import { readParams } from '../../core/read-params';
import { requestState } from '../../core/request-state';
import type { AuthorizationSettings } from '../../endpoints/authorize/authorization-options';
import { authorizeEndpoint } from '../../endpoints/authorize/authorize-endpoint';
import { authorizeErrorHandler } from '../../endpoints/authorize/authorize-response';
import { setConsentParams } from '../../endpoints/authorize/authorize-state';
import { consentDecision } from '../../endpoints/authorize/consent-decision';
import { denyFraming } from '../../endpoints/authorize/deny-framing';
import { identifyClient } from '../../endpoints/authorize/identify-client';
import { readAuthorizeQuery } from '../../endpoints/authorize/read-authorize-query';
import { validateAuthorizationRequest } from '../../endpoints/authorize/validate-authorization-request';
import type { ClientStore } from '../../clients/client';
import type { ErrorListener } from '../../errors/error-listener';
import type { Store } from '../../store/store';
import { bodyEndpointHandler, documentHandler, methodNotAllowedHandler } from './endpoint-handler';
import { noStore } from './no-store';
import { bodyReader, type BodyFormat } from './parse-body';

/** What the Express router serves: the core's endpoints, and the authorization endpoint's settings. */
export interface ExpressRouterParts {
  readonly token: Endpoint;
  readonly revoke: Endpoint;
  readonly introspect: Endpoint;
  /** The JWK Set answer, when the server signs JWTs. */
  readonly jwks: PlainResponse | undefined;
  /** The one error rendering, for the answers the router gives itself (405). */
  readonly rendering: ErrorRendering;
  readonly bodyLimit: number;
  readonly bodyFormats: readonly BodyFormat[];
  readonly authorization: { readonly settings: AuthorizationSettings; readonly clients: ClientStore; readonly store: Store; readonly onError: ErrorListener | undefined } | undefined;
}

/**
 * The Express adapter: it mounts each core endpoint at its path, parses bodies with Express's parsers and
 * writes the core's answers. It decides nothing itself.
 */
export function expressRouter(parts: ExpressRouterParts): Router {
  const readBody = bodyReader(parts.bodyLimit, parts.bodyFormats);
  const router = express.Router();
  for (const [path, endpoint] of [['/token', parts.token], ['/revoke', parts.revoke], ['/introspect', parts.introspect]] as const) {
    router.post(path, bodyEndpointHandler(endpoint, readBody));
    router.all(path, methodNotAllowedHandler(parts.rendering, endpoint.allow));
  }
  if (parts.jwks !== undefined) {
    router.get('/jwks', documentHandler(parts.jwks));
    router.all('/jwks', methodNotAllowedHandler(parts.rendering, 'GET, HEAD'));
  }

  // RFC 6749 §4.1.1: the authorization endpoint, only when the authorization_code grant is configured.
  const authorization = parts.authorization;
  if (authorization !== undefined) {
    const { settings, clients, store } = authorization;
    const readConsentBody = bodyReader(parts.bodyLimit, ['form', 'json']);
    const consentParams: RequestHandler = (req, res, next) => {
      readConsentBody(
        req,
        res,
        (parsed) => {
          try {
            const state = requestState('consent', { request: { method: req.method, path: req.path, headers: req.headers, ip: undefined }, ...parsed });
            readParams(state);
            setConsentParams(req, state.params);
            next();
          } catch (err) {
            next(err);
          }
        },
        next,
      );
    };
    const authorize: RequestHandler[] = [
      noStore,
      denyFraming,
      readAuthorizeQuery,
      identifyClient(clients),
      validateAuthorizationRequest(settings),
      authorizeEndpoint(settings, store),
    ];
    const consent: RequestHandler[] = [noStore, denyFraming, consentParams, consentDecision(settings, clients, store)];
    // Its own error handler: these errors are a redirect to the client or an HTML page, never JSON.
    const authorizeErrors = authorizeErrorHandler(settings.issuer, settings.renderErrorPage, authorization.onError);
    router.get('/authorize', authorize, authorizeErrors);
    router.all('/authorize', methodNotAllowedHandler(parts.rendering, 'GET'));
    router.post('/authorize/consent', consent, authorizeErrors);
    router.all('/authorize/consent', methodNotAllowedHandler(parts.rendering, 'POST'));
  }
  return router;
}
