import { resolveAuthorizationOptions, type AuthorizationOptions, type AuthorizationSettings } from './authorize/authorization-options';
import type { BasicWithBodyPolicy } from './client-auth/authenticate-client';
import type { Client, ClientStore } from './clients/client';
import { staticClientStore } from './clients/static-client-store';
import type { ErrorListener } from './middleware/error-handler';
import { renderOAuthError, type ErrorRenderer } from './errors/render';
import type { GrantType } from './grants/grant-type';
import { createGrantRegistry } from './grants/grant-registry';
import { memoryStore } from './store/memory-store';
import type { Store } from './store/store';

/** Access token settings. */
export interface AccessTokenOptions {
  /** Lifetime in seconds (`expires_in`). Default: 900, as Moov's API. */
  ttl?: number;
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
  readonly allowPlaintextSecrets: boolean;
  readonly realm: string;
  readonly basicWithBody: BasicWithBodyPolicy;
  readonly secretCacheSize: number;
  readonly bodyLimit: number;
  readonly renderError: ErrorRenderer;
  readonly onError: ErrorListener | undefined;
  /** The authorization endpoint's settings, when the server has one. */
  readonly authorization: AuthorizationSettings | undefined;
}

const KNOWN = new Set<string>([
  'clients', 'issuer', 'store', 'grants', 'defaultGrantType', 'accessToken', 'allowPlaintextSecrets',
  'clientAuthentication', 'bodyLimit', 'renderError', 'onError', 'authorization',
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
    for (const method of ['saveAccessToken', 'findAccessToken', 'close'] as const) {
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
  const grants = createGrantRegistry(grantList, authorization === undefined ? { store } : { store, authorization });
  if (options.defaultGrantType !== undefined && !grants.has(options.defaultGrantType)) {
    throw new TypeError(`options.defaultGrantType "${String(options.defaultGrantType)}" is not one of options.grants`);
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
  return {
    clients,
    issuer: options.issuer,
    store,
    ownsStore: options.store === undefined,
    grants,
    defaultGrantType: options.defaultGrantType,
    accessTokenTtl: positiveInteger(options.accessToken?.ttl, 'accessToken.ttl') ?? 900,
    allowPlaintextSecrets,
    realm,
    basicWithBody,
    secretCacheSize: positiveInteger(auth.secretCacheSize, 'clientAuthentication.secretCacheSize') ?? 10_000,
    bodyLimit: positiveInteger(options.bodyLimit, 'bodyLimit') ?? 16 * 1024,
    renderError: options.renderError ?? renderOAuthError,
    onError: options.onError,
    authorization,
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
