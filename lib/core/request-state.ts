import type { Client } from '../clients/client';
import type { OAuthError } from '../errors/oauth-error';
import type { PlainRequest, PlainResponse } from '../http';

/** Parameters of an OAuth request after parsing: single, non-empty strings. */
export type OAuthParams = Readonly<Record<string, string | undefined>>;

/**
 * The media type a body arrived in, as far as the endpoints accept one: `'form'` is
 * `application/x-www-form-urlencoded` (what RFC 6749 §3.2 requires), `'json'` is `application/json`.
 * Exported from `keyturn` as `BodyFormat`, the type of the `compat.bodyFormats` option
 * (default: `['form', 'json']`).
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type BodyFormat } from 'keyturn';
 *
 * // A strict RFC 6749 server: a JSON body gets 400 invalid_request.
 * const bodyFormats: BodyFormat[] = ['form'];
 * createAuthorizationServer({ clients, compat: { bodyFormats } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export type BodyType = 'form' | 'json';

/** Client credentials as the request presents them, decoded once (RFC 6749 §2.3.1). */
export type PresentedCredentials =
  | { readonly method: 'client_secret_basic'; readonly clientId: string; readonly clientSecret: string }
  | { readonly method: 'client_secret_post'; readonly clientId: string; readonly clientSecret: string }
  /** An `Authorization: Basic` header that is not a decodable `id:secret` pair: it fails authentication. */
  | { readonly method: 'client_secret_basic'; readonly clientId: undefined; readonly clientSecret: undefined }
  | { readonly method: 'none'; readonly clientId: string; readonly clientSecret: undefined }
  /**
   * A JWT client assertion (RFC 7523 §2.2): the method follows its `alg` (HMAC: `client_secret_jwt`), the id its
   * `sub` (or `client_id`); `assertion` is `undefined` when it is not a decodable JWS, and then it fails.
   */
  | {
      readonly method: 'private_key_jwt' | 'client_secret_jwt';
      readonly clientId: string | undefined;
      readonly clientSecret: undefined;
      readonly assertion: ClientAssertion | undefined;
    };

/** A client assertion split into its parts, not yet verified. */
export interface ClientAssertion {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `BASE64URL(header) || '.' || BASE64URL(payload)`, what the signature covers (RFC 7515 §5.2). */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** What an adapter hands the core for one request to an endpoint that reads a body. */
export interface EndpointInput {
  readonly request: PlainRequest;
  /** The parsed body; `undefined` when there was none. */
  readonly body: unknown;
  readonly bodyType: BodyType | undefined;
  /** Why the adapter could not parse the body, rendered in the pipeline's order (after the availability gate). */
  readonly bodyError?: OAuthError | undefined;
}

/**
 * Everything one request's pipeline hands from step to step, in one object of a fixed shape. Each endpoint's
 * state may add fields of its own (the token endpoint adds the grant).
 */
export interface RequestState extends EndpointInput {
  /** The endpoint's name in events and metrics: `token`, `revoke`, `introspect`. */
  readonly endpoint: string;
  params: OAuthParams;
  /** The `resource` parameters (RFC 8707 §2), which alone may repeat; `undefined` when there were none. */
  resources: readonly string[] | undefined;
  /** `undefined` until `readCredentials`; then the credentials, or `null` when the request has none. */
  credentials: PresentedCredentials | null | undefined;
  /** The authenticated client, once client authentication passed. */
  client: Client | undefined;
  /** The `grant_type` being served (token endpoint), for events and metrics. */
  grantType: string | undefined;
  /** The answer, set by the endpoint's last step. */
  response: PlainResponse | undefined;
}

const NO_PARAMS: OAuthParams = Object.freeze({});

/** A fresh state for one request; every field is present from the start, so all states share one shape. */
export function requestState(endpoint: string, input: EndpointInput): RequestState {
  return {
    request: input.request,
    body: input.body,
    bodyType: input.bodyType,
    bodyError: input.bodyError,
    endpoint,
    params: NO_PARAMS,
    resources: undefined,
    credentials: undefined,
    client: undefined,
    grantType: undefined,
    response: undefined,
  };
}

/** The client id a request claims before authentication: from its credentials, else its `client_id`. */
export function claimedClientId(state: RequestState): string | undefined {
  return state.credentials?.clientId ?? state.params.client_id;
}

/** The authenticated client; throws if a step asks before client authentication, which is a wiring bug. */
export function authenticatedClient(state: RequestState): Client {
  if (state.client === undefined) throw new Error('keyturn: client requested before authentication');
  return state.client;
}
