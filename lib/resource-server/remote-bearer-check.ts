import { createSecretKey, KeyObject } from 'node:crypto';
import { absoluteUrl, nonNegativeNumber, positiveNumber, realm as checkRealm, required, stringList } from '../core/validate-option';
import { looksLikeJwt } from '../tokens/jwt-claims';
import { JwtAccessTokenVerifier, type ResolveVerifyKey } from './jwt-verifier';
import { ASYMMETRIC_ALGORITHMS } from '../tokens/signing-keys';
import { cachedJwtVerification, VerifiedTokenCache, verifiedTokenCacheSize } from './verified-token-cache';
import { ServerError } from '../errors/token-errors';
import { verifiedTokenFromClaims } from './verified-token-from-claims';
import type { TokenVerifier, VerifiedToken } from './bearer-auth';
import { createBearerCheckCore, type BearerCheck } from './bearer-check-core';
import type { RemoteBearerOptions } from './bearer-options';
import { fetchMetadata, type DiscoveredMetadata } from './discovery';
import { introspectionVerifier } from './introspection-verifier';
import { jwksKeyResolver } from './jwks-key-resolver';
import { TokenRejection } from './token-rejection';
import { RESOURCE_DPOP_DEFAULTS, resourceDpopSettings } from './dpop-settings';
import { memoryStore } from '../store/memory-store';

/**
 * The bearer check of a service other than the issuer, validated once: JWTs against the issuer's JWKS
 * (discovered from its metadata, cached, refetched on an unknown `kid`), opaque tokens by introspection.
 * `createBearerCheck({ issuer, ... })` builds it; `requireBearer` and `bearerStrategy` wrap it.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export function remoteBearerCheck(options: RemoteBearerOptions, caller = 'requireBearer'): BearerCheck {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${caller}: options must be an object`);
  absoluteUrl(required(options.issuer, `${caller}: options.issuer`), `${caller}: options.issuer`);
  const timeout = positiveNumber(options.timeout, `${caller}: options.timeout`) ?? 5000;
  const clockTolerance = nonNegativeNumber(options.clockTolerance, `${caller}: options.clockTolerance`) ?? 5;
  const audience = stringList(options.audience, `${caller}: options.audience`);
  if (options.jwksUri !== undefined) absoluteUrl(options.jwksUri, `${caller}: options.jwksUri`);
  if (options.secret !== undefined && options.jwksUri !== undefined) throw new TypeError(`${caller}: give options.jwksUri or options.secret, not both`);
  const intro = options.introspection;
  if (intro !== undefined) {
    if (typeof intro.clientId !== 'string' || intro.clientId === '') throw new TypeError(`${caller}: options.introspection.clientId is required`);
    if (typeof intro.clientSecret !== 'string' || intro.clientSecret === '') throw new TypeError(`${caller}: options.introspection.clientSecret is required`);
    if (intro.url !== undefined) absoluteUrl(intro.url, `${caller}: options.introspection.url`);
  }
  if (audience === undefined && intro === undefined) {
    throw new TypeError(`${caller}: options.audience is required to verify JWT access tokens (RFC 9068 §4), or give options.introspection`);
  }
  if (audience === undefined && (options.jwksUri !== undefined || options.secret !== undefined)) {
    throw new TypeError(`${caller}: options.audience is required with jwksUri or secret (RFC 9068 §4)`);
  }
  const cacheSize = verifiedTokenCacheSize(options.verifiedTokenCache, `${caller}: options.verifiedTokenCache`);
  const dpopOption = options.dpop;
  const dpop = resourceDpopSettings(
    dpopOption,
    {
      defaults: RESOURCE_DPOP_DEFAULTS,
      enabledByDefault: false,
      // One process remembers its own proofs; instances behind one name need a shared store (documented).
      store: () => (typeof dpopOption === 'object' && dpopOption.store !== undefined ? dpopOption.store : memoryStore()),
    },
    `${caller}: options.dpop`,
  );

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
  const jwt = audience === undefined ? undefined : cachedJwtVerification(jwtVerifier(options, audience, clockTolerance, timeout, discover, caller), cache, verifiedTokenFromClaims);
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
          cacheTtl: nonNegativeNumber(intro.cacheTtl, `${caller}: options.introspection.cacheTtl`) ?? 30,
          cacheSize: positiveNumber(intro.cacheSize, `${caller}: options.introspection.cacheSize`) ?? 10_000,
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

  return createBearerCheckCore({
    realm: checkRealm(options.realm, `${caller}: options.realm`) ?? 'api',
    verify,
    ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    ...(options.match === undefined ? {} : { match: options.match }),
    ...(options.tokenLocations === undefined ? {} : { locations: options.tokenLocations }),
    ...(dpop === undefined ? {} : { dpop }),
  });
}

function jwtVerifier(
  options: RemoteBearerOptions,
  audience: readonly string[],
  clockTolerance: number,
  timeout: number,
  discover: () => Promise<DiscoveredMetadata>,
  caller: string,
): JwtAccessTokenVerifier {
  let resolveKey: ResolveVerifyKey;
  if (options.secret !== undefined) {
    const secret = options.secret instanceof KeyObject ? options.secret : createSecretKey(Buffer.from(options.secret));
    if (secret.type !== 'secret' || (secret.symmetricKeySize ?? 0) < 32) throw new TypeError(`${caller}: options.secret must be a secret of at least 32 bytes`);
    resolveKey = () => secret;
  } else {
    const jwksSettings = {
      cacheMaxAge: positiveNumber(options.jwks?.cacheMaxAge, `${caller}: options.jwks.cacheMaxAge`) ?? 600,
      requestsPerMinute: positiveNumber(options.jwks?.requestsPerMinute, `${caller}: options.jwks.requestsPerMinute`) ?? 10,
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
