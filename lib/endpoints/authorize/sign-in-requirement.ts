import type { AuthorizationRequest } from './authorize-request';
import type { TransactionSealer } from './transaction';

/** The query parameter of `returnTo` that carries Keyturn's sign-in stamp (see {@link signInRequirement}). */
export const SIGN_IN_STAMP = 'keyturn_sign_in';

/** How recent the user's sign-in must be for one authorization request, and where to come back after one. */
export interface SignInRequirement {
  /** The sign-in must be at or after this time (epoch seconds); `undefined` when any session will do. */
  readonly authenticatedAfter: number | undefined;
  /** True when no existing session can be recent enough: the login page must be shown. */
  readonly forceLogin: boolean;
  /** The authorization request to come back to, stamped when a sign-in is asked for. */
  readonly returnTo: string;
}

/**
 * What `prompt=login` and `max_age` (OpenID Connect Core §3.1.2.1) ask of the sign-in: `prompt=login` a
 * sign-in no older than this request, `max_age` one no older than `max_age` seconds ("If the elapsed time is
 * greater than this value, the OP MUST attempt to actively re-authenticate the End-User").
 *
 * The browser comes back from the login page with a new request, and that request's own "now" would ask
 * again for ever. So `returnTo` carries a stamp of the time Keyturn asked, signed and bound to the request's
 * other parameters; a request that brings an intact, fresh stamp accepts any sign-in made since that time.
 */
export function signInRequirement(
  sealer: TransactionSealer,
  request: AuthorizationRequest,
  params: Readonly<Record<string, string | undefined>>,
  returnTo: string,
  now: number,
  stampTtl: number,
): SignInRequirement {
  let after: number | undefined;
  if (request.prompt.includes('login')) after = now;
  if (request.maxAge !== undefined) after = Math.max(after ?? -Infinity, now - request.maxAge);
  if (after === undefined) return { authenticatedAfter: undefined, forceLogin: false, returnTo };
  const binding = requestBinding(params);
  const stamp = params[SIGN_IN_STAMP];
  const askedAt = stamp === undefined ? undefined : sealer.openSignInStamp(stamp, binding, stampTtl, now);
  if (askedAt !== undefined) after = Math.min(after, askedAt);
  // prompt=none shows no page, so there is nothing to come back from.
  if (request.prompt.includes('none')) return { authenticatedAfter: after, forceLogin: false, returnTo };
  // Back from the sign-in Keyturn asked for: a session begun since then will do, even within the same second.
  const forceLogin = askedAt === undefined && after >= now;
  return { authenticatedAfter: after, forceLogin, returnTo: withStamp(returnTo, sealer.stampSignIn(now, binding)) };
}

// The request's parameters but the stamp, in a fixed order: a stamp made for one request opens for no other.
function requestBinding(params: Readonly<Record<string, string | undefined>>): string {
  const names = Object.keys(params).filter((name) => name !== SIGN_IN_STAMP && params[name] !== undefined).sort();
  return JSON.stringify(names.map((name) => [name, params[name]]));
}

function withStamp(returnTo: string, stamp: string): string {
  const url = new URL(returnTo, 'http://keyturn.invalid');
  url.searchParams.set(SIGN_IN_STAMP, stamp);
  return `${url.pathname}${url.search}`;
}
