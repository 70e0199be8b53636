import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import type { Strategy } from 'passport';
import { ServerEvents } from './events/server-events';
import { createBearerAuthenticator, type BearerAuthenticator, type ScopeMatch } from './bearer/bearer-authenticator';
import { bearerMiddleware } from './bearer/bearer-middleware';
import { bearerStrategy } from './bearer/bearer-strategy';
import { localTokenVerifier } from './bearer/local-token-verifier';
import { bearerErrorHandler } from './middleware/bearer-error-handler';
import { buildMetadata, metadataEndpoint, type AuthorizationServerMetadata } from './metadata';
import { resolveOptions, type AuthorizationServerOptions, type ResolvedOptions } from './options';
import { buildRouter } from './router';
import type { Store } from './store/store';
import type { TokenVerifier } from './bearer/bearer-auth';
import { localJwtVerifier } from './tokens/local-jwt-verifier';
import { verifiedTokenCacheSize, type VerifiedTokenCacheOption } from './tokens/verified-token-cache';

/**
 * Options of `auth.bearer()`: what the protected route needs of an access token.
 *
 * @example
 * ```ts
 * app.get('/reports', auth.bearer({ scopes: ['/reports.read', '/accounts.read'], match: 'any', clockTolerance: 10 }), listReports);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export interface BearerOptions {
  /** Scopes the route needs. Default: none (any valid token). */
  scopes?: readonly string[];
  /** `'all'` of `scopes`, or `'any'` one of them. Default: `'all'`. */
  match?: ScopeMatch;
  /** Acceptable JWT `aud` values. Default: the server's `accessToken.audience` (itself defaulting to the issuer). */
  audience?: string | readonly string[];
  /** Seconds of clock skew tolerated on JWT `exp`, `nbf` and `iat`. Default: 5. */
  clockTolerance?: number;
  /** Realm of the `WWW-Authenticate: Bearer` challenge. Default: the server's `clientAuthentication.realm`. */
  realm?: string;
  /** Also accept the token from a form body (RFC 6750 §2.2) or the query (§2.3). Default: neither. */
  tokenLocations?: { body?: boolean; query?: boolean };
  /**
   * Remember verified JWT access tokens so a reused token skips the signature check; `exp`, `nbf`, the key
   * and the revoked-`jti` list are still checked on every request. `false` turns it off. Middleware built
   * with the same `audience`, `clockTolerance` and `verifiedTokenCache` share one cache. See
   * {@link VerifiedTokenCacheOption}. Default: `{ maxEntries: 10_000 }`.
   */
  verifiedTokenCache?: VerifiedTokenCacheOption;
}

/**
 * An OAuth 2.0 authorization server to mount in an Express app.
 */
export interface AuthorizationServer {
  /**
   * The Express router with the server's endpoints: `POST /token`, `POST /revoke` (RFC 7009),
   * `POST /introspect` (RFC 7662), with an issuer `GET /jwks` (RFC 7517), and with the `authorization_code`
   * grant `GET /authorize` and `POST /authorize/consent`. Mount it where the endpoints should live (and tell
   * `mountPath`); the same router is returned on every call.
   */
  router(): Router;
  /**
   * Audit events (`token.issued`, `client.auth_failed`, `rate_limited`, ...). Payloads never hold a token or
   * a secret.
   */
  readonly events: ServerEvents;
  /**
   * Middleware protecting a route of this app with the server's access tokens (RFC 6750): JWTs are verified
   * with the server's keys and revoked-`jti` list, opaque tokens by a store lookup. Sets `req.auth` and calls
   * `next()`; failures go to `next(err)`, rendered by {@link AuthorizationServer.errorHandler}.
   *
   * @example
   * ```ts
   * app.get('/accounts', auth.bearer({ scopes: ['/accounts.read'] }), (req, res) => res.json({ sub: req.auth!.sub }));
   * app.use(auth.errorHandler());
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc6750
   */
  bearer(options?: BearerOptions): RequestHandler;
  /** The framework-free core behind {@link AuthorizationServer.bearer}, for other frameworks. */
  bearerAuthenticator(options?: BearerOptions): BearerAuthenticator;
  /**
   * A passport-http-bearer strategy (named `bearer`) over the same core, for Passport apps.
   * @example
   * ```ts
   * passport.use(auth.bearerStrategy({ scopes: ['/accounts.read'] }));
   * ```
   */
  bearerStrategy(options?: BearerOptions): Strategy;
  /**
   * The handler of `/.well-known/oauth-authorization-server` (RFC 8414 §3): mount it at the app's root.
   * Endpoint URLs are `issuer + mountPath + /token` and so on. Throws a `TypeError` without `issuer`.
   *
   * @example
   * ```ts
   * const auth = createAuthorizationServer({ clients, issuer: 'https://auth.example.com', mountPath: '/oauth2' });
   * app.use('/oauth2', auth.router());
   * app.get('/.well-known/oauth-authorization-server', auth.metadata());
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
   */
  metadata(): RequestHandler;
  /** The metadata document {@link AuthorizationServer.metadata} serves. Throws a `TypeError` without `issuer`. */
  readonly metadataDocument: AuthorizationServerMetadata;
  /**
   * Renders the `OAuthError`s of `auth.bearer()` with the server's `renderError` and `onError`; other errors
   * pass on to the app's handlers. Mount it after the protected routes.
   */
  errorHandler(): ErrorRequestHandler;
  /** The store holding the server's state. */
  readonly store: Store;
  /** Closes the store if the server created it (the default memory store); a store you passed stays open. */
  close(): Promise<void>;
}

/**
 * Creates an authorization server. Options are validated here, once: a bad option throws a `TypeError`
 * naming it, so a misconfigured app fails at start-up rather than at its first request.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createAuthorizationServer, hashClientSecret } from 'keyturn';
 *
 * const auth = createAuthorizationServer({
 *   issuer: 'https://auth.example.com',
 *   mountPath: '/oauth2',
 *   accessToken: { format: 'jwt' },
 *   clients: [{
 *     clientId: 'reporting-job',
 *     clientSecretHash: await hashClientSecret(process.env.REPORTING_SECRET!),
 *     grants: ['client_credentials'],
 *     scopes: ['/accounts.read'],
 *   }],
 * });
 * const app = express();
 * app.use('/oauth2', auth.router()); // POST /oauth2/token, /oauth2/revoke, /oauth2/introspect; GET /oauth2/jwks
 * app.get('/.well-known/oauth-authorization-server', auth.metadata());
 * app.get('/accounts', auth.bearer({ scopes: ['/accounts.read'] }), listAccounts);
 * app.use(auth.errorHandler());
 * ```
 */
export function createAuthorizationServer(options: AuthorizationServerOptions): AuthorizationServer {
  const resolved = resolveOptions(options);
  const events = new ServerEvents();
  let router: Router | undefined;
  let metadata: AuthorizationServerMetadata | undefined;
  const metadataDocument = (): AuthorizationServerMetadata =>
    (metadata ??= buildMetadata(resolved, [...resolved.grants.keys()]));
  // One verifier (and verified-token cache) per distinct verification setting, shared by the routes using it.
  const verifiers = new Map<string, TokenVerifier>();
  const authenticator = (bearerOptions: BearerOptions = {}) => localBearerAuthenticator(resolved, bearerOptions, verifiers);
  return {
    router: () => (router ??= buildRouter(resolved, events)),
    events,
    bearer: (bearerOptions) => bearerMiddleware(authenticator(bearerOptions)),
    bearerAuthenticator: authenticator,
    bearerStrategy: (bearerOptions) => bearerStrategy(authenticator(bearerOptions), { realm: bearerOptions?.realm ?? resolved.realm }),
    metadata: () => metadataEndpoint(metadataDocument()),
    get metadataDocument() {
      return metadataDocument();
    },
    errorHandler: () => bearerErrorHandler({ renderError: resolved.renderError, ...(resolved.onError === undefined ? {} : { onError: resolved.onError }) }),
    store: resolved.store,
    close: async () => {
      if (resolved.ownsStore) await resolved.store.close();
    },
  };
}

// Called once per protected route, when the app is built: verifiers and scope sets are made here, not per request.
function localBearerAuthenticator(options: ResolvedOptions, bearer: BearerOptions, verifiers: Map<string, TokenVerifier>): BearerAuthenticator {
  if (typeof bearer !== 'object' || bearer === null) throw new TypeError('auth.bearer: options must be an object');
  const clockTolerance = bearer.clockTolerance ?? 5;
  if (typeof clockTolerance !== 'number' || !Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new TypeError('auth.bearer: options.clockTolerance must be a non-negative number of seconds');
  }
  const audience = bearer.audience === undefined ? options.audience : typeof bearer.audience === 'string' ? [bearer.audience] : [...bearer.audience];
  if (audience.some((a) => typeof a !== 'string' || a === '')) throw new TypeError('auth.bearer: options.audience must be non-empty strings');
  const realm = bearer.realm ?? options.realm;
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/.test(realm)) {
    throw new TypeError('auth.bearer: options.realm must be printable ASCII without quotes or backslashes');
  }
  const cacheSize = verifiedTokenCacheSize(bearer.verifiedTokenCache, 'auth.bearer: options.verifiedTokenCache');
  const verifierKey = JSON.stringify([audience, clockTolerance, cacheSize ?? 0]);
  let verify = verifiers.get(verifierKey);
  if (verify === undefined) {
    const jwt =
      options.signingKeys !== undefined && options.issuer !== undefined
        ? localJwtVerifier(options.signingKeys, { issuer: options.issuer, audience, clockTolerance })
        : undefined;
    verify = localTokenVerifier({ store: options.store, jwt, issuer: options.issuer, cacheSize });
    verifiers.set(verifierKey, verify);
  }
  return createBearerAuthenticator({
    realm,
    verify,
    ...(bearer.scopes === undefined ? {} : { scopes: bearer.scopes }),
    ...(bearer.match === undefined ? {} : { match: bearer.match }),
    ...(bearer.tokenLocations === undefined ? {} : { locations: bearer.tokenLocations }),
  });
}
