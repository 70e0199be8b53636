import type { Request } from 'express';
import type { Client } from '../clients/client';
import type { GrantType } from '../grants/grant-type';

/** Parameters of an OAuth request after parsing: single, non-empty strings. */
export type OAuthParams = Readonly<Record<string, string | undefined>>;

const PARAMS = Symbol('keyturn.params');
const CLIENT = Symbol('keyturn.client');
const GRANT = Symbol('keyturn.grant');
const ERROR_CODE = Symbol('keyturn.errorCode');

interface StatefulRequest extends Request {
  [PARAMS]?: OAuthParams;
  [CLIENT]?: Client;
  [GRANT]?: GrantType;
  [ERROR_CODE]?: string;
}

// The endpoint pipeline hands its results from one middleware to the next on the request, under symbols
// so that nothing collides with the host app's own properties.

export function setParams(req: Request, params: OAuthParams): void {
  (req as StatefulRequest)[PARAMS] = params;
}

/** The parsed parameters; an empty object before `readParams` ran. */
export function getParams(req: Request): OAuthParams {
  return (req as StatefulRequest)[PARAMS] ?? EMPTY;
}

export function setClient(req: Request, client: Client): void {
  (req as StatefulRequest)[CLIENT] = client;
}

/** The authenticated client; throws if called before client authentication, which is a wiring bug. */
export function getClient(req: Request): Client {
  const client = (req as StatefulRequest)[CLIENT];
  if (client === undefined) throw new Error('keyturn: client requested before authentication');
  return client;
}

export function setGrant(req: Request, grant: GrantType): void {
  (req as StatefulRequest)[GRANT] = grant;
}

/** The grant chosen for a token request; throws if called before `selectGrant`, which is a wiring bug. */
export function getGrant(req: Request): GrantType {
  const grant = (req as StatefulRequest)[GRANT];
  if (grant === undefined) throw new Error('keyturn: grant requested before selectGrant');
  return grant;
}

/** The grant chosen for the request, or `undefined` before (or without) `selectGrant`. */
export function getGrantIfSelected(req: Request): GrantType | undefined {
  return (req as StatefulRequest)[GRANT];
}

/** Remembers the OAuth error code a request was answered with, for metrics. */
export function setErrorCode(req: Request, code: string): void {
  (req as StatefulRequest)[ERROR_CODE] = code;
}

export function getErrorCode(req: Request): string | undefined {
  return (req as StatefulRequest)[ERROR_CODE];
}

const EMPTY: OAuthParams = Object.freeze({});
