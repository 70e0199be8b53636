/**
 * Thrown by a {@link Store} that cannot answer now: its backend is down, unreachable, or too slow. The token
 * endpoint's error handler turns it into 503 `temporarily_unavailable` with `Retry-After`; custom store
 * adapters throw it for the same effect. Its message is for logs only and never reaches the client.
 *
 * @example
 * ```ts
 * const store: Store = {
 *   ...,
 *   async findAccessToken(hash) {
 *     try { return await db.get(hash); }
 *     catch (err) { throw new StoreUnavailableError('database unreachable', { cause: err }); }
 *   },
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class StoreUnavailableError extends Error {
  /** Seconds a client should wait before retrying (`Retry-After`). */
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreUnavailableError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }
}

/**
 * True when `value` is a {@link StoreUnavailableError}.
 *
 * @example
 * ```ts
 * onError: (err) => { if (isStoreUnavailable(err.cause)) metrics.increment('store_unavailable'); }
 * ```
 */
export function isStoreUnavailable(value: unknown): value is StoreUnavailableError {
  return value instanceof StoreUnavailableError;
}
