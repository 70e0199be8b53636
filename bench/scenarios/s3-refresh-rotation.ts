import { BASIC_HEADER, TOKEN_FORM_BODY, TOKEN_PATH } from '../fixtures';
import type { SampleResponse, Scenario } from '../harness/scenario';

function checkRefreshResponse({ body }: SampleResponse): string | undefined {
  const json = JSON.parse(body) as { access_token?: unknown; refresh_token?: unknown; token_type?: unknown };
  if (typeof json.access_token !== 'string' || json.access_token.length < 20) return `no access_token: ${body.slice(0, 200)}`;
  if (typeof json.refresh_token !== 'string') return `no refresh_token: ${body.slice(0, 200)}`;
  return json.token_type === 'Bearer' ? undefined : `token_type ${String(json.token_type)}`;
}

/** Redis counters shown per refresh (see bench/servers/redis-bench.ts). */
export const REDIS_COUNTERS = [
  { counter: 'refreshRoundTrips', label: 'round trips (refresh requests)' },
  { counter: 'roundTrips', label: 'round trips (all)' },
  { counter: 'commands', label: 'commands sent' },
  { counter: 'cmd_evalsha', label: 'EVALSHA sent' },
  { counter: 'cmd_set', label: 'SET sent' },
  { counter: 'cmd_get', label: 'GET sent' },
  { counter: 'redis_total', label: 'commandstats: all' },
  { counter: 'redis_evalsha', label: 'evalsha' },
  { counter: 'redis_set', label: 'set' },
  { counter: 'redis_get', label: 'get' },
  { counter: 'redis_hmget', label: 'hmget' },
  { counter: 'redis_hset', label: 'hset' },
  { counter: 'redis_pexpire', label: 'pexpire' },
  { counter: 'redis_pttl', label: 'pttl' },
  { counter: 'redis_exists', label: 'exists' },
  { counter: 'redis_sadd', label: 'sadd' },
];

/**
 * Redis counters shown per request by the Keyturn rows on Redis of scenarios 2 and 4 (same counters, see
 * bench/servers/redis-bench.ts), with the store operations that may cost a round trip there: the revoked-jti
 * check of a bearer JWT, and the key ring's reads and writes.
 */
export const REQUEST_REDIS_COUNTERS = [
  { counter: 'roundTrips', label: 'round trips (all)' },
  { counter: 'commands', label: 'commands sent' },
  { counter: 'rt_loadKeyRing', label: 'round trips: loadKeyRing' },
  { counter: 'rt_saveKeyRing', label: 'round trips: saveKeyRing' },
  { counter: 'rt_isJwtIdRevoked', label: 'round trips: isJwtIdRevoked' },
  { counter: 'rt_findAccessToken', label: 'round trips: findAccessToken' },
  { counter: 'redis_total', label: 'commandstats: all' },
  { counter: 'redis_hget', label: 'hget' },
  { counter: 'redis_exists', label: 'exists' },
  { counter: 'redis_get', label: 'get' },
];

/** A note for the scenarios that count Redis per request (2 and 4). */
export const REQUEST_REDIS_NOTE =
  'Redis counters per request: only the Keyturn rows on Redis answer GET /__bench/stats; they count, in their own process, every command ' +
  'their client sends and the round trips those cost (as in scenario 3: one per store operation that sends commands in one synchronous ' +
  'call, one more per command sent after an await; "round trips: X" is the share of store operation X), plus `INFO commandstats` ' +
  '(Redis-wide: other clients of the shared Redis add to it). Each counter is the delta over one measured round divided by the requests ' +
  'the server answered in it. The "key ring" rows give no `signingKeys`: the server keeps its ES256 keys in the store ' +
  '(lib/tokens/key-ring) and reads them once at start-up, before the server reports ready, and then in the background every ' +
  'clamp(publishAhead / 4, 1 s, 300 s), 300 s with the default keyRotation: at most one HGET per 300 s of the server\'s life, which ' +
  'falls inside a 10 s round only by chance and would then add about 1 / (the round\'s requests), under 0.001 per request.';

/**
 * Scenario 3: refresh_token rotation. Each load connection gets a token pair with client_credentials, then
 * redeems the refresh token of each response in its next request, 1000 times (bench/load-hooks/refresh-rotation.ts),
 * so nearly every request is `grant_type=refresh_token&refresh_token=<the live one>`; a reused or unknown token
 * would get a 400 and make the run invalid.
 */
export const refreshRotationScenario: Scenario = {
  id: 's3-refresh-rotation',
  title: 'Scenario 3: refresh_token rotation',
  description:
    'POST /oauth2/token with Basic auth (scrypt-hashed secret, as in scenario 1) and `grant_type=refresh_token&refresh_token=…`, ' +
    'each connection redeeming the refresh token of its previous response (a chain of 1000 after one client_credentials request ' +
    'that opens the family). Keyturn rotates the token (the old one becomes a tombstone, RFC 9700 §4.14.2) and issues a new ' +
    'opaque access token, on the memory store or on Redis (`redisStore(new Redis())`, 127.0.0.1, its own key prefix); one more row ' +
    'issues ES256 JWT access tokens on Redis, which are not stored. Bare Express answers a fixed body of the same shape. ' +
    'The Redis servers count, in their own process, every command their client sends and the round trips they cost, and read ' +
    '`INFO commandstats` before and after each measured round.',
  request: {
    method: 'POST',
    path: TOKEN_PATH,
    headers: { Authorization: BASIC_HEADER, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: TOKEN_FORM_BODY,
    hooks: { module: 'refresh-rotation', options: { chain: 1000 } },
  },
  expectStatus: 200,
  checkResponse: checkRefreshResponse,
  baseline: 'express',
  contenders: [
    { id: 'keyturn-memory', label: 'Keyturn, memory store (opaque access tokens)', role: 'keyturn', server: 'keyturn-refresh', env: { STORE: 'memory' } },
    { id: 'keyturn-redis', label: 'Keyturn, Redis store (opaque access tokens)', role: 'keyturn', server: 'keyturn-refresh', env: { STORE: 'redis' }, stopTimeoutSeconds: 60 },
    { id: 'keyturn-redis-jwt', label: 'Keyturn, Redis store (ES256 JWT access tokens)', role: 'keyturn', server: 'keyturn-refresh', env: { STORE: 'redis', ACCESS: 'jwt' }, stopTimeoutSeconds: 60 },
    { id: 'express', label: 'bare Express (fixed body)', role: 'baseline', server: 'express-bare-refresh' },
  ],
  serverStats: { path: '/__bench/stats', per: 'rotated', perLabel: 'refresh', show: REDIS_COUNTERS },
  targets: [{ label: 'Redis rotation ≥ 0.6 × bare Express', subject: 'keyturn-redis', against: 'express', min: 0.6 }],
  statTargets: [{ label: 'Redis rotation = 1 round trip per refresh', subject: 'keyturn-redis', counter: 'refreshRoundTrips', max: 1 }],
  notes: [
    'How the Redis counters are derived. "round trips" and "commands sent" are counted in the server process by wrapping the ' +
      "ioredis client's `sendCommand` and the store's methods: every store operation that sends commands in one synchronous call " +
      'costs one round trip however many commands it sends (they are written to the socket together and awaited together, as a ' +
      'pipelined pair would be), and a command sent later, after an await, costs one more. `INFO commandstats` (Redis-wide, read ' +
      'before and after each round) counts commands, not round trips: it counts each EVALSHA and also every `redis.call` inside ' +
      'the script (HMGET, PTTL, SET, HSET, PEXPIRE for a rotation), so its total is larger than what crossed the network; and other ' +
      'clients of the shared Redis add to it. Each counter is divided by the successful rotations the server counted in that round ' +
      '; the client_credentials requests that open the families (each connection opens one when a round starts, so about 50 per ' +
      'round, plus one per 1000 refreshes) are in "round trips (all)" and the other counters, and are taken out of "round trips ' +
      '(refresh requests)": their saveRefreshToken and, with opaque access tokens, one saveAccessToken each.',
  ],
};
