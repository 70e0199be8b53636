import type { Awaitable } from '../../clients/client';

/**
 * What the `userInfo` hook is told besides the user's `sub`: what the access token at the UserInfo endpoint
 * was granted, and to whom.
 *
 * @example
 * ```ts
 * import type { UserInfoContext } from 'keyturn';
 *
 * const context: UserInfoContext = { scope: ['openid', 'email'], clientId: 'web-app' };
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export interface UserInfoContext {
  /** The access token's granted scope tokens. */
  readonly scope: readonly string[];
  /** The client the access token was issued to. */
  readonly clientId: string;
}

/**
 * The app's user directory, asked by the UserInfo endpoint (OpenID Connect Core §5.3): resolve the user's
 * claims (Standard Claims, §5.1), or `undefined` when the user no longer exists (the endpoint then answers
 * 401 `invalid_token`). Return every claim you have: Keyturn releases only those the granted scopes
 * `profile`, `email`, `address` and `phone` ask for (§5.4), and always takes `sub` from the access token.
 *
 * @example
 * ```ts
 * import type { UserInfoHook } from 'keyturn';
 *
 * declare const users: { find(id: string): Promise<{ name: string; email: string; emailVerified: boolean } | undefined> };
 *
 * const userInfo: UserInfoHook = async (sub) => {
 *   const user = await users.find(sub);
 *   return user === undefined ? undefined : { name: user.name, email: user.email, email_verified: user.emailVerified };
 * };
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export type UserInfoHook = (sub: string, context: UserInfoContext) => Awaitable<Readonly<Record<string, unknown>> | undefined>;
