// Access tokens for the DPoP resource specs, as a client gets them: from the token endpoint, with a proof
// made by jose when the token is to be bound (RFC 9449 §5).
import type { Client } from '../../lib';
import { proof, type DpopKey } from './dpop';

/**
 * A client_credentials token from the token endpoint at `tokenUrl` (a listening server): bound to `key` when
 * given (the request carries a DPoP proof for the token endpoint, RFC 9449 §5), a bearer token otherwise.
 */
export async function tokenFromEndpoint(tokenUrl: string, client: Client, key?: DpopKey): Promise<string> {
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret ?? ''}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (key !== undefined) headers.dpop = await proof(key, { htm: 'POST', htu: tokenUrl });
  const res = await fetch(tokenUrl, { method: 'POST', headers, body: 'grant_type=client_credentials' });
  const body = (await res.json()) as { access_token?: string; token_type?: string };
  const expectedType = key === undefined ? 'Bearer' : 'DPoP';
  if (res.status !== 200 || typeof body.access_token !== 'string' || body.token_type !== expectedType) {
    throw new Error(`token request failed: ${res.status} ${JSON.stringify({ ...body, access_token: undefined })}`);
  }
  return body.access_token;
}
