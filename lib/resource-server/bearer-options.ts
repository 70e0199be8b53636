import type { KeyObject } from 'node:crypto';
import type { Store } from '../store/store';
import type { ScopeMatch } from './bearer-check-core';
import type { RequestUrl } from './dpop-request-url';
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
  /**
   * Accept DPoP-bound access tokens (RFC 9449 §7): `Authorization: DPoP <token>` with a `DPoP` proof header,
   * whose `htm`, `htu`, `iat`, `ath`, key and `jti` are checked on every request (the token's own
   * verification may come from the verified-token cache; the proof never does). `true` takes the defaults,
   * an object sets them, `false` turns DPoP off. A DPoP-bound token sent as `Bearer` is refused either way
   * (§7.2). See {@link BearerDpopOptions}. Default: on with the server's `dpop` settings when the server has
   * them (`{ server }` checks), else off.
   */
  dpop?: boolean | BearerDpopOptions;
}

/**
 * How a protected route checks DPoP proofs (RFC 9449 §4.3, §7).
 *
 * @example
 * ```ts
 * import { requireBearer } from 'keyturn/resource-server';
 *
 * // Only DPoP-bound tokens on /payments, reached through a proxy at https://api.example.com.
 * app.use('/payments', requireBearer({ server: auth, dpop: { required: true, externalUrl: 'https://api.example.com' } }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7
 */
export interface BearerDpopOptions {
  /** Refuse bearer tokens: only DPoP-bound tokens with a valid proof. Challenges then offer `DPoP` alone. Default: false. */
  required?: boolean;
  /**
   * JWS algorithms accepted for proofs, asymmetric only (the `algs` of the challenges). Default: the server's
   * `dpop.algorithms` for a `{ server }` check, else `['ES256', 'EdDSA', 'RS256', 'PS256']`.
   */
  algorithms?: readonly string[];
  /** Seconds a proof is accepted after its `iat` (§11.1). Default: the server's `dpop.proofMaxAge`, else 60. */
  maxAge?: number;
  /** Seconds a proof's `iat` may lie in the future (clock skew). Default: the server's `dpop` setting, else 5. */
  clockSkew?: number;
  /**
   * The URL clients reach this app at, e.g. `https://api.example.com`, or `https://example.com/accounts-api`
   * when a proxy strips that prefix: the proof's `htu` must equal it followed by the request's path. Set it
   * behind a proxy or a gateway; nothing the client sends then decides the scheme or the host.
   * Default: formed from the request (Express's `req.protocol` and `req.hostname`, which believe
   * `X-Forwarded-Proto` and `X-Forwarded-Host` only under Express's `trust proxy`; else the socket and `Host`).
   */
  externalUrl?: string;
  /** Forms the request's URL (without query) yourself, instead of `externalUrl`. */
  requestUrl?: RequestUrl;
}

/**
 * DPoP settings of a check in another service: {@link BearerDpopOptions} and the store that remembers used
 * proof `jti`s.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { requireBearer } from 'keyturn/resource-server';
 * import { redisStore } from 'keyturn/redis';
 *
 * // Three instances of this service refuse a proof any one of them has seen.
 * const replays = redisStore(new Redis(process.env.REDIS_URL!), { keyPrefix: 'accounts-api:' });
 * app.use(requireBearer({ issuer, audience: 'https://api.example.com', dpop: { store: replays, externalUrl: 'https://api.example.com' } }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-11.1
 */
export interface RemoteBearerDpopOptions extends BearerDpopOptions {
  /**
   * Where used proof `jti`s are kept, one `useOnce('dpop', …)` per request (§11.1). Several instances of a
   * resource server need one shared store (e.g. `redisStore`) to refuse a proof replayed at another
   * instance. Default: a memory store of this process.
   */
  store?: Store;
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
  /** Accept DPoP-bound tokens (see {@link BearerCheckOptions.dpop}), with a replay store. Default: off. */
  dpop?: boolean | RemoteBearerDpopOptions;
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
