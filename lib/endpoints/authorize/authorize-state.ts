import type { Request } from 'express';
import type { Client } from '../../clients/client';
import type { CodeChallengeMethod } from '../../grants/pkce';

/** Where errors of an authorization request may be sent, once the client and redirect URI are trusted. */
export interface AuthorizeRedirectTarget {
  readonly redirectUri: string;
  readonly state: string | undefined;
  /** 302 for the GET request, 303 for the consent POST (so the browser follows with a GET). */
  readonly status: 302 | 303;
}

/** A validated authorization request (RFC 6749 §4.1.1 with RFC 7636 and OpenID Connect's nonce). */
export interface AuthorizationRequest {
  readonly client: Client;
  readonly redirectUri: string;
  /** True when the request named `redirect_uri` (then the token request must repeat it, §4.1.3). */
  readonly redirectUriSent: boolean;
  readonly scope: readonly string[];
  readonly state: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: CodeChallengeMethod | undefined;
  readonly nonce: string | undefined;
}

/** The query of an authorization request: single values, and the names of parameters sent more than once. */
export interface AuthorizeQuery {
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly repeated: readonly string[];
}

const QUERY = Symbol('keyturn.authorize.query');
const CLIENT = Symbol('keyturn.authorize.client');
const TARGET = Symbol('keyturn.authorize.target');
const REQUEST = Symbol('keyturn.authorize.request');
const CONSENT = Symbol('keyturn.authorize.consent');

interface AuthorizeStateRequest extends Request {
  [QUERY]?: AuthorizeQuery;
  [CLIENT]?: Client;
  [TARGET]?: AuthorizeRedirectTarget;
  [REQUEST]?: AuthorizationRequest;
  [CONSENT]?: Readonly<Record<string, string | undefined>>;
}

// Results handed from one authorize middleware to the next, under symbols so nothing collides with the app.

export function setAuthorizeQuery(req: Request, query: AuthorizeQuery): void {
  (req as AuthorizeStateRequest)[QUERY] = query;
}
export function getAuthorizeQuery(req: Request): AuthorizeQuery {
  const query = (req as AuthorizeStateRequest)[QUERY];
  if (query === undefined) throw new Error('keyturn: authorize query requested before it was read');
  return query;
}
export function setAuthorizeClient(req: Request, client: Client): void {
  (req as AuthorizeStateRequest)[CLIENT] = client;
}
export function getAuthorizeClient(req: Request): Client {
  const client = (req as AuthorizeStateRequest)[CLIENT];
  if (client === undefined) throw new Error('keyturn: authorize client requested before it was identified');
  return client;
}
/** Marks the request's errors as redirectable to `target` (RFC 6749 §4.1.2.1). */
export function setRedirectTarget(req: Request, target: AuthorizeRedirectTarget): void {
  (req as AuthorizeStateRequest)[TARGET] = target;
}
/** The trusted redirect target, or `undefined` while errors must still be shown as a page. */
export function getRedirectTarget(req: Request): AuthorizeRedirectTarget | undefined {
  return (req as AuthorizeStateRequest)[TARGET];
}
export function setAuthorizationRequest(req: Request, request: AuthorizationRequest): void {
  (req as AuthorizeStateRequest)[REQUEST] = request;
}
export function getAuthorizationRequest(req: Request): AuthorizationRequest {
  const request = (req as AuthorizeStateRequest)[REQUEST];
  if (request === undefined) throw new Error('keyturn: authorization request used before it was validated');
  return request;
}

/** The consent form's checked parameters. */
export function setConsentParams(req: Request, params: Readonly<Record<string, string | undefined>>): void {
  (req as AuthorizeStateRequest)[CONSENT] = params;
}

export function getConsentParams(req: Request): Readonly<Record<string, string | undefined>> {
  return (req as AuthorizeStateRequest)[CONSENT] ?? {};
}
