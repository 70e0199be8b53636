import type { ErrorRenderer } from '../../lib';

/**
 * The Falcon seed's error envelope: `{meta: {pagination}, errors: [{httpcode, message}]}`. Its document lists
 * 400 and 403: failed client authentication is answered 403 (Forbidden) rather than 401.
 */
export const renderFalconError: ErrorRenderer = (error) => {
  const status = error.status === 401 ? 403 : error.status;
  const { ['WWW-Authenticate']: _challenge, ...headers } = error.headers;
  return {
    status,
    headers,
    body: {
      meta: { pagination: { limit: 0, offset: 0, total_count: 0 } },
      errors: [{ httpcode: status, message: error.description ?? error.code }],
    },
  };
};
