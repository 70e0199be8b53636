import type { Client, ClientStore } from '../../clients/client';
import { InvalidRequestError } from '../../errors/token-errors';
import type { AuthorizeQuery, AuthorizeRedirectTarget } from './authorize-request';

/**
 * Identifies the client and its redirect URI, the two things an error must not be redirected without
 * (RFC 6749 §4.1.2.1: "If the request fails due to a missing, invalid, or mismatching redirection URI, or if
 * the client identifier is missing or invalid, the authorization server SHOULD inform the resource owner of
 * the error and MUST NOT automatically redirect the user-agent to the invalid redirection URI.").
 *
 * `redirect_uri` must equal one registered URI exactly, character for character (OAuth 2.1 §2.3.1; no
 * prefix, no normalisation), so no attacker-chosen path, query or host can ride on a registered one. It may
 * be omitted only when the client registered exactly one (RFC 6749 §3.1.2.3). Once both are trusted, later
 * errors go back to the client.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export async function identifyClient(
  clients: ClientStore,
  { params, repeated }: AuthorizeQuery,
): Promise<{ readonly client: Client; readonly target: AuthorizeRedirectTarget }> {
  if (repeated.includes('client_id')) throw pageError('client_id is repeated', 'client_id');
  if (repeated.includes('redirect_uri')) throw pageError('redirect_uri is repeated', 'redirect_uri');
  const clientId = params.client_id;
  if (clientId === undefined) throw pageError('client_id is required', 'client_id');
  const client = await clients.findClient(clientId);
  if (client === undefined) throw pageError('the client is not known', 'client_id');
  const registered = client.redirectUris ?? [];
  const requested = params.redirect_uri;
  let redirectUri: string;
  if (requested !== undefined) {
    if (!registered.includes(requested)) throw pageError('redirect_uri is not registered for this client', 'redirect_uri');
    redirectUri = requested;
  } else if (registered.length === 1) {
    redirectUri = registered[0] as string;
  } else {
    throw pageError(registered.length === 0 ? 'the client has no registered redirect_uri' : 'redirect_uri is required', 'redirect_uri');
  }
  // A registered URI that is not absolute, or has a fragment (§3.1.2), is a registration mistake: show it, never follow it.
  if (!URL.canParse(redirectUri) || redirectUri.includes('#')) {
    throw pageError('the client\'s registered redirect_uri is not an absolute URI without fragment', 'redirect_uri');
  }
  // state is echoed as sent (§4.1.2); a repeated state cannot be echoed, so the error goes back without it.
  return { client, target: { redirectUri, state: repeated.includes('state') ? undefined : params.state, status: 302 } };
}

function pageError(description: string, parameter: string): InvalidRequestError {
  return new InvalidRequestError({ description, parameter });
}
