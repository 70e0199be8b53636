import type { Client, ErrorRenderer } from '../../lib';

/**
 * The Falcon seed's clients: its MOD2 token request lists `code_challenge` as optional and no `code_verifier`
 * at all, so a confidential client may leave PKCE out (RFC 9700 §2.1.1 allows it for them alone, as their
 * secret binds the code). Public clients keep it required; a client that states its own `pkce` keeps it.
 */
export function falconClients(clients: readonly Client[]): readonly Client[] {
  return clients.map((client) => (client.tokenEndpointAuthMethod === 'none' || client.pkce !== undefined ? client : { ...client, pkce: 'optional' }));
}

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
