import express, { type RequestHandler, type Router } from 'express';
import { authorizeEndpoint } from './authorize/authorize-endpoint';
import { authorizeErrorHandler } from './authorize/authorize-response';
import { consentDecision } from './authorize/consent-decision';
import { denyFraming } from './authorize/deny-framing';
import { identifyClient } from './authorize/identify-client';
import { readAuthorizeQuery } from './authorize/read-authorize-query';
import { validateAuthorizationRequest } from './authorize/validate-authorization-request';
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
import { RefreshTokenIssuer } from './tokens/refresh-token-issuer';
import { TokenIssuer } from './tokens/token-issuer';
import { selectGrant, tokenEndpoint } from './token-endpoint';
import { requireParam } from './middleware/require-param';
import { revocationEndpoint } from './revocation-endpoint';
import { introspectionEndpoint } from './introspection-endpoint';
import { builtInTokenKinds } from './token-kinds/built-in-token-kinds';
import { accessTokenFormat } from './tokens/access-token-formats';
import { jwksEndpoint } from './tokens/jwks-endpoint';

/**
 * Builds the router: one array of small named middleware per endpoint, and one error handler for all.
 */
export function buildRouter(options: ResolvedOptions, events: ServerEvents): Router {
  // Refresh tokens are only worth issuing when this server also redeems them.
  const refreshTokens = options.grants.has('refresh_token') ? new RefreshTokenIssuer(options.store, options.refreshToken) : undefined;
  const tokens = new TokenIssuer(
    accessTokenFormat(options),
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

  // Revocation and introspection authenticate clients exactly as the token endpoint does (RFC 7009 §2.1,
  // RFC 7662 §2.1): the same pipeline pieces, then their own handler. The token kinds they understand are
  // plug-ins (lib/token-kinds/).
  const kinds = builtInTokenKinds(options);
  const clientRequest = (endpoint: string): RequestHandler[] => [
    ...opening(endpoint),
    parseBody(options.bodyLimit, options.bodyFormats),
    readParams,
    ...limit(endpoint),
    requireParam('token'),
    authenticate,
  ];
  const revoke: RequestHandler[] = [...clientRequest('revoke'), revocationEndpoint(kinds, events)];
  const introspect: RequestHandler[] = [...clientRequest('introspect'), introspectionEndpoint(kinds, options.realm)];

  const router = express.Router();
  router.post('/token', token);
  router.all('/token', noStore, methodNotAllowed('POST'));
  router.post('/revoke', revoke);
  router.all('/revoke', noStore, methodNotAllowed('POST'));
  router.post('/introspect', introspect);
  router.all('/introspect', noStore, methodNotAllowed('POST'));
  if (options.signingKeys !== undefined) {
    // Public and cacheable, unlike the other endpoints: no no-store here.
    router.get('/jwks', jwksEndpoint(options.signingKeys, options.jwksMaxAge));
    router.all('/jwks', methodNotAllowed('GET, HEAD'));
  }

  // RFC 6749 §4.1.1: the authorization endpoint, only when the authorization_code grant is configured.
  const authorization = options.authorization;
  if (authorization !== undefined) {
    const authorize: RequestHandler[] = [
      noStore,
      denyFraming,
      readAuthorizeQuery,
      identifyClient(options.clients),
      validateAuthorizationRequest(authorization),
      authorizeEndpoint(authorization, options.store),
    ];
    const consent: RequestHandler[] = [
      noStore,
      denyFraming,
      parseBody(options.bodyLimit),
      readParams,
      consentDecision(authorization, options.clients, options.store),
    ];
    // Its own error handler: these errors are a redirect to the client or an HTML page, never JSON.
    const authorizeErrors = authorizeErrorHandler(authorization.issuer, authorization.renderErrorPage, options.onError);
    router.get('/authorize', authorize, authorizeErrors);
    router.all('/authorize', noStore, methodNotAllowed('GET'));
    router.post('/authorize/consent', consent, authorizeErrors);
    router.all('/authorize/consent', noStore, methodNotAllowed('POST'));
  }
  router.use(errorHandler(options.renderError, options.onError, send));
  return router;
}
