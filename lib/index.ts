// The public API of Keyturn. Everything a user imports comes from here.

export { createAuthorizationServer, type AuthorizationServer } from './authorization-server';
export type { AuthorizationServerOptions, AccessTokenOptions, ClientAuthenticationOptions } from './options';
export type { BasicWithBodyPolicy } from './client-auth/authenticate-client';

export type { Client, ClientStore, TokenEndpointAuthMethod, Awaitable } from './clients/client';
export { staticClientStore, type StaticClientStoreOptions } from './clients/static-client-store';
export { hashClientSecret, verifyClientSecretHash, type SecretHashOptions } from './clients/secret-hash';

export type { GrantType, GrantContext } from './grants/grant-type';
export type { TokenIssuer, IssueTokensInput } from './tokens/token-issuer';
export type { TokenResponse } from './tokens/token-response';

export type { Store, AccessTokenRecord, AuthorizationCodeRecord, ConsumedAuthorizationCode, ConsentRecord } from './store/store';
export { MemoryStore, memoryStore, type MemoryStoreOptions } from './store/memory-store';

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
export { renderOAuthError, type ErrorRenderer, type RenderedError } from './errors/render';
export type { ErrorListener } from './middleware/error-handler';
export { parseScope, formatScope } from './scope';

// Authorization endpoint and authorization code grant (RFC 6749 §4.1, RFC 7636, OpenID Connect id_token).
export type { AuthorizationOptions, PkceOptions, IdTokenOptions, AuthorizeErrorPageRenderer } from './authorize/authorization-options';
export type { AuthenticateUser, AuthenticatedUser, LoginContext, RenderConsent, ConsentDetails } from './authorize/hooks';
export { isPkceValue, s256CodeChallenge, verifyCodeVerifier, type CodeChallengeMethod } from './authorize/pkce';
export {
  createDevelopmentIdTokenSigner,
  accessTokenHash,
  type IdTokenSigner,
  type DevelopmentIdTokenSigner,
  type IdTokenClaims,
} from './tokens/id-token';
export { AccessDeniedError, UnsupportedResponseTypeError } from './errors/authorization-errors';
