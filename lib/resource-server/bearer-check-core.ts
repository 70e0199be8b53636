import { InsufficientScopeError, InvalidTokenError } from '../errors/bearer-errors';
import { toOAuthError } from '../errors/to-oauth-error';
import { formatScope, isScopeToken } from '../scope';
import { isStoreUnavailable } from '../errors/store-unavailable-error';
import { isPromiseLike } from '../core/awaitable';
import type { BearerAuth, TokenVerifier, VerifiedToken } from './bearer-auth';
import { extractAccessToken, type BearerRequest, type PresentedToken, type TokenLocations } from './extract-token';
import { isTokenRejection } from './token-rejection';
import { boundJkt, resourceDpop, type ResourceDpopSettings } from './dpop-proof-check';

/**
 * How required scopes combine: every one of them, or at least one.
 *
 * @example
 * ```ts
 * import { requireBearer, type ScopeMatch } from 'keyturn/resource-server';
 *
 * requireBearer({ server: auth, scopes: ['/accounts.read', '/accounts.write'], match: 'any' satisfies ScopeMatch });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export type ScopeMatch = 'all' | 'any';

/**
 * Settings of {@link createBearerCheckCore}.
 *
 * @example
 * ```ts
 * const settings: BearerCheckSettings = { realm: 'api', verify, scopes: ['read'], locations: { body: true } };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export interface BearerCheckSettings {
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
  /** Accept DPoP-bound tokens with their proofs (RFC 9449 §7). Default: bearer tokens only. */
  readonly dpop?: ResourceDpopSettings;
}

/**
 * The framework-free bearer core: extract (RFC 6750 §2), verify, check scope (§3.1). Every failure is an
 * `OAuthError` carrying its challenge; the Express middleware and the Passport strategy are thin wrappers.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createBearerCheck } from 'keyturn/resource-server';
 * import * as errors from 'keyturn/errors';
 *
 * // Plain node:http, say: the check needs only the method and the headers.
 * const check = createBearerCheck({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' });
 * createServer((req, res) => {
 *   check.authenticate({ method: req.method ?? 'GET', headers: req.headers }).then(
 *     (auth) => res.end(JSON.stringify({ sub: auth.sub })),
 *     (err: unknown) => {
 *       if (!errors.isOAuthError(err)) return void res.writeHead(500).end();
 *       res.writeHead(err.status, { ...err.headers, 'Content-Type': 'application/json' }).end(JSON.stringify({ error: err.code }));
 *     },
 *   );
 * }).listen(8080);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export interface BearerCheck {
  /**
   * Extracts, verifies and scope-checks the token of a request.
   *
   * @example
   * ```ts
   * import { createBearerCheck } from 'keyturn/resource-server';
   *
   * const check = createBearerCheck({ server: auth, scopes: ['/accounts.read'] });
   * const { sub, scopes } = await check.authenticate({ method: 'GET', headers: { authorization: `Bearer ${process.env.ACCESS_TOKEN}` } });
   * ```
   */
  authenticate(req: BearerRequest): Promise<BearerAuth>;
  /**
   * The same check, answered synchronously when it needs no I/O (a cached JWT on the memory store) and as a
   * promise otherwise; a failure known at once is thrown rather than rejected. For wrappers on hot paths,
   * where every awaited step is a promise hop the request waits for.
   *
   * @example
   * ```ts
   * import type { RequestHandler } from 'express';
   * import { createBearerCheck } from 'keyturn/resource-server';
   *
   * const check = createBearerCheck({ server: auth, scopes: ['/accounts.read'] });
   * const requireToken: RequestHandler = (req, _res, next) => {
   *   let result;
   *   try { result = check.check(req); } catch (err) { return next(err); }
   *   if (result instanceof Promise) result.then((a) => { req.auth = a; next(); }, next);
   *   else { req.auth = result; next(); }
   * };
   * ```
   */
  check(req: BearerRequest): BearerAuth | Promise<BearerAuth>;
  /** Verifies and scope-checks a token already extracted. */
  verifyToken(token: string): Promise<BearerAuth>;
  /** The realm of its `WWW-Authenticate` challenges. */
  readonly realm: string;
}

/**
 * Builds the bearer core. Everything that does not depend on the request (scope set, challenge text,
 * locations) is prepared here, once.
 *
 * @example
 * ```ts
 * const core = createBearerCheckCore({ realm: 'api', verify: myVerifier, scopes: ['read'] });
 * const auth = await core.authenticate({ method: 'GET', headers: { authorization: 'Bearer ...' } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function createBearerCheckCore(settings: BearerCheckSettings): BearerCheck {
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

  // DPoP (RFC 9449 §7): the challenges offer both schemes (or DPoP alone when required), and each error goes
  // on the challenge of the scheme the client used. Without DPoP, both are undefined and nothing changes.
  const dpop = settings.dpop === undefined ? undefined : resourceDpop(settings.dpop, realm);
  const onBearer = dpop?.challenges.onBearer;
  const onDpop = dpop?.challenges.onDpop;

  // A rejection of the verifier becomes the RFC 6750 §3.1 error; a store that cannot answer fails the check
  // closed, as 503 (the token endpoint's mapping), for every wrapper of this core alike.
  const bearerError = (init: typeof onBearer) => (err: unknown): never => {
    if (isTokenRejection(err)) {
      throw new InvalidTokenError({ realm, description: err.description, ...(err.detail === undefined ? {} : { detail: err.detail }), ...init });
    }
    throw isStoreUnavailable(err) ? toOAuthError(err) : err;
  };
  const toBearerError = bearerError(onBearer);
  const toDpopError = bearerError(onDpop);
  const withScope = (token: string, verified: VerifiedToken, init: typeof onBearer): BearerAuth => {
    if (!hasScope(verified.scopes)) {
      throw new InsufficientScopeError({ realm, description: 'the access token lacks the scope this resource needs', scope: requiredScope, ...init });
    }
    // Field by field rather than a spread of the (frozen, cached) verified token: one object shape for every
    // request, which keeps the route's property reads monomorphic.
    return { token, clientId: verified.clientId, sub: verified.sub, scopes: verified.scopes, claims: verified.claims };
  };
  // RFC 9449 §7.2: a DPoP-bound token sent as a bearer token is refused, whether or not this route takes DPoP.
  const asBearer = (token: string, verified: VerifiedToken): BearerAuth => {
    if (boundJkt(verified, realm, onDpop) !== undefined) {
      throw new InvalidTokenError({ realm, description: 'the access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof', ...onDpop });
    }
    return withScope(token, verified, onBearer);
  };
  // The token's verification may have come from the verified-token cache; the proof is checked on every
  // request, and its jti recorded last, so a request refused for any other reason leaves the store as it was.
  const asDpop = (req: BearerRequest, token: string, verified: VerifiedToken): Promise<BearerAuth> => {
    const proofs = dpop as NonNullable<typeof dpop>;
    const jkt = boundJkt(verified, realm, onDpop);
    if (jkt === undefined) throw new InvalidTokenError({ realm, description: 'the access token is not DPoP-bound: send it with the Bearer scheme', ...onDpop });
    const proof = proofs.verifyProof(req, token, jkt);
    const auth = withScope(token, verified, onDpop);
    return proofs.consume(proof).then(() => auth, toDpopError);
  };
  const checkToken = (token: string): BearerAuth | Promise<BearerAuth> => {
    let verified: VerifiedToken | Promise<VerifiedToken>;
    try {
      verified = verify(token);
    } catch (err) {
      return toBearerError(err);
    }
    return isPromiseLike(verified) ? verified.then((v) => asBearer(token, v), toBearerError) : asBearer(token, verified);
  };
  const checkPresented = (req: BearerRequest, presented: PresentedToken): BearerAuth | Promise<BearerAuth> => {
    if (presented.scheme === 'Bearer') {
      if (dpop?.required === true) throw new InvalidTokenError({ realm, description: 'this resource accepts only DPoP-bound access tokens, sent with the DPoP scheme', ...onDpop });
      return checkToken(presented.token);
    }
    const { token } = presented;
    let verified: VerifiedToken | Promise<VerifiedToken>;
    try {
      verified = verify(token);
    } catch (err) {
      return toDpopError(err);
    }
    return isPromiseLike(verified) ? verified.then((v) => asDpop(req, token, v), toDpopError) : asDpop(req, token, verified);
  };
  const check = (req: BearerRequest) => checkPresented(req, extractAccessToken(req, locations, realm, dpop?.challenges));
  // A token without its request has no proof to show: it is checked as a bearer token.
  const verifyToken = async (token: string): Promise<BearerAuth> => checkPresented({ method: 'GET', headers: {} }, { token, scheme: 'Bearer' });

  return {
    realm,
    verifyToken,
    check,
    authenticate: async (req) => check(req),
  };
}
