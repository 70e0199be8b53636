import type { ClientStore } from '../../clients/client';
import type { PlainResponse } from '../../http';
import { readParams } from '../../core/read-params';
import { requestState, type EndpointInput } from '../../core/request-state';
import { AccessDeniedError } from '../../errors/authorization-errors';
import { InvalidRequestError } from '../../errors/token-errors';
import { formatScope } from '../../scope';
import type { Store } from '../../store/store';
import type { AuthorizeRedirectTarget } from './authorize-request';
import { codeResponse } from './authorize-endpoint';
import { authorizeErrorResponse, type AuthorizeErrorSettings } from './authorize-response';
import { checkCsrfToken } from './csrf-cookie';
import type { SignInStart } from './interaction';
import type { AuthorizationSettings } from './resolve-authorization-options';
import { signedInUser } from './signed-in-user';
import type { AuthorizationTransaction } from './transaction';

/** What an adapter hands the consent endpoint: the form body as it parsed it, and where the router is mounted. */
export interface ConsentInput extends EndpointInput {
  readonly mountPath: string;
}

/** A consent answer in progress, waiting for the app's sign-in to confirm who is answering: see {@link SignInStart}. */
export type ConsentStart = SignInStart<PlainResponse>;

/**
 * `POST /authorize/consent`: the consent form's answer. The transaction must be intact and unexpired, the
 * CSRF token must match the browser's cookie (RFC 6749 §10.12), the client must still have the redirect URI,
 * and the signed-in user must be the one the page was shown to. Until all of that holds, errors are a page;
 * after it, `deny` goes back to the client as `access_denied` and `allow` as a code (§4.1.2).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function consentDecision(settings: AuthorizationSettings, clients: ClientStore, store: Store, errors: AuthorizeErrorSettings) {
  return async function consent(input: ConsentInput): Promise<ConsentStart> {
    let target: AuthorizeRedirectTarget | undefined;
    const fail = (err: unknown): PlainResponse => authorizeErrorResponse(errors, err, target, input.request);
    let opened: Opened;
    try {
      opened = await openConsent(settings, clients, input);
    } catch (err) {
      return { kind: 'respond', response: fail(err) };
    }
    const { params, transaction } = opened;
    return {
      kind: 'sign-in',
      // The consent POST only confirms who answers; the request's prompt and max_age were met at GET /authorize.
      login: { returnTo: authorizeUrl(input.mountPath, transaction), client: opened.client, scope: transaction.scope, prompt: [], forceLogin: false },
      fail,
      async resume(answer) {
        try {
          const user = signedInUser(answer);
          if (user === undefined) return undefined;
          if (user.sub !== transaction.sub) {
            throw new InvalidRequestError({ description: 'the consent form was shown to another user; start again from the application', status: 403 });
          }
          target = { redirectUri: transaction.redirectUri, state: transaction.state, status: 303 };
          return await decide(settings, store, target, transaction, params.decision);
        } catch (err) {
          return fail(err);
        }
      },
    };
  };
}

interface Opened {
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly transaction: AuthorizationTransaction;
  readonly client: NonNullable<Awaited<ReturnType<ClientStore['findClient']>>>;
}

async function openConsent(settings: AuthorizationSettings, clients: ClientStore, input: ConsentInput): Promise<Opened> {
  const state = requestState('consent', input);
  readParams(state);
  const params = state.params;
  const transaction = params.transaction === undefined ? undefined : settings.transactions.open(params.transaction);
  if (transaction === undefined) {
    throw new InvalidRequestError({ description: 'the consent form has expired or is not valid; start again from the application', parameter: 'transaction' });
  }
  const cookie = input.request.headers.cookie;
  if (!checkCsrfToken(typeof cookie === 'string' ? cookie : undefined, params.csrf_token, transaction.csrfHash)) {
    throw new InvalidRequestError({ description: 'the consent form failed its CSRF check; start again from the application', parameter: 'csrf_token', status: 403 });
  }
  const client = await clients.findClient(transaction.clientId);
  if (client === undefined || !(client.redirectUris ?? []).includes(transaction.redirectUri)) {
    throw new InvalidRequestError({ description: 'the client or its redirect_uri is no longer registered' });
  }
  return { params, transaction, client };
}

async function decide(
  settings: AuthorizationSettings,
  store: Store,
  target: AuthorizeRedirectTarget,
  transaction: AuthorizationTransaction,
  decision: string | undefined,
): Promise<PlainResponse> {
  if (decision === 'deny') throw new AccessDeniedError({ description: 'the user denied the request' });
  if (decision !== 'allow') throw new InvalidRequestError({ description: 'decision must be allow or deny', parameter: 'decision' });
  if (settings.consentTtl !== undefined) {
    // Remember the union with what this user already approved for this client.
    const earlier = await store.findConsent(transaction.sub, transaction.clientId);
    const scope = [...new Set([...(earlier?.scope ?? []), ...transaction.scope])];
    await store.saveConsent(transaction.sub, transaction.clientId, { scope, grantedAt: Math.floor(Date.now() / 1000) }, settings.consentTtl);
  }
  return codeResponse(settings, store, target, {
    clientId: transaction.clientId,
    redirectUri: transaction.redirectUri,
    redirectUriSent: transaction.redirectUriSent,
    sub: transaction.sub,
    scope: transaction.scope,
    resource: transaction.resource,
    codeChallenge: transaction.codeChallenge,
    codeChallengeMethod: transaction.codeChallengeMethod,
    nonce: transaction.nonce,
    authTime: transaction.authTime,
    dpopJkt: transaction.dpopJkt,
  });
}

/** The authorization request a transaction came from, for a login that has to start over. */
function authorizeUrl(mountPath: string, t: AuthorizationTransaction): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: t.clientId });
  if (t.redirectUriSent) query.set('redirect_uri', t.redirectUri);
  if (t.scope.length > 0) query.set('scope', formatScope(t.scope));
  for (const resource of t.resource ?? []) query.append('resource', resource);
  if (t.state !== undefined) query.set('state', t.state);
  if (t.codeChallenge !== undefined) query.set('code_challenge', t.codeChallenge);
  if (t.codeChallengeMethod !== undefined) query.set('code_challenge_method', t.codeChallengeMethod);
  if (t.nonce !== undefined) query.set('nonce', t.nonce);
  if (t.dpopJkt !== undefined) query.set('dpop_jkt', t.dpopJkt);
  return `${mountPath}/authorize?${query.toString()}`;
}
