// `keyturn`: the authorization server. The resource side, Redis, the errors and the Store contract suite are
// subpaths of their own (keyturn/resource-server, keyturn/redis, keyturn/errors, keyturn/testing), so an app
// loads only what it uses.

export { createAuthorizationServer, type AuthorizationServer } from './authorization-server';
export type {
  AuthorizationServerOptions,
  AccessTokenOptions,
  RefreshTokenOptions,
  ClientAuthenticationOptions,
  RateLimitOptions,
  LockoutOptions,
  MetricsOptions,
  CompatOptions,
  AuthorizationOptions,
  PkceOptions,
  IdTokenOptions,
  KeyRotationOptions,
  DpopOptions,
} from './options/types';
export { deriveKey } from './crypto/derive-key';
export type { MetricsRegistry } from './metrics/request-metrics';
export type { AuthorizeErrorPageRenderer } from './endpoints/authorize/authorize-response';
export type { AuthenticatedUser, LoginContext, ConsentDetails, PromptValue } from './endpoints/authorize/interaction';
export type { AuthenticateUser, RenderConsent } from './adapters/express/authorize-hooks';
export type { UserInfoHook, UserInfoContext } from './endpoints/userinfo/user-info-hook';
export type { IdTokenSigner, IdTokenClaims } from './tokens/id-token';
export type { SigningKeyInput, JwtAlgorithm } from './tokens/signing-keys';
export type { AccessTokenFormatName } from './tokens/per-client-format';
export type { TokenTypeLabel } from './tokens/token-issuer';
export type { BasicWithBodyPolicy } from './client-auth/read-credentials';
export type { BodyType as BodyFormat } from './core/request-state';
export type { ResponseFormat } from './core/response';

export type { Client, ClientStore, TokenEndpointAuthMethod, Awaitable } from './clients/client';
export type { PkcePolicy } from './clients/pkce-policy';
export { hashClientSecret, type SecretHashOptions } from './clients/secret-hash';

export type { GrantType, GrantContext } from './grants/grant-type';
export type { TokenIssuer, IssueTokensInput } from './tokens/token-issuer';
export type { TokenResponse } from './tokens/token-response';

export type {
  Store,
  AccessTokenRecord,
  RefreshTokenRecord,
  RotateRefreshTokenInput,
  RotationAccessToken,
  RotationJwtAccessToken,
  RotateRefreshTokenResult,
  AuthorizationCodeRecord,
  ConsumedAuthorizationCode,
  ConsentRecord,
  KeyRingRecord,
  StoredSigningKey,
} from './store/store';
export type { RateLimiter, RateLimiterSettings, RateLimitResult, RateLimitState } from './store/rate-limiter';
export { memoryStore, type MemoryStoreOptions } from './store/memory-store';

export type { ErrorRenderer, RenderedError } from './errors/render';
export type { ErrorListener } from './errors/error-listener';
export type { PlainRequest } from './http';

export { serviceHours, type ServiceHoursOptions, type Weekday } from './guards/service-hours';
export type { Availability, AvailabilityDecision } from './guards/availability';
export type {
  ServerEvents,
  ServerEventMap,
  AuditEventBase,
  TokenIssuedEvent,
  TokenRefreshedEvent,
  RefreshReuseDetectedEvent,
  RefreshGraceReissuedEvent,
  TokenRevokedEvent,
  ClientAuthFailedEvent,
  RateLimitedEvent,
} from './events/server-events';
export { gracefulShutdown, type GracefulShutdownOptions } from './operations/graceful-shutdown';
export type { AuthorizationServerMetadata } from './endpoints/metadata/metadata';
