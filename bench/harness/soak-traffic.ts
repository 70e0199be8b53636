// What the soak sends (bench/harness/soak-worker.ts) and what each kind of request must get back: the mix and the
// expected statuses. Kept apart from the worker so the instance (bench/servers/keyturn-soak.ts), the worker and
// the report agree on one list.

/** The kinds of request in the soak's mix. The last five are the bad requests. */
export const SOAK_KINDS = ['token', 'refresh', 'bearer', 'introspect', 'bad-secret', 'malformed', 'unknown-bearer', 'unknown-refresh', 'unknown-introspect'] as const;
export type SoakKind = (typeof SOAK_KINDS)[number];

/** Share of each kind in the offered traffic, in percent (they add up to 100). */
export const SOAK_MIX: Readonly<Record<SoakKind, number>> = Object.freeze({
  token: 12,
  refresh: 12,
  bearer: 46,
  introspect: 18,
  'bad-secret': 2,
  malformed: 3,
  'unknown-bearer': 3,
  'unknown-refresh': 2,
  'unknown-introspect': 2,
});

/** What each kind is, for the report. */
export const SOAK_KIND_LABELS: Readonly<Record<SoakKind, string>> = Object.freeze({
  token: '`client_credentials` (Basic, scrypt-hashed secret): a new JWT access token and refresh family',
  refresh: '`refresh_token` rotation of a live refresh token, often issued by the other instance',
  bearer: '`GET /api/accounts` behind `requireBearer` with a live JWT access token',
  introspect: '`POST /oauth2/introspect` of a live access token (Basic)',
  'bad-secret': '`client_credentials` for the good traffic\'s own client id with a wrong secret, from the other address',
  malformed: '`POST /oauth2/token` with no credentials and a broken JSON body, or a repeated `grant_type`',
  'unknown-bearer': 'the protected route with a random bearer token',
  'unknown-refresh': '`refresh_token` with a random refresh token (Basic)',
  'unknown-introspect': 'introspection of a random token (Basic)',
});

/** The statuses a kind may get; anything else is an unexpected status. */
export const SOAK_EXPECTED: Readonly<Record<SoakKind, readonly number[]>> = Object.freeze({
  token: [200],
  refresh: [200],
  bearer: [200],
  introspect: [200],
  // 429: the lockout (lockout: {}) refuses the stranger's address once it has spent its budget for the client;
  // the client's own requests, from 127.0.0.1, must still all get 200.
  'bad-secret': [401, 429],
  malformed: [400, 429],
  'unknown-bearer': [401, 429],
  'unknown-refresh': [400, 429],
  // RFC 7662 §2.2: a token the server does not know is `{"active":false}` with 200.
  'unknown-introspect': [200, 429],
});

/** True for the bad requests, which come from another loopback address than the good ones. */
export function isBadKind(kind: SoakKind): boolean {
  return !GOOD_KINDS.has(kind);
}

const GOOD_KINDS: ReadonlySet<SoakKind> = new Set(['token', 'refresh', 'bearer', 'introspect']);

/**
 * The instances' rate limit per client id: far above what the soak's good client sends (its token, refresh and
 * introspection requests, a few hundred a second at most), so it is on, costs its store round trip, and is
 * never what answers.
 */
export const SOAK_RATE_LIMIT = Object.freeze({ points: 1_000_000, durationSeconds: 60 });

/**
 * Checks a response's body for its kind once the status was expected: a 200 must be the real thing (a token,
 * the resource, `active` as it should be), a 4xx must be a JSON OAuth error. Returns a complaint, or undefined.
 */
export function checkSoakBody(kind: SoakKind, status: number, body: string): string | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  if (status >= 400) return typeof json.error === 'string' ? undefined : 'error body without `error`';
  switch (kind) {
    case 'token':
    case 'refresh':
      return typeof json.access_token === 'string' && typeof json.refresh_token === 'string' ? undefined : 'no access_token or refresh_token';
    case 'bearer':
      return Array.isArray(json.accounts) ? undefined : 'not the resource';
    case 'introspect':
      return json.active === true ? undefined : 'live token not active';
    case 'unknown-introspect':
      return json.active === false ? undefined : 'random token reported active';
    default:
      return `unexpected 2xx for ${kind}`;
  }
}
