import type { Client } from './client';

/**
 * Whether a client must use PKCE (RFC 7636) in the authorization code flow: `'required'`, or `'optional'`
 * for a confidential client that cannot send `code_challenge` yet. RFC 9700 §2.1.1 lets only confidential
 * clients go without it, since their secret binds the code to them; a public client has nothing else.
 *
 * @example
 * ```ts
 * import { hashClientSecret, type Client, type PkcePolicy } from 'keyturn';
 *
 * // A server-side web app whose OAuth library predates PKCE; every other client still must use it.
 * const pkce: PkcePolicy = 'optional';
 * const legacyWebApp: Client = {
 *   clientId: 'legacy-portal',
 *   clientSecretHash: await hashClientSecret(process.env.PORTAL_SECRET!),
 *   grants: ['authorization_code'],
 *   scopes: ['openid'],
 *   redirectUris: ['https://portal.example.com/callback'],
 *   pkce,
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export type PkcePolicy = 'required' | 'optional';

/**
 * Whether `client` must send `code_challenge` (and so `code_verifier`): always for a public client, then its
 * own `pkce`, then the server's `authorization.pkce.requireForConfidentialClients`.
 */
export function clientMustUsePkce(client: Client, requireForConfidentialClients: boolean): boolean {
  // A ClientStore is read per request and never validated: a public client marked optional, or a value that is
  // not a policy at all, must not weaken PKCE.
  if (client.tokenEndpointAuthMethod === 'none') return true;
  if (client.pkce === undefined) return requireForConfidentialClients;
  return client.pkce !== 'optional';
}
