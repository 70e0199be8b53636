import type { AuthenticatedUser } from './interaction';
import type { AuthorizationRequest } from './authorize-request';
import type { AuthorizationTransaction } from './transaction';

/**
 * The transaction the consent form carries for this request and user: what the code will be bound to, who
 * approves, and the CSRF token's hash. One builder, so the size checked up front is the size sealed later.
 */
export function consentTransaction(
  request: AuthorizationRequest,
  user: Required<AuthenticatedUser>,
  exp: number,
  csrfHash: string,
): AuthorizationTransaction {
  return {
    exp,
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    redirectUriSent: request.redirectUriSent,
    scope: request.scope,
    ...(request.resource === undefined ? {} : { resource: request.resource }),
    ...(request.state === undefined ? {} : { state: request.state }),
    ...(request.codeChallenge === undefined ? {} : { codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod ?? 'plain' }),
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    ...(request.dpopJkt === undefined ? {} : { dpopJkt: request.dpopJkt }),
    sub: user.sub,
    authTime: user.authTime,
    csrfHash,
  };
}
