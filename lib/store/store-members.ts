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
  useOnce: true,
  loadKeyRing: true,
  saveKeyRing: true,
  close: true,
} as const satisfies Record<Exclude<keyof Store, 'shared'>, true>;

/** Every method of {@link Store}: all are required, as is the `shared` flag. */
export const STORE_MEMBERS = Object.keys(MEMBERS) as ReadonlyArray<Exclude<keyof Store, 'shared'>>;

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
  const missing: Array<keyof Store> = STORE_MEMBERS.filter((name) => typeof candidate[name] !== 'function');
  if (typeof candidate.shared !== 'boolean') missing.push('shared');
  return missing;
}
