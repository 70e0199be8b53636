// The public API of Keyturn. Everything a user imports comes from here.

export { createAuthorizationServer, type AuthorizationServer } from './authorization-server';
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
  RotateRefreshTokenResult,
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
