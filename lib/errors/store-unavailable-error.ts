/**
 * Thrown by a {@link "keyturn"!Store} that cannot answer now: its backend is down, unreachable, or too slow. The token
 * endpoint's error handler turns it into 503 `temporarily_unavailable` with `Retry-After`; custom store
 * adapters throw it for the same effect. Its message is for logs only and never reaches the client.
 *
 * @example
 * ```ts
 * import type { AccessTokenRecord, Store } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * declare const db: { get(key: string): Promise<AccessTokenRecord | undefined> }; // your backend
 *
 * // One member of a custom Store adapter: a backend failure becomes a 503 the client retries, not a 500.
 * const findAccessToken: Store['findAccessToken'] = async (tokenHash) => {
 *   try {
 *     return await db.get(`at:${tokenHash}`);
 *   } catch (err) {
 *     throw new errors.StoreUnavailableError('database unreachable', { cause: err, retryAfterSeconds: 5 });
 *   }
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class StoreUnavailableError extends Error {
  /** Seconds a client should wait before retrying (`Retry-After`). Default: 1. */
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
 * import { createAuthorizationServer } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * // The 503 the client got is an OAuthError; the store's own error is its cause.
 * let storeOutages = 0;
 * createAuthorizationServer({ clients, store, onError: (err) => { if (errors.isStoreUnavailable(err.cause)) storeOutages += 1; } });
 * ```
 */
export function isStoreUnavailable(value: unknown): value is StoreUnavailableError {
  return value instanceof StoreUnavailableError;
}
