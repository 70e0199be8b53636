import type { Store } from '../../store/store';
import { formatScope } from '../../scope';
import { parseFamilyToken } from '../../tokens/family-token';
import { INACTIVE, mayIntrospect, type TokenKind } from './token-kind';
import type { FamilyRevocationRetention } from '../../grants/family-revocation-retention';

/**
 * Refresh tokens for revocation and introspection. Revoking one revokes its whole family, and with it the
 * access tokens issued from it (RFC 7009 §2.1: the server SHOULD also invalidate the access tokens of the
 * same grant): the opaque ones are deleted, and the JWTs, which name their family (`fid`), are refused by the
 * server's own checks from then on. Introspection answers `token_type: "refresh_token"`, so resource servers never take a refresh
 * token for an access token.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export function refreshTokenKind(store: Store, issuer: string | undefined, familyRevocationRetention?: FamilyRevocationRetention): TokenKind {
  return {
    kind: 'refresh_token',
    hint: 'refresh_token',
    async introspect(token, client) {
      const presented = parseFamilyToken(token);
      if (presented === undefined) return undefined;
      // Access tokens of a family have the same shape: an unknown one is left to the other kinds.
      const record = await store.findRefreshToken(presented.familyId, presented.tokenHash);
      if (record === undefined) return undefined;
      if (record.expiresAt <= Math.floor(Date.now() / 1000) || !mayIntrospect(client, record.clientId)) return INACTIVE;
      return {
        active: true,
        ...(record.scope.length === 0 ? {} : { scope: formatScope(record.scope) }),
        client_id: record.clientId,
        sub: record.sub,
        exp: record.expiresAt,
        iat: record.issuedAt,
        token_type: 'refresh_token',
        ...(issuer === undefined ? {} : { iss: issuer }),
      };
    },
    async revoke(token, client) {
      const presented = parseFamilyToken(token);
      if (presented === undefined) return 'unrecognized';
      const record = await store.findRefreshToken(presented.familyId, presented.tokenHash);
      if (record === undefined) return 'unrecognized';
      // RFC 7009 §2.1: only the client the token was issued to may revoke it; others get the same 200.
      if (record.clientId !== client.clientId) return 'not_owner';
      await store.revokeFamily(record.familyId, familyRevocationRetention?.(client));
      return { revoked: record.familyId };
    },
  };
}
