import type { Client } from '../clients/client';
import { ServerError } from '../errors/token-errors';
import type { Store } from '../store/store';
import type { AccessTokenClaims, AccessTokenFormat, IssuedAccessToken, StoredAccessToken } from './access-token-format';
import { mintFamilyToken, parseFamilyToken } from './family-token';
import { generateToken, hashToken } from './random-token';

/** Where the store keeps a presented opaque access token: its hash, and its family when it names one. */
export interface OpaqueAccessTokenRef {
  readonly tokenHash: string;
  readonly familyId?: string;
}

/**
 * Opaque access tokens: 256 random bits handed to the client, only their SHA-256 hash kept in the store
 * with the grant's details, for the bearer check and introspection to look up. A token of a grant family
 * (refresh rotation, authorization code) is minted in the family, `<family seed>.<secret>`, so the store can
 * keep it with the family: saved in the rotation's own step, and deleted with the family.
 */
export class OpaqueAccessTokenFormat implements AccessTokenFormat {
  readonly name = 'opaque';

  constructor(private readonly store: Store) {}

  async issue(claims: AccessTokenClaims, ttlSeconds: number): Promise<IssuedAccessToken> {
    const { familyId, familySeed } = claims;
    if (familyId !== undefined && familySeed === undefined) {
      throw new ServerError({ detail: 'an opaque access token of a grant family needs the family seed (familySeed) with familyId' });
    }
    const minted = familySeed === undefined ? undefined : mintFamilyToken(familySeed);
    const token = minted?.token ?? generateToken();
    const issuedAt = Math.floor(Date.now() / 1000);
    await this.store.saveAccessToken(
      minted?.tokenHash ?? hashToken(token),
      {
        clientId: claims.client.clientId,
        sub: claims.sub,
        scope: claims.scope,
        issuedAt,
        expiresAt: issuedAt + ttlSeconds,
        ...(minted === undefined ? {} : { familyId: minted.familyId }),
        ...(claims.jkt === undefined ? {} : { jkt: claims.jkt }),
        ...(claims.resource === undefined || claims.resource.length === 0 ? {} : { audience: claims.resource }),
      },
      ttlSeconds,
    );
    return { token, expiresIn: ttlSeconds };
  }

  mintStored(_client: Client, familySeed: string, ttlSeconds: number): StoredAccessToken {
    const minted = mintFamilyToken(familySeed);
    return { token: minted.token, tokenHash: minted.tokenHash, expiresIn: ttlSeconds, format: this.name };
  }
}

/**
 * Where to look a presented opaque access token up. A token shaped like a family token names its family;
 * any other string is looked up by its hash alone (and is simply not found when it is not ours).
 */
export function opaqueAccessTokenRef(token: string): OpaqueAccessTokenRef {
  return parseFamilyToken(token) ?? { tokenHash: hashToken(token) };
}
