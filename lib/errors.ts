// `keyturn/errors`: every error Keyturn renders, one class per code, meant to be imported as a namespace:
// `import * as errors from 'keyturn/errors'`.

export { OAuthError, isOAuthError, type OAuthErrorInit } from './errors/oauth-error';
export {
  InvalidRequestError,
  InvalidClientError,
  InvalidGrantError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
  InvalidScopeError,
  RequestTooLargeError,
  MethodNotAllowedError,
  ServerError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
} from './errors/token-errors';
export { InvalidTargetError } from './errors/target-errors';
export { AccessDeniedError, ConsentRequiredError, InteractionRequiredError, LoginRequiredError, UnsupportedResponseTypeError } from './errors/authorization-errors';
export {
  BearerTokenMissingError,
  InvalidBearerRequestError,
  InvalidTokenError,
  InsufficientScopeError,
  type BearerChallengeInit,
  type DpopChallengeInit,
} from './errors/bearer-errors';
export { InvalidDpopProofError, UseDpopNonceError } from './errors/dpop-errors';
export { StoreUnavailableError, isStoreUnavailable } from './errors/store-unavailable-error';
export { renderOAuthError } from './errors/render';
