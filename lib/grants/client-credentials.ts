import { allowedScopes, defaultScopes } from '../clients/client-scopes';
import { resolveScope } from '../scope';
import type { RegisteredGrant } from './registered-grant';

/**
 * The client credentials grant: the client acts on its own behalf, so `sub` is the client id and the
 * scope is bounded by what the client is registered for. RFC 6749 §4.4.3 says a refresh token "SHOULD NOT"
 * be included; Moov's API includes one for clients allowed the refresh_token grant, and so does this grant
 * unless built with `issueRefreshToken: false` (server option `refreshToken.issueWithClientCredentials`).
 *
 * @example
 * ```ts
 * createClientCredentialsGrant({ issueRefreshToken: false });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export function createClientCredentialsGrant(options: { readonly issueRefreshToken: boolean }): RegisteredGrant {
  const refreshToken = options.issueRefreshToken ? undefined : false;
  return {
    type: 'client_credentials',
    async handle({ client, params, tokens }) {
      const scope = resolveScope(params.scope, allowedScopes(client), defaultScopes(client));
      return tokens.issue({ client, sub: client.clientId, scope, refreshToken });
    },
  };
}

/** The client credentials grant with the default settings (a refresh token for clients allowed one). */
export const clientCredentialsGrant: RegisteredGrant = createClientCredentialsGrant({ issueRefreshToken: true });
