import { RESOURCE_BODY, RESOURCE_PATH } from '../fixtures';
import type { SampleResponse, Scenario } from '../harness/scenario';
import { REQUEST_REDIS_COUNTERS, REQUEST_REDIS_NOTE } from './s3-refresh-rotation';

const expectedBody = JSON.stringify(RESOURCE_BODY);

function checkResourceResponse({ body }: SampleResponse): string | undefined {
  return body === expectedBody ? undefined : `expected ${expectedBody}, got ${body.slice(0, 200)}`;
}

/**
 * Scenario 4: a GET on a protected route. Each resource server mints its own test token at start-up and hands
 * the `Authorization` header to the harness (see bench/servers/serve.ts), so the default header below only
 * reaches servers that check nothing (bare Express), keeping the request the same size for all.
 * `requireBearer` fetches its JWKS over HTTP from a Keyturn authorization server in the same process (another
 * route), not from a separate process: after the first fetch it is cached, so only the verification is measured.
 *
 * Every request carries the same token, as a real client reuses its access token until it expires. Keyturn's
 * default path therefore verifies the signature once and serves the rest from its verified-token cache (exp,
 * key and, in the same process, the revoked-jti list are still checked per request); the "cache off" rows verify
 * the signature on every request, as the peers do, and show the cold path. The targets judge the default.
 */
export const bearerScenario: Scenario = {
  id: 's4-bearer',
  title: 'Scenario 4: bearer token verification on a GET route',
  description:
    'GET /api/accounts with `Authorization: Bearer <token>`; every protected route also requires the scope `/accounts.read` ' +
    'and answers the same small JSON. Keyturn runs `requireBearer({ server: auth, scopes })` with an ES256 or an RS256 JWT (verified with its own key) ' +
    'or an opaque token (a lookup in the memory store, or a GET on Redis at 127.0.0.1 through `redisStore`); the token comes from its ' +
    'own token endpoint at start-up. Keyturn `requireBearer({ issuer, audience, jwksUri, scopes })` verifies an RS256 JWT with the ' +
    'keys of a JWKS it fetched over HTTP once and cached (served by a Keyturn authorization server in the same process, on another ' +
    'route, not by a separate process). ' +
    'Every request carries the same token, as a client reuses its access token until it expires: by default Keyturn verifies a JWT\'s ' +
    'signature once and then serves it from its verified-token cache (exp, nbf, the key and, in the same process, the revoked-jti list in ' +
    'the store are still checked on every request); the "cache off" rows (`verifiedTokenCache: false`) verify the signature on every ' +
    'request, as the peers do. ' +
    'express-oauth2-jwt-bearer verifies an RS256 JWT against a JWKS it fetched once and cached; ' +
    'passport-http-bearer looks an opaque token up in a Map. Bare Express answers without any check. The floor row is a ' +
    'hand-written middleware doing the least a cached bearer check can (header, Map lookup, exp, scope, req.auth, synchronously). ' +
    'Two more cached ES256 rows run the server on the Redis store with `secret` set: one with the configured key, one with no ' +
    '`signingKeys`, verifying tokens its key ring (kept in the store) signed. Every Keyturn row on Redis counts its Redis round trips ' +
    'per request.',
  request: { method: 'GET', path: RESOURCE_PATH, headers: { Authorization: `Bearer ${'x'.repeat(43)}` } },
  expectStatus: 200,
  checkResponse: checkResourceResponse,
  baseline: 'express-get',
  contenders: [
    { id: 'keyturn-bearer-es256', label: 'Keyturn requireBearer({ server }) (JWT ES256, cached)', role: 'keyturn', server: 'keyturn-bearer-resource', env: { TOKEN_FORMAT: 'jwt' } },
    { id: 'keyturn-bearer-rs256', label: 'Keyturn requireBearer({ server }) (JWT RS256, cached)', role: 'keyturn', server: 'keyturn-bearer-resource', env: { TOKEN_FORMAT: 'jwt', JWT_ALG: 'RS256' } },
    { id: 'keyturn-bearer-es256-nocache', label: 'Keyturn requireBearer({ server }) (JWT ES256, cache off)', role: 'keyturn', server: 'keyturn-bearer-resource', env: { TOKEN_FORMAT: 'jwt', VERIFIED_TOKEN_CACHE: 'off' } },
    { id: 'keyturn-bearer-rs256-nocache', label: 'Keyturn requireBearer({ server }) (JWT RS256, cache off)', role: 'keyturn', server: 'keyturn-bearer-resource', env: { TOKEN_FORMAT: 'jwt', JWT_ALG: 'RS256', VERIFIED_TOKEN_CACHE: 'off' } },
    { id: 'keyturn-require-bearer-rs256', label: 'Keyturn requireBearer (JWT RS256, JWKS over HTTP, cached)', role: 'keyturn', server: 'keyturn-require-bearer-resource', env: { JWT_ALG: 'RS256' } },
    { id: 'keyturn-require-bearer-rs256-nocache', label: 'Keyturn requireBearer (JWT RS256, JWKS, cache off)', role: 'keyturn', server: 'keyturn-require-bearer-resource', env: { JWT_ALG: 'RS256', VERIFIED_TOKEN_CACHE: 'off' } },
    { id: 'keyturn-bearer-es256-redis', label: 'Keyturn requireBearer({ server }) (JWT ES256, cached, Redis store, configured signingKeys)', role: 'keyturn', server: 'keyturn-bearer-resource', env: { TOKEN_FORMAT: 'jwt', STORE: 'redis' }, stopTimeoutSeconds: 30 },
    { id: 'keyturn-bearer-es256-redis-ring', label: 'Keyturn requireBearer({ server }) (JWT ES256, cached, Redis store, key ring)', role: 'keyturn', server: 'keyturn-bearer-resource', env: { TOKEN_FORMAT: 'jwt', STORE: 'redis', SIGNING_KEYS: 'ring' }, stopTimeoutSeconds: 30 },
    { id: 'keyturn-bearer-opaque', label: 'Keyturn requireBearer({ server }) (opaque, memory store)', role: 'keyturn', server: 'keyturn-bearer-resource', env: { TOKEN_FORMAT: 'opaque' } },
    { id: 'keyturn-bearer-opaque-redis', label: 'Keyturn requireBearer({ server }) (opaque, Redis store)', role: 'keyturn', server: 'keyturn-bearer-resource', env: { TOKEN_FORMAT: 'opaque', STORE: 'redis' }, stopTimeoutSeconds: 30 },
    { id: 'express-oauth2-jwt-bearer', label: 'express-oauth2-jwt-bearer (RS256, JWKS)', role: 'peer', server: 'express-oauth2-jwt-bearer-resource' },
    { id: 'passport-http-bearer', label: 'passport-http-bearer (opaque, Map)', role: 'peer', server: 'passport-http-bearer-resource' },
    { id: 'express-get', label: 'bare Express GET (no check)', role: 'baseline', server: 'express-bare-resource' },
    { id: 'express-minimal-bearer', label: 'Express + hand-written minimal cached bearer check (floor)', role: 'reference', server: 'express-minimal-resource' },
  ],
  targets: [
    { label: 'Keyturn JWT verification ≥ 0.90 × bare Express GET', subject: 'keyturn-bearer-es256', against: 'express-get', min: 0.9 },
    { label: 'Keyturn JWT verification ≥ 1.3 × express-oauth2-jwt-bearer', subject: 'keyturn-bearer-es256', against: 'express-oauth2-jwt-bearer', min: 1.3 },
    { label: 'Keyturn RS256 JWT verification ≥ 0.90 × bare Express GET', subject: 'keyturn-bearer-rs256', against: 'express-get', min: 0.9 },
    { label: 'Keyturn RS256 JWT verification ≥ 1.3 × express-oauth2-jwt-bearer (same algorithm)', subject: 'keyturn-bearer-rs256', against: 'express-oauth2-jwt-bearer', min: 1.3 },
    { label: 'Keyturn requireBearer RS256 ≥ 1.3 × express-oauth2-jwt-bearer (same algorithm)', subject: 'keyturn-require-bearer-rs256', against: 'express-oauth2-jwt-bearer', min: 1.3 },
  ],
  serverStats: { path: '/__bench/stats', per: 'requests', perLabel: 'request', show: REQUEST_REDIS_COUNTERS },
  notes: [REQUEST_REDIS_NOTE],
};
