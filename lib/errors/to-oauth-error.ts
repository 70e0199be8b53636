import { isStoreUnavailable } from './store-unavailable-error';
import { isOAuthError, type OAuthError } from './oauth-error';
import { ServerError, TemporarilyUnavailableError } from './token-errors';

/**
 * Turns anything thrown on a request into the {@link OAuthError} to render, in one place:
 * - an OAuth error renders as it is;
 * - a store that cannot answer (Redis down or slow) is 503 `temporarily_unavailable` with `Retry-After`
 *   (RFC 6749 §4.1.2.1 names the code; RFC 9110 §10.2.3 the header), so clients retry instead of giving up;
 * - anything else is an unexpected failure: a generic `server_error` whose body says nothing of the cause.
 * The original error stays available as `cause` for the `onError` hook.
 *
 * @example
 * ```ts
 * toOAuthError(new StoreUnavailableError('Redis did not answer')).status; // 503
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function toOAuthError(err: unknown): OAuthError {
  if (isOAuthError(err)) return err;
  if (isStoreUnavailable(err)) {
    return new TemporarilyUnavailableError({
      description: 'the server is temporarily unable to handle the request; retry later',
      detail: err.message,
      headers: { 'Retry-After': String(err.retryAfterSeconds) },
      cause: err,
    });
  }
  return new ServerError({ description: 'the server failed to process the request', cause: err });
}
