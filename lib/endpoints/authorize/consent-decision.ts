import type { RequestHandler } from 'express';
import { asyncMiddleware } from './async-middleware';
import type { ClientStore } from '../../clients/client';
import { AccessDeniedError } from '../../errors/authorization-errors';
import { InvalidRequestError } from '../../errors/token-errors';
import { formatScope } from '../../scope';
import type { Store } from '../../store/store';
import type { AuthorizationSettings } from './authorization-options';
import { sendCode, signedInUser } from './authorize-endpoint';
import { getConsentParams, setRedirectTarget, type AuthorizeRedirectTarget } from './authorize-state';
import { checkCsrfToken } from './csrf-cookie';
import type { AuthorizationTransaction } from './transaction';

/**
 * `POST /authorize/consent`: the consent form's answer. The transaction must be intact and unexpired, the
 * CSRF token must match the browser's cookie (RFC 6749 §10.12), the client must still have the redirect URI,
 * and the signed-in user must be the one the page was shown to. Until all of that holds, errors are a page;
 * after it, `deny` goes back to the client as `access_denied` and `allow` as a code (§4.1.2).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function consentDecision(settings: AuthorizationSettings, clients: ClientStore, store: Store): RequestHandler {
  return asyncMiddleware(async function consentDecisionMiddleware(req, res) {
    const params = getConsentParams(req);
    const transaction = params.transaction === undefined ? undefined : settings.transactions.open(params.transaction);
    if (transaction === undefined) {
      throw new InvalidRequestError({ description: 'the consent form has expired or is not valid; start again from the application', parameter: 'transaction' });
    }
    if (!checkCsrfToken(req, params.csrf_token, transaction.csrfHash)) {
      throw new InvalidRequestError({ description: 'the consent form failed its CSRF check; start again from the application', parameter: 'csrf_token', status: 403 });
    }
    const client = await clients.findClient(transaction.clientId);
    if (client === undefined || !(client.redirectUris ?? []).includes(transaction.redirectUri)) {
      throw new InvalidRequestError({ description: 'the client or its redirect_uri is no longer registered' });
    }
    const user = await signedInUser(settings, req, res, { returnTo: authorizeUrl(req.baseUrl, transaction), client, scope: transaction.scope });
    if (user === undefined) return;
    if (user.sub !== transaction.sub) {
      throw new InvalidRequestError({ description: 'the consent form was shown to another user; start again from the application', status: 403 });
    }

    const target: AuthorizeRedirectTarget = { redirectUri: transaction.redirectUri, state: transaction.state, status: 303 };
    setRedirectTarget(req, target);
    if (params.decision === 'deny') throw new AccessDeniedError({ description: 'the user denied the request' });
    if (params.decision !== 'allow') throw new InvalidRequestError({ description: 'decision must be allow or deny', parameter: 'decision' });

    if (settings.consentTtl !== undefined) {
      // Remember the union with what this user already approved for this client.
      const earlier = await store.findConsent(user.sub, client.clientId);
      const scope = [...new Set([...(earlier?.scope ?? []), ...transaction.scope])];
      await store.saveConsent(user.sub, client.clientId, { scope, grantedAt: Math.floor(Date.now() / 1000) }, settings.consentTtl);
    }
    await sendCode(settings, store, res, target, {
      clientId: transaction.clientId,
      redirectUri: transaction.redirectUri,
      redirectUriSent: transaction.redirectUriSent,
      sub: transaction.sub,
      scope: transaction.scope,
      codeChallenge: transaction.codeChallenge,
      codeChallengeMethod: transaction.codeChallengeMethod,
      nonce: transaction.nonce,
      authTime: transaction.authTime,
    });
  });
}

/** The authorization request a transaction came from, for a login that has to start over. */
function authorizeUrl(baseUrl: string, t: AuthorizationTransaction): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: t.clientId });
  if (t.redirectUriSent) query.set('redirect_uri', t.redirectUri);
  if (t.scope.length > 0) query.set('scope', formatScope(t.scope));
  if (t.state !== undefined) query.set('state', t.state);
  if (t.codeChallenge !== undefined) query.set('code_challenge', t.codeChallenge);
  if (t.codeChallengeMethod !== undefined) query.set('code_challenge_method', t.codeChallengeMethod);
  if (t.nonce !== undefined) query.set('nonce', t.nonce);
  return `${baseUrl}/authorize?${query.toString()}`;
}
