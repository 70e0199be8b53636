import type { Client } from '../clients/client';

/** What `Store.revokeFamily` remembers a revocation for when it is not asked for longer: a day. */
const STORE_DEFAULT_SECONDS = 24 * 3600;

/**
 * Seconds past a JWT's `exp` it must still be refused, covering resource servers whose clock tolerance would
 * still accept it (the same margin a revoked `jti` is kept for).
 */
export const JWT_REVOCATION_SLACK_SECONDS = 60;

/**
 * How long a revoked grant family must be remembered so that every JWT access token issued from it stays
 * refused until it expires: seconds to pass to `Store.revokeFamily`, or `undefined` when the store's own day
 * is enough (every access token lifetime the server knows is shorter).
 */
export type FamilyRevocationRetention = (client: Client) => number | undefined;

/**
 * The {@link FamilyRevocationRetention} of a server whose longest known access token lifetime is
 * `longestAccessTokenTtl` (the server's and its static clients'); a client served by a `ClientStore` adds its
 * own `accessTokenTtl` when it is the one revoking.
 */
export function familyRevocationRetention(longestAccessTokenTtl: number): FamilyRevocationRetention {
  return (client) => {
    const seconds = Math.max(longestAccessTokenTtl, client.accessTokenTtl ?? 0) + JWT_REVOCATION_SLACK_SECONDS;
    return seconds > STORE_DEFAULT_SECONDS ? seconds : undefined;
  };
}
