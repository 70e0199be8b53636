import type { Store } from '../store/store';
import type { AccessTokenClaims, AccessTokenFormat, IssuedAccessToken } from './access-token-format';
import { generateToken, hashToken } from './random-token';

/**
 * Opaque access tokens: 256 random bits handed to the client, only their SHA-256 hash kept in the store
 * with the grant's details, for the bearer check and introspection to look up.
 */
export class OpaqueAccessTokenFormat implements AccessTokenFormat {
  readonly name = 'opaque';

  constructor(private readonly store: Store) {}

  async issue(claims: AccessTokenClaims, ttlSeconds: number): Promise<IssuedAccessToken> {
    const token = generateToken();
    const issuedAt = Math.floor(Date.now() / 1000);
    await this.store.saveAccessToken(
      hashToken(token),
      {
        clientId: claims.client.clientId,
        sub: claims.sub,
        scope: claims.scope,
        issuedAt,
        expiresAt: issuedAt + ttlSeconds,
        ...(claims.familyId === undefined ? {} : { familyId: claims.familyId }),
      },
      ttlSeconds,
    );
    return { token, expiresIn: ttlSeconds };
  }
}
