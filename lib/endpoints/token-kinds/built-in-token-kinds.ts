import type { Store } from '../../store/store';
import type { SigningKeys } from '../../tokens/signing-keys';
import { localJwtVerifier } from '../../resource-server/local-jwt-verifier';
import { jwtAccessTokenKind } from './jwt-access-token-kind';
import { opaqueAccessTokenKind } from './opaque-access-token-kind';
import { refreshTokenKind } from './refresh-token-kind';
import type { TokenKind } from './token-kind';
import type { FamilyRevocationRetention } from '../../grants/family-revocation-retention';

/**
 * The token kinds `/revoke` and `/introspect` understand, in the order they are tried (a `token_type_hint`
 * moves its kinds first). JWTs first: telling one apart costs no store round trip; refresh tokens next, as
 * their shape is recognised before any lookup; opaque access tokens last.
 */
export function builtInTokenKinds(settings: {
  readonly store: Store;
  readonly issuer: string | undefined;
  /** The server's default audience (`accessToken.audience`): an opaque token restricted to none is for it. */
  readonly audience?: readonly string[];
  readonly signingKeys: SigningKeys | undefined;
  /** Only a server that redeems refresh tokens has issued any. */
  readonly refreshTokens: boolean;
  /** How long a revoked family is remembered, when its JWTs outlive the store's day. */
  readonly familyRevocationRetention?: FamilyRevocationRetention;
}): TokenKind[] {
  const { store, issuer, signingKeys } = settings;
  const kinds: TokenKind[] = [];
  if (signingKeys !== undefined && issuer !== undefined) {
    // No audience check: the server answers for its own tokens whichever resource server they are for.
    kinds.push(jwtAccessTokenKind(store, localJwtVerifier(signingKeys, { issuer, audience: undefined, clockTolerance: 0 })));
  }
  if (settings.refreshTokens) kinds.push(refreshTokenKind(store, issuer, settings.familyRevocationRetention));
  kinds.push(opaqueAccessTokenKind(store, issuer, settings.audience));
  return kinds;
}
