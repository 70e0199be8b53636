import type { Client } from '../../clients/client';
import type { PlainResponse } from '../../http';

/**
 * The signed-in user, as the app's `authenticateUser` hook reports them. Keyturn binds the authorization code,
 * and the tokens issued for it, to `sub`.
 *
 * @example
 * ```ts
 * import type { AuthenticatedUser } from 'keyturn';
 *
 * // The user signed in with your own login page at 09:00 UTC; `sub` never changes for them.
 * const user: AuthenticatedUser = { sub: 'user-42', authTime: Date.UTC(2025, 0, 6, 9) / 1000 };
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export interface AuthenticatedUser {
  /** The user's stable identifier: the tokens' and ID Token's `sub`. */
  readonly sub: string;
  /** When the user signed in, epoch seconds, an integer (ID Token `auth_time`). Default: now. */
  readonly authTime?: number;
}

/**
 * What the `authenticateUser` hook is told about the authorization request: enough to send a browser with
 * no session to your login page and back, and to show whom it is signing in to.
 *
 * @example
 * ```ts
 * import type { AuthenticateUser, LoginContext } from 'keyturn';
 *
 * const loginUrl = (ctx: LoginContext): string =>
 *   `/login?returnTo=${encodeURIComponent(ctx.returnTo)}&app=${encodeURIComponent(ctx.client.clientId)}`;
 * const authenticateUser: AuthenticateUser = (_req, res, ctx) => {
 *   const sub: unknown = res.locals.userId; // set by your session middleware
 *   if (typeof sub === 'string') return { sub };
 *   res.redirect(loginUrl(ctx));
 *   return undefined;
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
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
  /**
   * The request's `prompt` values (OpenID Connect Core §3.1.2.1); empty when it sent none. With `none`,
   * show no page at all: resolve the signed-in user, or resolve `undefined` **without answering the
   * request**, and Keyturn sends the client `login_required` (throw `InteractionRequiredError` from
   * `keyturn/errors` when only a page could decide). `select_account` is yours to honour.
   */
  readonly prompt: readonly PromptValue[];
  /**
   * True when the user must sign in again now, even with a session (`prompt=login`, or `max_age=0`): show
   * your login page and send the browser back to `returnTo`.
   */
  readonly forceLogin: boolean;
  /**
   * The user must have signed in at or after this time, epoch seconds, or sign in again: set by
   * `prompt=login` and by `max_age` (now − max_age). Compare your session's sign-in time, and report it as
   * `authTime`: a user whose `authTime` is earlier is refused with `login_required`. Absent when any session
   * will do.
   */
  readonly authenticatedAfter?: number;
  /** The request's `max_age`, in seconds (§3.1.2.1), when it sent one. */
  readonly maxAge?: number;
  /** The request's `login_hint` (§3.1.2.1), e.g. an email address to prefill your login form with. Untrusted input. */
  readonly loginHint?: string;
}

/**
 * A value of the `prompt` parameter (OpenID Connect Core §3.1.2.1).
 *
 * @example
 * ```ts
 * import type { PromptValue } from 'keyturn';
 *
 * const silent: readonly PromptValue[] = ['none'];
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export type PromptValue = 'none' | 'login' | 'consent' | 'select_account';

/**
 * What a consent page shows and must send back. The page is a form that POSTs to `action` with every entry
 * of `fields` as a hidden input, plus `decision=allow` or `decision=deny` from its buttons.
 *
 * @example
 * ```ts
 * import type { ConsentDetails, RenderConsent } from 'keyturn';
 *
 * const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
 * const consentPage = ({ client, scope, action, fields }: ConsentDetails): string =>
 *   `<form method="post" action="${esc(action)}">` +
 *   Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`).join('') +
 *   `<p>${esc(client.clientId)} asks for: ${esc(scope.join(', '))}</p>` +
 *   '<button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button></form>';
 * const renderConsent: RenderConsent = (_req, res, details) => void res.send(consentPage(details));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export interface ConsentDetails {
  /** The client asking for access. */
  readonly client: Client;
  /** The signed-in user. */
  readonly user: AuthenticatedUser;
  /** The scope tokens to approve. */
  readonly scope: readonly string[];
  /** The resources (RFC 8707) the tokens will be for, when the client named some: show them with the scope. */
  readonly resource?: readonly string[];
  /** The form's `action`: the path of Keyturn's consent endpoint, `<mount path>/authorize/consent`. */
  readonly action: string;
  /** Hidden form fields: the signed transaction and the CSRF token. Send them back unchanged. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * A request of the authorization endpoint in progress. The core cannot ask the person at the browser anything
 * itself: it answers at once (`respond`), or says whom the app's sign-in must identify (`login`), and the
 * adapter resumes it with what the app's hook resolved.
 */
export type SignInStart<After> =
  | { readonly kind: 'respond'; readonly response: PlainResponse }
  | {
      readonly kind: 'sign-in';
      readonly login: LoginContext;
      /** Resumes with what the sign-in hook resolved; `undefined` when the app answered the browser itself. */
      resume(user: AuthenticatedUser | null | undefined): Promise<After | undefined>;
      /** The answer to an error thrown by the app's hook: a redirect to the client, or a page. */
      fail(err: unknown): PlainResponse;
    };
