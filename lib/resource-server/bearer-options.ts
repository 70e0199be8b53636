import type { KeyObject } from 'node:crypto';
import type { ScopeMatch } from './bearer-check-core';
import type { VerifiedTokenCacheOption } from './verified-token-cache';

/**
 * What a protected route needs of an access token, whichever way the token is checked.
 *
 * @example
 * ```ts
 * import type { BearerCheckOptions } from 'keyturn/resource-server';
 *
 * const needs: BearerCheckOptions = { scopes: ['/reports.read', '/accounts.read'], match: 'any', clockTolerance: 10 };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export interface BearerCheckOptions {
  /** Scopes the route needs. Default: none (any valid token). */
  scopes?: readonly string[];
  /** `'all'` of `scopes`, or `'any'` one of them. Default: `'all'`. */
  match?: ScopeMatch;
  /** Seconds of clock skew tolerated on JWT `exp`, `nbf` and `iat`. Default: 5. */
  clockTolerance?: number;
  /**
   * Realm of the `WWW-Authenticate: Bearer` challenges. Default: the server's `clientAuthentication.realm`
   * in the same process, `"api"` in another service.
   */
  realm?: string;
  /** Also accept the token from a form body (RFC 6750 §2.2) or the query (§2.3). Default: neither. */
  tokenLocations?: { body?: boolean; query?: boolean };
  /**
   * Remember verified JWT access tokens so a reused token skips the signature check; `exp`, `nbf` and the key
   * are still checked on every request (and, in the same process, the revoked-`jti` list). `false` turns it off.
   * See {@link VerifiedTokenCacheOption}. Default: `{ maxEntries: 10_000 }`.
   */
  verifiedTokenCache?: VerifiedTokenCacheOption;
}

/**
 * Checks tokens inside the process that issues them: JWTs with the server's own keys and revoked-`jti` list,
 * opaque tokens by one store lookup. Checks built with the same `audience`, `clockTolerance` and
 * `verifiedTokenCache` share one verified-token cache.
 *
 * @example
 * ```ts
 * import { requireBearer } from 'keyturn/resource-server';
 *
 * app.get('/accounts', requireBearer({ server: auth, scopes: ['/accounts.read'] }), listAccounts);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export interface LocalBearerOptions extends BearerCheckOptions {
  /** The authorization server whose tokens are accepted: the value `createAuthorizationServer` returned. */
  server: object;
  /** Acceptable JWT `aud` values. Default: the server's `accessToken.audience` (itself defaulting to the issuer). */
  audience?: string | readonly string[];
}

/**
 * Remote introspection (RFC 7662) settings of a {@link RemoteBearerOptions} check.
 *
 * @example
 * ```ts
 * import { requireBearer } from 'keyturn/resource-server';
 *
 * requireBearer({ issuer, introspection: { clientId: 'accounts-api', clientSecret: process.env.SECRET!, cacheTtl: 10 } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export interface RemoteIntrospectionOptions {
  /** The introspection endpoint. Default: `introspection_endpoint` from the issuer's metadata. */
  url?: string;
  /** This resource server's client id at the authorization server (a client allowed to introspect any token). */
  clientId: string;
  /** Its client secret. */
  clientSecret: string;
  /** Seconds an introspection answer is reused (never beyond the token's `exp`); 0 disables. Default: 30. */
  cacheTtl?: number;
  /** Most answers cached. Default: 10 000. */
  cacheSize?: number;
}

/**
 * JWKS fetching settings of a {@link RemoteBearerOptions} check.
 *
 * @example
 * ```ts
 * import { requireBearer } from 'keyturn/resource-server';
 *
 * requireBearer({ issuer, audience: 'https://api.example.com', jwks: { cacheMaxAge: 3600, requestsPerMinute: 5 } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517
 */
export interface RemoteJwksOptions {
  /** Seconds fetched keys are kept. Default: 600. */
  cacheMaxAge?: number;
  /** Most JWKS fetches per minute (refetches for unknown `kid`s beyond it are refused). Default: 10. */
  requestsPerMinute?: number;
}

/**
 * Checks tokens in another service, knowing only the issuer. With `issuer` and `audience` it discovers the JWKS
 * from the issuer's metadata (RFC 8414) and verifies JWTs locally; with `introspection` it also checks opaque
 * tokens by asking the server (RFC 7662).
 *
 * @example
 * ```ts
 * import { requireBearer } from 'keyturn/resource-server';
 *
 * app.get('/accounts', requireBearer({ issuer: 'https://auth.example.com', audience: 'https://api.example.com', scopes: ['/accounts.read'] }), listAccounts);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export interface RemoteBearerOptions extends BearerCheckOptions {
  /** The authorization server's issuer identifier: the expected `iss`. Required. */
  issuer: string;
  /** The expected `aud` (one of them must match). Required to verify JWTs. */
  audience?: string | readonly string[];
  /** Where the signing keys are published. Default: `jwks_uri` from the issuer's metadata. */
  jwksUri?: string;
  /** An HS256 secret shared with the issuer, instead of a JWKS. */
  secret?: string | Buffer | KeyObject;
  /** Check tokens by introspection: opaque tokens always, JWTs only when there is no `audience`. */
  introspection?: RemoteIntrospectionOptions;
  /** JWKS caching. */
  jwks?: RemoteJwksOptions;
  /** Timeout of metadata, JWKS and introspection requests, in milliseconds. Default: 5000. */
  timeout?: number;
}

/**
 * How a resource route checks bearer tokens: in the issuing process ({@link LocalBearerOptions}, with `server`)
 * or in another service ({@link RemoteBearerOptions}, with `issuer`).
 *
 * @example
 * ```ts
 * import type { BearerOptions } from 'keyturn/resource-server';
 *
 * const sameProcess: BearerOptions = { server: auth, scopes: ['read'] };
 * const elsewhere: BearerOptions = { issuer: 'https://auth.example.com', audience: 'https://api.example.com' };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export type BearerOptions = LocalBearerOptions | RemoteBearerOptions;
