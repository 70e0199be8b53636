import type { Request } from 'express';
import type { Strategy } from 'passport';
import { Strategy as HttpBearerStrategy } from 'passport-http-bearer';
import { bearerCheckFor } from './bearer-check';
import type { BearerCheck } from './bearer-check-core';
import type { BearerOptions } from './bearer-options';

/**
 * A passport-http-bearer strategy running Keyturn's bearer core, for apps that authenticate with Passport.
 * passport-http-bearer finds that a token is present (and answers a request without one with its own 401
 * challenge); the core then re-reads the token by RFC 6750 §2 rules (header only unless enabled, so a token in
 * the query is refused by default), verifies and scope-checks it. The authenticated "user" is the
 * {@link BearerAuth}; failures are passed as errors, so they reach the app's error handler and the Keyturn
 * renderer rather than Passport's plain-text 401.
 *
 * @example
 * ```ts
 * import passport from 'passport';
 * import { bearerErrorHandler, bearerStrategy } from 'keyturn/resource-server';
 *
 * passport.use(bearerStrategy({ server: auth, scopes: ['/accounts.read'] }));
 * app.get('/accounts', passport.authenticate('bearer', { session: false }), (req, res) => res.json(req.user));
 * app.use(bearerErrorHandler({ server: auth }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export function bearerStrategy(options: BearerOptions): Strategy {
  return strategyOverCheck(bearerCheckFor(options, 'bearerStrategy'));
}

/** The strategy over a check already built (the deprecated `auth.bearerStrategy()` names itself in errors). */
export function strategyOverCheck(check: BearerCheck): Strategy {
  const verify = (req: Request, _token: string, done: (err: unknown, user?: unknown, info?: { scope?: string[] }) => void): void => {
    check.authenticate(req).then(
      (auth) => {
        req.auth = auth;
        done(null, auth, { scope: [...auth.scopes] });
      },
      (err: unknown) => done(err),
    );
  };
  return new HttpBearerStrategy<typeof verify>({ passReqToCallback: true, realm: check.realm }, verify);
}
