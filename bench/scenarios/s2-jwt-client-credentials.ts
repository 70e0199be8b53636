import type { SampleResponse, Scenario } from '../harness/scenario';
import { checkTokenResponse, tokenRequest } from './s1-client-credentials';
import { REQUEST_REDIS_COUNTERS, REQUEST_REDIS_NOTE } from './s3-refresh-rotation';

function checkJwtTokenResponse(response: SampleResponse): string | undefined {
  const problem = checkTokenResponse(response);
  if (problem !== undefined) return problem;
  const token = (JSON.parse(response.body) as { access_token: string }).access_token;
  return token.split('.').length === 3 ? undefined : 'access_token is not a JWS compact serialization';
}

/**
 * Scenario 2: the token request of scenario 1, answered with a signed JWT access token. Keyturn signs ES256
 * and RS256 (its JwtAlgorithm has no EdDSA, so there is no EdDSA row).
 */
export const jwtClientCredentialsScenario: Scenario = {
  id: 's2-jwt-client-credentials',
  title: 'Scenario 2: client_credentials issuing JWT access tokens',
  description:
    'The request of scenario 1; the response carries an RFC 9068 JWT access token signed with a key generated at start-up ' +
    '(a crypto.KeyObject, built once). Keyturn uses `accessToken.format: \'jwt\'` with a scrypt-hashed secret; oauth2orize + passport-http sign with jsonwebtoken. Bare Express is the scenario-1 baseline answering a fixed token the size of a JWT. ' +
    'The floor row is scenario 1\'s hand-written minimal endpoint signing the same claims with node:crypto directly (no JWT library): ' +
    'the least a JWT token endpoint on Express can do. ' +
    'Two more Keyturn ES256 rows run on the Redis store (`redisStore`, 127.0.0.1, the server\'s own key prefix) with `secret` set: one ' +
    'with the configured key, one with no `signingKeys`, signing with the key ring the server keeps in the store; both count their Redis ' +
    'round trips per request.',
  request: tokenRequest,
  expectStatus: 200,
  checkResponse: checkJwtTokenResponse,
  baseline: 'express',
  contenders: [
    { id: 'keyturn-es256', label: 'Keyturn ES256', role: 'keyturn', server: 'keyturn-jwt-client-credentials', env: { JWT_ALG: 'ES256' } },
    { id: 'keyturn-rs256', label: 'Keyturn RS256', role: 'keyturn', server: 'keyturn-jwt-client-credentials', env: { JWT_ALG: 'RS256' } },
    { id: 'keyturn-es256-redis', label: 'Keyturn ES256, Redis store (configured signingKeys)', role: 'keyturn', server: 'keyturn-jwt-client-credentials', env: { JWT_ALG: 'ES256', STORE: 'redis' }, stopTimeoutSeconds: 30 },
    { id: 'keyturn-es256-redis-ring', label: 'Keyturn ES256, Redis store (key ring, no signingKeys)', role: 'keyturn', server: 'keyturn-jwt-client-credentials', env: { JWT_ALG: 'ES256', STORE: 'redis', SIGNING_KEYS: 'ring' }, stopTimeoutSeconds: 30 },
    { id: 'oauth2orize-es256', label: 'oauth2orize + jsonwebtoken ES256', role: 'peer', server: 'oauth2orize-jwt-client-credentials', env: { JWT_ALG: 'ES256' } },
    { id: 'oauth2orize-rs256', label: 'oauth2orize + jsonwebtoken RS256', role: 'peer', server: 'oauth2orize-jwt-client-credentials', env: { JWT_ALG: 'RS256' } },
    { id: 'express', label: 'bare Express (fixed JWT-sized token)', role: 'baseline', server: 'express-bare-token', env: { TOKEN_SHAPE: 'jwt' } },
    { id: 'express-minimal-es256', label: 'Express + hand-written minimal ES256 endpoint (floor)', role: 'reference', server: 'express-minimal-token', env: { JWT_ALG: 'ES256' } },
  ],
  targets: [{ label: 'Keyturn ES256 ≥ 0.75 × bare Express', subject: 'keyturn-es256', against: 'express', min: 0.75 }],
  serverStats: { path: '/__bench/stats', per: 'requests', perLabel: 'request', show: REQUEST_REDIS_COUNTERS },
  notes: [REQUEST_REDIS_NOTE],
};
