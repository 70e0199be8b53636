import type { AccessTokenRecord, Store } from '../../lib';
import { opaqueAccessTokenRef } from '../../lib/tokens/opaque-access-token';

/** A token of a grant family: `<family seed>.<secret>` (refresh tokens, codes, and their opaque access tokens). */
export const FAMILY_TOKEN = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
/** An opaque access token with no family: 256 random bits, base64url. */
export const PLAIN_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The store's record of an opaque access token, looked up the way the bearer check does. */
export function findAccessRecord(store: Store, token: string): Promise<AccessTokenRecord | undefined> {
  const ref = opaqueAccessTokenRef(token);
  return store.findAccessToken(ref.tokenHash, ref.familyId);
}
