import express, { type RequestHandler, type Router } from 'express';
import { authorizeEndpoint } from './authorize/authorize-endpoint';
import { authorizeErrorHandler } from './authorize/authorize-response';
import { consentDecision } from './authorize/consent-decision';
import { denyFraming } from './authorize/deny-framing';
import { identifyClient } from './authorize/identify-client';
import { readAuthorizeQuery } from './authorize/read-authorize-query';
import { validateAuthorizationRequest } from './authorize/validate-authorization-request';
import { authenticateClient } from './client-auth/authenticate-client';
import { createVerifyClient } from './client-auth/verify-client';
import { SecretVerifier } from './clients/secret-verifier';
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
export function buildRouter(options: ResolvedOptions): Router {
  const tokens = new TokenIssuer(new OpaqueAccessTokenFormat(options.store), { accessTokenTtl: options.accessTokenTtl });
  const secrets = new SecretVerifier({ allowPlaintextSecrets: options.allowPlaintextSecrets, cacheSize: options.secretCacheSize });
  const authenticate = authenticateClient({
    realm: options.realm,
    basicWithBody: options.basicWithBody,
    verify: createVerifyClient(options.clients, secrets),
  });

  const token: RequestHandler[] = [
    noStore,
    parseBody(options.bodyLimit),
    readParams,
    selectGrant(options.grants, options.defaultGrantType),
    authenticate,
    tokenEndpoint(tokens),
  ];

  const router = express.Router();
  router.post('/token', token);
  router.all('/token', noStore, methodNotAllowed('POST'));

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
  router.use(errorHandler(options.renderError, options.onError));
  return router;
}
