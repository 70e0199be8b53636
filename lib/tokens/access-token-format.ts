import type { Client } from '../clients/client';

/** What an access token is minted for. */
export interface AccessTokenClaims {
  readonly client: Client;
  /** The resource owner; the client id for client_credentials. */
  readonly sub: string;
  readonly scope: readonly string[];
  /** The grant family the token descends from, when there is one. */
  readonly familyId?: string;
  /**
   * The seed of `familyId` (see family-token): required with `familyId` by formats the store keeps, whose
   * tokens of a family carry the seed so the store can keep them with their family.
   */
  readonly familySeed?: string;
  /**
   * The `jti` to give a self-contained token, when the grant chose it beforehand (see
   * {@link AccessTokenFormat.mintJwtId}). Default: a new random one. Formats without a `jti` ignore it.
   */
  readonly jti?: string;
  /** RFC 9449 §6: the thumbprint of the DPoP key the token is bound to (`cnf.jkt`), when it is bound. */
  readonly jkt?: string;
  /** The resources (RFC 8707) the token is restricted to. Default: the server's audience. */
  readonly resource?: readonly string[];
}

/** A minted access token. */
export interface IssuedAccessToken {
  readonly token: string;
  /** Lifetime in seconds (`expires_in`). */
  readonly expiresIn: number;
  /** The name of the format that minted it, when it differs per token (per-client formats). */
  readonly format?: string;
}

/** An access token minted for a grant to save in its own store step (see {@link AccessTokenFormat.mintStored}). */
export interface StoredAccessToken extends IssuedAccessToken {
  /** What the store keeps instead of the token. */
  readonly tokenHash: string;
}

/**
 * How access tokens are minted: opaque (looked up in the store) or, with a later format, self-contained.
 * One implementation per format, chosen per server or per client.
 */
export interface AccessTokenFormat {
  /** The format's name, e.g. `opaque`. */
  readonly name: string;
  issue(claims: AccessTokenClaims, ttlSeconds: number): Promise<IssuedAccessToken>;
  /**
   * Formats whose tokens live in the store (opaque): mints a token of the family of `familySeed` without
   * saving it, so that a grant can save it inside its own atomic store step (the refresh rotation does, for
   * one store round trip per refresh). `undefined` when the client's tokens are not kept in the store.
   */
  mintStored?(client: Client, familySeed: string, ttlSeconds: number): StoredAccessToken | undefined;
  /**
   * Formats whose tokens carry a `jti` (JWT): a new one for the client's next token, so that a grant can hand
   * it to its own atomic store step before the token is signed (the refresh rotation remembers it, to revoke
   * it if a grace re-issue retires the token). `undefined` when the client's tokens have no `jti`.
   */
  mintJwtId?(client: Client): string | undefined;
}
