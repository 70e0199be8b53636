import type { PlainRequest } from '../http';
import type { OAuthError } from './oauth-error';

/**
 * Called with every error Keyturn renders, for logging. `error.detail` and `error.cause` hold what the
 * client is not told; neither ever contains a secret or a token.
 *
 * @example
 * ```ts
 * const onError: ErrorListener = (err, req) => log.warn({ code: err.code, detail: err.detail, path: req.path });
 * ```
 */
export type ErrorListener = (error: OAuthError, req: PlainRequest) => void;
