import type { Client } from '../clients/client';
import { formatScope } from '../scope';
import type { AccessTokenFormat, StoredAccessToken } from './access-token-format';
import type { RefreshTokenIssuer } from './refresh-token-issuer';
import type { TokenResponse } from './token-response';

/**
 * What a grant asks the token issuer for.
 *
 * @example
 * ```ts
 * import type { IssueTokensInput } from 'keyturn';
 *
 * const client = clients[0]!;
 * const input: IssueTokensInput = { client, sub: 'user-42', scope: ['/accounts.read'], refreshToken: false };
 * ```
 */
export interface IssueTokensInput {
  readonly client: Client;
  /** The resource owner; the client id for client_credentials. */
  readonly sub: string;
  readonly scope: readonly string[];
  /**
   * `false`: no refresh token. Default: a new one, in a new family, when the server serves the
   * `refresh_token` grant and the client may use it.
   */
  readonly refreshToken?: false;
  /**
   * RFC 9449: the thumbprint of the DPoP key to bind the access token to (`cnf.jkt`, `token_type: DPoP`), and
   * a public client's new refresh token family too (§5). Default: the key of the request's verified DPoP
   * proof, if it had one, which the token endpoint fills in; otherwise unbound.
   */
  readonly jkt?: string;
  /**
   * The resources (RFC 8707) the access token is for: its JWT `aud`, its stored opaque record's `audience`.
   * Check them against the client first (the built-in grants do). Default: the server's `accessToken.audience`.
   */
  readonly resource?: readonly string[];
}

/**
 * Mints the tokens of one successful grant and shapes the RFC 6749 §5.1 response, so every grant answers
 * alike. A grant receives it as `ctx.tokens`.
 *
 * @example
 * ```ts
 * import type { GrantContext, TokenResponse } from 'keyturn';
 *
 * // A GrantType's handle() ends by asking ctx.tokens for the response.
 * async function handle({ client, tokens }: GrantContext): Promise<TokenResponse> {
 *   return tokens.issue({ client, sub: 'user-42', scope: ['/accounts.read'] });
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface TokenIssuer {
  /** Mints the access token (and a refresh token when due) and resolves the token response to send. */
  issue(input: IssueTokensInput): Promise<TokenResponse>;
}

/** What the built-in grants may also ask for: joining an existing grant family, or a token they stored themselves. */
export interface MintTokensInput extends Omit<IssueTokensInput, 'refreshToken'> {
  readonly familyId?: string;
  /**
   * The seed of `familyId` (see family-token), when the grant already has a family: a refresh token
   * started here then joins it, so revoking the grant's family (authorization code reuse, RFC 6749 §4.1.2)
   * takes the refresh token down too.
   */
  readonly familySeed?: string;
  /**
   * When the user authenticated (`auth_time`), for a grant with a user sign-in: a refresh token started
   * here keeps it, so refreshing can issue an id_token with the original `auth_time`.
   */
  readonly authTime?: number;
  /** As in {@link IssueTokensInput}, or a string: that token, already stored by the grant (a rotation), whose family is `familyId`. */
  readonly refreshToken?: false | string;
  /**
   * The access token, when the grant minted it with {@link TokenMinter.mintStoredAccessToken} and already
   * saved it in its own store step (the refresh rotation). Default: a new one, minted and saved here.
   */
  readonly accessToken?: StoredAccessToken;
  /** The `jti` of the JWT access token to mint, when the grant chose it with {@link TokenMinter.mintJwtId}. */
  readonly jti?: string;
  /**
   * The resources granted, which a refresh token started here keeps (RFC 8707 §2.2: a refresh may ask for
   * any of them), when they are more than the access token's `resource`. Default: `resource`.
   */
  readonly grantedResources?: readonly string[];
}

/** Settings of {@link TokenMinter}. */
export interface TokenIssuerSettings {
  readonly accessTokenTtl: number;
  /** `token_type` for a token of a given format. Default: `Bearer` for every format. */
  readonly tokenTypeLabel?: TokenTypeLabel;
}

const REFRESH_TOKEN = 'refresh_token';

/**
 * The `token_type` value to answer (the `compat.tokenTypeLabel` option), fixed or per access token format
 * (`'opaque'` or `'jwt'`). RFC 6750 §4 registers `Bearer`, the default; APIs that Keyturn stands in for
 * label theirs differently (Moov: `opaque`/`jwt`; Falcon: `bearer`). A fixed label must be printable ASCII
 * without spaces (RFC 6749 §7.1).
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type TokenTypeLabel } from 'keyturn';
 *
 * // token_type "opaque" or "jwt", after the token's format, for clients written against such an API.
 * const tokenTypeLabel: TokenTypeLabel = (format) => format;
 * createAuthorizationServer({ clients, compat: { tokenTypeLabel } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-4
 */
export type TokenTypeLabel = string | ((format: string) => string);

/** The {@link TokenIssuer} of the token endpoint, with what the built-in grants need beyond it. */
export class TokenMinter implements TokenIssuer {
  private readonly tokenType: (format: string) => string;

  constructor(
    private readonly accessTokens: AccessTokenFormat,
    private readonly settings: TokenIssuerSettings,
    /** Starts refresh token families; `undefined` when the server does not serve the refresh_token grant. */
    private readonly refreshTokens?: RefreshTokenIssuer,
  ) {
    const label = settings.tokenTypeLabel ?? 'Bearer';
    this.tokenType = typeof label === 'function' ? label : () => label;
  }

  /**
   * For a grant that saves the access token inside its own store step: a token of the family of
   * `familySeed`, minted but not saved, when the client's tokens are kept in the store (opaque); `undefined`
   * when they are not (JWT), and {@link TokenMinter.issue} then mints one as usual.
   */
  mintStoredAccessToken(client: Client, familySeed: string): StoredAccessToken | undefined {
    return this.accessTokens.mintStored?.(client, familySeed, client.accessTokenTtl ?? this.settings.accessTokenTtl);
  }

  /**
   * For a grant that tells its own store step which JWT it is about to issue: a new `jti` for the client's
   * next access token and that token's lifetime, when the client's tokens are JWTs; `undefined` otherwise.
   * Pass the `jti` back to {@link TokenMinter.issue}.
   */
  mintJwtId(client: Client): { readonly jti: string; readonly expiresIn: number } | undefined {
    const jti = this.accessTokens.mintJwtId?.(client);
    return jti === undefined ? undefined : { jti, expiresIn: client.accessTokenTtl ?? this.settings.accessTokenTtl };
  }

  async issue(input: MintTokensInput): Promise<TokenResponse> {
    const ttl = input.client.accessTokenTtl ?? this.settings.accessTokenTtl;
    let refreshToken = input.refreshToken;
    let claims = input;
    let familySaved: Promise<void> | undefined;
    if (refreshToken === undefined && this.refreshTokens !== undefined && input.client.grants.includes(REFRESH_TOKEN)) {
      // RFC 6749 §1.5: the refresh token is issued with the access token. The access token joins the new
      // family, so revoking the family (reuse, RFC 9700 §4.14.2) takes it down too.
      // RFC 9449 §5: a public client's refresh token is bound to the DPoP key; a confidential client's is
      // already bound to its authentication, so it is not.
      const bindRefresh = input.jkt !== undefined && input.client.tokenEndpointAuthMethod === 'none' ? input.jkt : undefined;
      const family = this.refreshTokens.start(input.client, input.sub, input.scope, input.familySeed, input.authTime, bindRefresh, input.grantedResources ?? input.resource);
      refreshToken = family.token;
      claims = { ...input, familyId: family.familyId, familySeed: family.seed };
      familySaved = family.saved;
    }
    const minted = input.accessToken ?? this.accessTokens.issue(claims, ttl);
    // Both writes go out together: one store round trip of latency, not two.
    const accessToken = familySaved === undefined ? await minted : (await Promise.all([minted, familySaved]))[0];
    const response: TokenResponse = {
      access_token: accessToken.token,
      // RFC 6750 §4 registers "Bearer"; RFC 6749 §5.1 makes the value case-insensitive for clients.
      // RFC 9449 §5: a bound token's type is DPoP, whatever label bearer tokens are given.
      token_type: input.jkt === undefined ? this.tokenType(accessToken.format ?? this.accessTokens.name) : 'DPoP',
      expires_in: accessToken.expiresIn,
    };
    if (input.scope.length > 0) response.scope = formatScope(input.scope);
    if (typeof refreshToken === 'string') response.refresh_token = refreshToken;
    return response;
  }
}
