import { allowedScopes, defaultScopes } from '../clients/client-scopes';
import { UnauthorizedClientError } from '../errors/token-errors';
import { resolveScope } from '../scope';
import { requestedResources } from '../clients/client-resources';
import type { RegisteredGrant } from './registered-grant';

/**
 * The client credentials grant: the client acts on its own behalf, so `sub` is the client id and the
 * scope is bounded by what the client is registered for. Only a confidential client may use it (RFC 6749
 * §4.4); a public client that a `findClient` of the app's lets through gets `unauthorized_client`. RFC 6749 §4.4.3 says a refresh token "SHOULD NOT"
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
    async handle({ client, params, resources, tokens }) {
      // §4.4: "MUST only be used by confidential clients". A public client authenticated by its client_id
      // alone, which anyone can send; a static client list refuses such a client at start-up already.
      if (client.tokenEndpointAuthMethod === 'none') {
        throw new UnauthorizedClientError({ description: 'a public client may not use the client_credentials grant', parameter: 'grant_type', parameterValue: 'client_credentials' });
      }
      const scope = resolveScope(params.scope, allowedScopes(client), defaultScopes(client));
      // RFC 8707 §2: within the client's allowance; none named, the server's default audience.
      const resource = requestedResources(client, resources);
      return tokens.issue({ client, sub: client.clientId, scope, refreshToken, ...(resource === undefined ? {} : { resource }) });
    },
  };
}

/** The client credentials grant with the default settings (a refresh token for clients allowed one). */
export const clientCredentialsGrant: RegisteredGrant = createClientCredentialsGrant({ issueRefreshToken: true });
