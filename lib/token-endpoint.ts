import type { RequestHandler } from 'express';
import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from './errors/token-errors';
import type { ServerEvents } from './events/server-events';
import type { GrantType } from './grants/grant-type';
import { getClient, getGrant, getParams, setGrant } from './middleware/request-state';
import type { SendBody } from './middleware/send-body';
import type { TokenIssuer } from './tokens/token-issuer';

/**
 * Picks the grant for a token request from `grant_type` (or the configured default) and checks the grant's
 * required parameters, before any client authentication work is spent on a request that cannot succeed.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function selectGrant(registry: ReadonlyMap<string, GrantType>, defaultGrantType: string | undefined): RequestHandler {
  return function selectGrantMiddleware(req, _res, next) {
    const params = getParams(req);
    const type = params.grant_type ?? defaultGrantType;
    if (type === undefined) {
      return next(new InvalidRequestError({ description: 'grant_type is required', parameter: 'grant_type' }));
    }
    const grant = registry.get(type);
    if (grant === undefined) {
      const shown = type.length > 100 ? `${type.slice(0, 100)}...` : type;
      return next(
        new UnsupportedGrantTypeError({ description: 'grant_type is not supported', parameter: 'grant_type', parameterValue: shown }),
      );
    }
    for (const name of grant.requiredParameters ?? NONE) {
      if (params[name] === undefined) {
        return next(new InvalidRequestError({ description: `${name} is required`, parameter: name }));
      }
    }
    setGrant(req, grant);
    next();
  };
}

/**
 * Runs the chosen grant for the authenticated client and sends the RFC 6749 §5.1 response.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function tokenEndpoint(tokens: TokenIssuer, events: ServerEvents, send: SendBody): RequestHandler {
  return function tokenEndpointMiddleware(req, res, next) {
    const client = getClient(req);
    const grant = getGrant(req);
    if (!client.grants.includes(grant.type)) {
      return next(
        new UnauthorizedClientError({ description: `this client may not use the ${grant.type} grant`, parameter: 'grant_type', parameterValue: grant.type }),
      );
    }
    grant.handle({ client, params: getParams(req), tokens, req, events }).then((body) => {
      send(req, res, body);
      // Building the payload costs more than the rest of the event (req.ip parses the forwarding headers):
      // skip it when nobody listens, which is the default.
      if (events.listenerCount('token.issued') === 0) return;
      events.publish('token.issued', {
        at: Date.now(),
        endpoint: 'token',
        ip: req.ip,
        grantType: grant.type,
        clientId: client.clientId,
        scope: body.scope === undefined ? [] : body.scope.split(' '),
        refreshTokenIssued: body.refresh_token !== undefined,
      });
    }, next);
  };
}

const NONE: readonly string[] = [];
