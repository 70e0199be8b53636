import { pipelineEndpoint, type Endpoint } from '../../core/endpoint';
import { readParams, requireParam } from '../../core/read-params';
import { requestState } from '../../core/request-state';
import type { ClientRequestSteps } from '../client-request-steps';
import type { TokenKind } from '../token-kinds/token-kind';
import { introspectToken } from './introspect-token';

/**
 * `POST /introspect` (RFC 7662 §2), after the same opening steps and client authentication as the token endpoint.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export function introspectionEndpoint(steps: ClientRequestSteps, kinds: readonly TokenKind[], realm: string): Endpoint {
  return pipelineEndpoint({
    name: 'introspect',
    allow: 'POST',
    steps: [
      ...steps.gate,
      readParams,
      steps.readCredentials,
      requireParam('token'),
      steps.authenticate,
      ...steps.limit,
      introspectToken(kinds, realm, steps.rendering.write),
    ],
    state: (input) => requestState('introspect', input),
    rendering: steps.rendering,
    observe: steps.observe,
  });
}
