import { InvalidRequestError, UnsupportedGrantTypeError } from '../../errors/token-errors';
import type { RegisteredGrant } from '../../grants/registered-grant';
import type { TokenRequestState } from './token-request-state';

const NONE: readonly string[] = [];

/**
 * Picks the grant for a token request from `grant_type` (or the configured default) and checks the grant's
 * required parameters, before any client authentication work is spent on a request that cannot succeed.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function selectGrant(registry: ReadonlyMap<string, RegisteredGrant>, defaultGrantType: string | undefined): (state: TokenRequestState) => void {
  return function selectGrantStep(state) {
    const type = state.params.grant_type ?? defaultGrantType;
    if (type === undefined) throw new InvalidRequestError({ description: 'grant_type is required', parameter: 'grant_type' });
    const grant = registry.get(type);
    if (grant === undefined) {
      const shown = type.length > 100 ? `${type.slice(0, 100)}...` : type;
      throw new UnsupportedGrantTypeError({ description: 'grant_type is not supported', parameter: 'grant_type', parameterValue: shown });
    }
    for (const name of grant.requiredParameters ?? NONE) {
      if (state.params[name] === undefined) throw new InvalidRequestError({ description: `${name} is required`, parameter: name });
    }
    state.grant = grant;
    state.grantType = grant.type;
  };
}
