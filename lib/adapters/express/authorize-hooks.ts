import type { Request, Response } from 'express';
import type { Awaitable } from '../../clients/client';
import type { AuthenticatedUser, ConsentDetails, LoginContext } from '../../endpoints/authorize/interaction';

// The authorization endpoint's hooks as Express apps write them: the core decides the protocol, and these let
// the app's own sign-in and consent pages answer the browser.

/**
 * The app's sign-in, reused: resolve the signed-in user, or answer the request yourself (render or redirect
 * to your login page, remembering `ctx.returnTo`) and resolve `undefined`. Throwing an {@link "keyturn/errors"!OAuthError}
 * (e.g. `AccessDeniedError`) sends that error back to the client; any other error becomes `server_error`.
 *
 * OpenID Connect's sign-in parameters (Core §3.1.2.1) arrive in `ctx`: with `ctx.prompt` including `none`,
 * answer nothing (resolve the user, or `undefined` and Keyturn redirects `login_required`); with
 * `ctx.forceLogin`, show the login page even to a signed-in user; a session that began before
 * `ctx.authenticatedAfter` must sign in again. Report the sign-in time as `authTime`.
 *
 * @example
 * ```ts
 * import type { Request } from 'express';
 * import type { AuthenticateUser } from 'keyturn';
 *
 * declare function sessionOf(req: Request): { userId: string; signedInAt: number } | undefined; // your sessions
 *
 * const authenticateUser: AuthenticateUser = (req, res, ctx) => {
 *   const session = sessionOf(req);
 *   const recent = session !== undefined && !ctx.forceLogin && session.signedInAt >= (ctx.authenticatedAfter ?? 0);
 *   if (recent) return { sub: session.userId, authTime: session.signedInAt };
 *   if (ctx.prompt.includes('none')) return undefined; // no page: the client gets login_required
 *   res.redirect(`/login?returnTo=${encodeURIComponent(ctx.returnTo)}&hint=${encodeURIComponent(ctx.loginHint ?? '')}`);
 *   return undefined;
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export type AuthenticateUser = (req: Request, res: Response, ctx: LoginContext) => Awaitable<AuthenticatedUser | undefined>;

/**
 * The app's consent page: render a form from `details` (escape what you print). Keyturn verifies the
 * POST (signature, expiry, CSRF token, same user) and answers the client.
 *
 * @example
 * ```ts
 * import type { RenderConsent } from 'keyturn';
 *
 * const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
 * const renderConsent: RenderConsent = (_req, res, { client, scope, action, fields }) => {
 *   const hidden = Object.entries(fields).map(([n, v]) => `<input type="hidden" name="${esc(n)}" value="${esc(v)}">`).join('');
 *   res.send(`<form method="post" action="${esc(action)}">${hidden}<p>${esc(client.clientId)} asks for ${esc(scope.join(', '))}</p>
 *     <button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button></form>`);
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export type RenderConsent = (req: Request, res: Response, details: ConsentDetails) => Awaitable<void>;
