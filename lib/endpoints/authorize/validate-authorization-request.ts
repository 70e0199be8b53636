import { allowedScopes, defaultScopes } from '../../clients/client-scopes';
import { UnsupportedResponseTypeError } from '../../errors/authorization-errors';
import { InvalidRequestError, UnauthorizedClientError } from '../../errors/token-errors';
import { resolveScope } from '../../scope';
import { requestedResources } from '../../clients/client-resources';
import { InvalidTargetError } from '../../errors/target-errors';
import type { AuthorizationSettings } from './resolve-authorization-options';
import type { Client } from '../../clients/client';
import { clientMustUsePkce } from '../../clients/pkce-policy';
import type { AuthorizationRequest, AuthorizeQuery, AuthorizeRedirectTarget } from './authorize-request';
import { isPkceValue, type CodeChallengeMethod } from '../../grants/pkce';
import { readLoginParameters } from './login-parameters';
import { checkParameterLengths } from './parameter-limits';

/**
 * Checks the rest of the authorization request, now that errors can be redirected (RFC 6749 §4.1.2.1):
 * `response_type=code` (OAuth 2.1 keeps only the code flow), the client's right to the grant, `scope`
 * (§3.3), and PKCE (RFC 7636 §4.3): `S256` always accepted, `plain` only when enabled, and a challenge
 * required of public clients and, unless the client's `pkce` or the server's setting makes it optional for a
 * confidential one, of every client (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export function validateAuthorizationRequest(
  settings: AuthorizationSettings,
  { params, repeated, resources, resourceMalformed }: AuthorizeQuery,
  client: Client,
  target: AuthorizeRedirectTarget,
): AuthorizationRequest {
  if (repeated.length > 0) {
    const name = repeated[0] as string;
    throw new InvalidRequestError({ description: `parameter ${safe(name)} is repeated`, parameter: safe(name) });
  }
  checkParameterLengths(params);
  const responseType = params.response_type;
  if (responseType === undefined) throw new InvalidRequestError({ description: 'response_type is required', parameter: 'response_type' });
  if (responseType !== 'code') {
    throw new UnsupportedResponseTypeError({ description: 'response_type must be code', parameter: 'response_type' });
  }
  if (!client.grants.includes('authorization_code')) {
    throw new UnauthorizedClientError({ description: 'this client may not use the authorization_code grant' });
  }
  const scope = resolveScope(params.scope, allowedScopes(client), defaultScopes(client));
  // RFC 8707 §2: "the authorization server ... SHOULD refuse the request with an invalid_target error
  // response": redirected, like the other errors once the redirect URI is trusted.
  if (resourceMalformed === true) throw new InvalidTargetError({ description: 'resource must be an absolute URI without a fragment', parameter: 'resource' });
  const resource = requestedResources(client, resources);

  const challenge = params.code_challenge;
  const method = params.code_challenge_method;
  let codeChallengeMethod: CodeChallengeMethod | undefined;
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequestError({ description: 'code_challenge_method without code_challenge', parameter: 'code_challenge' });
    if (clientMustUsePkce(client, settings.requirePkceForConfidentialClients)) {
      throw new InvalidRequestError({ description: 'code_challenge is required (PKCE, RFC 7636)', parameter: 'code_challenge' });
    }
  } else {
    // RFC 7636 §4.3: the method defaults to "plain" when absent.
    const requested = method ?? 'plain';
    if (requested === 'S256') codeChallengeMethod = 'S256';
    else if (requested === 'plain' && settings.allowPlainPkce) codeChallengeMethod = 'plain';
    else {
      throw new InvalidRequestError({ description: 'code_challenge_method must be S256', parameter: 'code_challenge_method' });
    }
    if (!isPkceValue(challenge) || (codeChallengeMethod === 'S256' && challenge.length !== 43)) {
      throw new InvalidRequestError({ description: 'code_challenge is malformed', parameter: 'code_challenge' });
    }
  }
  // RFC 9449 §10: the thumbprint of the key the token request will prove; a SHA-256 in base64url.
  const dpopJkt = params.dpop_jkt;
  if (dpopJkt !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(dpopJkt)) {
    throw new InvalidRequestError({ description: 'dpop_jkt must be a base64url SHA-256 JWK thumbprint', parameter: 'dpop_jkt' });
  }
  const login = readLoginParameters(params);
  return {
    ...(dpopJkt === undefined ? {} : { dpopJkt }),
    ...login,
    client,
    redirectUri: target.redirectUri,
    redirectUriSent: params.redirect_uri !== undefined,
    scope,
    ...(resource === undefined ? {} : { resource }),
    state: params.state,
    codeChallenge: challenge,
    codeChallengeMethod,
    nonce: params.nonce,
  };
}

function safe(name: string): string {
  const printable = name.replace(/[^\x20-\x7E]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}...` : printable;
}
