import { knownKeys, optionalObject, positiveInteger } from '../core/validate-option';
import type { RateLimiter } from '../store/rate-limiter';
import type { Store } from '../store/store';

/** The lockout's settings, every default filled in. */
export interface LockoutSettings {
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/**
 * Checks the `lockout` option once, at start-up, and fills in its defaults (documented on `LockoutOptions`);
 * `undefined` when it is off.
 */
export function resolveLockoutSettings(value: unknown): LockoutSettings | undefined {
  if (value === undefined) return undefined;
  const options = optionalObject(value as object, 'options.lockout') as Record<string, unknown>;
  knownKeys(options, { maxFailures: true, windowSeconds: true, baseSeconds: true, maxSeconds: true }, 'options.lockout');
  return {
    maxFailures: positiveInteger(options.maxFailures, 'options.lockout.maxFailures') ?? 5,
    windowSeconds: positiveInteger(options.windowSeconds, 'options.lockout.windowSeconds') ?? 900,
    baseSeconds: positiveInteger(options.baseSeconds, 'options.lockout.baseSeconds') ?? 30,
    maxSeconds: positiveInteger(options.maxSeconds, 'options.lockout.maxSeconds') ?? 3600,
  };
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

  constructor(store: Store, settings: LockoutSettings) {
    this.maxFailures = settings.maxFailures;
    this.baseSeconds = settings.baseSeconds;
    this.maxSeconds = settings.maxSeconds;
    this.failures = store.createRateLimiter({ name: 'lockout:failures', points: this.maxFailures, durationSeconds: settings.windowSeconds });
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
