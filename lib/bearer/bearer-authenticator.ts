import { InsufficientScopeError, InvalidTokenError } from '../errors/bearer-errors';
import { toOAuthError } from '../errors/to-oauth-error';
import { formatScope, isScopeToken } from '../scope';
import { isStoreUnavailable } from '../store/store-unavailable-error';
import type { BearerAuth, TokenVerifier } from './bearer-auth';
import { extractBearerToken, type BearerRequest, type TokenLocations } from './extract-token';
import { isTokenRejection } from './token-rejection';

/**
 * How required scopes combine: every one of them, or at least one.
 *
 * @example
 * ```ts
 * auth.bearer({ scopes: ['/accounts.read', '/accounts.write'], match: 'any' satisfies ScopeMatch });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export type ScopeMatch = 'all' | 'any';

/**
 * Settings of {@link createBearerAuthenticator}.
 *
 * @example
 * ```ts
 * const settings: BearerAuthenticatorSettings = { realm: 'api', verify, scopes: ['read'], locations: { body: true } };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export interface BearerAuthenticatorSettings {
  /** Realm of the `WWW-Authenticate: Bearer` challenges. */
  readonly realm: string;
  /** Checks a token. */
  readonly verify: TokenVerifier;
  /** Scopes the protected resource needs. Default: none. */
  readonly scopes?: readonly string[];
  /** Default: `'all'`. */
  readonly match?: ScopeMatch;
  /** Where else tokens may come from. Default: nowhere but the header. */
  readonly locations?: Partial<TokenLocations>;
}

/**
 * The framework-free bearer core: extract (RFC 6750 §2), verify, check scope (§3.1). Every failure is an
 * `OAuthError` carrying its challenge; the Express middleware and the Passport strategy are thin wrappers.
 *
 * @example
 * ```ts
 * // Fastify, say: the core needs only method and headers.
 * fastify.addHook('preHandler', async (request) => {
 *   request.auth = await core.authenticate({ method: request.method, headers: request.headers });
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export interface BearerAuthenticator {
  /**
   * Extracts, verifies and scope-checks the token of a request.
   *
   * @example
   * ```ts
   * const auth = await core.authenticate({ method: 'GET', headers: { authorization: 'Bearer abc' } });
   * ```
   */
  authenticate(req: BearerRequest): Promise<BearerAuth>;
  /** Verifies and scope-checks a token already extracted. */
  verifyToken(token: string): Promise<BearerAuth>;
}

/**
 * Builds the bearer core. Everything that does not depend on the request (scope set, challenge text,
 * locations) is prepared here, once.
 *
 * @example
 * ```ts
 * const core = createBearerAuthenticator({ realm: 'api', verify: myVerifier, scopes: ['read'] });
 * const auth = await core.authenticate({ method: 'GET', headers: { authorization: 'Bearer ...' } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function createBearerAuthenticator(settings: BearerAuthenticatorSettings): BearerAuthenticator {
  const { realm, verify } = settings;
  const required = [...(settings.scopes ?? [])];
  const match = settings.match ?? 'all';
  if (match !== 'all' && match !== 'any') throw new TypeError('bearer: match must be "all" or "any"');
  if (!required.every((s) => typeof s === 'string' && isScopeToken(s))) {
    throw new TypeError('bearer: scopes must be RFC 6749 §3.3 scope tokens');
  }
  const requiredScope = formatScope(required);
  const locations: TokenLocations = { body: settings.locations?.body ?? false, query: settings.locations?.query ?? false };

  const hasScope = (granted: readonly string[]): boolean => {
    if (required.length === 0) return true;
    return match === 'all' ? required.every((s) => granted.includes(s)) : required.some((s) => granted.includes(s));
  };

  const verifyToken = async (token: string): Promise<BearerAuth> => {
    let verified;
    try {
      verified = await verify(token);
    } catch (err) {
      if (isTokenRejection(err)) {
        throw new InvalidTokenError({ realm, description: err.description, ...(err.detail === undefined ? {} : { detail: err.detail }) });
      }
      // A store that cannot answer fails the check closed, as 503 (the token endpoint's mapping), for every
      // wrapper of this core alike: the Express middleware, the Passport strategy and other frameworks.
      throw isStoreUnavailable(err) ? toOAuthError(err) : err;
    }
    if (!hasScope(verified.scopes)) {
      throw new InsufficientScopeError({ realm, description: 'the access token lacks the scope this resource needs', scope: requiredScope });
    }
    return { token, ...verified };
  };

  return {
    verifyToken,
    authenticate: async (req) => verifyToken(extractBearerToken(req, locations, realm)),
  };
}
