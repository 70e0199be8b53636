import type { PlainRequest } from '../http';
import type { OAuthError } from './oauth-error';

/**
 * Called with every error Keyturn renders, for logging. `error.detail` and `error.cause` hold what the
 * client is not told; neither ever contains a secret or a token.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type ErrorListener } from 'keyturn';
 *
 * const onError: ErrorListener = (err, req) => console.warn(JSON.stringify({ code: err.code, status: err.status, detail: err.detail, path: req.path }));
 * createAuthorizationServer({ clients, onError });
 * ```
 */
export type ErrorListener = (error: OAuthError, req: PlainRequest) => void;
