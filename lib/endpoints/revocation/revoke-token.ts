import { authenticatedClient, type RequestState } from '../../core/request-state';
import type { PlainResponse } from '../../http';
import type { ServerEvents } from '../../events/server-events';
import { kindsInHintOrder, type TokenKind } from '../token-kinds/token-kind';

// RFC 7009 §2.2 leaves the body to the server and tells clients to ignore it; an empty JSON object is what
// the common clients accept (simple-oauth2 refuses a body that is not JSON, and its revokeAll then stops).
const REVOKED: PlainResponse = Object.freeze({
  status: 200,
  headers: Object.freeze({ 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Content-Type': 'application/json; charset=utf-8' }),
  body: '{}',
});

/**
 * `POST /revoke` (RFC 7009) after client authentication: the first token kind that recognises the token
 * revokes it if it belongs to the caller. The answer is 200 with `{}` whether the token was revoked,
 * unknown, already invalid or another client's (§2.2), so the endpoint reveals nothing about tokens.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export function revokeToken(kinds: readonly TokenKind[], events: ServerEvents): (state: RequestState) => Promise<void> {
  return async function revokeTokenStep(state) {
    const client = authenticatedClient(state);
    const token = state.params.token as string;
    for (const kind of kindsInHintOrder(kinds, state.params.token_type_hint)) {
      const outcome = await kind.revoke(token, client);
      if (outcome === 'unrecognized') continue;
      if (outcome !== 'not_owner') {
        events.publish('token.revoked', {
          at: Date.now(),
          endpoint: 'revoke',
          ip: state.request.ip,
          clientId: client.clientId,
          tokenKind: kind.kind,
          ...(outcome.revoked === '' ? {} : { id: outcome.revoked }),
        });
      }
      break;
    }
    state.response = REVOKED;
  };
}
