import { timingSafeEqual } from 'node:crypto';
import type { PresentedCredentials, RequestState } from '../core/request-state';
import { InvalidRequestError } from '../errors/token-errors';
import { decodeBasicCredentials, hasBasicScheme } from './decode-basic';
import { isHmacAlgorithm } from './assertion-algorithms';
import { decodeAssertion, JWT_BEARER_ASSERTION_TYPE } from './decode-assertion';

/**
 * What to do when a request carries credentials both in `Authorization: Basic` and in the body.
 * - `reject`: 400 invalid_request, as RFC 6749 §2.3 says a client must use one method per request.
 * - `accept-matching`: accept when both name the same client and secret, and ignore a Basic header that is
 *   not a decodable `id:secret` pair. Moov's published examples send body credentials next to a placeholder
 *   Basic header; this lets them work. A mismatch is still rejected.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type BasicWithBodyPolicy } from 'keyturn';
 *
 * createAuthorizationServer({ clients, compat: { basicWithBody: 'accept-matching' satisfies BasicWithBodyPolicy } });
 * ```
 */
export type BasicWithBodyPolicy = 'reject' | 'accept-matching';

const UNDECODABLE_BASIC: PresentedCredentials = Object.freeze({ method: 'client_secret_basic', clientId: undefined, clientSecret: undefined });

/**
 * Reads the client credentials of a token, revocation or introspection request, once: an `Authorization:
 * Basic` header decoded by RFC 6749 §2.3.1, the body's `client_id` and `client_secret`, a JWT client
 * assertion (RFC 7523 §2.2, decoded but not yet verified), or a public client's bare `client_id`. Everything after it (rate limit, lockout, the strategies, events) uses this result.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function readCredentials(policy: BasicWithBodyPolicy): (state: RequestState) => void {
  return function readCredentialsStep(state) {
    const header = state.request.headers.authorization;
    const { client_id: bodyId, client_secret: bodySecret } = state.params;
    const headerValue = typeof header === 'string' ? header : undefined;
    if (state.params.client_assertion !== undefined || state.params.client_assertion_type !== undefined) {
      state.credentials = assertionCredentials(state.params, hasBasicScheme(headerValue));
      return;
    }
    if (hasBasicScheme(headerValue)) {
      const basic = decodeBasicCredentials(headerValue);
      if (bodySecret === undefined) {
        state.credentials = basic === undefined ? UNDECODABLE_BASIC : { method: 'client_secret_basic', clientId: basic.clientId, clientSecret: basic.clientSecret };
        return;
      }
      if (policy === 'reject' || (basic !== undefined && !sameCredentials(basic.clientId, basic.clientSecret, bodyId, bodySecret))) {
        throw new InvalidRequestError({ description: 'client credentials must be sent either in the Authorization header or in the body, not both' });
      }
      // accept-matching: an undecodable header is a placeholder, and the body speaks; a matching one is Basic.
      state.credentials =
        basic === undefined
          ? bodyId === undefined
            ? null
            : { method: 'client_secret_post', clientId: bodyId, clientSecret: bodySecret }
          : { method: 'client_secret_basic', clientId: basic.clientId, clientSecret: basic.clientSecret };
      return;
    }
    if (bodyId === undefined) {
      state.credentials = null;
      return;
    }
    state.credentials =
      bodySecret === undefined ? { method: 'none', clientId: bodyId, clientSecret: undefined } : { method: 'client_secret_post', clientId: bodyId, clientSecret: bodySecret };
  };
}

// RFC 7523 §2.2 and RFC 7521 §4.2: both parameters, and (RFC 6749 §2.3) no second method beside them.
function assertionCredentials(params: RequestState['params'], withBasic: boolean): PresentedCredentials {
  const { client_assertion: assertion, client_assertion_type: type, client_id: bodyId } = params;
  if (withBasic || params.client_secret !== undefined) {
    throw new InvalidRequestError({ description: 'a client must use one authentication method per request: a client assertion or a secret, not both' });
  }
  if (assertion === undefined) throw new InvalidRequestError({ description: 'client_assertion is required with client_assertion_type', parameter: 'client_assertion' });
  if (type === undefined) throw new InvalidRequestError({ description: 'client_assertion_type is required with client_assertion', parameter: 'client_assertion_type' });
  if (type !== JWT_BEARER_ASSERTION_TYPE) {
    throw new InvalidRequestError({ description: `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`, parameter: 'client_assertion_type' });
  }
  const decoded = decodeAssertion(assertion);
  if (decoded === undefined) return { method: 'private_key_jwt', clientId: bodyId, clientSecret: undefined, assertion: undefined };
  const sub = decoded.payload.sub;
  return {
    method: isHmacAlgorithm(decoded.header.alg) ? 'client_secret_jwt' : 'private_key_jwt',
    // Unverified until the strategy checks it; it names the client for the lockout and the events only.
    clientId: typeof sub === 'string' && sub !== '' ? sub : bodyId,
    clientSecret: undefined,
    assertion: decoded,
  };
}

function sameCredentials(basicId: string, basicSecret: string, bodyId: string | undefined, bodySecret: string): boolean {
  if (basicId !== bodyId) return false;
  const a = Buffer.from(basicSecret);
  const b = Buffer.from(bodySecret);
  return a.length === b.length && timingSafeEqual(a, b);
}
