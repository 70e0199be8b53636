// The public API of Keyturn. Everything a user imports comes from here.

export { createAuthorizationServer, type AuthorizationServer, type BearerOptions } from './authorization-server';
export type { AuthorizationServerOptions, AccessTokenOptions, RefreshTokenOptions, ClientAuthenticationOptions } from './options';
export type { BasicWithBodyPolicy } from './client-auth/authenticate-client';

export type { Client, ClientStore, TokenEndpointAuthMethod, Awaitable } from './clients/client';
export { staticClientStore, type StaticClientStoreOptions } from './clients/static-client-store';
export { hashClientSecret, verifyClientSecretHash, type SecretHashOptions } from './clients/secret-hash';

export type { GrantType, GrantContext } from './grants/grant-type';
export { createRefreshTokenGrant, type RefreshTokenGrantSettings } from './grants/refresh-token';
export type { TokenIssuer, IssueTokensInput } from './tokens/token-issuer';
export type { TokenResponse } from './tokens/token-response';

export type {
  Store,
  AccessTokenRecord,
  RefreshTokenRecord,
  RotateRefreshTokenInput,
  RotationAccessToken,
  RotateRefreshTokenResult,
  AuthorizationCodeRecord,
  ConsumedAuthorizationCode,
  ConsentRecord,
} from './store/store';
export { MemoryStore, memoryStore, type MemoryStoreOptions } from './store/memory-store';
export { RedisStore, redisStore, type RedisStoreOptions, type RedisClient } from './store/redis-store';
export { StoreUnavailableError, isStoreUnavailable } from './store/store-unavailable-error';

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

export type { Availability, AvailabilityDecision } from './availability/availability';
export { serviceHours, type ServiceHoursOptions, type Weekday } from './availability/service-hours';
export {
  ServerEvents,
  type ServerEventMap,
  type AuditEventBase,
  type TokenIssuedEvent,
  type TokenRefreshedEvent,
  type RefreshReuseDetectedEvent,
  type TokenRevokedEvent,
  type ClientAuthFailedEvent,
  type RateLimitedEvent,
} from './events/server-events';
export type { MetricsOptions } from './metrics/request-metrics';
export { gracefulShutdown, type GracefulShutdownOptions } from './operations/graceful-shutdown';
export type { RateLimitOptions } from './options';
export type { LockoutOptions } from './client-auth/lockout';
export type { RateLimiter, RateLimiterSettings, RateLimitResult, RateLimitState } from './store/rate-limiter';
export type { TokenTypeLabel } from './tokens/token-issuer';
export type { BodyFormat } from './middleware/parse-body';
export type { ResponseFormat } from './middleware/send-body';
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

// JWT access tokens (RFC 9068), signing keys and JWKS (RFC 7517)
export type { SigningKeyInput, JwtAlgorithm } from './tokens/signing-keys';
export type { JwtAccessTokenClaims } from './tokens/jwt-claims';
export type { VerifiedTokenCacheOption, VerifiedTokenCacheOptions } from './tokens/verified-token-cache';
export type { AccessTokenFormatName } from './tokens/per-client-format';

// Bearer middleware (RFC 6750): in-process (auth.bearer) and remote (requireBearer)
export type { BearerAuth, VerifiedToken, TokenVerifier } from './bearer/bearer-auth';
export type { BearerRequest, TokenLocations } from './bearer/extract-token';
export { extractBearerToken } from './bearer/extract-token';
export {
  createBearerAuthenticator,
  type BearerAuthenticator,
  type BearerAuthenticatorSettings,
  type ScopeMatch,
} from './bearer/bearer-authenticator';
export { bearerMiddleware } from './bearer/bearer-middleware';
export { bearerStrategy } from './bearer/bearer-strategy';
export {
  requireBearer,
  remoteBearerAuthenticator,
  type RequireBearerOptions,
  type RemoteIntrospectionOptions,
  type RemoteJwksOptions,
} from './bearer/require-bearer';
export { TokenRejection, isTokenRejection } from './bearer/token-rejection';
export { metadataUrl } from './bearer/discovery';
export { bearerErrorHandler, type BearerErrorHandlerOptions } from './middleware/bearer-error-handler';
export {
  BearerTokenMissingError,
  InvalidBearerRequestError,
  InvalidTokenError,
  InsufficientScopeError,
  bearerChallenge,
  type BearerChallengeInit,
} from './errors/bearer-errors';

// Revocation (RFC 7009), introspection (RFC 7662), metadata (RFC 8414)
export { INACTIVE, mayIntrospect, type TokenKind, type IntrospectionResponse, type RevocationOutcome } from './token-kinds/token-kind';
export type { AuthorizationServerMetadata } from './metadata';
