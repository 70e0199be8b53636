import { deriveKey, KEY_LABELS } from '../crypto/derive-key';
import { open, seal } from '../crypto/seal';

const PREFIX = '$sealed-v1$';

/**
 * Seals a `client_secret_jwt` client's secret under the server's `secret` (AES-256-GCM with a key derived by
 * HKDF, bound to the client id), for the client's `clientSecretSealed` field. Unlike the other secret methods,
 * `client_secret_jwt` needs the secret itself to check the assertion's HMAC, so a hash cannot stand in for it;
 * sealed, it is useless to whoever reads the client's record without the server's `secret`. Give the same
 * `secret` as the server's option; a sealed secret moved to another client id does not open.
 *
 * The secret must be at least as long as the HMAC's hash (RFC 7518 §3.2): 32 bytes for HS256, 48 for HS384,
 * 64 for HS512.
 *
 * @param clientId The client the secret belongs to.
 * @param clientSecret The secret the client signs its assertions with.
 * @param serverSecret The server's `secret` option (at least 32 bytes).
 * @example
 * ```ts
 * import { createAuthorizationServer, sealClientSecret } from 'keyturn';
 *
 * const clientSecretSealed = sealClientSecret('billing', process.env.BILLING_SECRET!, process.env.KEYTURN_SECRET!);
 * createAuthorizationServer({
 *   issuer, secret: process.env.KEYTURN_SECRET!,
 *   clients: [{ clientId: 'billing', tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretSealed, grants: ['client_credentials'], scopes: [] }],
 * });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
export function sealClientSecret(clientId: string, clientSecret: string, serverSecret: string | Buffer): string {
  if (typeof clientId !== 'string' || clientId === '') throw new TypeError('sealClientSecret: clientId must be a non-empty string');
  if (typeof clientSecret !== 'string' || clientSecret === '') throw new TypeError('sealClientSecret: clientSecret must be a non-empty string');
  return PREFIX + seal(clientSecret, context(clientId), deriveKey(serverSecret, KEY_LABELS.clientSecret));
}

/** The key that opens sealed client secrets, derived once from the server's secret. */
export function clientSecretSealingKey(serverSecret: Buffer): Buffer {
  return deriveKey(serverSecret, KEY_LABELS.clientSecret);
}

/** The secret's bytes; `undefined` when it was not sealed by {@link sealClientSecret} for this client and key. */
export function openClientSecret(clientId: string, sealed: string, key: Buffer): Buffer | undefined {
  if (typeof sealed !== 'string' || !sealed.startsWith(PREFIX)) return undefined;
  return open(sealed.slice(PREFIX.length), context(clientId), key);
}

function context(clientId: string): string {
  return `client_secret_jwt\0${clientId}`;
}
