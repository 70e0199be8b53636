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
export function buildRouter(options: ResolvedOptions): Router {
  const grants = createGrantRegistry(options.grants, { store: options.store });
  const tokens = new TokenIssuer(accessTokenFormat(options), { accessTokenTtl: options.accessTokenTtl });
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

  // Revocation and introspection authenticate clients exactly as the token endpoint does (RFC 7009 §2.1,
  // RFC 7662 §2.1): the same pipeline pieces, then their own handler.
  const kinds = builtInTokenKinds(options);
  const body = parseBody(options.bodyLimit);
  const revoke: RequestHandler[] = [noStore, body, readParams, requireParam('token'), authenticate, revocationEndpoint(kinds)];
  const introspect: RequestHandler[] = [noStore, body, readParams, requireParam('token'), authenticate, introspectionEndpoint(kinds, options.realm)];

  const router = express.Router();
  router.post('/token', token);
  router.all('/token', noStore, methodNotAllowed('POST'));
  router.post('/revoke', revoke);
  router.all('/revoke', noStore, methodNotAllowed('POST'));
  router.post('/introspect', introspect);
  router.all('/introspect', noStore, methodNotAllowed('POST'));
  if (options.signingKeys !== undefined) {
    router.get('/jwks', jwksEndpoint(options.signingKeys, options.jwksMaxAge));
    router.all('/jwks', methodNotAllowed('GET, HEAD'));
  }
  router.use(errorHandler(options.renderError, options.onError));
  return router;
}
