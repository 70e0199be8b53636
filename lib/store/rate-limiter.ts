import { createHash } from 'node:crypto';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Where a counted key stands in its window, as {@link RateLimiter.get} reports it. A blocked key reads as
 * past the limit (`consumed` above the limiter's points) until the block ends.
 *
 * @example
 * ```ts
 * import type { RateLimitState } from 'keyturn';
 *
 * const signIns = store.createRateLimiter({ name: 'app:sign-in', points: 5, durationSeconds: 300 });
 * const state: RateLimitState | undefined = await signIns.get('ip:203.0.113.7');
 * const attemptsLeft = state === undefined ? 5 : Math.max(0, 5 - state.consumed);
 * ```
 */
export interface RateLimitState {
  /** Points used in the current window (including the one just consumed). */
  readonly consumed: number;
  /** Milliseconds until the window (or a block) ends. */
  readonly msBeforeNext: number;
}

/**
 * The result of consuming a point: allowed or not, and the window's state. A refused point is counted too.
 *
 * @example
 * ```ts
 * import type { RateLimitResult } from 'keyturn';
 *
 * const signIns = store.createRateLimiter({ name: 'app:sign-in', points: 5, durationSeconds: 300 });
 * const result: RateLimitResult = await signIns.consume('ip:203.0.113.7');
 * if (!result.allowed) console.warn(`too many sign-ins from this address; retry in ${Math.ceil(result.msBeforeNext / 1000)} s`);
 * ```
 */
export interface RateLimitResult extends RateLimitState {
  /** True while `consumed` is within the limiter's points. */
  readonly allowed: boolean;
}

/**
 * Settings of a rate limiter a store creates with {@link Store.createRateLimiter}.
 *
 * @example
 * ```ts
 * import type { RateLimiterSettings } from 'keyturn';
 *
 * const settings: RateLimiterSettings = { name: 'app:sign-in', points: 5, durationSeconds: 300 };
 * const signIns = store.createRateLimiter(settings);
 * ```
 */
export interface RateLimiterSettings {
  /**
   * Distinguishes this limiter's keys from other limiters' in the same store. Keyturn's own limiters are
   * named `ratelimit` and `lockout:` followed by `address`, `pair`, `client`, `locks` and `known`; give yours
   * a prefix of your own.
   */
  readonly name: string;
  /** Points per window. */
  readonly points: number;
  /** Window length in seconds. */
  readonly durationSeconds: number;
}

/**
 * A fixed-window counter kept by the {@link Store}, so several instances sharing a store share limits.
 * Every operation is one atomic store call. The server's `rateLimit` and `lockout` options run on these; an
 * app may create its own for its own endpoints, and a Store adapter implements it.
 *
 * @example
 * ```ts
 * import type { RateLimiter } from 'keyturn';
 *
 * // Five sign-in attempts per address per 5 minutes, on every instance sharing the store. Keyed on who is
 * // asking, not on the account named, so nobody can lock another user out.
 * const signIns: RateLimiter = store.createRateLimiter({ name: 'app:sign-in', points: 5, durationSeconds: 300 });
 * app.post('/login', async (req, res, next) => {
 *   const { allowed, msBeforeNext } = await signIns.consume(`ip:${req.ip}`);
 *   if (!allowed) return void res.status(429).set('Retry-After', String(Math.ceil(msBeforeNext / 1000))).end();
 *   next();
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export interface RateLimiter {
  /** Counts one point against `key`. */
  consume(key: string): Promise<RateLimitResult>;
  /** The key's state, or `undefined` when it has no window open. */
  get(key: string): Promise<RateLimitState | undefined>;
  /** Blocks `key` for `seconds`: until then `get` reports it over the limit. */
  block(key: string, seconds: number): Promise<void>;
  /** Forgets `key`. */
  reset(key: string): Promise<void>;
  /**
   * Gives back one point consumed in `key`'s current window, for a point that was reserved before some work
   * and turned out not to count (a right secret, say). A key with no open window is left alone, and a window
   * back at zero is forgotten, so returned points leave nothing stored. A point reserved in a window that has
   * ended since can still credit a window another consume has opened, by that one point.
   */
  release(key: string): Promise<void>;
}

/**
 * Adapts a rate-limiter-flexible limiter (memory, Redis and more share its API) to {@link RateLimiter}.
 * rate-limiter-flexible rejects with a `RateLimiterRes` when over the limit and with an `Error` when its
 * store fails; only the latter is a failure here. Its own `reward` would open a window below zero for a key
 * that has expired, so `release` is the store's own atomic decrement of the limiter's key (`getKey`).
 */
export function fromRateLimiterFlexible(limiter: RateLimiterAbstract, release: (limiterKey: string) => Promise<void>): RateLimiter {
  const state = (res: RateLimiterRes): RateLimitState => ({ consumed: res.consumedPoints, msBeforeNext: Math.max(0, res.msBeforeNext) });
  return {
    consume: (key) =>
      limiter.consume(boundedKey(key)).then(
        (res) => ({ allowed: true, ...state(res) }),
        (rejection: unknown) => {
          if (rejection instanceof Error) throw rejection;
          return { allowed: false, ...state(rejection as RateLimiterRes) };
        },
      ),
    get: async (key) => {
      const res = await limiter.get(boundedKey(key));
      return res === null ? undefined : state(res);
    },
    block: async (key, seconds) => {
      await limiter.block(boundedKey(key), seconds);
    },
    reset: async (key) => {
      await limiter.delete(boundedKey(key));
    },
    release: (key) => release(limiter.getKey(boundedKey(key))),
  };
}

const MAX_KEY_LENGTH = 128;

/**
 * A counter key of bounded size. Keys hold request input (a claimed client id can be as long as a body or an
 * Authorization header allows), so a long one is kept as its SHA-256; `#` marks digests, and a key that
 * happens to start with it is digested too, so no plain key can equal a digest.
 */
export function boundedKey(key: string): string {
  if (key.length <= MAX_KEY_LENGTH && !key.startsWith('#')) return key;
  return `#${createHash('sha256').update(key).digest('base64url')}`;
}
