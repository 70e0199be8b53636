import express, { type RequestHandler, type Router } from 'express';
import { authenticateClient } from './client-auth/authenticate-client';
import { createVerifyClient } from './client-auth/verify-client';
import { SecretVerifier } from './clients/secret-verifier';
import { createGrantRegistry } from './grants/grant-registry';
import type { ResolvedOptions } from './options';
import { errorHandler } from './middleware/error-handler';
import { methodNotAllowed } from './middleware/method-not-allowed';
import { noStore } from './middleware/no-store';
import { parseBody } from './middleware/parse-body';
import { readParams } from './middleware/read-params';
import { OpaqueAccessTokenFormat } from './tokens/opaque-access-token';
import { RefreshTokenIssuer } from './tokens/refresh-token-issuer';
import { TokenIssuer } from './tokens/token-issuer';
import { selectGrant, tokenEndpoint } from './token-endpoint';

/**
 * Builds the router: one array of small named middleware per endpoint, and one error handler for all.
 */
export function buildRouter(options: ResolvedOptions): Router {
  const grants = createGrantRegistry(options.grants, { store: options.store, refreshToken: options.refreshToken });
  // Refresh tokens are only worth issuing when this server also redeems them.
  const refreshTokens = grants.has('refresh_token') ? new RefreshTokenIssuer(options.store, options.refreshToken) : undefined;
  const tokens = new TokenIssuer(new OpaqueAccessTokenFormat(options.store), { accessTokenTtl: options.accessTokenTtl }, refreshTokens);
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
    selectGrant(grants, options.defaultGrantType),
    authenticate,
    tokenEndpoint(tokens),
  ];

  const router = express.Router();
  router.post('/token', token);
  router.all('/token', noStore, methodNotAllowed('POST'));
  router.use(errorHandler(options.renderError, options.onError));
  return router;
}
