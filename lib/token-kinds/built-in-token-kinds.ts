import type { ResolvedOptions } from '../options';
import { localJwtVerifier } from '../resource-server/local-jwt-verifier';
import { jwtAccessTokenKind } from './jwt-access-token-kind';
import { opaqueAccessTokenKind } from './opaque-access-token-kind';
import { refreshTokenKind } from './refresh-token-kind';
import type { TokenKind } from './token-kind';

/**
 * The token kinds `/revoke` and `/introspect` understand, in the order they are tried (a `token_type_hint`
 * moves its kinds first). JWTs first: telling one apart costs no store round trip; refresh tokens next, as
 * their shape is recognised before any lookup; opaque access tokens last.
 */
export function builtInTokenKinds(options: ResolvedOptions): TokenKind[] {
  const kinds: TokenKind[] = [];
  if (options.signingKeys !== undefined && options.issuer !== undefined) {
    // No audience check: the server answers for its own tokens whichever resource server they are for.
    const verifier = localJwtVerifier(options.signingKeys, { issuer: options.issuer, audience: undefined, clockTolerance: 0 });
    kinds.push(jwtAccessTokenKind(options.store, verifier));
  }
  // Only a server that redeems refresh tokens has issued any.
  if (options.grants.has('refresh_token')) kinds.push(refreshTokenKind(options.store, options.issuer));
  kinds.push(opaqueAccessTokenKind(options.store, options.issuer));
  return kinds;
}
