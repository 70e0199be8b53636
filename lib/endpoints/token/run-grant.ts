import { authenticatedClient } from '../../core/request-state';
import type { WriteBody } from '../../core/response';
import { UnauthorizedClientError } from '../../errors/token-errors';
import type { ServerEvents } from '../../events/server-events';
import type { TokenMinter } from '../../tokens/token-issuer';
import type { TokenRequestState } from './token-request-state';
import type { DpopNonces } from '../../dpop/dpop-nonces';

// A request with a DPoP proof: the minter as it is, but issuing bound to the proof's key unless the grant says
// otherwise, so an extension grant's tokens are bound without it knowing of DPoP. Only such requests pay for it.
function boundTo(tokens: TokenMinter, jkt: string): TokenMinter {
  const bound = Object.create(tokens) as TokenMinter;
  bound.issue = (input) => tokens.issue(input.jkt === undefined ? { ...input, jkt } : input);
  return bound;
}

/**
 * Runs the chosen grant for the authenticated client and answers the RFC 6749 §5.1 response.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function runGrant(tokens: TokenMinter, events: ServerEvents, write: WriteBody, nonces?: DpopNonces): (state: TokenRequestState) => Promise<void> {
  return async function runGrantStep(state) {
    const client = authenticatedClient(state);
    const grant = state.grant;
    if (grant === undefined) throw new Error('keyturn: runGrant before selectGrant');
    if (!client.grants.includes(grant.type)) {
      throw new UnauthorizedClientError({ description: `this client may not use the ${grant.type} grant`, parameter: 'grant_type', parameterValue: grant.type });
    }
    const jkt = state.dpop?.jkt;
    const body = await grant.handle({ client, params: state.params, resources: state.resources, tokens: jkt === undefined ? tokens : boundTo(tokens, jkt), request: state.request, events, dpopJkt: jkt });
    // RFC 9449 §8: with nonces on, every answer carries the nonce to use next.
    state.response = write(200, nonces === undefined ? undefined : { 'DPoP-Nonce': nonces.current() }, body, state.bodyType);
    // The address may be computed on demand by the adapter: build the payload only for a listener.
    if (events.listenerCount('token.issued') === 0) return;
    events.publish('token.issued', {
      at: Date.now(),
      endpoint: 'token',
      ip: state.request.ip,
      grantType: grant.type,
      clientId: client.clientId,
      scope: body.scope === undefined ? [] : body.scope.split(' '),
      refreshTokenIssued: body.refresh_token !== undefined,
    });
  };
}
