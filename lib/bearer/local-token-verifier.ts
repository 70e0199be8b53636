import type { Store } from '../store/store';
import { looksLikeJwt } from '../tokens/jwt-claims';
import type { JwtAccessTokenVerifier } from '../tokens/jwt-verifier';
import { opaqueAccessTokenRef } from '../tokens/opaque-access-token';
import { formatScope, parseScope } from '../scope';
import type { TokenVerifier, VerifiedToken } from './bearer-auth';
import { TokenRejection } from './token-rejection';

/** What the in-process verifier is built from. */
export interface LocalTokenVerifierDeps {
  readonly store: Store;
  /** Verifies the server's JWTs; absent when the server has no issuer (opaque tokens only). */
  readonly jwt: JwtAccessTokenVerifier | undefined;
  readonly issuer: string | undefined;
}

/**
 * Verifies tokens inside the issuing process: JWTs by the server's own keys plus the revoked-`jti` list,
 * opaque tokens by one store lookup of their hash.
 */
export function localTokenVerifier(deps: LocalTokenVerifierDeps): TokenVerifier {
  const { store, jwt, issuer } = deps;
  return async (token) => {
    if (jwt !== undefined && looksLikeJwt(token)) {
      const claims = await jwt.verify(token);
      if (await store.isJwtIdRevoked(claims.jti)) throw new TokenRejection('the access token was revoked');
      return {
        clientId: claims.client_id,
        sub: claims.sub,
        scopes: claims.scope === undefined ? [] : parseScopeLoosely(claims.scope),
        claims,
      } satisfies VerifiedToken;
    }
    const ref = opaqueAccessTokenRef(token);
    const record = await store.findAccessToken(ref.tokenHash, ref.familyId);
    if (record === undefined || record.expiresAt <= Math.floor(Date.now() / 1000)) {
      throw new TokenRejection('the access token is unknown, expired or revoked');
    }
    return {
      clientId: record.clientId,
      sub: record.sub,
      scopes: record.scope,
      claims: {
        ...(issuer === undefined ? {} : { iss: issuer }),
        sub: record.sub,
        client_id: record.clientId,
        exp: record.expiresAt,
        iat: record.issuedAt,
        ...(record.scope.length === 0 ? {} : { scope: formatScope(record.scope) }),
      },
    };
  };
}

// Scope tokens of a verified token were checked when it was issued; a malformed one just never matches.
function parseScopeLoosely(scope: string): string[] {
  try {
    return parseScope(scope);
  } catch {
    return scope.split(' ').filter((s) => s !== '');
  }
}
