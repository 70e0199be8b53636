// `keyturn/resource-server`: protecting routes with Keyturn's access tokens (RFC 6750), in the issuing process
// (`{ server: auth }`) or in another service (`{ issuer }`).

export { requireBearer } from './resource-server/require-bearer';
export { bearerStrategy } from './resource-server/bearer-strategy';
export { bearerErrorHandler, type BearerErrorHandlerOptions } from './resource-server/bearer-error-handler';
export { createBearerCheck } from './resource-server/bearer-check';
export type { BearerCheck, ScopeMatch } from './resource-server/bearer-check-core';
export type {
  BearerOptions,
  BearerCheckOptions,
  LocalBearerOptions,
  RemoteBearerOptions,
  RemoteIntrospectionOptions,
  RemoteJwksOptions,
  BearerDpopOptions,
  RemoteBearerDpopOptions,
} from './resource-server/bearer-options';
export type { RequestUrl } from './resource-server/dpop-request-url';
export type { BearerAuth } from './resource-server/bearer-auth';
export type { BearerRequest } from './resource-server/extract-token';
export type { VerifiedTokenCacheOption, VerifiedTokenCacheOptions } from './resource-server/verified-token-cache';
