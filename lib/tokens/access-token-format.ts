import type { Client } from '../clients/client';

/** What an access token is minted for. */
export interface AccessTokenClaims {
  readonly client: Client;
  /** The resource owner; the client id for client_credentials. */
  readonly sub: string;
  readonly scope: readonly string[];
  /** The grant family the token descends from, when there is one. */
  readonly familyId?: string;
}

/** A minted access token. */
export interface IssuedAccessToken {
  readonly token: string;
  /** Lifetime in seconds (`expires_in`). */
  readonly expiresIn: number;
  /** The name of the format that minted it, when it differs per token (per-client formats). */
  readonly format?: string;
}

/**
 * How access tokens are minted: opaque (looked up in the store) or, with a later format, self-contained.
 * One implementation per format, chosen per server or per client.
 */
export interface AccessTokenFormat {
  /** The format's name, e.g. `opaque`. */
  readonly name: string;
  issue(claims: AccessTokenClaims, ttlSeconds: number): Promise<IssuedAccessToken>;
}
