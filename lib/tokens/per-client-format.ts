import { ServerError } from '../errors/token-errors';
import type { Client } from '../clients/client';
import type { AccessTokenClaims, AccessTokenFormat, IssuedAccessToken, StoredAccessToken } from './access-token-format';

/**
 * The access token formats a server can issue: `opaque` (looked up in the store) or `jwt` (RFC 9068).
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type AccessTokenFormatName } from 'keyturn';
 *
 * const format: AccessTokenFormatName = 'jwt';
 * createAuthorizationServer({ clients, issuer, accessToken: { format } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068
 */
export type AccessTokenFormatName = 'opaque' | 'jwt';

/**
 * Picks the access token format per client: the client's `accessTokenFormat` when set, else the server's
 * `accessToken.format`. The formats are built once; choosing is one property read.
 */
export class PerClientAccessTokenFormat implements AccessTokenFormat {
  readonly name: string;

  constructor(
    private readonly formats: Readonly<Partial<Record<AccessTokenFormatName, AccessTokenFormat>>>,
    private readonly defaultFormat: AccessTokenFormat,
  ) {
    this.name = defaultFormat.name;
  }

  issue(claims: AccessTokenClaims, ttlSeconds: number): Promise<IssuedAccessToken> {
    const wanted = claims.client.accessTokenFormat;
    const format = wanted === undefined ? this.defaultFormat : this.formats[wanted];
    if (format === undefined) {
      return Promise.reject(
        new ServerError({ detail: `client ${claims.client.clientId} wants ${String(wanted)} access tokens, which this server is not configured to issue (set options.issuer)` }),
      );
    }
    // The format name travels with the token so that token_type labels (Moov: "opaque" / "jwt") follow it.
    return format.issue(claims, ttlSeconds).then((issued) => ({ ...issued, format: format.name }));
  }

  mintStored(client: Client, familySeed: string, ttlSeconds: number): StoredAccessToken | undefined {
    const wanted = client.accessTokenFormat;
    const format = wanted === undefined ? this.defaultFormat : this.formats[wanted];
    return format?.mintStored?.(client, familySeed, ttlSeconds);
  }

  mintJwtId(client: Client): string | undefined {
    const wanted = client.accessTokenFormat;
    const format = wanted === undefined ? this.defaultFormat : this.formats[wanted];
    return format?.mintJwtId?.(client);
  }
}
