import type { BearerCheck } from './bearer-check-core';
import { checkBearerOptions } from './check-bearer-options';
import type { BearerOptions, LocalBearerOptions, RemoteBearerOptions } from './bearer-options';
import { localBearerCheck } from './local-bearer-check';
import { remoteBearerCheck } from './remote-bearer-check';

/**
 * The framework-free bearer check (RFC 6750): extracts the token, verifies it, checks its scope. Every failure
 * is an `OAuthError` carrying its `WWW-Authenticate` challenge. {@link requireBearer} and
 * {@link bearerStrategy} are its Express and Passport wrappers; any other framework calls it directly.
 *
 * @example
 * ```ts
 * import { createBearerCheck } from 'keyturn/resource-server';
 *
 * const check = createBearerCheck({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' });
 * const auth = await check.authenticate({ method: 'GET', headers: { authorization: `Bearer ${process.env.ACCESS_TOKEN}` } });
 * console.log(auth.clientId, auth.scopes);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export function createBearerCheck(options: BearerOptions): BearerCheck {
  return bearerCheckFor(options, 'createBearerCheck');
}

/** {@link createBearerCheck}, naming the function the app called in its option errors. */
export function bearerCheckFor(options: BearerOptions, caller: string): BearerCheck {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${caller}: options must be an object`);
  if ('server' in options && options.server !== undefined) {
    if ('issuer' in options && options.issuer !== undefined) throw new TypeError(`${caller}: give options.server or options.issuer, not both`);
    checkBearerOptions(options, true, caller);
    return localBearerCheck(options as LocalBearerOptions, caller);
  }
  checkBearerOptions(options, false, caller);
  return remoteBearerCheck(options as RemoteBearerOptions, caller);
}
