import type { Availability } from '../guards/availability';
import type { AuthenticateUser, RenderConsent } from '../adapters/express/authorize-hooks';
import type { AuthorizeErrorPageRenderer } from '../endpoints/authorize/authorize-response';
import type { UserInfoHook } from '../endpoints/userinfo/user-info-hook';
import type { IdTokenSigner } from '../tokens/id-token';
import type { BasicWithBodyPolicy } from '../client-auth/read-credentials';
import type { MetricsRegistry } from '../metrics/request-metrics';
import type { BodyType as BodyFormat } from '../core/request-state';
import type { ResponseFormat } from '../core/response';
import type { TokenTypeLabel } from '../tokens/token-issuer';
import type { Client, ClientStore } from '../clients/client';
import type { ErrorListener } from '../errors/error-listener';
import type { ErrorRenderer } from '../errors/render';
import type { GrantType } from '../grants/grant-type';
import type { Store } from '../store/store';
import type { SigningKeyInput } from '../tokens/signing-keys';
import type { AccessTokenFormatName } from '../tokens/per-client-format';

// The public options of createAuthorizationServer, with each default in its TSDoc. Behaviour lives elsewhere:
// options/resolve-options.ts checks them once and fills the defaults in.

/**
 * Access token settings: how long the tokens of the token endpoint live, whether they are opaque (checked
 * by a store lookup) or JWTs (checked by signature), and whom JWTs are for.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type AccessTokenOptions } from 'keyturn';
 *
 * // JWTs that the accounts API verifies without asking the store, for 10 minutes each.
 * const accessToken: AccessTokenOptions = { format: 'jwt', ttl: 600, audience: 'https://api.example.com' };
 * createAuthorizationServer({ clients, issuer: 'https://auth.example.com', accessToken });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2
 */
export interface AccessTokenOptions {
  /** Lifetime in seconds (`expires_in`). Default: 900, as Moov's API. */
  ttl?: number;
  /**
   * `'opaque'`: random strings looked up in the store. `'jwt'`: RFC 9068 JWTs signed with `signingKeys`,
   * verified without a store lookup (needs `issuer`). A client's `accessTokenFormat` overrides it.
   * Default: `'opaque'`.
   */
  format?: AccessTokenFormatName;
  /** The `aud` claim of JWT access tokens: the resource server(s) they are for. Default: the issuer. */
  audience?: string | readonly string[];
}

/**
 * Rate limit settings: `points` requests per `durationSeconds` window, per client id (or per IP address when
 * a request names no client), one count across the token, revocation and introspection endpoints. The
 * counters live in the server's store, so every instance sharing the store enforces one limit. A request
 * over it gets 429 with `Retry-After`.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type RateLimitOptions } from 'keyturn';
 *
 * const rateLimit: RateLimitOptions = { points: 100, durationSeconds: 60 }; // 100 requests a minute per client
 * createAuthorizationServer({ clients, store, rateLimit });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export interface RateLimitOptions {
  /** Requests allowed per window: a positive integer. Required. */
  points: number;
  /** Window length in seconds: a positive integer. Required. */
  durationSeconds: number;
}

/**
 * Refresh token settings (RFC 6749 §6). Refresh tokens are issued only when `grants` includes
 * `'refresh_token'`, to clients whose own `grants` include it.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer } from 'keyturn';
 *
 * createAuthorizationServer({ clients, grants: ['client_credentials', 'refresh_token'],
 *   refreshToken: { ttl: 86_400, absoluteTtl: 30 * 86_400, issueWithClientCredentials: false } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export interface RefreshTokenOptions {
  /** Lifetime of each refresh token in seconds; every rotation gives the new token a full `ttl`. Default: 2 592 000 (30 days). */
  ttl?: number;
  /**
   * Lifetime in seconds of a whole family (the original grant and every rotation of it), after which the
   * client must obtain a new grant. Default: none.
   */
  absoluteTtl?: number;
  /** Issue a refresh token with client_credentials responses too, as Moov's API does. Default: true. */
  issueWithClientCredentials?: boolean;
  /**
   * The refresh grace window, in seconds: an integer from 0 to 300. Default: 0, so a spent refresh token
   * presented again always revokes its family (RFC 9700 §4.14.2).
   *
   * When positive, the token a rotation has just spent may be presented again within this many seconds of
   * that rotation, and the request is answered with new tokens of the same family, as a client needs that
   * retries a refresh whose answer it never got (a 503 while the store stalled although the rotation landed,
   * a dropped connection). The refresh token and opaque access token that the lost answer carried are retired
   * in the same step, so a family never has more than one live refresh token, and presenting the retired one
   * later is reuse.
   *
   * The window is counted from the rotation that spent the token, never from a re-issue, so the token can
   * be re-presented as often as needed within it, but not for longer. Outside it, once the new token has been
   * rotated itself (the spent token is then an older ancestor), or for any older token, reuse revokes the
   * family as with 0. A JWT access token of a retired refresh token stays valid until its `exp`. The window
   * costs no store round trip: the check is part of the rotation's one atomic step. Re-issues are reported
   * as `refresh.grace_reissued` events.
   *
   * @example
   * ```ts
   * import { createAuthorizationServer } from 'keyturn';
   * import { redisStore } from 'keyturn/redis';
   *
   * // A client whose refresh got a 503 (Retry-After: 1) or lost its answer may retry it for 10 seconds.
   * createAuthorizationServer({ clients, store: redisStore(redis, { keyPrefix: 'keyturn:' }),
   *   grants: ['client_credentials', 'refresh_token'], refreshToken: { reuseGraceSeconds: 10 } });
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
   */
  reuseGraceSeconds?: number;
}

/**
 * Client authentication settings of the token, revocation and introspection endpoints.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type ClientAuthenticationOptions } from 'keyturn';
 *
 * const clientAuthentication: ClientAuthenticationOptions = { realm: 'payments', secretCacheSize: 1_000 };
 * createAuthorizationServer({ clients, clientAuthentication });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export interface ClientAuthenticationOptions {
  /**
   * Realm of the `WWW-Authenticate: Basic` challenge of a 401 `invalid_client`, and of the bearer challenges
   * of `requireBearer({ server })`. Default: `"keyturn"`.
   */
  realm?: string;
  /** @deprecated Use `compat.basicWithBody`. */
  basicWithBody?: BasicWithBodyPolicy;
  /**
   * How many clients' recent successful secret verifications to remember, so a client that sends the same
   * secret again is checked with one fast keyed hash instead of scrypt. The cache never holds the secret.
   * Default: 10 000.
   */
  secretCacheSize?: number;
  /** JWT client assertions: `private_key_jwt` and `client_secret_jwt` (RFC 7523). Default: the defaults of {@link ClientAssertionOptions}. */
  assertions?: ClientAssertionOptions;
}

/**
 * Settings of JWT client assertions, `private_key_jwt` and `client_secret_jwt` (RFC 7523 §2.2 and §3, OpenID
 * Connect Core §9), at the token, revocation and introspection endpoints. Each assertion costs one store round
 * trip (its `jti`, used once); a client with a `jwksUri` adds a fetch of its JWK Set when it is first needed,
 * when it is older than `jwksMaxAgeSeconds`, and on an unknown `kid`, never more than one per
 * `jwksRefetchIntervalSeconds`.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type ClientAssertionOptions } from 'keyturn';
 *
 * const assertions: ClientAssertionOptions = { maxLifetimeSeconds: 120, algorithms: ['ES256', 'EdDSA'] };
 * createAuthorizationServer({ clients, issuer, clientAuthentication: { assertions } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export interface ClientAssertionOptions {
  /** Longest lifetime of an assertion, `exp - iat` (or `exp - now` without `iat`), in seconds. Default: 300. */
  maxLifetimeSeconds?: number;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. Default: 30. */
  clockSkewSeconds?: number;
  /**
   * The allow-list of JWS algorithms: asymmetric ones (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384,
   * ES512, EdDSA, Ed25519) for `private_key_jwt`, HS256/HS384/HS512 for `client_secret_jwt`. `none` is never
   * accepted. Default: all of them.
   */
  algorithms?: readonly string[];
  /** How many clients' fetched JWK Sets (by `jwksUri`) are cached. Default: 1 000. */
  jwksCacheSize?: number;
  /** Shortest time between two fetches of one client's `jwksUri`, in seconds. Default: 60. */
  jwksRefetchIntervalSeconds?: number;
  /** Longest time a fetched JWK Set is used before it is fetched again, in seconds (a shorter `Cache-Control: max-age` wins). Default: 600. */
  jwksMaxAgeSeconds?: number;
  /** Timeout of a JWK Set fetch, in milliseconds. Default: 5 000. */
  jwksTimeoutMs?: number;
}

/**
 * Options of {@link createAuthorizationServer}. Checked once, when the server is built: a bad option (or an
 * unknown one) throws a `TypeError` that names it, so a misconfigured app fails at start-up.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, hashClientSecret, type AuthorizationServerOptions } from 'keyturn';
 * import { redisStore } from 'keyturn/redis';
 *
 * const options: AuthorizationServerOptions = {
 *   issuer: 'https://auth.example.com',
 *   mountPath: '/oauth2',
 *   clients: [{
 *     clientId: 'reporting-job',
 *     clientSecretHash: await hashClientSecret(process.env.REPORTING_SECRET!),
 *     grants: ['client_credentials', 'refresh_token'],
 *     scopes: ['/accounts.read'],
 *   }],
 *   store: redisStore(redis, { keyPrefix: 'keyturn:' }),
 *   grants: ['client_credentials', 'refresh_token'],
 *   accessToken: { format: 'jwt', ttl: 600 },
 *   rateLimit: { points: 100, durationSeconds: 60 },
 * };
 * const auth = createAuthorizationServer(options);
 * app.use('/oauth2', auth.router());
 * ```
 */
export interface AuthorizationServerOptions {
  /**
   * The registered clients: a {@link ClientStore} over your database, or a fixed list of {@link Client}s (kept
   * in memory; a plaintext `clientSecret` only as its SHA-256 digest). Required.
   */
  clients: ClientStore | readonly Client[];
  /** The issuer identifier (an https URL, RFC 8414 §2). Default: none. */
  issuer?: string;
  /** Where server state lives. Default: a new `memoryStore()`, closed by `auth.close()`. */
  store?: Store;
  /**
   * Grant types the token endpoint serves: built-in names and extension {@link GrantType} objects.
   * Default: `['client_credentials']`.
   */
  grants?: ReadonlyArray<string | GrantType>;
  /** @deprecated Use `compat.defaultGrantType`. */
  defaultGrantType?: string;
  /** Access token settings. */
  accessToken?: AccessTokenOptions;
  /** Refresh token settings. */
  refreshToken?: RefreshTokenOptions;
  /**
   * Accept clients with a plaintext `clientSecret` (development). Default: false: clients need
   * `clientSecretHash` from {@link hashClientSecret}.
   */
  allowPlaintextSecrets?: boolean;
  /** Client authentication settings. */
  clientAuthentication?: ClientAuthenticationOptions;
  /** Largest request body accepted, in bytes; larger ones get 413. Default: 16 384. */
  bodyLimit?: number;
  /** Renders every error response. Default: {@link "keyturn/errors"!renderOAuthError} (RFC 6749 §5.2). */
  renderError?: ErrorRenderer;
  /** Told of every rendered error, for logging. Default: none. */
  onError?: ErrorListener;
  /**
   * Keys that sign JWT access tokens; the first signs, the others keep verifying (rotation). Used when
   * `issuer` is set. Default: one ES256 key generated at start-up (development: tokens stop verifying when the
   * process restarts, and instances do not share it).
   */
  signingKeys?: readonly SigningKeyInput[];
  /**
   * The server's one secret, at least 32 bytes (e.g. `openssl rand -base64 32`): every key Keyturn needs at
   * rest or across instances is derived from it with HKDF, each under its own label (see `deriveKey`):
   * the key that seals the key ring's private keys (AES-256-GCM) and the consent transaction's HMAC key.
   * Instances sharing a store must share it. Required with a shared store (Redis) unless `signingKeys` and
   * `authorization.transactionSecret` cover every use. Default: none; with the memory store, keys random per
   * process.
   */
  secret?: string | Buffer;
  /**
   * When the server keeps its own signing keys (no `signingKeys`): how often a new key is made, and how long
   * it is published before it signs. Default: a new key every 30 days, published a day ahead.
   */
  keyRotation?: KeyRotationOptions;
  /** `max-age` in seconds of the `GET /jwks` response. Default: 300. */
  jwksMaxAge?: number;
  /**
   * The path the router is mounted at, relative to the issuer URL, e.g. `'/oauth2'` for
   * `app.use('/oauth2', auth.router())`: metadata (RFC 8414) derives the endpoint URLs from `issuer + mountPath`.
   * Default: `''` (mounted at the issuer's own path).
   */
  mountPath?: string;
  /** `scopes_supported` in the metadata. Default: every scope of the clients when `clients` is a list; else none. */
  scopesSupported?: readonly string[];
  /**
   * Decides per request whether the endpoints are open; closed is 503 with `Retry-After`. See
   * {@link serviceHours}. Default: always open.
   */
  availability?: Availability;
  /** Prometheus metrics in a prom-client registry. Default: none. */
  metrics?: MetricsOptions;
  /**
   * Rate limit of the endpoints per authenticated client, with failed authentications counted per requester
   * address, in the store so instances sharing it share the limit. Over it: 429 with `Retry-After`.
   * Default: none. Costs one store operation per request.
   */
  rateLimit?: RateLimitOptions;
  /**
   * The brute-force guard on client secrets (RFC 6749 §2.3.1): wrong and missing credentials are counted per
   * requester address, per client id and address, and per client id, and refused with 429 and `Retry-After`
   * past their budgets. On by default with the defaults of {@link LockoutOptions}; `false` turns it off. A
   * client presenting a secret this process verified, from an address this instance saw it succeed from, costs
   * no store round trip; the first success from an address costs three.
   */
  lockout?: LockoutOptions | false;
  /** @deprecated Use `compat.tokenTypeLabel`. */
  tokenTypeLabel?: TokenTypeLabel;
  /** @deprecated Use `compat.bodyFormats`. */
  bodyFormats?: readonly BodyFormat[];
  /** @deprecated Use `compat.responseFormat`. */
  responseFormat?: ResponseFormat;
  /**
   * Departures from the RFCs, for standing in for an existing API whose clients cannot change (the three
   * seed APIs Keyturn was specified from). Leave it out for a standard server. Default: none.
   */
  compat?: CompatOptions;
  /**
   * The authorization endpoint (`GET /authorize`) and the `authorization_code` grant: the app's sign-in and
   * consent hooks, PKCE, code and ID Token settings. Required when `grants` includes `authorization_code`
   * (which then also requires `issuer`). Default: none (no authorization endpoint).
   */
  authorization?: AuthorizationOptions;
  /**
   * DPoP (RFC 9449): give it, `{}` for the defaults, to accept proofs at the token endpoint and DPoP-bound tokens
   * at the server's own bearer checks. See {@link DpopOptions}. Default: off (the `DPoP` header is ignored, as
   * RFC 9449 §5 lets a server that does not do DPoP).
   */
  dpop?: DpopOptions;
}

/**
 * The key ring's schedule: the ring lives in the store, so every instance signs with and publishes the same
 * keys. A new ES256 key is made every `interval` seconds and published `publishAhead` seconds before it
 * starts signing, so resource servers that cache the JWKS already know it; the key it replaces stays published
 * until the last token it signed has expired. Instances read the ring in the background, never per request.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type KeyRotationOptions } from 'keyturn';
 * import { redisStore } from 'keyturn/redis';
 *
 * const keyRotation: KeyRotationOptions = { interval: 7 * 86_400, publishAhead: 3600 };
 * createAuthorizationServer({ clients, issuer, store: redisStore(redis), secret: process.env.KEYTURN_SECRET!, keyRotation });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export interface KeyRotationOptions {
  /** Seconds between new keys. Default: 2 592 000 (30 days). Must exceed `publishAhead`. */
  interval?: number;
  /**
   * Seconds a new key is published before it signs. Default: 86 400 (a day). At least `jwksMaxAge`, so a
   * JWKS cached by a resource server holds the key before any token carries it.
   */
  publishAhead?: number;
}

/**
 * The options that exist to imitate an existing API rather than the RFCs. Each one is a departure from
 * standard OAuth 2.0 that some API's clients rely on.
 *
 * @example
 * ```ts
 * import type { CompatOptions } from 'keyturn';
 *
 * // Moov's API: token_type after the token format, responses in the request's own content type.
 * const compat: CompatOptions = {
 *   tokenTypeLabel: (format) => format,
 *   responseFormat: 'mirror-request',
 *   basicWithBody: 'accept-matching',
 * };
 * ```
 */
export interface CompatOptions {
  /**
   * `token_type` in token responses: a string, or a function of the access token format (`opaque`, `jwt`).
   * Default: `Bearer` (RFC 6750 §4). RFC clients expect `Bearer` (case-insensitively).
   */
  tokenTypeLabel?: TokenTypeLabel;
  /**
   * `json` (RFC 6749 §5.1) or `mirror-request`: answer a form request with a form-encoded body, as Moov's API
   * documents. Default: `'json'`.
   */
  responseFormat?: ResponseFormat;
  /**
   * Credentials both in `Authorization: Basic` and in the body: `'reject'` them (RFC 6749 §2.3) or
   * `'accept-matching'` ones that agree. Default: `'reject'`. See {@link BasicWithBodyPolicy}.
   */
  basicWithBody?: BasicWithBodyPolicy;
  /**
   * The grant type assumed when a request names none, for APIs whose clients send only their credentials
   * (the bank seed). Must be one of `grants`. Default: none, so a missing `grant_type` is an `invalid_request`.
   */
  defaultGrantType?: string;
  /** Request body formats the endpoints accept. Default: `['form', 'json']`. */
  bodyFormats?: readonly BodyFormat[];
}

/**
 * PKCE settings (RFC 7636, OAuth 2.1 §4.1.1).
 * @example
 * ```ts
 * import { createAuthorizationServer, type AuthorizationOptions, type PkceOptions } from 'keyturn';
 *
 * declare const hooks: Pick<AuthorizationOptions, 'authenticateUser' | 'renderConsent'>; // your sign-in and consent pages
 *
 * // A legacy confidential client that cannot send code_challenge yet; public clients still must.
 * const pkce: PkceOptions = { requireForConfidentialClients: false };
 * createAuthorizationServer({ clients, issuer, grants: ['authorization_code'], authorization: { ...hooks, pkce } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1
 */
export interface PkceOptions {
  /** Accept `code_challenge_method=plain`. Default: false: only `S256`. */
  allowPlain?: boolean;
  /**
   * Require PKCE from confidential clients too, as OAuth 2.1 does. Default: true. Public clients
   * (`tokenEndpointAuthMethod: 'none'`) must always use it. A client's own `pkce` wins over this, so one
   * legacy client can be let off without relaxing the rest.
   */
  requireForConfidentialClients?: boolean;
}

/**
 * ID Token settings.
 * @example
 * ```ts
 * import { createAuthorizationServer, type AuthorizationOptions, type IdTokenOptions, type IdTokenSigner } from 'keyturn';
 *
 * declare const hooks: Pick<AuthorizationOptions, 'authenticateUser' | 'renderConsent'>; // your sign-in and consent pages
 * declare const signer: IdTokenSigner; // over a key that outlives the process, see IdTokenSigner
 *
 * const idToken: IdTokenOptions = { signer, ttl: 600 };
 * createAuthorizationServer({ clients, issuer, grants: ['authorization_code'], authorization: { ...hooks, idToken } });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export interface IdTokenOptions {
  /** Signs ID Tokens. Default: a development signer with a new ES256 key per start. */
  signer?: IdTokenSigner;
  /** ID Token lifetime in seconds. Default: 3600. */
  ttl?: number;
}

/**
 * Settings of the authorization endpoint (`GET /authorize`) and the `authorization_code` grant. Required
 * when `grants` includes `authorization_code`.
 *
 * @example
 * ```ts
 * import type { Request } from 'express';
 * import { createAuthorizationServer } from 'keyturn';
 *
 * declare function signedInUserId(req: Request): string | undefined; // your session lookup
 *
 * createAuthorizationServer({
 *   clients,
 *   issuer: 'https://auth.example.com/oauth2',
 *   grants: ['authorization_code'],
 *   authorization: {
 *     authenticateUser: (req, res, ctx) => {
 *       const sub = signedInUserId(req);
 *       if (sub !== undefined) return { sub };
 *       res.redirect(`/login?returnTo=${encodeURIComponent(ctx.returnTo)}`);
 *       return undefined;
 *     },
 *     renderConsent: (_req, res, details) => res.render('consent', details), // a template of your view engine
 *     transactionSecret: process.env.KEYTURN_TRANSACTION_SECRET,
 *   },
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export interface AuthorizationOptions {
  /** The app's sign-in: resolves the signed-in user or answers the request itself. Required. */
  authenticateUser: AuthenticateUser;
  /** The app's consent page. Required. */
  renderConsent: RenderConsent;
  /**
   * HMAC key of the signed transaction between the consent page and its POST: at least 32 bytes (a string
   * is taken as UTF-8). Default: derived from the server's `secret`; without one, random per process (the
   * memory store only).
   */
  transactionSecret?: string | Buffer;
  /** How long a consent page stays answerable, in seconds. Default: 600. */
  transactionTtl?: number;
  /** Authorization code lifetime in seconds. Default: 60 (RFC 6749 §4.1.2 recommends at most 10 minutes). */
  codeTtl?: number;
  /** How long a consent is remembered per user, client and scopes, in seconds; `false` asks every time. Default: 2 592 000 (30 days). */
  consentTtl?: number | false;
  /** PKCE settings. */
  pkce?: PkceOptions;
  /** ID Token settings (issued when the `openid` scope is granted). */
  idToken?: IdTokenOptions;
  /** The error page. Default: a plain HTML page showing the error code and description. */
  renderErrorPage?: AuthorizeErrorPageRenderer;
  /**
   * The claims of the UserInfo endpoint (`GET`/`POST /userinfo`, OpenID Connect Core §5.3), by `sub`; Keyturn
   * releases only those the granted `profile`, `email`, `address` and `phone` scopes ask for (§5.4).
   * Default: none, and UserInfo answers `sub` alone.
   */
  userInfo?: UserInfoHook;
}


/**
 * Settings of the brute-force guard on client secrets (the server's `lockout` option, RFC 6749 §2.3.1). It
 * counts wrong and missing credentials by who sends them as well as by the client id they name, so that a
 * stranger cannot turn it against the client it protects:
 * - per client id and requester address: `maxFailures` within `windowSeconds` lock that pair for
 *   `baseSeconds`, doubling with each further lock in a day up to `maxSeconds`;
 * - per requester address, across every client id it names: `addressMaxFailures` within `windowSeconds`
 *   (unknown ids, which cost a decoy hash, count here);
 * - per client id, from addresses it has not authenticated from within `knownAddressSeconds`:
 *   `clientMaxFailures` within `windowSeconds`, which bounds a guess spread over many addresses.
 *
 * Each attempt reserves its points atomically in the store before its secret is checked, and a success gives
 * them back, so at most the budget of wrong secrets is ever checked per window, however many arrive at once
 * and on however many instances share the store. A refused attempt gets 429 with `Retry-After`, whatever
 * secret it carried. The requester's address is the adapter's (Express: `req.ip`, so `trust proxy` governs
 * it). Public clients have no secret to guess; their failed requests count per address and pair only.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type LockoutOptions } from 'keyturn';
 *
 * const lockout: LockoutOptions = { maxFailures: 5, windowSeconds: 900, clientMaxFailures: 50, addressMaxFailures: 50 };
 * createAuthorizationServer({ clients, store, lockout });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export interface LockoutOptions {
  /** Failed authentications of one client id from one address, within `windowSeconds`, that lock the pair. Default: 5. */
  maxFailures?: number;
  /** Window failures are counted in, seconds. Default: 900. */
  windowSeconds?: number;
  /** First lock's length, seconds; each further lock within a day doubles it. Default: 30. */
  baseSeconds?: number;
  /** Longest lock, seconds. Default: 3600. */
  maxSeconds?: number;
  /**
   * Failed authentications of one client id within `windowSeconds`, from all addresses it has not recently
   * authenticated from, after which only its known addresses are let try. Default: 50.
   */
  clientMaxFailures?: number;
  /** Failed requests from one address within `windowSeconds`, whatever client ids they name. Default: 50. */
  addressMaxFailures?: number;
  /** How long a successful authentication keeps its address known for the client, seconds. Default: 30 days. */
  knownAddressSeconds?: number;
}

/**
 * Options of the `metrics` server option: Prometheus metrics of the endpoints, registered in your
 * prom-client registry. prom-client is loaded only when this option is set.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import { createAuthorizationServer, type MetricsOptions } from 'keyturn';
 *
 * const registry = new Registry();
 * const metrics: MetricsOptions = { registry, prefix: 'auth_' }; // auth_requests_total, auth_request_duration_seconds
 * createAuthorizationServer({ clients, metrics });
 * app.get('/metrics', async (_req, res) => res.type(registry.contentType).send(await registry.metrics()));
 * ```
 */
export interface MetricsOptions {
  /** The prom-client registry to register Keyturn's metrics in. Required. */
  registry: MetricsRegistry;
  /** Metric name prefix. Default: `keyturn_`. */
  prefix?: string;
}


/**
 * DPoP (RFC 9449) at the token endpoint: which proofs are accepted, and whether the server hands out nonces.
 * DPoP needs `issuer`: a proof's `htu` must be the token endpoint's URL, `issuer + mountPath + '/token'`.
 * Given (even as `{}`), DPoP is on, at the token endpoint and at the server's own bearer checks alike: a token
 * request with a valid proof gets an access token bound to the proof's key (`token_type: DPoP`, `cnf.jkt`); one without gets a bearer token unless its client
 * has `dpopBoundAccessTokens` (or `requireForAllClients` is set). Each proof costs one store round trip (its
 * `jti`, remembered until the proof is too old to be accepted).
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type DpopOptions } from 'keyturn';
 * import { redisStore } from 'keyturn/redis';
 *
 * // Nonces on: every instance sharing the secret issues and accepts the same ones, with no store state.
 * const dpop: DpopOptions = { algorithms: ['ES256', 'EdDSA'], nonce: { windowSeconds: 300 } };
 * createAuthorizationServer({ clients, issuer: 'https://auth.internal.example', store: redisStore(redis), secret: process.env.KEYTURN_SECRET!, dpop });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */
export interface DpopOptions {
  /**
   * The JWS algorithms accepted in proofs, all asymmetric (`none` and HS* are refused at start-up): any of
   * ES256, ES384, ES512, EdDSA, Ed25519, RS256, RS384, RS512, PS256, PS384, PS512. Listed in the metadata as
   * `dpop_signing_alg_values_supported`. Default: `['ES256', 'EdDSA', 'RS256', 'PS256']`.
   */
  algorithms?: readonly string[];
  /** How old a proof may be, by its `iat`, in seconds (RFC 9449 §11.1). Default: 60. */
  proofMaxAge?: number;
  /** Seconds a proof's `iat` may lie in the future, and past `proofMaxAge`, for clock differences. Default: 5. */
  clockSkew?: number;
  /**
   * Server-provided nonces (RFC 9449 §8): `true`, or how long a nonce window is. A proof without the current
   * nonce gets 400 `use_dpop_nonce` with a `DPoP-Nonce` header, and every token response carries a fresh
   * `DPoP-Nonce`. A nonce is accepted in its window and the next. Nonces are an HMAC of the window under a key
   * derived from `secret`: no store state, and every instance sharing the secret accepts every other's (so
   * `secret` is required with a shared store). Default: `false`.
   */
  nonce?: boolean | { windowSeconds?: number };
  /** Refuse token requests without a DPoP proof from every client, as `dpopBoundAccessTokens` does for one. Default: false. */
  requireForAllClients?: boolean;
}
