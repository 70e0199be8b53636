import type { Store } from '../../store/store';
import { familyOfClaims, looksLikeJwt, type JwtAccessTokenClaims } from '../../tokens/jwt-claims';
import type { JwtAccessTokenVerifier } from '../../resource-server/jwt-verifier';
import { INACTIVE, mayIntrospect, type TokenKind } from './token-kind';

/**
 * Seconds a revoked `jti` is remembered past the token's `exp`, covering resource servers whose clock
 * tolerance would still accept the token.
 */
const REVOCATION_SLACK = 60;

/**
 * The server's own JWT access tokens. Revocation records the `jti` until the token expires (the signature
 * keeps it valid until then); introspection verifies the signature with the server's keys, whatever the `aud`,
 * and answers inactive for a revoked `jti` or a token of a revoked grant family (one store lookup for both).
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-5
 */
export function jwtAccessTokenKind(store: Store, verifier: JwtAccessTokenVerifier): TokenKind {
  // Expired tokens verify here on purpose: the kind must still recognise them (to answer inactive, and to stop
  // the search), and only claims signed by us are trusted.
  const read = async (token: string): Promise<JwtAccessTokenClaims | undefined> => {
    if (!looksLikeJwt(token)) return undefined;
    try {
      return await verifier.verify(token, { ignoreExpiration: true });
    } catch {
      return undefined;
    }
  };
  return {
    kind: 'jwt',
    hint: 'access_token',
    async introspect(token, client) {
      const claims = await read(token);
      if (claims === undefined) return undefined;
      if (claims.exp <= Math.floor(Date.now() / 1000) || !mayIntrospect(client, claims.client_id)) return INACTIVE;
      if (await store.isJwtIdRevoked(claims.jti, familyOfClaims(claims))) return INACTIVE;
      return {
        active: true,
        ...(claims.scope === undefined ? {} : { scope: claims.scope }),
        client_id: claims.client_id,
        sub: claims.sub,
        exp: claims.exp,
        iat: claims.iat,
        ...(typeof claims.nbf === 'number' ? { nbf: claims.nbf } : {}),
        aud: claims.aud,
        // RFC 9449 §6.2: a bound token's confirmation, so that a resource server can check the proof's key.
        ...(typeof claims.cnf?.jkt === 'string' ? { cnf: { jkt: claims.cnf.jkt }, token_type: 'DPoP' } : { token_type: 'Bearer' }),
        iss: claims.iss,
        jti: claims.jti,
      };
    },
    async revoke(token, client) {
      const claims = await read(token);
      if (claims === undefined) return 'unrecognized';
      if (claims.client_id !== client.clientId) return 'not_owner';
      const remaining = claims.exp - Math.floor(Date.now() / 1000);
      // An expired token needs no entry: the signature check already refuses it.
      if (remaining > -REVOCATION_SLACK) await store.revokeJwtId(claims.jti, remaining + REVOCATION_SLACK, familyOfClaims(claims));
      return { revoked: claims.jti };
    },
  };
}
