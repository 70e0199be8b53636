import { allowedScopes, defaultScopes } from '../clients/client-scopes';
import { resolveScope } from '../scope';
import type { GrantType } from './grant-type';

/**
 * The client credentials grant: the client acts on its own behalf, so `sub` is the client id and the
 * scope is bounded by what the client is registered for. No refresh token is required by the RFC.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export const clientCredentialsGrant: GrantType = {
  type: 'client_credentials',
  async handle({ client, params, tokens }) {
    const scope = resolveScope(params.scope, allowedScopes(client), defaultScopes(client));
    return tokens.issue({ client, sub: client.clientId, scope });
  },
};
