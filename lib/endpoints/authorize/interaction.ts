import type { Client } from '../../clients/client';

/**
 * The signed-in user, as the app's `authenticateUser` hook reports them.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export interface AuthenticatedUser {
  /** The user's stable identifier: the tokens' and ID Token's `sub`. */
  readonly sub: string;
  /** When the user signed in, epoch seconds (ID Token `auth_time`). Default: now. */
  readonly authTime?: number;
}

/** What the `authenticateUser` hook is told about the authorization request. */
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
