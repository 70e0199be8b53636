import { OAuthError, type OAuthErrorInit } from './oauth-error';

// One class per RFC 6750 §3.1 error code, plus the bare challenge §3 asks for when a request carries no
// token at all. Each error is built with its `WWW-Authenticate` header ready, so the renderer only copies it.

/**
 * What a bearer challenge names besides the error code.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * const init: errors.BearerChallengeInit = { realm: 'api', scope: '/accounts.write', description: 'writing needs /accounts.write' };
 * const err = new errors.InsufficientScopeError(init);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export interface BearerChallengeInit extends OAuthErrorInit {
  /** The protection realm (RFC 6750 §3). */
  realm: string;
  /** Scope the resource needs, for `insufficient_scope` (RFC 6750 §3). */
  scope?: string;
  /**
   * Set when the resource also (or only) accepts DPoP-bound tokens: the header then offers the `DPoP` scheme
   * too (RFC 9449 §7.1, §7.2), and the error goes on the challenge of the scheme the client used.
   */
  dpop?: DpopChallengeInit;
}

/**
 * How a resource that accepts DPoP-bound tokens challenges (RFC 9449 §7.1): the proof algorithms it accepts,
 * whether it still accepts bearer tokens, and which scheme's challenge carries the error.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * const err = new errors.InvalidTokenError({ realm: 'api', description: 'the access token expired', dpop: { algorithms: 'ES256', bearer: true, scheme: 'DPoP' } });
 * err.headers['WWW-Authenticate']; // 'Bearer realm="api", DPoP realm="api", error="invalid_token", error_description="the access token expired", algs="ES256"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export interface DpopChallengeInit {
  /** The accepted proof algorithms, space-separated (the `algs` parameter). */
  readonly algorithms: string;
  /** True when bearer tokens are accepted too: the header then holds both challenges, Bearer first. */
  readonly bearer: boolean;
  /** The scheme whose challenge carries `error` when both are offered: the one the client used. Default: `'DPoP'`. */
  readonly scheme?: 'Bearer' | 'DPoP';
}

// RFC 6750 §3: realm, error_description and scope values use only %x20-21 / %x23-5B / %x5D-7E.
function quotable(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

/**
 * Builds a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3).
 *
 * @example
 * ```ts
 * bearerChallenge({ realm: 'api', code: 'invalid_token', description: 'the token expired' });
 * // 'Bearer realm="api", error="invalid_token", error_description="the token expired"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function bearerChallenge(parts: { realm: string; code?: string; description?: string; scope?: string }): string {
  let challenge = `Bearer realm="${quotable(parts.realm)}"`;
  if (parts.code !== undefined) challenge += `, error="${parts.code}"`;
  if (parts.description !== undefined) challenge += `, error_description="${quotable(parts.description)}"`;
  if (parts.scope !== undefined) challenge += `, scope="${quotable(parts.scope)}"`;
  return challenge;
}

/**
 * Builds a `WWW-Authenticate: DPoP` challenge (RFC 9449 §7.1): realm, then the error parts, then `algs`.
 *
 * @example
 * ```ts
 * dpopChallenge({ realm: 'api', algorithms: 'ES256', code: 'invalid_dpop_proof', description: 'the DPoP proof is for another URL' });
 * // 'DPoP realm="api", error="invalid_dpop_proof", error_description="the DPoP proof is for another URL", algs="ES256"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function dpopChallenge(parts: { realm: string; algorithms: string; code?: string; description?: string; scope?: string }): string {
  const { algorithms, ...bearerParts } = parts;
  // The same auth-params as a Bearer challenge (§7.1 names realm, scope, error and error_description), plus algs.
  return `DPoP${bearerChallenge(bearerParts).slice('Bearer'.length)}, algs="${quotable(algorithms)}"`;
}

/**
 * The `WWW-Authenticate` value of a resource-server error: the Bearer challenge (RFC 6750 §3), and when the
 * resource accepts DPoP the DPoP one (RFC 9449 §7.1) beside it or instead of it, the error parts on the
 * challenge of the scheme the client used.
 *
 * @example
 * ```ts
 * resourceChallenge({ realm: 'api', code: 'invalid_token', dpop: { algorithms: 'ES256', bearer: true, scheme: 'Bearer' } });
 * // 'Bearer realm="api", error="invalid_token", DPoP realm="api", algs="ES256"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.2
 */
export function resourceChallenge(parts: { realm: string; code?: string; description?: string; scope?: string; dpop?: DpopChallengeInit }): string {
  const { dpop, ...error } = parts;
  if (dpop === undefined) return bearerChallenge(error);
  // Without Bearer there is only the DPoP challenge to carry the error.
  const onDpop = !dpop.bearer || (dpop.scheme ?? 'DPoP') === 'DPoP';
  const dpopPart = dpopChallenge(onDpop ? { ...error, algorithms: dpop.algorithms } : { realm: parts.realm, algorithms: dpop.algorithms });
  if (!dpop.bearer) return dpopPart;
  return `${bearerChallenge(onDpop ? { realm: parts.realm } : error)}, ${dpopPart}`;
}

function withChallenge(code: string | undefined, init: BearerChallengeInit): OAuthErrorInit {
  const { realm, scope, dpop, ...rest } = init;
  const header = resourceChallenge({
    realm,
    ...(code === undefined ? {} : { code }),
    ...(code === undefined || rest.description === undefined ? {} : { description: rest.description }),
    ...(scope === undefined ? {} : { scope }),
    ...(dpop === undefined ? {} : { dpop }),
  });
  return { ...rest, headers: { ...rest.headers, 'WWW-Authenticate': header } };
}

/**
 * The request carried no bearer token: 401 with a bare `Bearer realm="..."` challenge. RFC 6750 §3.1 says
 * the challenge SHOULD then carry no error code, so the header has none; the body's code is
 * `unauthorized`, which is not an RFC 6750 code, only a name for renderers.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * new errors.BearerTokenMissingError({ realm: 'api' }).headers; // { 'WWW-Authenticate': 'Bearer realm="api"' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export class BearerTokenMissingError extends OAuthError {
  constructor(init: BearerChallengeInit) {
    super('unauthorized', 401, withChallenge(undefined, init));
  }
}

/**
 * The request is malformed: a broken `Authorization: Bearer` header, or the token sent by more than one
 * method (RFC 6750 §2). 400 `invalid_request`.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * app.get('/reports', (_req, _res, next) => next(new errors.InvalidBearerRequestError({ realm: 'api', description: 'the token must be sent once' })));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export class InvalidBearerRequestError extends OAuthError {
  constructor(init: BearerChallengeInit) {
    super('invalid_request', 400, withChallenge('invalid_request', init));
  }
}

/**
 * The token is expired, revoked, malformed, signed by an unknown key or meant for someone else:
 * 401 `invalid_token`.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * app.get('/reports', (_req, _res, next) => next(new errors.InvalidTokenError({ realm: 'api', description: 'the access token expired' })));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export class InvalidTokenError extends OAuthError {
  constructor(init: BearerChallengeInit) {
    super('invalid_token', 401, withChallenge('invalid_token', init));
  }
}

/**
 * The token is valid but lacks the scope the resource needs: 403 `insufficient_scope` with `scope="..."`.
 *
 * @example
 * ```ts
 * import { requireBearer } from 'keyturn/resource-server';
 * import * as errors from 'keyturn/errors';
 *
 * // A rule requireBearer's scopes cannot express: writing another user's account needs an extra scope.
 * app.put('/accounts/:id', requireBearer({ server: auth, scopes: ['/accounts.write'] }), (req, _res, next) => {
 *   if (req.params.id !== req.auth!.sub && !req.auth!.scopes.includes('/accounts.admin')) {
 *     return next(new errors.InsufficientScopeError({ realm: 'api', scope: '/accounts.admin' }));
 *   }
 *   next();
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export class InsufficientScopeError extends OAuthError {
  constructor(init: BearerChallengeInit) {
    super('insufficient_scope', 403, withChallenge('insufficient_scope', init));
  }
}
