import { createSecretKey, KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import { looksLikeJwt, type JwtAccessTokenClaims } from '../tokens/jwt-claims';
import { JwtAccessTokenVerifier, type ResolveVerifyKey } from '../tokens/jwt-verifier';
import { ASYMMETRIC_ALGORITHMS } from '../tokens/signing-keys';
import { cachedJwtVerification, VerifiedTokenCache, verifiedTokenCacheSize, type VerifiedTokenCacheOption } from '../tokens/verified-token-cache';
import { ServerError } from '../errors/token-errors';
import { parseScope } from '../scope';
import type { TokenVerifier, VerifiedToken } from './bearer-auth';
import { createBearerAuthenticator, type BearerAuthenticator, type ScopeMatch } from './bearer-authenticator';
import { bearerMiddleware } from './bearer-middleware';
import { fetchMetadata, type DiscoveredMetadata } from './discovery';
import { introspectionVerifier } from './introspection-verifier';
import { jwksKeyResolver } from './jwks-key-resolver';
import { TokenRejection } from './token-rejection';

/**
 * Remote introspection (RFC 7662) settings of {@link requireBearer}.
 *
 * @example
 * ```ts
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
 * JWKS fetching settings of {@link requireBearer}.
 *
 * @example
 * ```ts
 * requireBearer({ issuer, audience, jwks: { cacheMaxAge: 3600, requestsPerMinute: 5 } });
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
 * Options of {@link requireBearer}: how a resource server in another process checks Keyturn's tokens.
 * With only `issuer` and `audience`, it discovers the JWKS from the issuer's metadata (RFC 8414) and verifies
 * JWTs locally; with `introspection` it also checks opaque tokens by asking the server (RFC 7662).
 *
 * @example
 * ```ts
 * const options: RequireBearerOptions = { issuer: 'https://auth.example.com', audience: 'https://api.example.com', scopes: ['read'] };
 * app.get('/data', requireBearer(options), handler);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export interface RequireBearerOptions {
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
  /** Scopes every request needs. Default: none. */
  scopes?: readonly string[];
  /** `'all'` the scopes or `'any'` one of them. Default: `'all'`. */
  match?: ScopeMatch;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. Default: 5. */
  clockTolerance?: number;
  /** Realm of the `WWW-Authenticate` challenges. Default: `"api"`. */
  realm?: string;
  /** Also accept the token from a form body (RFC 6750 §2.2) or the query (§2.3). Default: neither. */
  tokenLocations?: { body?: boolean; query?: boolean };
  /** Timeout of metadata, JWKS and introspection requests, in milliseconds. Default: 5000. */
  timeout?: number;
  /**
   * Remember verified JWT access tokens so a reused token skips the signature check; `exp`, `nbf` and the
   * key (still in the JWKS) are checked on every request. `false` turns it off. Each `requireBearer()` has
   * its own cache, as it has its own JWKS cache. See {@link VerifiedTokenCacheOption}.
   * Default: `{ maxEntries: 10_000 }`.
   */
  verifiedTokenCache?: VerifiedTokenCacheOption;
}

/**
 * The bearer core for a separate resource server, validated once. {@link requireBearer} wraps it for Express;
 * {@link bearerStrategy} for Passport.
 *
 * @example
 * ```ts
 * const core = remoteBearerAuthenticator({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' });
 * passport.use(bearerStrategy(core));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export function remoteBearerAuthenticator(options: RequireBearerOptions): BearerAuthenticator {
  if (typeof options !== 'object' || options === null) throw new TypeError('requireBearer: options must be an object');
  checkUrl(options.issuer, 'issuer');
  const timeout = positive(options.timeout, 'timeout') ?? 5000;
  const clockTolerance = nonNegative(options.clockTolerance, 'clockTolerance') ?? 5;
  const audience = options.audience === undefined ? undefined : typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  if (audience !== undefined && (audience.length === 0 || audience.some((a) => typeof a !== 'string' || a === ''))) {
    throw new TypeError('requireBearer: options.audience must be a non-empty string or array of them');
  }
  if (options.jwksUri !== undefined) checkUrl(options.jwksUri, 'jwksUri');
  if (options.secret !== undefined && options.jwksUri !== undefined) throw new TypeError('requireBearer: give options.jwksUri or options.secret, not both');
  const intro = options.introspection;
  if (intro !== undefined) {
    if (typeof intro.clientId !== 'string' || intro.clientId === '') throw new TypeError('requireBearer: options.introspection.clientId is required');
    if (typeof intro.clientSecret !== 'string' || intro.clientSecret === '') throw new TypeError('requireBearer: options.introspection.clientSecret is required');
    if (intro.url !== undefined) checkUrl(intro.url, 'introspection.url');
  }
  if (audience === undefined && intro === undefined) {
    throw new TypeError('requireBearer: options.audience is required to verify JWT access tokens (RFC 9068 §4), or give options.introspection');
  }
  if (audience === undefined && (options.jwksUri !== undefined || options.secret !== undefined)) {
    throw new TypeError('requireBearer: options.audience is required with jwksUri or secret (RFC 9068 §4)');
  }
  const cacheSize = verifiedTokenCacheSize(options.verifiedTokenCache, 'requireBearer: options.verifiedTokenCache');

  // Metadata is fetched once, on first need; a failed fetch is retried by the next request.
  let metadata: Promise<DiscoveredMetadata> | undefined;
  const discover = (): Promise<DiscoveredMetadata> => {
    metadata ??= fetchMetadata(options.issuer, timeout).catch((err: unknown) => {
      metadata = undefined;
      throw err;
    });
    return metadata;
  };

  const cache = cacheSize === undefined ? undefined : new VerifiedTokenCache<VerifiedToken>(cacheSize);
  const jwt = audience === undefined ? undefined : cachedJwtVerification(jwtVerifier(options, audience, clockTolerance, timeout, discover), cache, toVerifiedToken);
  const introspect =
    intro === undefined
      ? undefined
      : introspectionVerifier({
          url: intro.url ?? (async () => {
            const endpoint = (await discover()).introspection_endpoint;
            // A configuration fault, not the token's: a 500 the operator sees, not a 401 the client retries.
            if (typeof endpoint !== 'string') throw new ServerError({ detail: 'the issuer metadata has no introspection_endpoint; set introspection.url' });
            return endpoint;
          }),
          clientId: intro.clientId,
          clientSecret: intro.clientSecret,
          cacheTtl: nonNegative(intro.cacheTtl, 'introspection.cacheTtl') ?? 30,
          cacheSize: positive(intro.cacheSize, 'introspection.cacheSize') ?? 10_000,
          timeout,
          issuer: options.issuer,
          audience,
          clockTolerance,
        });

  const verify: TokenVerifier = async (token) => {
    if (jwt !== undefined && looksLikeJwt(token)) return jwt(token);
    if (introspect !== undefined) return introspect(token);
    throw new TokenRejection('the access token is malformed');
  };

  return createBearerAuthenticator({
    realm: options.realm ?? 'api',
    verify,
    ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    ...(options.match === undefined ? {} : { match: options.match }),
    ...(options.tokenLocations === undefined ? {} : { locations: options.tokenLocations }),
  });
}

/**
 * Express middleware protecting a route of a separate resource server with Keyturn's access tokens
 * (RFC 6750): JWTs are verified against the issuer's JWKS (fetched, cached, refetched on an unknown `kid`),
 * opaque tokens by introspection. Sets `req.auth`; failures go to `next(err)` for {@link bearerErrorHandler}.
 *
 * @example
 * ```ts
 * const app = express();
 * app.get('/accounts', requireBearer({
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   introspection: { clientId: 'accounts-api', clientSecret: process.env.INTROSPECTION_SECRET! },
 *   scopes: ['/accounts.read'],
 * }), (req, res) => res.json({ client: req.auth!.clientId }));
 * app.use(bearerErrorHandler());
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export function requireBearer(options: RequireBearerOptions): RequestHandler {
  return bearerMiddleware(remoteBearerAuthenticator(options));
}

function jwtVerifier(
  options: RequireBearerOptions,
  audience: readonly string[],
  clockTolerance: number,
  timeout: number,
  discover: () => Promise<DiscoveredMetadata>,
): JwtAccessTokenVerifier {
  let resolveKey: ResolveVerifyKey;
  if (options.secret !== undefined) {
    const secret = options.secret instanceof KeyObject ? options.secret : createSecretKey(Buffer.from(options.secret));
    if (secret.type !== 'secret' || (secret.symmetricKeySize ?? 0) < 32) throw new TypeError('requireBearer: options.secret must be a secret of at least 32 bytes');
    resolveKey = () => secret;
  } else {
    const jwksSettings = {
      cacheMaxAge: positive(options.jwks?.cacheMaxAge, 'jwks.cacheMaxAge') ?? 600,
      requestsPerMinute: positive(options.jwks?.requestsPerMinute, 'jwks.requestsPerMinute') ?? 10,
      timeout,
    };
    if (options.jwksUri !== undefined) {
      resolveKey = jwksKeyResolver({ jwksUri: options.jwksUri, ...jwksSettings });
    } else {
      let discovered: ResolveVerifyKey | undefined;
      resolveKey = async (kid, alg) => {
        if (discovered === undefined) {
          const jwksUri = (await discover()).jwks_uri;
          if (typeof jwksUri !== 'string') throw new ServerError({ detail: 'the issuer metadata has no jwks_uri; set jwksUri' });
          discovered ??= jwksKeyResolver({ jwksUri, ...jwksSettings });
        }
        return discovered(kid, alg);
      };
    }
  }
  return new JwtAccessTokenVerifier({
    issuer: options.issuer,
    audience,
    // A shared secret means HS256 only; a JWKS means asymmetric only: no key can be used with the other family.
    algorithms: options.secret !== undefined ? ['HS256'] : ASYMMETRIC_ALGORITHMS,
    clockTolerance,
    resolveKey,
  });
}

function toVerifiedToken(claims: JwtAccessTokenClaims): VerifiedToken {
  return { clientId: claims.client_id, sub: claims.sub, scopes: claims.scope === undefined ? [] : safeScopes(claims.scope), claims };
}

function safeScopes(scope: string): string[] {
  try {
    return parseScope(scope);
  } catch {
    return [];
  }
}

function checkUrl(value: unknown, name: string): void {
  try {
    if (typeof value !== 'string') throw new Error();
    new URL(value);
  } catch {
    throw new TypeError(`requireBearer: options.${name} must be an absolute URL`);
  }
}

function positive(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`requireBearer: options.${name} must be a positive number`);
  return value;
}

function nonNegative(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`requireBearer: options.${name} must be a non-negative number`);
  return value;
}
