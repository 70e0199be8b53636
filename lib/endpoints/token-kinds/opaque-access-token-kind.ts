import type { Store } from '../../store/store';
import { formatScope } from '../../scope';
import { opaqueAccessTokenRef } from '../../tokens/opaque-access-token';
import { INACTIVE, mayIntrospect, type IntrospectionResponse, type TokenKind } from './token-kind';

/**
 * Opaque access tokens for revocation (the record is deleted) and introspection (the record is read).
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export function opaqueAccessTokenKind(store: Store, issuer: string | undefined, defaultAudience: readonly string[] = []): TokenKind {
  const defaultAud = audClaim(defaultAudience);
  return {
    kind: 'access_token',
    hint: 'access_token',
    async introspect(token, client) {
      const ref = opaqueAccessTokenRef(token);
      const record = await store.findAccessToken(ref.tokenHash, ref.familyId);
      if (record === undefined) return undefined;
      if (record.expiresAt <= Math.floor(Date.now() / 1000) || !mayIntrospect(client, record.clientId)) return INACTIVE;
      // RFC 7662 §2.2 `aud`: the resources the token is restricted to (RFC 8707), else the server's default
      // audience, as a JWT of the same grant would carry; a resource server refuses a token for another.
      const aud = record.audience === undefined || record.audience.length === 0 ? defaultAud : audClaim(record.audience);
      const response: IntrospectionResponse = {
        active: true,
        ...(record.scope.length === 0 ? {} : { scope: formatScope(record.scope) }),
        client_id: record.clientId,
        sub: record.sub,
        exp: record.expiresAt,
        iat: record.issuedAt,
        ...(aud === undefined ? {} : { aud }),
        // RFC 9449 §6.2: a bound token's confirmation, so that a resource server can check the proof's key.
        ...(record.jkt === undefined ? { token_type: 'Bearer' } : { cnf: { jkt: record.jkt }, token_type: 'DPoP' }),
        ...(issuer === undefined ? {} : { iss: issuer }),
      };
      return response;
    },
    async revoke(token, client) {
      const ref = opaqueAccessTokenRef(token);
      const record = await store.findAccessToken(ref.tokenHash, ref.familyId);
      if (record === undefined) return 'unrecognized';
      // RFC 7009 §2.1: another client's token is left alone, and the answer is the same 200.
      if (record.clientId !== client.clientId) return 'not_owner';
      await store.revokeAccessToken(ref.tokenHash, ref.familyId);
      return { revoked: '' };
    },
  };
}

// RFC 7519 §4.1.3: one audience as a plain string, several as an array, as the JWT access tokens carry it.
function audClaim(audience: readonly string[]): string | string[] | undefined {
  if (audience.length === 0) return undefined;
  return audience.length === 1 ? audience[0] : [...audience];
}
