import type { RequestHandler } from 'express';
import { bearerCheckFor } from './bearer-check';
import { bearerMiddleware } from './bearer-middleware';
import type { BearerOptions } from './bearer-options';

/**
 * Express middleware that protects a route with Keyturn's access tokens (RFC 6750). In the issuing process,
 * pass `server`: JWTs are verified with the server's keys and revoked-`jti` list, opaque tokens by a store
 * lookup. In another service, pass `issuer`: JWTs are verified against the issuer's JWKS, opaque tokens by
 * introspection. Sets `req.auth` and calls `next()`; failures go to `next(err)`, for {@link bearerErrorHandler}.
 *
 * @example
 * ```ts
 * import { requireBearer, bearerErrorHandler } from 'keyturn/resource-server';
 *
 * app.get('/accounts', requireBearer({ server: auth, scopes: ['/accounts.read'] }), (req, res) => res.json({ sub: req.auth!.sub }));
 * app.use(bearerErrorHandler({ server: auth }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export function requireBearer(options: BearerOptions): RequestHandler {
  return bearerMiddleware(bearerCheckFor(options, 'requireBearer'));
}
