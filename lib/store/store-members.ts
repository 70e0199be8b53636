import type { Store } from './store';

// An object over keyof Store, so the compiler rejects this list as soon as the interface gains or loses a
// member: the check below cannot drift from the interface.
const MEMBERS = {
  saveAccessToken: true,
  findAccessToken: true,
  revokeAccessToken: true,
  revokeJwtId: true,
  isJwtIdRevoked: true,
  saveRefreshToken: true,
  findRefreshToken: true,
  rotateRefreshToken: true,
  revokeFamily: true,
  createRateLimiter: true,
  saveAuthorizationCode: true,
  consumeAuthorizationCode: true,
  saveConsent: true,
  findConsent: true,
  close: true,
} as const satisfies Record<keyof Store, true>;

/** Every member of {@link Store}: all are required. */
export const STORE_MEMBERS = Object.keys(MEMBERS) as ReadonlyArray<keyof Store>;

/**
 * The members of {@link Store} that `value` does not implement as functions, in interface order; empty for a
 * complete store. For checks of stores handed in from JavaScript, where the compiler did not look.
 *
 * @example
 * ```ts
 * const missing = missingStoreMembers(options.store);
 * if (missing.length > 0) throw new TypeError(`options.store must implement ${missing.map((m) => `${m}()`).join(', ')}`);
 * ```
 */
export function missingStoreMembers(value: unknown): Array<keyof Store> {
  const candidate = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return STORE_MEMBERS.filter((name) => typeof candidate[name] !== 'function');
}
