import { pipelineEndpoint, type Endpoint } from '../../core/endpoint';
import { readParams, requireParam } from '../../core/read-params';
import { requestState } from '../../core/request-state';
import type { ServerEvents } from '../../events/server-events';
import type { ClientRequestSteps } from '../client-request-steps';
import { revokeToken } from './revoke-token';
import type { TokenKind } from '../token-kinds/token-kind';

/**
 * `POST /revoke` (RFC 7009 §2): the token endpoint's opening steps and client authentication, then the token
 * kinds (lib/endpoints/token-kinds/) decide.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export function revocationEndpoint(steps: ClientRequestSteps, kinds: readonly TokenKind[], events: ServerEvents): Endpoint {
  return pipelineEndpoint({
    name: 'revoke',
    allow: 'POST',
    steps: [...steps.gate, readParams, steps.readCredentials, requireParam('token'), steps.authenticate, ...steps.limit, revokeToken(kinds, events)],
    state: (input) => requestState('revoke', input),
    rendering: steps.rendering,
    observe: steps.observe,
  });
}
