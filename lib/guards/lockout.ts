import type { RateLimiter } from '../store/rate-limiter';
import type { Store } from '../store/store';

/**
 * Settings of the failed-authentication lockout (the server's `lockout` option): after `maxFailures` failed
 * secret checks of one client id within `windowSeconds`, that id is refused with 429 and `Retry-After` for
 * `baseSeconds`, doubling with each further lock in a day up to `maxSeconds`. The counters live in the store,
 * so the lock holds on every instance sharing it. Public clients (`tokenEndpointAuthMethod: 'none'`) have no
 * secret to guess and are not counted; a successful authentication clears the count.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type LockoutOptions } from 'keyturn';
 *
 * const lockout: LockoutOptions = { maxFailures: 10, windowSeconds: 600, baseSeconds: 60, maxSeconds: 1800 };
 * createAuthorizationServer({ clients, store, lockout });
 * ```
 */
export interface LockoutOptions {
  /** Failed authentications of one client id, within `windowSeconds`, that lock it. Default: 5. */
  maxFailures?: number;
  /** Window failures are counted in, seconds. Default: 900. */
  windowSeconds?: number;
  /** First lock's length, seconds; each further lock within a day doubles it. Default: 30. */
  baseSeconds?: number;
  /** Longest lock, seconds. Default: 3600. */
  maxSeconds?: number;
}

/** A client id's lockout state. */
export type LockStatus = { readonly locked: false; readonly failures: number } | { readonly locked: true; readonly retryAfterSeconds: number };

const DAY = 86_400;

/**
 * Locks a client id out after repeated failed authentications, for an interval that doubles with each
 * lock in a day. Counters live in the store, so the lock holds across instances. It is keyed by the
 * claimed client id whether or not that client exists, and an unknown id is counted and locked the same
 * way, so a lockout tells nothing about which ids exist.
 */
export class ClientLockout {
  private readonly failures: RateLimiter;
  private readonly locks: RateLimiter;
  private readonly maxFailures: number;
  private readonly baseSeconds: number;
  private readonly maxSeconds: number;

  constructor(store: Store, options: LockoutOptions) {
    this.maxFailures = options.maxFailures ?? 5;
    this.baseSeconds = options.baseSeconds ?? 30;
    this.maxSeconds = options.maxSeconds ?? 3600;
    this.failures = store.createRateLimiter({ name: 'lockout:failures', points: this.maxFailures, durationSeconds: options.windowSeconds ?? 900 });
    this.locks = store.createRateLimiter({ name: 'lockout:locks', points: Number.MAX_SAFE_INTEGER, durationSeconds: DAY });
  }

  async status(clientId: string): Promise<LockStatus> {
    const state = await this.failures.get(clientId);
    if (state === undefined) return UNLOCKED;
    // A block sets the count past the limit until it expires.
    if (state.consumed > this.maxFailures && state.msBeforeNext > 0) {
      return { locked: true, retryAfterSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) };
    }
    return { locked: false, failures: state.consumed };
  }

  /** Counts a failure; locks the id when it reaches the limit. */
  async recordFailure(clientId: string): Promise<void> {
    const result = await this.failures.consume(clientId);
    if (result.consumed < this.maxFailures) return;
    const { consumed: lockNumber } = await this.locks.consume(clientId);
    const seconds = Math.min(this.maxSeconds, this.baseSeconds * 2 ** Math.min(30, lockNumber - 1));
    await this.failures.block(clientId, seconds);
  }

  /** Clears the failure count after a success, when there was one to clear. */
  async recordSuccess(clientId: string, status: LockStatus): Promise<void> {
    if (!status.locked && status.failures > 0) await this.failures.reset(clientId);
  }
}

const UNLOCKED: LockStatus = Object.freeze({ locked: false, failures: 0 });
