import type { RequestHandler } from 'express';
import type { ServerEvents } from './events/server-events';
import { getClient, getParams } from './middleware/request-state';
import { kindsInHintOrder, type TokenKind } from './token-kinds/token-kind';

/**
 * `POST /revoke` (RFC 7009) after client authentication: the first token kind that recognises the token
 * revokes it if it belongs to the caller. The answer is 200 with an empty body whether the token was revoked,
 * unknown, already invalid or another client's (§2.2), so the endpoint reveals nothing about tokens.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export function revocationEndpoint(kinds: readonly TokenKind[], events: ServerEvents): RequestHandler {
  return function revocationEndpointMiddleware(req, res, next) {
    const params = getParams(req);
    const client = getClient(req);
    const token = params.token as string;
    (async () => {
      for (const kind of kindsInHintOrder(kinds, params.token_type_hint)) {
        const outcome = await kind.revoke(token, client);
        if (outcome === 'unrecognized') continue;
        if (outcome !== 'not_owner') {
          events.publish('token.revoked', {
            at: Date.now(),
            endpoint: 'revoke',
            ip: req.ip,
            clientId: client.clientId,
            tokenKind: kind.kind,
            ...(outcome.revoked === '' ? {} : { id: outcome.revoked }),
          });
        }
        break;
      }
      res.status(200).end();
    })().catch(next);
  };
}
