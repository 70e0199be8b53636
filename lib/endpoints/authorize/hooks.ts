import type { Request, Response } from 'express';
import type { Awaitable, Client } from '../../clients/client';

/**
 * The signed-in user, as the app's {@link AuthenticateUser} hook reports them.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export interface AuthenticatedUser {
  /** The user's stable identifier: the tokens' and ID Token's `sub`. */
  readonly sub: string;
  /** When the user signed in, epoch seconds (ID Token `auth_time`). Default: now. */
  readonly authTime?: number;
}

/** What the {@link AuthenticateUser} hook is told about the authorization request. */
export interface LoginContext {
  /**
   * Where to send the browser once the user has signed in: the authorization request again, as a path
   * relative to this host (`/oauth2/authorize?...`). Redirect there after your login succeeds.
   */
  readonly returnTo: string;
  /** The client asking for authorization. */
  readonly client: Client;
  /** The scope tokens the client asked for (after defaults). */
  readonly scope: readonly string[];
}

/**
 * The app's sign-in, reused: resolve the signed-in user, or answer the request yourself (render or redirect
 * to your login page, remembering `ctx.returnTo`) and resolve `undefined`. Throwing an {@link OAuthError}
 * (e.g. `AccessDeniedError`) sends that error back to the client; any other error becomes `server_error`.
 *
 * @example
 * ```ts
 * const authenticateUser: AuthenticateUser = (req, res, ctx) => {
 *   if (req.session.userId) return { sub: req.session.userId, authTime: req.session.signedInAt };
 *   res.redirect(`/login?returnTo=${encodeURIComponent(ctx.returnTo)}`);
 *   return undefined;
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export type AuthenticateUser = (req: Request, res: Response, ctx: LoginContext) => Awaitable<AuthenticatedUser | undefined>;

/**
 * What a consent page shows and must send back. The page is a form that POSTs to `action` with every entry
 * of `fields` as a hidden input, plus `decision=allow` or `decision=deny` from its buttons.
 */
export interface ConsentDetails {
  /** The client asking for access. */
  readonly client: Client;
  /** The signed-in user. */
  readonly user: AuthenticatedUser;
  /** The scope tokens to approve. */
  readonly scope: readonly string[];
  /** The form's `action`: Keyturn's consent endpoint (`<mount>/authorize/consent`). */
  readonly action: string;
  /** Hidden form fields: the signed transaction and the CSRF token. Send them back unchanged. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * The app's consent page: render a form from `details` (escape what you print). Keyturn verifies the
 * POST (signature, expiry, CSRF token, same user) and answers the client.
 *
 * @example
 * ```ts
 * const renderConsent: RenderConsent = (_req, res, { client, scope, action, fields }) => {
 *   const hidden = Object.entries(fields).map(([n, v]) => `<input type="hidden" name="${esc(n)}" value="${esc(v)}">`).join('');
 *   res.send(`<form method="post" action="${esc(action)}">${hidden}<p>${esc(client.clientId)} asks for ${esc(scope.join(', '))}</p>
 *     <button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button></form>`);
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export type RenderConsent = (req: Request, res: Response, details: ConsentDetails) => Awaitable<void>;
