import type { Client, ClientStore } from '../../clients/client';
import type { PlainRequest, PlainResponse } from '../../http';
import type { Store } from '../../store/store';
import type { AuthorizationRequest, AuthorizeQuery, AuthorizeRedirectTarget } from './authorize-request';
import { ConsentRequiredError, LoginRequiredError } from '../../errors/authorization-errors';
import { signInRequirement } from './sign-in-requirement';
import { authorizeErrorResponse, redirectToClient, type AuthorizeErrorSettings } from './authorize-response';
import { checkConsentFormFits, checkSealedFits } from './consent-form-size';
import { consentTransaction } from './consent-transaction';
import { csrfHash, issueCsrfToken } from './csrf-cookie';
import { identifyClient } from './identify-client';
import type { AuthenticatedUser, ConsentDetails, SignInStart } from './interaction';
import { issueAuthorizationCode, type CodeBinding } from './issue-authorization-code';
import { readAuthorizeQuery } from './read-authorize-query';
import type { AuthorizationSettings } from './resolve-authorization-options';
import { signedInUser } from './signed-in-user';
import { validateAuthorizationRequest } from './validate-authorization-request';

/** What an adapter hands the authorization endpoint for `GET /authorize`. */
export interface AuthorizeInput {
  readonly request: PlainRequest;
  /** The query as the adapter parsed it: a repeated parameter arrives as an array. */
  readonly query: Readonly<Record<string, unknown>>;
  /** The path the router is mounted at on this request (Express: `req.baseUrl`). */
  readonly mountPath: string;
  /** This request's own path and query, for the sign-in page to send the browser back to. */
  readonly returnTo: string;
  /** True when the request came over TLS: the CSRF cookie is then `Secure`. */
  readonly secure: boolean;
}

/** After the user is known: an answer for the client, or the consent page the app shows. */
export type AfterSignIn =
  | { readonly kind: 'respond'; readonly response: PlainResponse }
  | {
      readonly kind: 'consent';
      readonly details: ConsentDetails;
      /** Headers to send with the app's consent page (`Set-Cookie` with the CSRF token). */
      readonly headers: Readonly<Record<string, string>>;
    };

/** `GET /authorize` in progress: see {@link SignInStart}. */
export type AuthorizeStart = SignInStart<AfterSignIn>;

/**
 * `GET /authorize` (RFC 6749 §4.1.1) without a framework: identify the client and its redirect URI (errors
 * before that are a page, after it a redirect), validate the request, let the app's sign-in say who the user
 * is, then answer at once when this user already consented to these scopes for this client, or hand the
 * app's consent page a signed transaction and a CSRF token to post back.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export function authorizeEndpoint(settings: AuthorizationSettings, clients: ClientStore, store: Store, errors: AuthorizeErrorSettings) {
  return async function authorize(input: AuthorizeInput): Promise<AuthorizeStart> {
    let target: AuthorizeRedirectTarget | undefined;
    const fail = (err: unknown): PlainResponse => authorizeErrorResponse(errors, err, target, input.request);
    let request: AuthorizationRequest;
    let query: AuthorizeQuery;
    try {
      query = readAuthorizeQuery(input.query);
      const identified = await identifyClient(clients, query);
      target = identified.target;
      request = validateAuthorizationRequest(settings, query, identified.client, identified.target);
      checkConsentFormFits(settings.transactions, settings.bodyLimit, request);
    } catch (err) {
      return { kind: 'respond', response: fail(err) };
    }
    const redirect = target;
    const now = Math.floor(Date.now() / 1000);
    const required = signInRequirement(settings.transactions, request, query.params, input.returnTo, now, settings.transactionTtl);
    return {
      kind: 'sign-in',
      login: {
        returnTo: required.returnTo,
        client: request.client,
        scope: request.scope,
        prompt: request.prompt,
        forceLogin: required.forceLogin,
        ...(required.authenticatedAfter === undefined ? {} : { authenticatedAfter: required.authenticatedAfter }),
        ...(request.maxAge === undefined ? {} : { maxAge: request.maxAge }),
        ...(request.loginHint === undefined ? {} : { loginHint: request.loginHint }),
      },
      fail,
      async resume(answer) {
        try {
          const user = signedInUser(answer);
          if (user === undefined) {
            // OpenID Connect Core §3.1.2.1: with prompt=none the hook shows nothing; no user means no session.
            if (request.prompt.includes('none')) throw new LoginRequiredError({ description: 'the user is not signed in' });
            return undefined;
          }
          // A user older than prompt=login or max_age allow did not sign in again: the client asked for a
          // proof of a recent sign-in, and gets an error rather than an old one (auth_time would betray it).
          if (required.authenticatedAfter !== undefined && (user.authTime ?? now) < required.authenticatedAfter) {
            throw new LoginRequiredError({ description: 'the user did not sign in again as the request requires' });
          }
          return await afterSignIn(settings, store, request, redirect, user, input);
        } catch (err) {
          return { kind: 'respond', response: fail(err) };
        }
      },
    };
  };
}

async function afterSignIn(
  settings: AuthorizationSettings,
  store: Store,
  request: AuthorizationRequest,
  target: AuthorizeRedirectTarget,
  user: AuthenticatedUser,
  input: AuthorizeInput,
): Promise<AfterSignIn> {
  const binding: CodeBinding = {
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    redirectUriSent: request.redirectUriSent,
    sub: user.sub,
    scope: request.scope,
    resource: request.resource,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    nonce: request.nonce,
    authTime: user.authTime ?? Math.floor(Date.now() / 1000),
    dpopJkt: request.dpopJkt,
  };
  // prompt=consent asks for the page even when the user approved before (OpenID Connect Core §3.1.2.1).
  const remembered = settings.consentTtl !== undefined && !request.prompt.includes('consent') && (await hasConsented(store, user.sub, request.client, request.scope));
  if (remembered) return { kind: 'respond', response: await codeResponse(settings, store, target, binding) };
  if (request.prompt.includes('none')) throw new ConsentRequiredError({ description: 'the user has not approved these scopes for this client' });
  const cookie = input.request.headers.cookie;
  const csrf = issueCsrfToken(typeof cookie === 'string' ? cookie : undefined, input, settings.transactionTtl);
  const exp = Math.floor(Date.now() / 1000) + settings.transactionTtl;
  const transaction = settings.transactions.seal(consentTransaction(request, { sub: user.sub, authTime: binding.authTime }, exp, csrfHash(csrf.token)));
  // Checked up front with room for any sub OpenID Connect allows; a longer one of the app's is caught here.
  checkSealedFits(transaction.length, settings.bodyLimit);
  return {
    kind: 'consent',
    headers: { 'Set-Cookie': csrf.setCookie },
    details: {
      client: request.client,
      user,
      scope: request.scope,
      ...(request.resource === undefined ? {} : { resource: request.resource }),
      action: `${input.mountPath}/authorize/consent`,
      fields: { transaction, csrf_token: csrf.token },
    },
  };
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
export async function codeResponse(
  settings: AuthorizationSettings,
  store: Store,
  target: AuthorizeRedirectTarget,
  binding: CodeBinding,
): Promise<PlainResponse> {
  const code = await issueAuthorizationCode(store, binding, settings.codeTtl);
  return redirectToClient(target, { code, state: target.state, iss: settings.issuer });
}
