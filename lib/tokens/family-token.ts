import { generateToken, hashToken, randomString } from './random-token';

// Every token that belongs to a grant family (refresh tokens, authorization codes, and the opaque access
// tokens issued with them) is `<family seed>.<secret>`: 128 random bits naming the family, then 256 random
// bits of its own (RFC 6749 §10.10). The seed lets the store find the family's keys from the presented token
// alone, which Redis Cluster needs: a script may only touch keys of one slot, chosen by the family's hash
// tag. So the rotation script can also write the new access token, and revoking a family can delete its
// access tokens in the same atomic step. The store never sees the seed either, only its SHA-256: no part of
// a token is kept in the clear.
const SEED_BYTES = 16;
const FORMAT = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

/** A newly minted family token. */
export interface MintedFamilyToken {
  /** The token for the client: 66 characters, 384 random bits. */
  readonly token: string;
  /** What the store keeps instead of the token. */
  readonly tokenHash: string;
  /** The family id the store knows the token's family by (a hash of the seed). */
  readonly familyId: string;
  /** The family seed, to mint more tokens of the same family. */
  readonly seed: string;
}

/** A presented family token, taken apart. */
export interface PresentedFamilyToken {
  readonly tokenHash: string;
  readonly familyId: string;
  /** The family seed, to mint the replacement in the same family. */
  readonly seed: string;
}

/**
 * Mints a token in the family of `seed` (a rotation, or an access token of a known family), or in a new family.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.4
 */
export function mintFamilyToken(seed: string = randomString(SEED_BYTES)): MintedFamilyToken {
  const token = `${seed}.${generateToken()}`;
  return { token, tokenHash: hashToken(token), familyId: hashToken(seed), seed };
}

/**
 * Takes a presented family token apart, or returns `undefined` for anything not shaped like one (so a
 * malformed or oversized value never reaches the store).
 */
export function parseFamilyToken(token: string): PresentedFamilyToken | undefined {
  const match = FORMAT.exec(token);
  if (match === null) return undefined;
  const seed = match[1] as string;
  return { tokenHash: hashToken(token), familyId: hashToken(seed), seed };
}
