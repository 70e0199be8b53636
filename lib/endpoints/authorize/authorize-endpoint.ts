import type { Request, RequestHandler, Response } from 'express';
import { asyncMiddleware } from './async-middleware';
import type { Client } from '../../clients/client';
import { ServerError } from '../../errors/token-errors';
import type { Store } from '../../store/store';
import type { AuthorizationSettings } from './authorization-options';
import { getAuthorizationRequest, getRedirectTarget, type AuthorizeRedirectTarget } from './authorize-state';
import { redirectToClient } from './authorize-response';
import { csrfHash, issueCsrfToken } from './csrf-cookie';
import type { AuthenticatedUser, LoginContext } from './hooks';
import { issueAuthorizationCode, type CodeBinding } from './issue-authorization-code';

/**
 * The end of `GET /authorize` for a valid request: ask the app who is signed in (its own login page
 * otherwise), then either answer at once when this user already consented to these scopes for this client,
 * or hand the app's consent page a signed transaction and a CSRF token to post back.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export function authorizeEndpoint(settings: AuthorizationSettings, store: Store): RequestHandler {
  return asyncMiddleware(async function authorizeEndpointMiddleware(req, res) {
    const request = getAuthorizationRequest(req);
    const target = getRedirectTarget(req) as AuthorizeRedirectTarget;
    const user = await signedInUser(settings, req, res, { returnTo: req.originalUrl, client: request.client, scope: request.scope });
    if (user === undefined) return;
    const binding: CodeBinding = {
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      redirectUriSent: request.redirectUriSent,
      sub: user.sub,
      scope: request.scope,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      nonce: request.nonce,
      authTime: user.authTime ?? Math.floor(Date.now() / 1000),
    };

    if (settings.consentTtl !== undefined && (await hasConsented(store, user.sub, request.client, request.scope))) {
      return sendCode(settings, store, res, target, binding);
    }

    const csrfToken = issueCsrfToken(req, res, settings.transactionTtl);
    const transaction = settings.transactions.seal({
      exp: Math.floor(Date.now() / 1000) + settings.transactionTtl,
      clientId: binding.clientId,
      redirectUri: binding.redirectUri,
      redirectUriSent: binding.redirectUriSent,
      scope: binding.scope,
      ...(request.state === undefined ? {} : { state: request.state }),
      ...(binding.codeChallenge === undefined ? {} : { codeChallenge: binding.codeChallenge, codeChallengeMethod: binding.codeChallengeMethod ?? 'plain' }),
      ...(binding.nonce === undefined ? {} : { nonce: binding.nonce }),
      sub: user.sub,
      authTime: binding.authTime,
      csrfHash: csrfHash(csrfToken),
    });
    await settings.renderConsent(req, res, {
      client: request.client,
      user,
      scope: request.scope,
      action: `${req.baseUrl}/authorize/consent`,
      fields: { transaction, csrf_token: csrfToken },
    });
  });
}

/**
 * Runs the app's `authenticateUser` hook and checks what it resolved. `undefined` means the app answered
 * (its login page); a user without a usable `sub` is a wiring bug reported as `server_error`.
 */
export async function signedInUser(
  settings: AuthorizationSettings,
  req: Request,
  res: Response,
  ctx: LoginContext,
): Promise<AuthenticatedUser | undefined> {
  const user = await settings.authenticateUser(req, res, ctx);
  if (user === undefined || user === null) return undefined;
  if (typeof user.sub !== 'string' || user.sub === '' || (user.authTime !== undefined && !Number.isInteger(user.authTime))) {
    throw new ServerError({ detail: 'authenticateUser resolved a user without a non-empty string sub (or with a non-integer authTime)' });
  }
  return user;
}

/** True when the user's remembered consent for the client covers every requested scope. */
async function hasConsented(store: Store, sub: string, client: Client, scope: readonly string[]): Promise<boolean> {
  const consent = await store.findConsent(sub, client.clientId);
  return consent !== undefined && scope.every((s) => consent.scope.includes(s));
}

/**
 * Issues the code and redirects to the client with `code`, `state` and `iss` (RFC 6749 §4.1.2, RFC 9207 §2).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export async function sendCode(
  settings: AuthorizationSettings,
  store: Store,
  res: Response,
  target: AuthorizeRedirectTarget,
  binding: CodeBinding,
): Promise<void> {
  const code = await issueAuthorizationCode(store, binding, settings.codeTtl);
  redirectToClient(res, target, { code, state: target.state, iss: settings.issuer });
}
