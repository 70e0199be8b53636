import express, { type Router } from 'express';
import type { Endpoint } from '../../core/endpoint';
import type { PlainResponse } from '../../http';
import type { ErrorRendering } from '../../core/render-error';
import { plainJsonWriter } from '../../core/response';
import { mountAuthorizeRoutes, type AuthorizeRouteParts } from './authorize-routes';
import { bodyEndpointHandler, documentHandler, methodNotAllowedHandler, userinfoHandler } from './endpoint-handler';
import { bodyReader, type BodyFormat } from './parse-body';

/** What the Express router serves: the core's endpoints, and the authorization endpoint's settings. */
export interface ExpressRouterParts {
  readonly token: Endpoint;
  readonly revoke: Endpoint;
  readonly introspect: Endpoint;
  /** The JWK Set answer, when the server signs JWTs. */
  readonly jwks: (() => PlainResponse | Promise<PlainResponse>) | undefined;
  /** The one error rendering, for the answers the router gives itself (405). */
  readonly rendering: ErrorRendering;
  readonly bodyLimit: number;
  readonly bodyFormats: readonly BodyFormat[];
  /** The authorization endpoint, when the server has one. */
  readonly authorization: AuthorizeRouteParts | undefined;
  /** The UserInfo endpoint (OpenID Connect Core §5.3), when the server issues id_tokens. */
  readonly userinfo: Endpoint | undefined;
  /**
   * The OpenID Provider configuration (OpenID Connect Discovery §4), when the server issues id_tokens and the
   * router sits at the issuer (`mountPath` is `''`), so `issuer + /.well-known/openid-configuration` is here.
   */
  readonly openidConfiguration?: PlainResponse | undefined;
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
    router.get('/jwks', documentHandler(parts.jwks, { ...parts.rendering, write: plainJsonWriter }));
    // Public and cacheable, unlike the token endpoints: its errors carry no no-store either.
    router.all('/jwks', methodNotAllowedHandler({ ...parts.rendering, write: plainJsonWriter }, 'GET, HEAD'));
  }

  // RFC 6749 §4.1.1: the authorization endpoint, only when the authorization_code grant is configured.
  if (parts.authorization !== undefined) mountAuthorizeRoutes(router, parts.authorization, bodyReader(parts.bodyLimit, ['form', 'json']), parts.rendering);
  if (parts.userinfo !== undefined) {
    const userinfo = userinfoHandler(parts.userinfo, bodyReader(parts.bodyLimit, ['form']));
    router.get('/userinfo', userinfo);
    router.post('/userinfo', userinfo);
    router.all('/userinfo', methodNotAllowedHandler(parts.rendering, parts.userinfo.allow));
  }
  if (parts.openidConfiguration !== undefined) {
    router.get('/.well-known/openid-configuration', documentHandler(parts.openidConfiguration));
    router.all('/.well-known/openid-configuration', methodNotAllowedHandler({ ...parts.rendering, write: plainJsonWriter }, 'GET, HEAD'));
  }
  return router;
}
