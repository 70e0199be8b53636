import { isPromiseLike } from '../core/awaitable';
import type { Awaitable } from '../clients/client';
import type { Store } from '../store/store';
import { familyOfClaims, looksLikeJwt } from '../tokens/jwt-claims';
import type { JwtAccessTokenVerifier } from './jwt-verifier';
import { opaqueAccessTokenRef } from '../tokens/opaque-access-token';
import { cachedJwtVerification, VerifiedTokenCache } from './verified-token-cache';
import { formatScope } from '../scope';
import type { TokenVerifier, VerifiedToken } from './bearer-auth';
import { TokenRejection } from './token-rejection';
import { verifiedTokenFromClaims, type VerifiedJwtToken } from './verified-token-from-claims';

/** What the in-process verifier is built from. */
export interface LocalTokenVerifierDeps {
  readonly store: Store;
  /** Verifies the server's JWTs; absent when the server has no issuer (opaque tokens only). */
  readonly jwt: JwtAccessTokenVerifier | undefined;
  readonly issuer: string | undefined;
  /** Most verified JWTs remembered (see `VerifiedTokenCacheOption`); undefined: none. */
  readonly cacheSize: number | undefined;
  /**
   * The audiences this check accepts (the check's `audience`, else the server's default). A JWT's `aud` is
   * checked by `jwt`; an opaque token's stored `audience` (RFC 8707), or the server's default audience when it
   * has none, must name one of these. Default: none accepted but the default audience's.
   */
  readonly audience?: readonly string[];
  /** The server's default audience (`accessToken.audience`): what an opaque token restricted to none is for. */
  readonly defaultAudience?: readonly string[];
}


/**
 * Verifies tokens inside the issuing process: JWTs by the server's own keys (remembered by a
 * verified-token cache) plus the revoked-`jti` list and the token's revoked grant family, read together on
 * every request, cached or not; opaque tokens by one store lookup of their hash.
 */
export function localTokenVerifier(deps: LocalTokenVerifierDeps): TokenVerifier {
  const { store, jwt, issuer } = deps;
  const accepted = new Set(deps.audience ?? deps.defaultAudience ?? []);
  const defaultAudience = deps.defaultAudience ?? [];
  // RFC 8707 §2 and RFC 9068 §4: a token restricted to other resources is not for this one. With no audience
  // to compare (a server without issuer and a check without `audience`), only unrestricted tokens pass.
  const forThisAudience = (audience: readonly string[]): boolean => (accepted.size === 0 ? audience.length === 0 : audience.some((a) => accepted.has(a)));
  const defaultAccepted = accepted.size === 0 || defaultAudience.some((a) => accepted.has(a));
  const cache = deps.cacheSize === undefined ? undefined : new VerifiedTokenCache<VerifiedJwtToken>(deps.cacheSize);
  const verifyJwt = jwt === undefined ? undefined : cachedJwtVerification(jwt, cache, verifiedTokenFromClaims);
  // Revocation is never cached: a token revoked after it was first verified is refused on its next request,
  // whether its own jti was revoked or its grant family was (one store operation asks both).
  const notRevoked = (verified: VerifiedJwtToken): Awaitable<VerifiedJwtToken> => {
    const revoked = store.isJwtIdRevoked(verified.claims.jti, familyOfClaims(verified.claims));
    if (isPromiseLike(revoked)) return revoked.then((yes) => (yes ? rejectRevoked() : verified));
    return revoked ? rejectRevoked() : verified;
  };
  const findOpaque = async (token: string): Promise<VerifiedToken> => {
    const ref = opaqueAccessTokenRef(token);
    const record = await store.findAccessToken(ref.tokenHash, ref.familyId);
    if (record === undefined || record.expiresAt <= Math.floor(Date.now() / 1000)) {
      throw new TokenRejection('the access token is unknown, expired or revoked');
    }
    const restricted = record.audience !== undefined && record.audience.length > 0 ? record.audience : undefined;
    if (restricted === undefined ? !defaultAccepted : !forThisAudience(restricted)) {
      throw new TokenRejection('the access token is meant for another audience');
    }
    const aud = restricted ?? defaultAudience;
    // Frozen like a cached JWT's, so req.auth behaves the same whichever kind of token the client holds.
    return {
      clientId: record.clientId,
      sub: record.sub,
      scopes: Object.freeze([...record.scope]),
      claims: Object.freeze({
        ...(issuer === undefined ? {} : { iss: issuer }),
        sub: record.sub,
        client_id: record.clientId,
        exp: record.expiresAt,
        iat: record.issuedAt,
        ...(aud.length === 0 ? {} : { aud: aud.length === 1 ? aud[0] : Object.freeze([...aud]) }),
        ...(record.scope.length === 0 ? {} : { scope: formatScope(record.scope) }),
        // RFC 9449 §6: a bound opaque token's key, where a JWT would carry it, for the bearer core's DPoP check.
        ...(record.jkt === undefined ? {} : { cnf: Object.freeze({ jkt: record.jkt }) }),
      }),
    };
  };
  // A cached JWT on a store that answers synchronously is checked without a promise (see awaitable.ts).
  return (token) => {
    if (verifyJwt === undefined || !looksLikeJwt(token)) return findOpaque(token);
    const verified = verifyJwt(token);
    return isPromiseLike(verified) ? verified.then(notRevoked) : notRevoked(verified);
  };
}

function rejectRevoked(): never {
  throw new TokenRejection('the access token was revoked');
}
