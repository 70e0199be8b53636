import type { Client } from '../clients/client';
import { formatScope } from '../scope';
import type { AccessTokenFormat } from './access-token-format';
import type { TokenResponse } from './token-response';

/** What a grant asks the issuer for. */
export interface IssueTokensInput {
  readonly client: Client;
  /** The resource owner; the client id for client_credentials. */
  readonly sub: string;
  readonly scope: readonly string[];
  readonly familyId?: string;
}

/** Settings of {@link TokenIssuer}. */
export interface TokenIssuerSettings {
  readonly accessTokenTtl: number;
  /** `token_type` for a token of a given format. Default: `Bearer` for every format. */
  readonly tokenTypeLabel?: TokenTypeLabel;
}

/**
 * The `token_type` value to answer, fixed or per access token format. RFC 6750 §4 registers `Bearer`;
 * APIs that Keyturn stands in for label theirs differently (Moov: `opaque`/`jwt`; Falcon: `bearer`).
 */
export type TokenTypeLabel = string | ((format: string) => string);

/**
 * Mints the tokens of one successful grant and shapes the RFC 6749 §5.1 response. Grants call it, so every
 * grant answers alike.
 */
export class TokenIssuer {
  private readonly tokenType: (format: string) => string;

  constructor(
    private readonly accessTokens: AccessTokenFormat,
    private readonly settings: TokenIssuerSettings,
  ) {
    const label = settings.tokenTypeLabel ?? 'Bearer';
    this.tokenType = typeof label === 'function' ? label : () => label;
  }

  async issue(input: IssueTokensInput): Promise<TokenResponse> {
    const ttl = input.client.accessTokenTtl ?? this.settings.accessTokenTtl;
    const accessToken = await this.accessTokens.issue(input, ttl);
    const response: TokenResponse = {
      access_token: accessToken.token,
      // RFC 6750 §4 registers "Bearer"; RFC 6749 §5.1 makes the value case-insensitive for clients.
      token_type: this.tokenType(accessToken.format ?? this.accessTokens.name),
      expires_in: accessToken.expiresIn,
    };
    if (input.scope.length > 0) response.scope = formatScope(input.scope);
    return response;
  }
}
