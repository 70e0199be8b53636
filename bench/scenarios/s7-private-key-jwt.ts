import { BASIC_HEADER, TOKEN_FORM_BODY, TOKEN_PATH } from '../fixtures';
import type { Scenario } from '../harness/scenario';
import { checkTokenResponse } from './s1-client-credentials';

/** Redis counters per request of the Redis row: the assertion's jti is its one store operation. */
const ASSERTION_REDIS_COUNTERS = [
  { counter: 'roundTrips', label: 'round trips (all)' },
  { counter: 'rt_useOnce', label: 'round trips: useOnce' },
  { counter: 'rt_saveAccessToken', label: 'round trips: saveAccessToken' },
  { counter: 'commands', label: 'commands sent' },
  { counter: 'cmd_set', label: 'SET sent' },
];

/** The scenario-1 request, for the rows that authenticate with the hashed secret. */
const basicRequest = { hooks: undefined, headers: { Authorization: BASIC_HEADER }, body: TOKEN_FORM_BODY };

export const privateKeyJwtScenario: Scenario = {
  id: 's7-private-key-jwt',
  title: 'Scenario 7: client_credentials with a private_key_jwt (ES256) assertion, beside the hashed-secret client',
  description:
    'POST /oauth2/token with `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and a fresh ES256 ' +
    '`client_assertion` (RFC 7523 §2.2) per request, signed in the load generator\'s process, before the load, by bench/load-hooks/client-assertions.ts ' +
    '(a jti is single-use). The server registers two clients: the scenario-1 client with a scrypt-hashed secret, and a private_key_jwt ' +
    'client with a static `jwks`. Its "Basic" row sends the scenario-1 Basic request to the same configuration, so the two rows differ ' +
    'only in how the client authenticates: per request, the assertion costs a JSON decode of header and claims, one ES256 verification ' +
    'and one `store.useOnce` (in-process on the memory store, one round trip on Redis), where the remembered hashed secret costs one ' +
    'keyed SHA-256. The assertion body is also about 450 bytes longer. Bare Express answers the same form with a fixed token.',
  request: {
    method: 'POST',
    path: TOKEN_PATH,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: TOKEN_FORM_BODY,
    hooks: { module: 'client-assertions' },
  },
  expectStatus: 200,
  checkResponse: checkTokenResponse,
  baseline: 'express',
  contenders: [
    { id: 'keyturn-private-key-jwt', label: 'Keyturn private_key_jwt (ES256 assertion)', role: 'keyturn', server: 'keyturn-private-key-jwt', env: { AUTH: 'assertion' } },
    { id: 'keyturn-hashed-same-server', label: 'Keyturn hashed secret, same server (Basic)', role: 'keyturn', server: 'keyturn-private-key-jwt', env: { AUTH: 'basic' }, request: basicRequest },
    {
      id: 'keyturn-private-key-jwt-redis',
      label: 'Keyturn private_key_jwt (ES256), Redis store',
      role: 'keyturn',
      server: 'keyturn-private-key-jwt',
      env: { AUTH: 'assertion', STORE: 'redis' },
      stopTimeoutSeconds: 30,
    },
    { id: 'express', label: 'bare Express (fixed token)', role: 'baseline', server: 'express-bare-token', request: basicRequest },
  ],
  targets: [],
  statTargets: [{ label: 'the assertion check costs at most one store round trip (its jti) on Redis', subject: 'keyturn-private-key-jwt-redis', counter: 'rt_useOnce', max: 1 }],
  serverStats: { path: '/__bench/stats', per: 'requests', perLabel: 'request', show: ASSERTION_REDIS_COUNTERS },
  notes: [
    'Redis counters per request (Redis row only, as in scenarios 2 and 4): every command the server\'s own client sent and the round trips ' +
      'they cost, per store operation. On Redis the token request also stores the opaque access token (saveAccessToken), so the row shows ' +
      'that round trip beside the assertion\'s useOnce; the target judges rt_useOnce, the assertion check\'s own share.',
  ],
};
