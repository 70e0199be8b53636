import express, { type RequestHandler, type Router } from 'express';
import { authenticateClient } from './client-auth/authenticate-client';
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
import { readParams } from './middleware/read-params';
import { OpaqueAccessTokenFormat } from './tokens/opaque-access-token';
import { TokenIssuer } from './tokens/token-issuer';
import { selectGrant, tokenEndpoint } from './token-endpoint';

/**
 * Builds the router: one array of small named middleware per endpoint, and one error handler for all.
 */
export function buildRouter(options: ResolvedOptions, events: ServerEvents): Router {
  const tokens = new TokenIssuer(new OpaqueAccessTokenFormat(options.store), { accessTokenTtl: options.accessTokenTtl });
  const secrets = new SecretVerifier({ allowPlaintextSecrets: options.allowPlaintextSecrets, cacheSize: options.secretCacheSize });
  const authenticate = authenticateClient({
    realm: options.realm,
    basicWithBody: options.basicWithBody,
    verify: createVerifyClient(options.clients, secrets),
    events,
  });
  const metrics = options.metrics === undefined ? undefined : new RequestMetrics(options.metrics);
  // What every endpoint does first: measure, forbid caching, refuse when closed.
  const opening = (endpoint: string): RequestHandler[] => [
    ...(metrics === undefined ? [] : [metrics.measure(endpoint)]),
    noStore,
    ...(options.availability === undefined ? [] : [checkAvailability(options.availability)]),
  ];

  const token: RequestHandler[] = [
    ...opening('token'),
    parseBody(options.bodyLimit),
    readParams,
    selectGrant(options.grants, options.defaultGrantType),
    authenticate,
    tokenEndpoint(tokens, events),
  ];

  const router = express.Router();
  router.post('/token', token);
  router.all('/token', noStore, methodNotAllowed('POST'));
  router.use(errorHandler(options.renderError, options.onError));
  return router;
}
