import type { AuthorizeRouteParts } from './adapters/express/authorize-routes';
import type { ExpressRouterParts } from './adapters/express/router';
import { authorizeEndpoint } from './endpoints/authorize/authorize-endpoint';
import { consentDecision } from './endpoints/authorize/consent-decision';
import { authenticateClient } from './client-auth/authenticate-client';
import { readCredentials } from './client-auth/read-credentials';
import { createVerifyClient } from './client-auth/verify-client';
import { assertionAudiences } from './client-auth/assertion-audiences';
import { ClientKeys } from './client-auth/client-keys';
import { createVerifyAssertion } from './client-auth/verify-assertion';
import { clientSecretSealingKey } from './clients/sealed-client-secret';
import { SecretVerifier } from './clients/secret-verifier';
import { bodyWriter } from './core/response';
import type { ClientRequestSteps } from './endpoints/client-request-steps';
import { introspectionEndpoint } from './endpoints/introspection/introspection-endpoint';
import { jwksResponse } from './endpoints/jwks/jwks';
import { revocationEndpoint } from './endpoints/revocation/revocation-endpoint';
import { tokenEndpoint } from './endpoints/token/token-endpoint';
import { builtInTokenKinds } from './endpoints/token-kinds/built-in-token-kinds';
import type { ServerEvents } from './events/server-events';
import { checkAvailability } from './guards/check-availability';
import { ClientLockout } from './guards/lockout';
import { countFailedAuthentication } from './guards/count-failed-authentication';
import { rateLimit } from './guards/rate-limit';
import { RequestMetrics } from './metrics/request-metrics';
import type { ResolvedOptions } from './options/resolve-options';
import { accessTokenFormat } from './tokens/access-token-formats';
import { RefreshTokenIssuer } from './tokens/refresh-token-issuer';
import { TokenMinter } from './tokens/token-issuer';
import type { TokenVerifier } from './resource-server/bearer-auth';
import { createBearerCheckCore } from './resource-server/bearer-check-core';
import { userinfoEndpoint } from './endpoints/userinfo/userinfo-endpoint';
import type { Endpoint } from './core/endpoint';

/**
 * Builds every endpoint of the core once, from the resolved options: the shared steps first, then each
 * endpoint's pipeline. Adapters only mount what this returns. `verifier` is the server's own access token
 * verifier (the one `requireBearer({ server })` uses), for the UserInfo endpoint.
 */
export function buildEndpoints(options: ResolvedOptions, events: ServerEvents, verifier: TokenVerifier): ExpressRouterParts {
  // Refresh tokens are only worth issuing when this server also redeems them.
  const refreshTokens = options.grants.has('refresh_token') ? new RefreshTokenIssuer(options.store, options.refreshToken) : undefined;
  const tokens = new TokenMinter(
    accessTokenFormat({ store: options.store, issuer: options.issuer, signingKeys: options.signingKeys, audience: options.audience, format: options.accessTokenFormat }),
    { accessTokenTtl: options.accessTokenTtl, tokenTypeLabel: options.tokenTypeLabel },
    refreshTokens,
  );
  const rendering = { renderError: options.renderError, onError: options.onError, write: bodyWriter(options.responseFormat) };
  const secrets = new SecretVerifier({ allowPlaintextSecrets: options.allowPlaintextSecrets, cacheSize: options.secretCacheSize });
  const limiter =
    options.rateLimit === undefined
      ? undefined
      : options.store.createRateLimiter({ name: 'ratelimit', points: options.rateLimit.points, durationSeconds: options.rateLimit.durationSeconds });
  const steps: ClientRequestSteps = {
    rendering,
    gate: options.availability === undefined ? [] : [checkAvailability(options.availability)],
    readCredentials: readCredentials(options.basicWithBody),
    // One counter spans all endpoints, and runs after client authentication.
    limit: limiter === undefined ? [] : [rateLimit(limiter, events)],
    authenticate: authenticateClient({
      realm: options.realm,
      verify: createVerifyClient(options.clients, secrets),
      events,
      lockout: options.lockout === undefined ? undefined : new ClientLockout(options.store, options.lockout),
      countFailure: limiter === undefined ? undefined : countFailedAuthentication(limiter, events),
      fingerprint: (clientId, secret) => secrets.fingerprint(clientId, secret),
      verifyAssertion: createVerifyAssertion({
        clients: options.clients,
        store: options.store,
        keys: new ClientKeys(options.assertions.jwks),
        audiences: assertionAudiences(options.issuer, options.mountPath),
        asymmetricAlgorithms: options.assertions.asymmetricAlgorithms,
        hmacAlgorithms: options.assertions.hmacAlgorithms,
        maxLifetimeSeconds: options.assertions.maxLifetimeSeconds,
        clockSkewSeconds: options.assertions.clockSkewSeconds,
        sealingKey: options.secret === undefined ? undefined : clientSecretSealingKey(options.secret),
        allowPlaintextSecrets: options.allowPlaintextSecrets,
      }),
    }),
    observe: options.metrics === undefined ? undefined : new RequestMetrics(options.metrics).observe,
  };
  const kinds = builtInTokenKinds({
    store: options.store,
    issuer: options.issuer,
    audience: options.audience,
    signingKeys: options.signingKeys,
    refreshTokens: refreshTokens !== undefined,
    familyRevocationRetention: options.familyRevocationRetention,
  });
  return {
    token: tokenEndpoint({ steps, grants: options.grants, defaultGrantType: options.defaultGrantType, tokens, events, dpop: options.dpop, store: options.store }),
    revoke: revocationEndpoint(steps, kinds, events),
    introspect: introspectionEndpoint(steps, kinds, options.realm),
    jwks: options.signingKeys === undefined ? undefined : jwksResponse(options.signingKeys, options.jwksMaxAge),
    rendering,
    bodyLimit: options.bodyLimit,
    bodyFormats: options.bodyFormats,
    authorization: authorizationParts(options),
    userinfo: userinfoParts(options, verifier, steps),
  };
}

// OpenID Connect Core §5.3: a server that issues id_tokens serves UserInfo with its own access tokens.
function userinfoParts(options: ResolvedOptions, verify: TokenVerifier, steps: ClientRequestSteps): Endpoint | undefined {
  if (options.authorization === undefined) return undefined;
  return userinfoEndpoint({
    // §5.3.1: the header, or the form body (RFC 6750 §2.2); never the query. The token must carry openid.
    check: createBearerCheckCore({ realm: options.realm, verify, scopes: ['openid'], locations: { body: true } }),
    userInfo: options.authorization.settings.userInfo,
    // JSON with no-store whatever compat.responseFormat says: §5.3.2 answers application/json.
    rendering: { ...steps.rendering, write: bodyWriter('json') },
    gate: steps.gate,
  });
}

function authorizationParts(options: ResolvedOptions): AuthorizeRouteParts | undefined {
  if (options.authorization === undefined) return undefined;
  const { settings, hooks } = options.authorization;
  const errors = { issuer: settings.issuer, renderErrorPage: settings.renderErrorPage, onError: options.onError };
  return {
    authorize: authorizeEndpoint(settings, options.clients, options.store, errors),
    consent: consentDecision(settings, options.clients, options.store, errors),
    hooks,
  };
}
