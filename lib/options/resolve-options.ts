import { resolveAuthorizationOptions, type AuthorizationHooks, type AuthorizationInput, type AuthorizationSettings } from '../endpoints/authorize/resolve-authorization-options';
import type { AuthenticateUser, RenderConsent } from '../adapters/express/authorize-hooks';
import type { BasicWithBodyPolicy } from '../client-auth/read-credentials';
import type { Availability } from '../guards/availability';
import { resolveLockoutSettings, type LockoutSettings } from '../guards/lockout';
import { resolveRateLimitSettings, type RateLimitSettings } from '../guards/rate-limit';
import { resolveMetricsSettings, type MetricsSettings } from '../metrics/request-metrics';
import { resolveRefreshTokenSettings, type RefreshTokenSettings } from '../grants/refresh-token-settings';
import type { BodyType as BodyFormat } from '../core/request-state';
import type { ResponseFormat } from '../core/response';
import type { TokenTypeLabel } from '../tokens/token-issuer';
import type { Client, ClientStore } from '../clients/client';
import { staticClientStore } from '../clients/static-client-store';
import type { ErrorListener } from '../errors/error-listener';
import { renderOAuthError, type ErrorRenderer } from '../errors/render';
import type { RegisteredGrant } from '../grants/registered-grant';
import { createGrantRegistry } from '../grants/grant-registry';
import { familyRevocationRetention, type FamilyRevocationRetention } from '../grants/family-revocation-retention';
import { memoryStore } from '../store/memory-store';
import { missingStoreMembers } from '../store/store-members';
import { secretBytes } from '../crypto/derive-key';
import type { Store } from '../store/store';
import type { SigningKeys } from '../tokens/signing-keys';
import type { KeyRing } from '../tokens/key-ring/key-ring';
import { resolveTokenSettings } from '../tokens/resolve-token-settings';
import type { AccessTokenFormatName } from '../tokens/per-client-format';
import type { AuthorizationOptions, AuthorizationServerOptions, CompatOptions } from './types';
import { resolveDpopOptions, type DpopSettings } from '../dpop/resolve-dpop-options';
import { knownKeys, nonNegativeInteger, oneOf, optionalBoolean, optionalFunction, optionalObject, positiveInteger, realm as checkRealm } from '../core/validate-option';

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  readonly clients: ClientStore;
  readonly issuer: string | undefined;
  readonly store: Store;
  readonly ownsStore: boolean;
  /** The grant registry, by `grant_type` value. */
  readonly grants: ReadonlyMap<string, RegisteredGrant>;
  readonly defaultGrantType: string | undefined;
  readonly accessTokenTtl: number;
  /** How long a revoked grant family is remembered, so that its JWT access tokens stay refused until they expire. */
  readonly familyRevocationRetention: FamilyRevocationRetention;
  readonly refreshToken: RefreshTokenSettings;
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
  readonly signingKeys: SigningKeys | undefined;
  /** The key ring, when the server keeps its own keys (an issuer and no `signingKeys`). */
  readonly keyRing: KeyRing | undefined;
  /** The `secret` option's bytes, every key Keyturn derives comes from; `undefined` when none is given. */
  readonly secret: Buffer | undefined;
  readonly jwksMaxAge: number;
  readonly mountPath: string;
  readonly scopesSupported: readonly string[] | undefined;
  readonly availability: Availability | undefined;
  readonly metrics: MetricsSettings | undefined;
  readonly rateLimit: RateLimitSettings | undefined;
  readonly lockout: LockoutSettings | undefined;
  readonly tokenTypeLabel: TokenTypeLabel;
  readonly bodyFormats: readonly BodyFormat[];
  readonly responseFormat: ResponseFormat;
  /** The authorization endpoint's settings, when the server has one. */
  readonly authorization: { readonly settings: AuthorizationSettings; readonly hooks: AuthorizationHooks<AuthenticateUser, RenderConsent> } | undefined;
  /** DPoP at the token endpoint (RFC 9449); set when `issuer` is. */
  readonly dpop: DpopSettings | undefined;
}

// `satisfies` makes the compiler hold these lists to the option types: a new option that is not listed, or a
// listed name that is not an option, fails the build.
const OPTION_NAMES = {
  clients: true, issuer: true, store: true, grants: true, defaultGrantType: true, accessToken: true, refreshToken: true,
  allowPlaintextSecrets: true, clientAuthentication: true, bodyLimit: true, renderError: true, onError: true,
  availability: true, metrics: true, rateLimit: true, lockout: true, tokenTypeLabel: true, bodyFormats: true,
  responseFormat: true, authorization: true, signingKeys: true, jwksMaxAge: true, mountPath: true, scopesSupported: true,
  compat: true, secret: true, keyRotation: true,
  dpop: true,
} as const satisfies Record<keyof AuthorizationServerOptions, true>;
const COMPAT_NAMES = {
  tokenTypeLabel: true, responseFormat: true, basicWithBody: true, defaultGrantType: true, bodyFormats: true,
} as const satisfies Record<keyof CompatOptions, true>;

// The documented option type and the one its resolver reads must agree, key for key and value for value.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const authorizationOptionsMatch: SameKeys<AuthorizationOptions, AuthorizationInput<AuthenticateUser, RenderConsent>> = true;
const authorizationOptionsAssignable = (o: AuthorizationOptions): AuthorizationInput<AuthenticateUser, RenderConsent> => o;
void authorizationOptionsMatch;
void authorizationOptionsAssignable;


/** Validates options once, at start-up, and fills in the defaults. */
export function resolveOptions(options: AuthorizationServerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('createAuthorizationServer: options must be an object');
  knownKeys(options, OPTION_NAMES, 'createAuthorizationServer');
  const compat = resolveCompat(options);
  const allowPlaintextSecrets = optionalBoolean(options.allowPlaintextSecrets, 'options.allowPlaintextSecrets') ?? false;
  const clients = resolveClients(options.clients, allowPlaintextSecrets);
  if (options.issuer !== undefined) checkIssuer(options.issuer);
  const secret = options.secret === undefined ? undefined : secretBytes(options.secret, 'options.secret');
  // Every Store member is part of the contract; a store handed in from JavaScript is checked whole, once.
  if (options.store !== undefined) {
    const missing = missingStoreMembers(options.store);
    if (missing.length > 0) throw new TypeError(`options.store must implement ${missing.map((m) => (m === 'shared' ? 'shared (a boolean)' : `${m}()`)).join(', ')}`);
  }
  const grantList = options.grants ?? ['client_credentials'];
  if (!Array.isArray(grantList) || grantList.length === 0) throw new TypeError('options.grants must list at least one grant');
  const accessTokenTtl = positiveInteger(options.accessToken?.ttl, 'options.accessToken.ttl') ?? 900;
  // Checked before the store is made, so a bad option leaves nothing open (the key ring starts later).
  const tokens = resolveTokenOptions(options, secret, longestTokenLifetime(options, accessTokenTtl));
  const bodyLimit = positiveInteger(options.bodyLimit, 'options.bodyLimit') ?? 16 * 1024;
  const authorization =
    options.authorization === undefined ? undefined : resolveAuthorizationOptions(options.authorization, options.issuer, { secret, signingKeys: tokens.signingKeys }, bodyLimit);
  checkSharedSecret(options, secret, tokens.keyRing !== undefined);
  if (authorization !== undefined && !grantList.includes('authorization_code')) {
    throw new TypeError('options.authorization is set but options.grants does not include "authorization_code"');
  }
  const dpop = resolveDpopOptions(options.dpop, { issuer: options.issuer, mountPath: tokens.mountPath, secret, sharedStore: options.store?.shared === true });
  const store = options.store ?? memoryStore();
  const refreshToken = resolveRefreshTokenSettings(options.refreshToken);
  const familyRevocation = familyRevocationRetention(longestAccessTokenTtl(options, accessTokenTtl));
  const grants = createGrantRegistry(grantList, authorization === undefined ? { store, refreshToken, familyRevocationRetention: familyRevocation } : {
    store, refreshToken, idTokens: authorization.settings.idTokens, requirePkceForConfidentialClients: authorization.settings.requirePkceForConfidentialClients,
    familyRevocationRetention: familyRevocation,
  });
  if (compat.defaultGrantType !== undefined && !grants.has(compat.defaultGrantType)) {
    throw new TypeError(`options.compat.defaultGrantType "${String(compat.defaultGrantType)}" is not one of options.grants`);
  }
  const auth = optionalObject(options.clientAuthentication, 'options.clientAuthentication') ?? {};
  knownKeys(auth, { realm: true, basicWithBody: true, secretCacheSize: true }, 'options.clientAuthentication');
  const accessToken = optionalObject(options.accessToken, 'options.accessToken') ?? {};
  knownKeys(accessToken, { ttl: true, format: true, audience: true }, 'options.accessToken');
  const realm = checkRealm(auth.realm, 'options.clientAuthentication.realm') ?? 'keyturn';
  optionalFunction(options.renderError, 'options.renderError');
  optionalFunction(options.onError, 'options.onError');
  optionalFunction(options.availability, 'options.availability');
  return {
    clients,
    issuer: options.issuer,
    store,
    ownsStore: options.store === undefined,
    grants,
    defaultGrantType: compat.defaultGrantType,
    accessTokenTtl,
    familyRevocationRetention: familyRevocation,
    refreshToken,
    allowPlaintextSecrets,
    realm,
    basicWithBody: compat.basicWithBody,
    secretCacheSize: positiveInteger(auth.secretCacheSize, 'options.clientAuthentication.secretCacheSize') ?? 10_000,
    bodyLimit,
    renderError: options.renderError ?? renderOAuthError,
    onError: options.onError,
    availability: options.availability,
    metrics: resolveMetricsSettings(options.metrics),
    rateLimit: resolveRateLimitSettings(options.rateLimit),
    lockout: resolveLockoutSettings(options.lockout),
    tokenTypeLabel: compat.tokenTypeLabel,
    bodyFormats: compat.bodyFormats,
    responseFormat: compat.responseFormat,
    authorization,
    secret,
    dpop,
    ...tokens,
  };
}

type TokenOptions = Pick<ResolvedOptions, 'accessTokenFormat' | 'audience' | 'signingKeys' | 'keyRing' | 'jwksMaxAge' | 'mountPath' | 'scopesSupported'>;

// The token settings are the tokens' own; the rest shapes where the endpoints live and what metadata says.
function resolveTokenOptions(options: AuthorizationServerOptions, secret: Buffer | undefined, longestTokenLifetime: number): TokenOptions {
  const mountPath = options.mountPath ?? '';
  if (typeof mountPath !== 'string' || (mountPath !== '' && !/^\/[^?#]*[^/?#]$/.test(mountPath))) {
    throw new TypeError('options.mountPath must be "" or a path starting with "/" and not ending with "/", e.g. "/oauth2"');
  }
  const scopesSupported = options.scopesSupported ?? (Array.isArray(options.clients) ? unionOfScopes(options.clients as readonly Client[]) : undefined);
  if (scopesSupported !== undefined && (!Array.isArray(scopesSupported) || scopesSupported.some((s) => typeof s !== 'string'))) {
    throw new TypeError('options.scopesSupported must be an array of scope strings');
  }
  const jwksMaxAge = nonNegativeInteger(options.jwksMaxAge, 'options.jwksMaxAge') ?? 300;
  return {
    ...resolveTokenSettings({
      issuer: options.issuer,
      format: options.accessToken?.format,
      audience: options.accessToken?.audience,
      signingKeys: options.signingKeys,
      keyRotation: options.keyRotation,
      secret,
      jwksMaxAge,
      longestTokenLifetime,
    }),
    jwksMaxAge,
    mountPath,
    scopesSupported,
  };
}

// The longest access token lifetime known at start-up: the server's and its static clients' (a ClientStore's
// clients add their own when they revoke).
function longestAccessTokenTtl(options: AuthorizationServerOptions, accessTokenTtl: number): number {
  const clientTtls = Array.isArray(options.clients) ? (options.clients as readonly Client[]).map((c) => (typeof c?.accessTokenTtl === 'number' ? c.accessTokenTtl : 0)) : [];
  return Math.max(accessTokenTtl, ...clientTtls);
}

// How long a token signed by a retiring key may live: the key stays published that long after its handover.
// Clients from a ClientStore are not known here; the ring keeps a retired key at least a rotation interval.
function longestTokenLifetime(options: AuthorizationServerOptions, accessTokenTtl: number): number {
  const clientTtls = Array.isArray(options.clients) ? (options.clients as readonly Client[]).map((c) => (typeof c?.accessTokenTtl === 'number' ? c.accessTokenTtl : 0)) : [];
  const idTokenTtl = typeof options.authorization?.idToken?.ttl === 'number' ? options.authorization.idToken.ttl : 3600;
  return Math.max(accessTokenTtl, idTokenTtl, ...clientTtls);
}

// Instances that share a store must agree on the keys derived from the secret; a random one per process
// would break every instance but the one that first wrote the key ring.
function checkSharedSecret(options: AuthorizationServerOptions, secret: Buffer | undefined, keepsKeyRing: boolean): void {
  if (options.store?.shared !== true || secret !== undefined) return;
  if (keepsKeyRing) {
    throw new TypeError('options.secret is required with a shared store: it seals the key ring that every instance signs with (or give options.signingKeys)');
  }
  if (options.authorization !== undefined && options.authorization.transactionSecret === undefined) {
    throw new TypeError('options.secret is required with a shared store: it derives the consent transaction key every instance must share (or give options.authorization.transactionSecret)');
  }
}

function unionOfScopes(clients: readonly Client[]): string[] {
  return [...new Set(clients.flatMap((c) => c?.scopes ?? []))];
}

interface ResolvedCompat {
  readonly tokenTypeLabel: TokenTypeLabel;
  readonly responseFormat: ResponseFormat;
  readonly basicWithBody: BasicWithBodyPolicy;
  readonly defaultGrantType: string | undefined;
  readonly bodyFormats: readonly BodyFormat[];
}

// `compat` holds the seed-imitation options; their old top-level spellings still work for one release, and
// giving both spellings of one option is refused rather than guessed.
function resolveCompat(options: AuthorizationServerOptions): ResolvedCompat {
  const compat = optionalObject(options.compat, 'options.compat') ?? {};
  knownKeys(compat, COMPAT_NAMES, 'options.compat');
  const pick = <K extends keyof CompatOptions>(name: K, legacy: CompatOptions[K], legacyName: string): CompatOptions[K] => {
    if (compat[name] !== undefined && legacy !== undefined) throw new TypeError(`give options.compat.${name} or options.${legacyName}, not both`);
    return compat[name] ?? legacy;
  };
  return {
    tokenTypeLabel: resolveTokenTypeLabel(pick('tokenTypeLabel', options.tokenTypeLabel, 'tokenTypeLabel')),
    responseFormat: oneOf(pick('responseFormat', options.responseFormat, 'responseFormat'), 'options.compat.responseFormat', ['json', 'mirror-request'] as const) ?? 'json',
    basicWithBody:
      oneOf(pick('basicWithBody', options.clientAuthentication?.basicWithBody, 'clientAuthentication.basicWithBody'), 'options.compat.basicWithBody', ['reject', 'accept-matching'] as const) ??
      'reject',
    defaultGrantType: pick('defaultGrantType', options.defaultGrantType, 'defaultGrantType'),
    bodyFormats: resolveBodyFormats(pick('bodyFormats', options.bodyFormats, 'bodyFormats')),
  };
}

function resolveTokenTypeLabel(value: TokenTypeLabel | undefined): TokenTypeLabel {
  if (value === undefined) return 'Bearer';
  if (typeof value === 'function') return value;
  // RFC 6749 §7.1 / Appendix A.7: token_type is a type-name, printable ASCII without spaces.
  if (typeof value !== 'string' || !/^[\x21-\x7E]+$/.test(value)) throw new TypeError('options.compat.tokenTypeLabel must be a non-empty token or a function');
  return value;
}

function resolveBodyFormats(value: readonly BodyFormat[] | undefined): readonly BodyFormat[] {
  if (value === undefined) return ['form', 'json'];
  if (!Array.isArray(value) || value.length === 0 || value.some((f) => f !== 'form' && f !== 'json')) {
    throw new TypeError('options.compat.bodyFormats must list "form", "json" or both');
  }
  return [...value];
}

function resolveClients(clients: AuthorizationServerOptions['clients'], allowPlaintextSecrets: boolean): ClientStore {
  if (Array.isArray(clients)) return staticClientStore(clients, { allowPlaintextSecrets });
  if (typeof clients === 'object' && clients !== null && typeof (clients as ClientStore).findClient === 'function') {
    return clients as ClientStore;
  }
  throw new TypeError('options.clients is required: a list of clients or an object with findClient(clientId)');
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
