import type { JsonWebKey } from 'node:crypto';
import type { PkcePolicy } from './pkce-policy';

/**
 * A value or a promise of it. Hooks and stores typed with it may answer synchronously (a lookup in memory)
 * and so keep the hot path free of extra ticks, or asynchronously (a database query).
 *
 * @example
 * ```ts
 * import type { Awaitable, Client, ClientStore } from 'keyturn';
 *
 * const byId = new Map<string, Client>(clients.map((c) => [c.clientId, c]));
 * const findClient = (clientId: string): Awaitable<Client | undefined> => byId.get(clientId); // no promise needed
 * const clientStore: ClientStore = { findClient };
 * ```
 */
export type Awaitable<T> = T | Promise<T>;

/**
 * How a client authenticates at the token, revocation and introspection endpoints (RFC 7591 §2 names):
 * `client_secret_basic`, the secret in `Authorization: Basic` (RFC 6749 §2.3.1); `client_secret_post`, the
 * secret in the body; `none`, a public client that sends only `client_id`; `private_key_jwt`, a JWT the
 * client signs with its private key, checked against its `jwks` or `jwksUri` (RFC 7523 §2.2, OpenID Connect
 * Core §9); `client_secret_jwt`, a JWT with an HMAC under its secret. A client registered with one method may
 * use only that one; a client that names none may use either secret method (never a JWT method).
 *
 * @example
 * ```ts
 * import type { Client, TokenEndpointAuthMethod } from 'keyturn';
 *
 * // A single-page app cannot keep a secret: it is a public client (and must use PKCE).
 * const tokenEndpointAuthMethod: TokenEndpointAuthMethod = 'none';
 * const spa: Client = {
 *   clientId: 'web-app',
 *   tokenEndpointAuthMethod,
 *   grants: ['authorization_code'],
 *   scopes: ['openid', '/accounts.read'],
 *   redirectUris: ['https://app.example.com/callback'],
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none' | 'private_key_jwt' | 'client_secret_jwt';

/**
 * A registered OAuth client as Keyturn sees it.
 *
 * @example
 * ```ts
 * import { hashClientSecret, type Client } from 'keyturn';
 *
 * const client: Client = {
 *   clientId: 'reporting-job',
 *   clientSecretHash: await hashClientSecret('s3cret'),
 *   grants: ['client_credentials'],
 *   scopes: ['/accounts.read'],
 * };
 * ```
 */
export interface Client {
  /** The client identifier (RFC 6749 §2.2). */
  readonly clientId: string;
  /** The secret as produced by {@link hashClientSecret}. Confidential clients need this or `clientSecret`. */
  readonly clientSecretHash?: string;
  /**
   * The secret in plaintext. Accepted only when the server's `allowPlaintextSecrets` is true (development);
   * the static store keeps only a SHA-256 digest of it in memory.
   */
  readonly clientSecret?: string;
  /** Grant types the client may use, e.g. `['client_credentials']`. */
  readonly grants: readonly string[];
  /** Every scope the client may be granted. */
  readonly scopes: readonly string[];
  /** Scopes granted when a request names none. Default: all of `scopes`. */
  readonly defaultScopes?: readonly string[];
  /** Registered redirect URIs (authorization code grant). */
  readonly redirectUris?: readonly string[];
  /**
   * `none` makes a public client: it sends only `client_id` and never a secret.
   * Default: any secret-based method the server allows.
   */
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** Access token lifetime in seconds for this client; overrides the server's. */
  readonly accessTokenTtl?: number;
  /** Access token format for this client (`'opaque'` or `'jwt'`); overrides the server's `accessToken.format`. */
  readonly accessTokenFormat?: 'opaque' | 'jwt';
  /**
   * Whose tokens this client may introspect (RFC 7662 §4 leaves it to the server): `'own'` (tokens issued to
   * it) or `'any'` (a resource server checking the tokens presented to it). Default: `'own'`.
   */
  readonly introspection?: 'own' | 'any';
  /**
   * Whether this client must use PKCE (RFC 7636): `'required'`, or `'optional'`, which only a confidential
   * client may have (RFC 9700 §2.1.1); a public client listed with it fails start-up, and one served by a
   * `ClientStore` is held to `'required'`. A code issued without `code_challenge` is then redeemed without
   * `code_verifier`. Default: the server's `authorization.pkce.requireForConfidentialClients` (true).
   *
   * @example
   * ```ts
   * const portal: Client = { clientId: 'legacy-portal', clientSecretHash, grants: ['authorization_code'], scopes: ['openid'], redirectUris, pkce: 'optional' };
   * ```
   */
  readonly pkce?: PkcePolicy;
  /**
   * RFC 9449 §5.2 `dpop_bound_access_tokens`: this client always uses DPoP, so a token request of its without
   * a DPoP proof is refused (400 `invalid_request`) rather than answered with a bearer token. Default: false.
   *
   * @example
   * ```ts
   * const ledger: Client = { clientId: 'ledger-sync', clientSecretHash, grants: ['client_credentials'], scopes: ['/ledger.write'], dpopBoundAccessTokens: true };
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-5.2
   */
  readonly dpopBoundAccessTokens?: boolean;
  /**
   * The client's public keys (RFC 7517 JWK Set) that verify its `private_key_jwt` assertions. Give this or
   * `jwksUri`, not both. Keys with `use: "enc"` are ignored.
   *
   * @example
   * ```ts
   * const billing: Client = { clientId: 'billing', grants: ['client_credentials'], scopes: ['/accounts.read'], tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] } };
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
   */
  readonly jwks?: { readonly keys: readonly JsonWebKey[] };
  /**
   * Where the client publishes its JWK Set (`https:`, or `http:` on a loopback host), fetched when first
   * needed, cached, and fetched again on an unknown `kid` at most once per
   * `clientAuthentication.assertions.jwksRefetchIntervalSeconds`. Give this or `jwks`, not both.
   *
   * @example
   * ```ts
   * const billing: Client = { clientId: 'billing', grants: ['client_credentials'], scopes: [], tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: 'https://billing.internal/jwks.json' };
   * ```
   */
  readonly jwksUri?: string;
  /**
   * The one JWS `alg` this client's assertions must use (RFC 7591 `token_endpoint_auth_signing_alg`), e.g.
   * `'ES256'`; an asymmetric one for `private_key_jwt`, `HS256`/`HS384`/`HS512` for `client_secret_jwt`.
   * Default: any of the server's allowed algorithms for the method.
   *
   * @example
   * ```ts
   * const billing: Client = { clientId: 'billing', grants: ['client_credentials'], scopes: [], tokenEndpointAuthMethod: 'private_key_jwt', jwksUri, tokenEndpointAuthSigningAlg: 'ES256' };
   * ```
   */
  readonly tokenEndpointAuthSigningAlg?: string;
  /**
   * A `client_secret_jwt` client's secret, sealed by {@link sealClientSecret} under the server's `secret`
   * (AES-256-GCM): the server needs the secret itself to check an HMAC, so it cannot keep only a hash. In
   * development a plaintext `clientSecret` does instead when `allowPlaintextSecrets` is true.
   *
   * @example
   * ```ts
   * const sealed = sealClientSecret('billing', process.env.BILLING_SECRET!, process.env.KEYTURN_SECRET!);
   * const billing: Client = { clientId: 'billing', grants: ['client_credentials'], scopes: [], tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretSealed: sealed };
   * ```
   */
  readonly clientSecretSealed?: string;
  /**
   * The resources (RFC 8707 §2: absolute URIs without a fragment, e.g. `https://api.example.com/ledger`) this
   * client may ask tokens for with the `resource` parameter, at `/authorize` and at `/token`. Its access
   * tokens are then restricted to what it asked for: the JWT's `aud`, the stored opaque token's `audience`.
   * A request naming a resource not listed here gets `invalid_target`; a request naming none gets a token
   * for the server's default audience (`accessToken.audience`), as before. Default: none, so the client may
   * name no resource at all.
   *
   * @example
   * ```ts
   * const reports: Client = { clientId: 'reports', clientSecretHash, grants: ['client_credentials'], scopes: ['/ledger.read'], resources: ['https://ledger.internal/'] };
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
   */
  readonly resources?: readonly string[];
}

/**
 * Where Keyturn finds clients. Implement it over your database; a list of clients passed as `clients` is served from memory.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type Client, type ClientStore } from 'keyturn';
 *
 * declare const db: { clients: { findOne(query: { clientId: string }): Promise<Client | undefined> } }; // your database
 *
 * const clientStore: ClientStore = {
 *   findClient: (clientId) => db.clients.findOne({ clientId }),
 * };
 * createAuthorizationServer({ clients: clientStore });
 * ```
 */
export interface ClientStore {
  /** The client with this id, or `undefined`. May answer synchronously. */
  findClient(clientId: string): Awaitable<Client | undefined>;
}
