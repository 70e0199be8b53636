import type { RequestHandler } from 'express';
import { InvalidClientError } from './errors/token-errors';
import { getClient, getParams } from './middleware/request-state';
import { INACTIVE, kindsInHintOrder, type TokenKind } from './token-kinds/token-kind';

/**
 * `POST /introspect` (RFC 7662) after client authentication: the first token kind that recognises the token
 * answers; a token no kind knows is `{active:false}`. Public clients are refused: §2.1 requires the caller to
 * be authorized, and a bare `client_id` proves nothing.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export function introspectionEndpoint(kinds: readonly TokenKind[], realm: string): RequestHandler {
  const challenge = Object.freeze({ 'WWW-Authenticate': `Basic realm="${realm}"` });
  return function introspectionEndpointMiddleware(req, res, next) {
    const params = getParams(req);
    const client = getClient(req);
    if (client.tokenEndpointAuthMethod === 'none') {
      return next(new InvalidClientError({ description: 'introspection requires client authentication', headers: challenge }));
    }
    const token = params.token as string;
    (async () => {
      for (const kind of kindsInHintOrder(kinds, params.token_type_hint)) {
        const answer = await kind.introspect(token, client);
        if (answer !== undefined) return res.json(answer);
      }
      res.json(INACTIVE);
    })().catch(next);
  };
}
