import { ExpiringMap } from './expiring-map';
import { boundedKey, type RateLimiter, type RateLimiterSettings, type RateLimitResult, type RateLimitState } from './rate-limiter';

interface Window {
  consumed: number;
  /** When the window (or a block) ends, on the store's clock (ms). */
  readonly endsAt: number;
}

/**
 * The memory store's fixed-window counters. Their keys come from requests (a claimed client id, an IP
 * address), so an attacker chooses them: the windows live in a bounded {@link ExpiringMap} (past `maxEntries`
 * the oldest is evicted, like every other memory store record) and long keys are kept as a digest, so neither
 * the number nor the size of the entries grows with hostile input. Each operation runs without yielding, so on
 * Node's single thread it is atomic.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows: ExpiringMap<string, Window>;
  private readonly durationMs: number;

  constructor(
    private readonly settings: RateLimiterSettings,
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windows = new ExpiringMap(maxEntries, now);
    this.durationMs = settings.durationSeconds * 1000;
  }

  /** Open windows and blocks (for tests). */
  get size(): number {
    return this.windows.size;
  }

  async consume(key: string): Promise<RateLimitResult> {
    const k = boundedKey(key);
    const now = this.now();
    let window = this.windows.get(k);
    if (window === undefined) {
      window = { consumed: 0, endsAt: now + this.durationMs };
      this.windows.set(k, window, this.durationMs);
    }
    window.consumed += 1;
    return { allowed: window.consumed <= this.settings.points, consumed: window.consumed, msBeforeNext: Math.max(0, window.endsAt - now) };
  }

  async get(key: string): Promise<RateLimitState | undefined> {
    const window = this.windows.get(boundedKey(key));
    return window === undefined ? undefined : { consumed: window.consumed, msBeforeNext: Math.max(0, window.endsAt - this.now()) };
  }

  async block(key: string, seconds: number): Promise<void> {
    const ms = seconds * 1000;
    // As rate-limiter-flexible does: the count goes past the limit until the block ends.
    this.windows.set(boundedKey(key), { consumed: this.settings.points + 1, endsAt: this.now() + ms }, ms);
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(boundedKey(key));
  }

  async release(key: string): Promise<void> {
    const k = boundedKey(key);
    const window = this.windows.get(k);
    if (window === undefined) return;
    window.consumed -= 1;
    // A window back at zero holds nothing worth its place in the bounded map.
    if (window.consumed <= 0) this.windows.delete(k);
  }
}
