import { ServerError } from '../../errors/token-errors';
import type { AuthenticatedUser } from './interaction';

/**
 * Checks what the app's `authenticateUser` hook resolved. `undefined` (or `null`) means the app answered the
 * browser itself (its login page); a user without a usable `sub` is a wiring bug reported as `server_error`.
 */
export function signedInUser(user: AuthenticatedUser | null | undefined): AuthenticatedUser | undefined {
  if (user === undefined || user === null) return undefined;
  if (typeof user.sub !== 'string' || user.sub === '' || (user.authTime !== undefined && !Number.isInteger(user.authTime))) {
    throw new ServerError({ detail: 'authenticateUser resolved a user without a non-empty string sub (or with a non-integer authTime)' });
  }
  return user;
}
