import { isPromiseLike } from '../../core/awaitable';
import { pipelineEndpoint, type Endpoint } from '../../core/endpoint';
import type { Step } from '../../core/pipeline';
import type { ErrorRendering } from '../../core/render-error';
import { requestState, type RequestState } from '../../core/request-state';
import { InvalidTokenError } from '../../errors/bearer-errors';
import { ServerError } from '../../errors/token-errors';
import type { BearerAuth } from '../../resource-server/bearer-auth';
import type { BearerCheck } from '../../resource-server/bearer-check-core';
import { releasedClaims } from './standard-claims';
import type { UserInfoHook } from './user-info-hook';

/** What the UserInfo endpoint is built with. */
export interface UserInfoEndpointSettings {
  /**
   * The server's own bearer check, requiring `openid`: RFC 6750 extraction (the header, or `access_token`
   * in a form body, §2.2), the local verifier, and the scope check with its challenge.
   */
  readonly check: BearerCheck;
  /** The app's hook; without one, the answer is `sub` alone. */
  readonly userInfo: UserInfoHook | undefined;
  /** The one error renderer, writing JSON with `Cache-Control: no-store`. */
  readonly rendering: ErrorRendering;
  /** The availability gate, as on the other endpoints. */
  readonly gate: readonly Step<RequestState>[];
}

/**
 * `GET` and `POST /userinfo` (OpenID Connect Core §5.3): the claims about the user of an access token that
 * was granted `openid`. Errors are RFC 6750 §3 errors (§5.3.3): 401 `invalid_token` (or a bare challenge
 * without a token), 403 `insufficient_scope`, 400 `invalid_request`, each with its `WWW-Authenticate`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export function userinfoEndpoint(settings: UserInfoEndpointSettings): Endpoint {
  const { check, userInfo, rendering } = settings;
  const answer = (state: RequestState, auth: BearerAuth): void | Promise<void> => {
    const context = { scope: auth.scopes, clientId: auth.clientId };
    const respond = (claims: Readonly<Record<string, unknown>> | undefined): void => {
      if (claims !== undefined && (typeof claims !== 'object' || claims === null || Array.isArray(claims))) {
        throw new ServerError({ detail: 'the userInfo hook resolved something other than an object or undefined' });
      }
      if (claims === undefined && userInfo !== undefined) {
        throw new InvalidTokenError({ realm: check.realm, description: 'the user of the access token is not known' });
      }
      // §5.3.2: "The UserInfo Response MUST be ... application/json"; no-store like every token-bearing answer.
      state.response = rendering.write(200, undefined, releasedClaims(auth.sub, auth.scopes, claims), undefined);
    };
    if (userInfo === undefined) return respond(undefined);
    const claims = userInfo(auth.sub, context);
    return isPromiseLike(claims) ? Promise.resolve(claims).then(respond) : respond(claims);
  };
  const userinfo: Step<RequestState> = (state) => {
    // A form body that could not be read (too large, bad charset) is the request's fault: 400/413, as elsewhere.
    if (state.bodyError !== undefined) throw state.bodyError;
    const auth = check.check({ method: state.request.method, headers: state.request.headers, body: state.body });
    return isPromiseLike(auth) ? auth.then((a) => answer(state, a)) : answer(state, auth);
  };
  return pipelineEndpoint({
    name: 'userinfo',
    allow: 'GET, POST',
    steps: [...settings.gate, userinfo],
    state: (input) => requestState('userinfo', input),
    rendering,
  });
}
