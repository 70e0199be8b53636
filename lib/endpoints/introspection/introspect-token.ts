import { authenticatedClient, type RequestState } from '../../core/request-state';
import type { WriteBody } from '../../core/response';
import { InvalidClientError } from '../../errors/token-errors';
import { INACTIVE, kindsInHintOrder, type TokenKind } from '../token-kinds/token-kind';

/**
 * `POST /introspect` (RFC 7662) after client authentication: the first token kind that recognises the token
 * answers; a token no kind knows is `{active:false}`. Public clients are refused: §2.1 requires the caller to
 * be authorized, and a bare `client_id` proves nothing.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export function introspectToken(kinds: readonly TokenKind[], realm: string, write: WriteBody): (state: RequestState) => Promise<void> {
  const challenge = Object.freeze({ 'WWW-Authenticate': `Basic realm="${realm}"` });
  return async function introspectTokenStep(state) {
    const client = authenticatedClient(state);
    if (client.tokenEndpointAuthMethod === 'none') {
      throw new InvalidClientError({ description: 'introspection requires client authentication', headers: challenge });
    }
    const token = state.params.token as string;
    for (const kind of kindsInHintOrder(kinds, state.params.token_type_hint)) {
      const answer = await kind.introspect(token, client);
      if (answer !== undefined) {
        state.response = write(200, undefined, answer, undefined);
        return;
      }
    }
    state.response = write(200, undefined, INACTIVE, undefined);
  };
}
