import { authenticatedClient } from '../../core/request-state';
import type { Step } from '../../core/pipeline';
import type { DpopSettings } from '../../dpop/resolve-dpop-options';
import { verifyDpopProof } from '../../dpop/verify-dpop-proof';
import { InvalidDpopProofError, UseDpopNonceError } from '../../errors/dpop-errors';
import { InvalidRequestError } from '../../errors/token-errors';
import type { Store } from '../../store/store';
import type { TokenRequestState } from './token-request-state';

/**
 * The token request's DPoP proof (RFC 9449 §5), checked after client authentication so that a stranger
 * cannot fill the replay cache cheaply: the stateless checks of §4.3, then the server nonce when nonces are on
 * (§8: no store state), then the `jti`, once, through `store.useOnce('dpop', …)`: one round trip per proof.
 * A request without a proof passes unbound, unless its client (`dpopBoundAccessTokens`, §5.2) or the server
 * requires DPoP. The verified proof is left in `state.dpop` for the grant to bind its tokens to.
 *
 * @example
 * ```ts
 * const step = checkDpopProof(resolved.dpop, resolved.store);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function checkDpopProof(settings: DpopSettings | undefined, store: Store): Step<TokenRequestState> {
  const requireForAll = settings?.requireForAllClients ?? false;
  return function checkDpopProofStep(state) {
    const header = state.request.headers.dpop;
    if (header === undefined) {
      const client = authenticatedClient(state);
      // §5.2: "the authorization server MUST reject token requests from this client that do not contain the
      // DPoP header". Nothing in the request is an invalid proof: a required parameter is missing.
      if (requireForAll || client.dpopBoundAccessTokens === true) {
        throw new InvalidRequestError({ description: 'this client must send a DPoP proof with its token requests', detail: `no DPoP header from ${client.clientId}` });
      }
      return undefined;
    }
    // Without an issuer there is no htu to check against: the server does not do DPoP, and RFC 9449 §5 has
    // such a server ignore the header and answer a bearer token, unless the client insists on DPoP.
    if (settings === undefined) {
      if (authenticatedClient(state).dpopBoundAccessTokens === true) throw new InvalidDpopProofError({ description: 'this server does not accept DPoP proofs' });
      return undefined;
    }
    const proof = verifyDpopProof(header, { htm: 'POST', htu: settings.tokenEndpointUrl }, settings.proof);
    // §8: checked before the replay cache, so a challenge costs no store round trip.
    if (settings.nonces !== undefined && !settings.nonces.accepts(proof.nonce)) {
      throw new UseDpopNonceError(settings.nonces.current(), { description: 'the authorization server requires a nonce in the DPoP proof' });
    }
    return store.useOnce('dpop', proof.replayId, proof.replayTtlSeconds).then((first) => {
      // §11.1: a proof is used once, at every instance sharing the store.
      if (!first) throw new InvalidDpopProofError({ description: 'the DPoP proof was already used', detail: `DPoP proof replayed for ${authenticatedClient(state).clientId}` });
      state.dpop = proof;
    });
  };
}
