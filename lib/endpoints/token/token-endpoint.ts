import { pipelineEndpoint, type Endpoint } from '../../core/endpoint';
import { readParams } from '../../core/read-params';
import { requestState, type EndpointInput } from '../../core/request-state';
import type { ServerEvents } from '../../events/server-events';
import type { RegisteredGrant } from '../../grants/registered-grant';
import type { TokenMinter } from '../../tokens/token-issuer';
import type { ClientRequestSteps } from '../client-request-steps';
import { runGrant } from './run-grant';
import { checkDpopProof } from './check-dpop-proof';
import type { DpopSettings } from '../../dpop/resolve-dpop-options';
import type { Store } from '../../store/store';
import { selectGrant } from './select-grant';
import type { TokenRequestState } from './token-request-state';

/** What the token endpoint is built from. */
export interface TokenEndpointSettings {
  readonly steps: ClientRequestSteps;
  readonly grants: ReadonlyMap<string, RegisteredGrant>;
  readonly defaultGrantType: string | undefined;
  readonly tokens: TokenMinter;
  readonly events: ServerEvents;
  /** DPoP (RFC 9449); `undefined` without an issuer. */
  readonly dpop: DpopSettings | undefined;
  readonly store: Store;
}

/**
 * `POST /token` (RFC 6749 §3.2), read top to bottom: refuse when closed, read the parameters and the
 * credentials, pick the grant (and check its parameters before any secret is checked), authenticate the
 * client, count its request against the rate limit, check its DPoP proof (RFC 9449), run the grant.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export function tokenEndpoint(settings: TokenEndpointSettings): Endpoint {
  const { steps } = settings;
  return pipelineEndpoint<TokenRequestState>({
    name: 'token',
    allow: 'POST',
    steps: [
      ...steps.gate,
      readParams,
      steps.readCredentials,
      selectGrant(settings.grants, settings.defaultGrantType),
      steps.authenticate,
      ...steps.limit,
      checkDpopProof(settings.dpop, settings.store),
      runGrant(settings.tokens, settings.events, steps.rendering.write, settings.dpop?.nonces),
    ],
    state: (input) => tokenRequestState(input),
    rendering: steps.rendering,
    observe: steps.observe,
  });
}

// The common state with the grant added in place: one object per request, not a copy of one.
function tokenRequestState(input: EndpointInput): TokenRequestState {
  const state = requestState('token', input) as TokenRequestState;
  state.grant = undefined;
  state.dpop = undefined;
  return state;
}
