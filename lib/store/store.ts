/**
 * What Keyturn remembers about an opaque access token. Times are epoch seconds.
 */
export interface AccessTokenRecord {
  /** The client the token was issued to. */
  readonly clientId: string;
  /** The resource owner, when the grant had one; the client id for client_credentials. */
  readonly sub: string;
  /** Granted scope tokens. */
  readonly scope: readonly string[];
  /** When the token was issued. */
  readonly issuedAt: number;
  /** When the token expires. */
  readonly expiresAt: number;
  /** The grant family the token descends from (refresh rotation, authorization code), when there is one. */
  readonly familyId?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Authorization code grant (RFC 6749 §4.1): codes, their single use, grant families and remembered consent.
// ---------------------------------------------------------------------------------------------------------

/**
 * What Keyturn remembers about an authorization code, under the code's SHA-256 hash. Times are epoch seconds.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export interface AuthorizationCodeRecord {
  /** The client the code was issued to (RFC 6749 §4.1.3: the code is bound to it). */
  readonly clientId: string;
  /** The redirect URI the code was sent to. */
  readonly redirectUri: string;
  /** True when the authorization request named `redirect_uri`, so the token request must repeat it (§4.1.3). */
  readonly redirectUriSent: boolean;
  /** The resource owner who approved. */
  readonly sub: string;
  /** Granted scope tokens. */
  readonly scope: readonly string[];
  /** PKCE `code_challenge` (RFC 7636 §4.2), when the request carried one. */
  readonly codeChallenge?: string;
  /** PKCE `code_challenge_method`: `S256`, or `plain` when the server allows it. */
  readonly codeChallengeMethod?: 'S256' | 'plain';
  /** OpenID Connect `nonce`, echoed in the id_token. */
  readonly nonce?: string;
  /** When the user authenticated (OpenID Connect `auth_time`). */
  readonly authTime: number;
  /** When the code was issued. */
  readonly issuedAt: number;
  /** When the code expires. */
  readonly expiresAt: number;
  /** The grant family: every token issued from this code carries it, so a reuse can revoke them all. */
  readonly familyId: string;
}

/**
 * The outcome of {@link Store.consumeAuthorizationCode}: the first use gets the record; a later use is told
 * the code was used already (with the record, so the tokens issued from it can be revoked); an unknown or
 * expired code is `unknown`.
 * @example
 * ```ts
 * const used = await store.consumeAuthorizationCode(hashToken(code), 86_400);
 * if (used.status === 'reused') await store.revokeFamily(used.record.familyId);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export type ConsumedAuthorizationCode =
  | { readonly status: 'consumed'; readonly record: AuthorizationCodeRecord }
  | { readonly status: 'reused'; readonly record: AuthorizationCodeRecord }
  | { readonly status: 'unknown' };

/**
 * A user's remembered consent for one client. Times are epoch seconds.
 * @example
 * ```ts
 * await store.saveConsent('alice', 'web-app', { scope: ['openid'], grantedAt: now }, 30 * 86_400);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.2
 */
export interface ConsentRecord {
  /** The scope tokens the user approved for the client. */
  readonly scope: readonly string[];
  /** When the consent was given. */
  readonly grantedAt: number;
}

/**
 * Everything the server keeps goes through this interface, so one app instance or many (sharing Redis)
 * behave as one server. Keys are hashes of tokens, never tokens. Every write carries a TTL so nothing
 * outlives its token, and every check-and-change is atomic inside the store.
 *
 * Adapters: {@link MemoryStore} (the embedded default) and the Redis store.
 */
export interface Store {
  /** Keeps an opaque access token's record under the token's hash for `ttlSeconds`. */
  saveAccessToken(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void>;
  /** The live record for a token hash, or `undefined` when unknown, expired or revoked. */
  findAccessToken(tokenHash: string): Promise<AccessTokenRecord | undefined>;

  // --- authorization code grant -------------------------------------------------------------------------

  /** Keeps a new authorization code's record under the code's hash for `ttlSeconds`. */
  saveAuthorizationCode(codeHash: string, record: AuthorizationCodeRecord, ttlSeconds: number): Promise<void>;
  /**
   * Marks a code used and returns what it was, atomically: of two concurrent calls exactly one gets
   * `consumed`. A used code is remembered for `retainUsedSeconds` (from now) so that a replay is recognised
   * as `reused` rather than `unknown` (RFC 6749 §4.1.2).
   */
  consumeAuthorizationCode(codeHash: string, retainUsedSeconds: number): Promise<ConsumedAuthorizationCode>;
  /**
   * Revokes every token issued in a grant family (all access tokens whose `familyId` matches; refresh tokens
   * too once they exist), and keeps refusing the family for at least a day: a token saved for it afterwards
   * is dropped, so a revocation that races a concurrent exchange of the same code still wins.
   */
  revokeFamily(familyId: string): Promise<void>;
  /** Remembers that `sub` approved `record.scope` for `clientId`, for `ttlSeconds`; replaces an earlier consent. */
  saveConsent(sub: string, clientId: string, record: ConsentRecord, ttlSeconds: number): Promise<void>;
  /** The remembered consent of `sub` for `clientId`, or `undefined`. */
  findConsent(sub: string, clientId: string): Promise<ConsentRecord | undefined>;

  // -------------------------------------------------------------------------------------------------------

  /** Releases connections and timers. The store must not be used afterwards. */
  close(): Promise<void>;
}
