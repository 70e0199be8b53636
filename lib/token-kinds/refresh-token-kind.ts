import type { Store } from '../store/store';
import { formatScope } from '../scope';
import { parseRefreshToken } from '../tokens/refresh-token-format';
import { INACTIVE, mayIntrospect, type TokenKind } from './token-kind';

/**
 * Refresh tokens for revocation and introspection. Revoking one revokes its whole family, and with it the
 * opaque access tokens issued from it (RFC 7009 §2.1: the server SHOULD also invalidate the access tokens of
 * the same grant). JWT access tokens of the family stay valid until they expire: nothing indexes their `jti`s
 * by family. Introspection answers `token_type: "refresh_token"`, so resource servers never take a refresh
 * token for an access token.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export function refreshTokenKind(store: Store, issuer: string | undefined): TokenKind {
  return {
    kind: 'refresh_token',
    hint: 'refresh_token',
    async introspect(token, client) {
      const presented = parseRefreshToken(token);
      if (presented === undefined) return undefined;
      // Shaped like our refresh tokens and like nothing else we issue: answer for it even when unknown.
      const record = await store.findRefreshToken(presented.familyId, presented.tokenHash);
      if (record === undefined || record.expiresAt <= Math.floor(Date.now() / 1000) || !mayIntrospect(client, record.clientId)) return INACTIVE;
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
      const presented = parseRefreshToken(token);
      if (presented === undefined) return 'unrecognized';
      const record = await store.findRefreshToken(presented.familyId, presented.tokenHash);
      // RFC 7009 §2.1: only the client the token was issued to may revoke it; others get the same 200.
      if (record === undefined || record.clientId !== client.clientId) return 'not_owner';
      await store.revokeFamily(record.familyId);
      return { revoked: record.familyId };
    },
  };
}
