import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import type { Strategy } from 'passport';
import { ServerEvents } from './events/server-events';
import type { BearerCheckOptions, LocalBearerOptions } from './resource-server/bearer-options';
import { registerLocalTokenSource } from './resource-server/local-source';
import { localTokenVerifier } from './resource-server/local-token-verifier';
import { buildMetadata, metadataResponse, type AuthorizationServerMetadata } from './endpoints/metadata/metadata';
import { resolveOptions } from './options/resolve-options';
import type { AuthorizationServerOptions } from './options/types';
import { expressRouter } from './adapters/express/router';
import { documentHandler } from './adapters/express/endpoint-handler';
import { buildEndpoints } from './build-endpoints';
import type { Store } from './store/store';
import type { TokenVerifier } from './resource-server/bearer-auth';
import { localJwtVerifier } from './resource-server/local-jwt-verifier';
import { verifiedTokenCacheSize } from './resource-server/verified-token-cache';

/**
 * An OAuth 2.0 authorization server to mount in an Express app, as {@link createAuthorizationServer} returns
 * it. Routes of the same app (or process) protect themselves with its tokens through
 * `requireBearer({ server })` from `keyturn/resource-server`.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type AuthorizationServer } from 'keyturn';
 * import { bearerErrorHandler, requireBearer } from 'keyturn/resource-server';
 *
 * const server: AuthorizationServer = createAuthorizationServer({ clients, issuer: 'https://auth.example.com', mountPath: '/oauth2' });
 * app.use('/oauth2', server.router());
 * app.get('/.well-known/oauth-authorization-server', server.metadata());
 * app.get('/accounts', requireBearer({ server, scopes: ['/accounts.read'] }), listAccounts);
 * app.use(bearerErrorHandler({ server }));
 * server.events.on('refresh.reuse_detected', (e) => console.error('refresh token reuse', e.clientId, e.familyId));
 * process.once('SIGTERM', () => void server.close());
 * ```
 */
export interface AuthorizationServer {
  /**
   * The Express router with the server's endpoints: `POST /token`, `POST /revoke` (RFC 7009),
   * `POST /introspect` (RFC 7662), with an issuer `GET /jwks` (RFC 7517), and with the `authorization_code`
   * grant `GET /authorize`, `POST /authorize/consent`, `GET`/`POST /userinfo` (OpenID Connect Core §5.3)
   * and, with `mountPath` `''`, `GET /.well-known/openid-configuration`. Mount it where the endpoints should live (and tell
   * `mountPath`); the same router is returned on every call.
   */
  router(): Router;
  /**
   * Audit events (`token.issued`, `client.auth_failed`, `rate_limited`, ...). Payloads never hold a token or
   * a secret.
   */
  readonly events: ServerEvents;
  /**
   * @deprecated Use `requireBearer({ server: auth, ...options })` from `keyturn/resource-server`.
   * @example
   * ```ts
   * app.get('/accounts', auth.bearer({ scopes: ['/accounts.read'] }), listAccounts);
   * ```
   */
  bearer(options?: Omit<LocalBearerOptions, 'server'>): RequestHandler;
  /**
   * @deprecated Use `bearerStrategy({ server: auth, ...options })` from `keyturn/resource-server`.
   * @example
   * ```ts
   * import passport from 'passport';
   *
   * passport.use(auth.bearerStrategy({ scopes: ['/accounts.read'] }));
   * ```
   */
  bearerStrategy(options?: Omit<LocalBearerOptions, 'server'>): Strategy;
  /**
   * The handler of `/.well-known/oauth-authorization-server` (RFC 8414 §3): mount it at the app's root.
   * Endpoint URLs are `issuer + mountPath + /token` and so on. Throws a `TypeError` without `issuer`.
   *
   * @example
   * ```ts
   * import { createAuthorizationServer } from 'keyturn';
   *
   * const auth = createAuthorizationServer({ clients, issuer: 'https://auth.example.com', mountPath: '/oauth2' });
   * app.use('/oauth2', auth.router());
   * app.get('/.well-known/oauth-authorization-server', auth.metadata());
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
   */
  metadata(): RequestHandler;
  /**
   * The handler of `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4), for a server that
   * issues id_tokens (`options.authorization`). The router already serves it when it is mounted at the
   * issuer (`mountPath` `''`); mount this where `issuer + '/.well-known/openid-configuration'` resolves
   * otherwise. The document is {@link AuthorizationServer.metadataDocument}. Throws a `TypeError` for a server
   * without `options.authorization`.
   *
   * @example
   * ```ts
   * import { createAuthorizationServer } from 'keyturn';
   *
   * // The issuer is the host; the endpoints live under /oauth2.
   * const auth = createAuthorizationServer({ clients, issuer: 'https://auth.example.com', mountPath: '/oauth2', grants: ['authorization_code'], authorization });
   * app.use('/oauth2', auth.router());
   * app.get('/.well-known/openid-configuration', auth.openidConfiguration());
   * ```
   * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
   */
  openidConfiguration(): RequestHandler;
  /** The metadata document {@link AuthorizationServer.metadata} serves. Throws a `TypeError` without `issuer`. */
  readonly metadataDocument: AuthorizationServerMetadata;
  /**
   * @deprecated Use `bearerErrorHandler({ server: auth })` from `keyturn/resource-server`.
   * @example
   * ```ts
   * app.use(auth.errorHandler());
   * ```
   */
  errorHandler(): ErrorRequestHandler;
  /** The store holding the server's state. */
  readonly store: Store;
  /**
   * Resolves once the server can sign and verify: when it keeps its own keys, after its first read (or
   * creation) of the key ring in the store. Requests that arrive earlier wait for that read; await it before
   * `listen` to fail at start-up instead, e.g. when the store is unreachable or `secret` does not open the
   * ring that other instances wrote.
   *
   * @example
   * ```ts
   * await auth.ready();
   * app.listen(3000);
   * ```
   */
  ready(): Promise<void>;
  /**
   * Stops the key ring's background reads, and closes the store if the server created it (the default memory
   * store); a store you passed stays open.
   */
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
 * import { bearerErrorHandler, requireBearer } from 'keyturn/resource-server';
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
 * app.get('/accounts', requireBearer({ server: auth, scopes: ['/accounts.read'] }), listAccounts);
 * app.use(bearerErrorHandler({ server: auth }));
 * ```
 */
export function createAuthorizationServer(options: AuthorizationServerOptions): AuthorizationServer {
  const resolved = resolveOptions(options);
  // Until the first read settles, requests that need a key wait for it (SigningKeys.whenReady).
  const started = resolved.keyRing?.start(resolved.store);
  started?.catch(() => undefined); // reported by ready() and to the requests that wait, not as an unhandled rejection
  const events = new ServerEvents();
  let router: Router | undefined;
  let metadata: AuthorizationServerMetadata | undefined;
  const authorization = resolved.authorization?.settings;
  const metadataDocument = (): AuthorizationServerMetadata =>
    (metadata ??= buildMetadata({
      issuer: resolved.issuer,
      mountPath: resolved.mountPath,
      signingKeys: resolved.signingKeys,
      scopesSupported: resolved.scopesSupported,
      grantTypes: [...resolved.grants.keys()],
      allowPlainPkce: authorization?.allowPlainPkce ?? false,
      assertionSigningAlgs: [...resolved.assertions.asymmetricAlgorithms, ...resolved.assertions.hmacAlgorithms],
      openid: authorization === undefined ? undefined : { idTokenSigningAlg: authorization.idTokens.alg, userInfoClaims: authorization.userInfo !== undefined },
      dpopSigningAlgs: resolved.dpop?.proof.algorithms,
    }));
  // One verifier (and verified-token cache) per distinct verification setting, shared by the routes using it.
  const verifiers = new Map<string, TokenVerifier>();
  const verifier = (settings: { audience: readonly string[] | undefined; clockTolerance: number; cacheSize: number | undefined }): TokenVerifier => {
    const audience = settings.audience ?? resolved.audience;
    const key = JSON.stringify([audience, settings.clockTolerance, settings.cacheSize ?? 0]);
    let verify = verifiers.get(key);
    if (verify === undefined) {
      const jwt =
        resolved.signingKeys !== undefined && resolved.issuer !== undefined
          ? localJwtVerifier(resolved.signingKeys, { issuer: resolved.issuer, audience, clockTolerance: settings.clockTolerance })
          : undefined;
      verify = localTokenVerifier({ store: resolved.store, jwt, issuer: resolved.issuer, cacheSize: settings.cacheSize, audience, defaultAudience: resolved.audience });
      verifiers.set(key, verify);
    }
    return verify;
  };
  // The UserInfo endpoint verifies like requireBearer({ server }) with its defaults, so it shares that cache.
  const endpoints = buildEndpoints(resolved, events, verifier({ audience: undefined, clockTolerance: 5, cacheSize: verifiedTokenCacheSize(undefined, 'userinfo') }));
  const openidConfiguration = (): RequestHandler => {
    if (authorization === undefined) throw new TypeError('auth.openidConfiguration() needs options.authorization: only a server that issues id_tokens is an OpenID Provider');
    return documentHandler(metadataResponse(metadataDocument()));
  };
  const local = (options: BearerCheckOptions | undefined): LocalBearerOptions => {
    warnDeprecated();
    if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('auth.bearer: options must be an object');
    return { ...options, server };
  };
  const server: AuthorizationServer = {
    router: () =>
      (router ??= expressRouter({
        ...endpoints,
        // OpenID Connect Discovery §4: issuer + /.well-known/openid-configuration, which is the router's own
        // path when it is mounted at the issuer; elsewhere the app mounts auth.openidConfiguration().
        openidConfiguration: authorization !== undefined && resolved.mountPath === '' ? metadataResponse(metadataDocument()) : undefined,
      })),
    events,
    bearer: (options) => deprecatedBearer().bearerMiddleware(deprecatedBearer().localBearerCheck(local(options), 'auth.bearer')),
    bearerStrategy: (options) => deprecatedBearer().strategyOverCheck(deprecatedBearer().localBearerCheck(local(options), 'auth.bearerStrategy')),
    metadata: () => documentHandler(metadataResponse(metadataDocument())),
    openidConfiguration,
    get metadataDocument() {
      return metadataDocument();
    },
    errorHandler: () => deprecatedBearer().bearerErrorHandler({ server }),
    store: resolved.store,
    ready: async () => {
      await (resolved.signingKeys?.whenReady() ?? started);
    },
    close: async () => {
      resolved.keyRing?.close();
      if (resolved.ownsStore) await resolved.store.close();
    },
  };
  // Routes of a server given `dpop` options take DPoP-bound tokens by default, with the same proof rules.
  const localDpop = resolved.dpop?.proof;
  registerLocalTokenSource(server, {
    verifier,
    realm: resolved.realm,
    renderError: resolved.renderError,
    onError: resolved.onError,
    store: resolved.store,
    dpop: localDpop === undefined ? undefined : { algorithms: localDpop.algorithms, maxAgeSeconds: localDpop.maxAgeSeconds, clockSkewSeconds: localDpop.clockSkewSeconds },
  });
  return server;
}

// The deprecated aliases load the resource side only when called, so an app that uses keyturn/resource-server
// (or no bearer check at all) does not load passport-http-bearer through the main entry.
interface DeprecatedBearerParts {
  readonly bearerMiddleware: typeof import('./resource-server/bearer-middleware').bearerMiddleware;
  readonly localBearerCheck: typeof import('./resource-server/local-bearer-check').localBearerCheck;
  readonly strategyOverCheck: typeof import('./resource-server/bearer-strategy').strategyOverCheck;
  readonly bearerErrorHandler: typeof import('./resource-server/bearer-error-handler').bearerErrorHandler;
}
let bearerParts: DeprecatedBearerParts | undefined;
function deprecatedBearer(): DeprecatedBearerParts {
  return (bearerParts ??= {
    ...(require('./resource-server/bearer-middleware') as typeof import('./resource-server/bearer-middleware')),
    ...(require('./resource-server/local-bearer-check') as typeof import('./resource-server/local-bearer-check')),
    ...(require('./resource-server/bearer-strategy') as typeof import('./resource-server/bearer-strategy')),
    ...(require('./resource-server/bearer-error-handler') as typeof import('./resource-server/bearer-error-handler')),
  });
}

let warned = false;
function warnDeprecated(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    'auth.bearer(), auth.bearerStrategy() and auth.errorHandler() are deprecated: use requireBearer, bearerStrategy and bearerErrorHandler from keyturn/resource-server with { server: auth }',
    { type: 'DeprecationWarning', code: 'KEYTURN_BEARER_ALIASES' },
  );
}
