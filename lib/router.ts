import express, { type RequestHandler, type Router } from 'express';
import { authenticateClient } from './client-auth/authenticate-client';
import { ClientLockout } from './client-auth/lockout';
import { createVerifyClient } from './client-auth/verify-client';
import { SecretVerifier } from './clients/secret-verifier';
import type { ServerEvents } from './events/server-events';
import { RequestMetrics } from './metrics/request-metrics';
import { checkAvailability } from './middleware/check-availability';
import type { ResolvedOptions } from './options';
import { errorHandler } from './middleware/error-handler';
import { methodNotAllowed } from './middleware/method-not-allowed';
import { noStore } from './middleware/no-store';
import { parseBody } from './middleware/parse-body';
import { rateLimit } from './middleware/rate-limit';
import { readParams } from './middleware/read-params';
import { bodySender } from './middleware/send-body';
import { OpaqueAccessTokenFormat } from './tokens/opaque-access-token';
import { RefreshTokenIssuer } from './tokens/refresh-token-issuer';
import { TokenIssuer } from './tokens/token-issuer';
import { selectGrant, tokenEndpoint } from './token-endpoint';

/**
 * Builds the router: one array of small named middleware per endpoint, and one error handler for all.
 */
export function buildRouter(options: ResolvedOptions, events: ServerEvents): Router {
  // Refresh tokens are only worth issuing when this server also redeems them.
  const refreshTokens = options.grants.has('refresh_token') ? new RefreshTokenIssuer(options.store, options.refreshToken) : undefined;
  const tokens = new TokenIssuer(
    new OpaqueAccessTokenFormat(options.store),
    { accessTokenTtl: options.accessTokenTtl, tokenTypeLabel: options.tokenTypeLabel },
    refreshTokens,
  );
  const send = bodySender(options.responseFormat);
  const secrets = new SecretVerifier({ allowPlaintextSecrets: options.allowPlaintextSecrets, cacheSize: options.secretCacheSize });
  const authenticate = authenticateClient({
    realm: options.realm,
    basicWithBody: options.basicWithBody,
    verify: createVerifyClient(options.clients, secrets),
    events,
    lockout: options.lockout === undefined ? undefined : new ClientLockout(options.store, options.lockout),
  });
  const limiter =
    options.rateLimit === undefined
      ? undefined
      : options.store.createRateLimiter({ name: 'ratelimit', points: options.rateLimit.points, durationSeconds: options.rateLimit.durationSeconds });
  // Counting comes after parsing so the client id can be read from the body; one counter spans all endpoints.
  const limit = (endpoint: string): RequestHandler[] => (limiter === undefined ? [] : [rateLimit(limiter, endpoint, events)]);
  const metrics = options.metrics === undefined ? undefined : new RequestMetrics(options.metrics);
  // What every endpoint does first: measure, forbid caching, refuse when closed.
  const opening = (endpoint: string): RequestHandler[] => [
    ...(metrics === undefined ? [] : [metrics.measure(endpoint)]),
    noStore,
    ...(options.availability === undefined ? [] : [checkAvailability(options.availability)]),
  ];

  const token: RequestHandler[] = [
    ...opening('token'),
    parseBody(options.bodyLimit, options.bodyFormats),
    readParams,
    ...limit('token'),
    selectGrant(options.grants, options.defaultGrantType),
    authenticate,
    tokenEndpoint(tokens, events, send),
  ];

  const router = express.Router();
  router.post('/token', token);
  router.all('/token', noStore, methodNotAllowed('POST'));
  router.use(errorHandler(options.renderError, options.onError, send));
  return router;
}
