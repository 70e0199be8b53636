import type { Availability } from './availability/availability';
import { resolveAuthorizationOptions, type AuthorizationOptions, type AuthorizationSettings } from './authorize/authorization-options';
import type { BasicWithBodyPolicy } from './client-auth/authenticate-client';
import type { LockoutOptions } from './client-auth/lockout';
import type { MetricsOptions } from './metrics/request-metrics';
import type { BodyFormat } from './middleware/parse-body';
import type { ResponseFormat } from './middleware/send-body';
import type { TokenTypeLabel } from './tokens/token-issuer';
import type { Client, ClientStore } from './clients/client';
import { staticClientStore } from './clients/static-client-store';
import type { ErrorListener } from './errors/error-listener';
import { renderOAuthError, type ErrorRenderer } from './errors/render';
import type { GrantType } from './grants/grant-type';
import { createGrantRegistry } from './grants/grant-registry';
import { memoryStore } from './store/memory-store';
import type { Store } from './store/store';
import { resolveSigningKeys, type SigningKeyInput, type SigningKeySet } from './tokens/signing-keys';
import type { AccessTokenFormatName } from './tokens/per-client-format';

/** Access token settings. */
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

/** Rate limit settings: `points` requests per `durationSeconds` window, per client id (or IP). */
export interface RateLimitOptions {
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationSeconds: number;
}

/**
 * Refresh token settings (RFC 6749 §6). Refresh tokens are issued only when `grants` includes
 * `'refresh_token'`, to clients whose own `grants` include it.
 *
 * @example
 * ```ts
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
}

/** Client authentication settings. */
export interface ClientAuthenticationOptions {
  /** Realm of the `WWW-Authenticate: Basic` challenge. Default: `"keyturn"`. */
  realm?: string;
  /**
   * Credentials both in `Authorization: Basic` and in the body. Default: `'reject'` (RFC 6749 §2.3).
   * See {@link BasicWithBodyPolicy}.
   */
  basicWithBody?: BasicWithBodyPolicy;
  /** How many clients' recent successful secret verifications to remember. Default: 10 000. */
  secretCacheSize?: number;
}

/**
 * Options of {@link createAuthorizationServer}. Checked once, when the server is built: a bad option throws a
 * `TypeError` that names it.
 */
export interface AuthorizationServerOptions {
  /** The registered clients: a {@link ClientStore}, or a list served by {@link staticClientStore}. Required. */
  clients: ClientStore | readonly Client[];
  /** The issuer identifier (an https URL, RFC 8414 §2). Default: none. */
  issuer?: string;
  /** Where server state lives. Default: a new {@link MemoryStore}. */
  store?: Store;
  /**
   * Grant types the token endpoint serves: built-in names and extension {@link GrantType} objects.
   * Default: `['client_credentials']`.
   */
  grants?: ReadonlyArray<string | GrantType>;
  /**
   * The grant type assumed when a request names none, for APIs whose clients send only their credentials
   * (the bank seed). Must be one of `grants`. Default: none, so a missing `grant_type` is an `invalid_request`.
   */
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
  /** Renders every error response. Default: {@link renderOAuthError} (RFC 6749 §5.2). */
  renderError?: ErrorRenderer;
  /** Told of every rendered error, for logging. Default: none. */
  onError?: ErrorListener;
  /**
   * Keys that sign JWT access tokens; the first signs, the others keep verifying (rotation). Used when
   * `issuer` is set. Default: one ES256 key generated at start-up (development: tokens stop verifying when the
   * process restarts, and instances do not share it).
   */
  signingKeys?: readonly SigningKeyInput[];
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
   * Rate limit of the endpoints per client id (per IP when a request names no client), counted in the
   * store so instances sharing it share the limit. Over it: 429 with `Retry-After`. Default: none.
   * Costs one store operation per request.
   */
  rateLimit?: RateLimitOptions;
  /**
   * Lock a client id out after repeated failed authentications, for a doubling interval: 429 with
   * `Retry-After`. Default: none. Costs one store read per authenticated request.
   */
  lockout?: LockoutOptions;
  /**
   * `token_type` in token responses: a string, or a function of the access token format (`opaque`, `jwt`).
   * Default: `Bearer` (RFC 6750 §4). Change it only to stand in for an API that labels tokens otherwise:
   * RFC clients expect `Bearer` (case-insensitively).
   */
  tokenTypeLabel?: TokenTypeLabel;
  /** Request body formats the endpoints accept. Default: `['form', 'json']`. */
  bodyFormats?: readonly BodyFormat[];
  /**
   * `json` (default, RFC 6749 §5.1) or `mirror-request`: answer a form request with a form-encoded body,
   * as Moov's API documents.
   */
  responseFormat?: ResponseFormat;
  /**
   * The authorization endpoint (`GET /authorize`) and the `authorization_code` grant: the app's sign-in and
   * consent hooks, PKCE, code and ID Token settings. Required when `grants` includes `authorization_code`
   * (which then also requires `issuer`). Default: none (no authorization endpoint).
   */
  authorization?: AuthorizationOptions;
}

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  readonly clients: ClientStore;
  readonly issuer: string | undefined;
  readonly store: Store;
  readonly ownsStore: boolean;
  /** The grant registry, by `grant_type` value. */
  readonly grants: ReadonlyMap<string, GrantType>;
  readonly defaultGrantType: string | undefined;
  readonly accessTokenTtl: number;
  readonly refreshToken: ResolvedRefreshTokenOptions;
  readonly allowPlaintextSecrets: boolean;
  readonly realm: string;
  readonly basicWithBody: BasicWithBodyPolicy;
  readonly secretCacheSize: number;
  readonly bodyLimit: number;
  readonly renderError: ErrorRenderer;
  readonly onError: ErrorListener | undefined;
  readonly accessTokenFormat: AccessTokenFormatName;
  /** JWT `aud`; set when `issuer` is. */
  readonly audience: readonly string[];
  /** The signing keys; set when `issuer` is. */
  readonly signingKeys: SigningKeySet | undefined;
  readonly jwksMaxAge: number;
  readonly mountPath: string;
  readonly scopesSupported: readonly string[] | undefined;
  readonly availability: Availability | undefined;
  readonly metrics: MetricsOptions | undefined;
  readonly rateLimit: RateLimitOptions | undefined;
  readonly lockout: LockoutOptions | undefined;
  readonly tokenTypeLabel: TokenTypeLabel;
  readonly bodyFormats: readonly BodyFormat[];
  readonly responseFormat: ResponseFormat;
  /** The authorization endpoint's settings, when the server has one. */
  readonly authorization: AuthorizationSettings | undefined;
}

/** {@link RefreshTokenOptions} with the defaults filled in. */
export interface ResolvedRefreshTokenOptions {
  readonly ttl: number;
  readonly absoluteTtl: number | undefined;
  readonly issueWithClientCredentials: boolean;
}

const KNOWN = new Set<string>([
  'clients', 'issuer', 'store', 'grants', 'defaultGrantType', 'accessToken', 'refreshToken', 'allowPlaintextSecrets',
  'clientAuthentication', 'bodyLimit', 'renderError', 'onError', 'availability', 'metrics',
  'rateLimit', 'lockout', 'tokenTypeLabel', 'bodyFormats', 'responseFormat', 'authorization',
  'signingKeys', 'jwksMaxAge', 'mountPath', 'scopesSupported',
]);

/** Validates options once, at start-up, and fills in the defaults. */
export function resolveOptions(options: AuthorizationServerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('createAuthorizationServer: options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`createAuthorizationServer: unknown option "${key}"`);
  }
  const allowPlaintextSecrets = optionalBoolean(options.allowPlaintextSecrets, 'allowPlaintextSecrets') ?? false;
  const clients = resolveClients(options.clients, allowPlaintextSecrets);
  if (options.issuer !== undefined) checkIssuer(options.issuer);
  if (options.store !== undefined) {
    const needs = [
      'saveAccessToken', 'findAccessToken', 'close',
      ...(options.rateLimit || options.lockout ? ['createRateLimiter'] : []),
      // With an issuer there are JWT access tokens to revoke (RFC 7009) and check (auth.bearer, introspection).
      ...(options.issuer !== undefined ? ['revokeJwtId', 'isJwtIdRevoked'] : []),
    ] as const;
    for (const method of needs as ReadonlyArray<keyof Store>) {
      if (typeof options.store?.[method] !== 'function') throw new TypeError(`options.store must implement ${method}()`);
    }
  }
  const grantList = options.grants ?? ['client_credentials'];
  if (!Array.isArray(grantList) || grantList.length === 0) throw new TypeError('options.grants must list at least one grant');
  // Checked before the store is made, so a bad option leaves nothing open.
  const authorization = options.authorization === undefined ? undefined : resolveAuthorizationOptions(options.authorization, options.issuer);
  if (authorization !== undefined && !grantList.includes('authorization_code')) {
    throw new TypeError('options.authorization is set but options.grants does not include "authorization_code"');
  }
  if (authorization !== undefined && options.store !== undefined) {
    for (const method of ['saveAuthorizationCode', 'consumeAuthorizationCode', 'revokeFamily', 'saveConsent', 'findConsent'] as const) {
      if (typeof options.store[method] !== 'function') throw new TypeError(`options.store must implement ${method}() for the authorization_code grant`);
    }
  }
  const store = options.store ?? memoryStore();
  const refreshToken = resolveRefreshToken(options.refreshToken);
  const grants = createGrantRegistry(grantList, authorization === undefined ? { store, refreshToken } : { store, refreshToken, authorization });
  if (options.defaultGrantType !== undefined && !grants.has(options.defaultGrantType)) {
    throw new TypeError(`options.defaultGrantType "${String(options.defaultGrantType)}" is not one of options.grants`);
  }
  if (grants.has('refresh_token')) {
    for (const method of ['saveRefreshToken', 'rotateRefreshToken', 'revokeFamily'] as const) {
      if (typeof store[method] !== 'function') throw new TypeError(`options.store must implement ${method}() to serve the refresh_token grant`);
    }
  }
  const auth = options.clientAuthentication ?? {};
  const basicWithBody = auth.basicWithBody ?? 'reject';
  if (basicWithBody !== 'reject' && basicWithBody !== 'accept-matching') {
    throw new TypeError('options.clientAuthentication.basicWithBody must be "reject" or "accept-matching"');
  }
  const realm = auth.realm ?? 'keyturn';
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/.test(realm)) {
    throw new TypeError('options.clientAuthentication.realm must be printable ASCII without quotes or backslashes');
  }
  if (options.renderError !== undefined && typeof options.renderError !== 'function') throw new TypeError('options.renderError must be a function');
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('options.onError must be a function');
  const tokens = resolveTokenOptions(options);
  if (options.availability !== undefined && typeof options.availability !== 'function') throw new TypeError('options.availability must be a function');
  if (options.metrics !== undefined && typeof options.metrics?.registry?.registerMetric !== 'function') {
    throw new TypeError('options.metrics.registry must be a prom-client Registry');
  }
  return {
    clients,
    issuer: options.issuer,
    store,
    ownsStore: options.store === undefined,
    grants,
    defaultGrantType: options.defaultGrantType,
    accessTokenTtl: positiveInteger(options.accessToken?.ttl, 'accessToken.ttl') ?? 900,
    refreshToken,
    allowPlaintextSecrets,
    realm,
    basicWithBody,
    secretCacheSize: positiveInteger(auth.secretCacheSize, 'clientAuthentication.secretCacheSize') ?? 10_000,
    bodyLimit: positiveInteger(options.bodyLimit, 'bodyLimit') ?? 16 * 1024,
    renderError: options.renderError ?? renderOAuthError,
    onError: options.onError,
    availability: options.availability,
    metrics: options.metrics,
    rateLimit: resolveRateLimit(options.rateLimit),
    lockout: resolveLockout(options.lockout),
    tokenTypeLabel: resolveTokenTypeLabel(options.tokenTypeLabel),
    bodyFormats: resolveBodyFormats(options.bodyFormats),
    responseFormat: oneOf(options.responseFormat, 'responseFormat', ['json', 'mirror-request'] as const) ?? 'json',
    authorization,
    ...tokens,
  };
}

type TokenOptions = Pick<ResolvedOptions, 'accessTokenFormat' | 'audience' | 'signingKeys' | 'jwksMaxAge' | 'mountPath' | 'scopesSupported'>;

// The options of JWT access tokens, keys and metadata (issue 4).
function resolveTokenOptions(options: AuthorizationServerOptions): TokenOptions {
  const format = options.accessToken?.format ?? 'opaque';
  if (format !== 'opaque' && format !== 'jwt') throw new TypeError('options.accessToken.format must be "opaque" or "jwt"');
  const issuer = options.issuer;
  if (issuer === undefined) {
    if (format === 'jwt') throw new TypeError('options.accessToken.format "jwt" needs options.issuer (the iss claim)');
    if (options.signingKeys !== undefined) throw new TypeError('options.signingKeys needs options.issuer');
    if (options.accessToken?.audience !== undefined) throw new TypeError('options.accessToken.audience needs options.issuer');
  }
  const audience = options.accessToken?.audience ?? (issuer === undefined ? [] : [issuer]);
  const audiences = typeof audience === 'string' ? [audience] : audience;
  if (!Array.isArray(audiences) || (issuer !== undefined && audiences.length === 0) || audiences.some((a) => typeof a !== 'string' || a === '')) {
    throw new TypeError('options.accessToken.audience must be a non-empty string or an array of them');
  }
  const mountPath = options.mountPath ?? '';
  if (typeof mountPath !== 'string' || (mountPath !== '' && !/^\/[^?#]*[^/?#]$/.test(mountPath))) {
    throw new TypeError('options.mountPath must be "" or a path starting with "/" and not ending with "/", e.g. "/oauth2"');
  }
  const scopesSupported = options.scopesSupported ?? (Array.isArray(options.clients) ? unionOfScopes(options.clients as readonly Client[]) : undefined);
  if (scopesSupported !== undefined && (!Array.isArray(scopesSupported) || scopesSupported.some((s) => typeof s !== 'string'))) {
    throw new TypeError('options.scopesSupported must be an array of scope strings');
  }
  return {
    accessTokenFormat: format,
    audience: Object.freeze([...audiences]),
    signingKeys: issuer === undefined ? undefined : resolveSigningKeys(options.signingKeys),
    jwksMaxAge: nonNegativeInteger(options.jwksMaxAge, 'jwksMaxAge') ?? 300,
    mountPath,
    scopesSupported,
  };
}

function unionOfScopes(clients: readonly Client[]): string[] {
  return [...new Set(clients.flatMap((c) => c?.scopes ?? []))];
}

function nonNegativeInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`options.${name} must be a non-negative integer (got ${JSON.stringify(value)})`);
  }
  return value;
}


function resolveRateLimit(value: RateLimitOptions | undefined): RateLimitOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new TypeError('options.rateLimit must be an object');
  return {
    points: positiveInteger(value.points, 'rateLimit.points') ?? missing('rateLimit.points'),
    durationSeconds: positiveInteger(value.durationSeconds, 'rateLimit.durationSeconds') ?? missing('rateLimit.durationSeconds'),
  };
}

function resolveLockout(value: LockoutOptions | undefined): LockoutOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new TypeError('options.lockout must be an object');
  for (const key of ['maxFailures', 'windowSeconds', 'baseSeconds', 'maxSeconds'] as const) positiveInteger(value[key], `lockout.${key}`);
  return { ...value };
}

function resolveTokenTypeLabel(value: TokenTypeLabel | undefined): TokenTypeLabel {
  if (value === undefined) return 'Bearer';
  if (typeof value === 'function') return value;
  // RFC 6749 §7.1 / Appendix A.7: token_type is a type-name, printable ASCII without spaces.
  if (typeof value !== 'string' || !/^[\x21-\x7E]+$/.test(value)) throw new TypeError('options.tokenTypeLabel must be a non-empty token or a function');
  return value;
}

function resolveBodyFormats(value: readonly BodyFormat[] | undefined): readonly BodyFormat[] {
  if (value === undefined) return ['form', 'json'];
  if (!Array.isArray(value) || value.length === 0 || value.some((f) => f !== 'form' && f !== 'json')) {
    throw new TypeError('options.bodyFormats must list "form", "json" or both');
  }
  return [...value];
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new TypeError(`options.${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value as T;
}

function missing(name: string): never {
  throw new TypeError(`options.${name} is required`);
}

function resolveRefreshToken(options: RefreshTokenOptions | undefined): ResolvedRefreshTokenOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('options.refreshToken must be an object');
  return {
    ttl: positiveInteger(options?.ttl, 'refreshToken.ttl') ?? 30 * 24 * 3600,
    absoluteTtl: positiveInteger(options?.absoluteTtl, 'refreshToken.absoluteTtl'),
    issueWithClientCredentials: optionalBoolean(options?.issueWithClientCredentials, 'refreshToken.issueWithClientCredentials') ?? true,
  };
}

function resolveClients(clients: AuthorizationServerOptions['clients'], allowPlaintextSecrets: boolean): ClientStore {
  if (Array.isArray(clients)) return staticClientStore(clients, { allowPlaintextSecrets });
  if (typeof clients === 'object' && clients !== null && typeof (clients as ClientStore).findClient === 'function') {
    return clients as ClientStore;
  }
  throw new TypeError('options.clients is required: a list of clients or an object with findClient(clientId)');
}

function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new TypeError(`options.${name} must be a positive integer (got ${JSON.stringify(value)})`);
  }
  return value;
}

function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new TypeError(`options.${name} must be true or false`);
  return value;
}

function checkIssuer(issuer: unknown): void {
  let url: URL;
  try {
    url = new URL(String(issuer));
  } catch {
    throw new TypeError('options.issuer must be an absolute URL');
  }
  if (typeof issuer !== 'string' || url.search !== '' || url.hash !== '') {
    throw new TypeError('options.issuer must be a URL without query or fragment (RFC 8414 §2)');
  }
}
