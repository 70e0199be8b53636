import type { PlainRequest } from '../http';
import type { Client } from '../clients/client';
import type { ServerEvents } from '../events/server-events';
import type { TokenIssuer } from '../tokens/token-issuer';
import type { TokenResponse } from '../tokens/token-response';

/**
 * What a grant sees of a token request that passed parsing and client authentication: it has no framework
 * type, so a grant runs the same under every adapter.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type GrantContext, type GrantType } from 'keyturn';
 * import * as errors from 'keyturn/errors';
 *
 * // An extension grant for a trusted partner client that vouches for its own users by their id.
 * const partnerGrant: GrantType = {
 *   type: 'urn:example:params:oauth:grant-type:partner-user',
 *   requiredParameters: ['user_id'],
 *   async handle(ctx: GrantContext) {
 *     const userId = ctx.params.user_id!; // present: requiredParameters is checked first
 *     if (!/^[0-9]{1,12}$/.test(userId)) throw new errors.InvalidGrantError({ description: 'user_id must be a number', parameter: 'user_id' });
 *     return ctx.tokens.issue({ client: ctx.client, sub: `partner:${userId}`, scope: ['/accounts.read'], refreshToken: false });
 *   },
 * };
 * createAuthorizationServer({ clients, grants: ['client_credentials', partnerGrant] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.5
 */
export interface GrantContext {
  /** The authenticated client (or the identified public client). */
  readonly client: Client;
  /**
   * The request's parameters: every value a non-empty string, each named once (RFC 6749 §3.2).
   * Parameters sent empty are absent, as RFC 6749 §3.1 requires.
   */
  readonly params: Readonly<Record<string, string | undefined>>;
  /**
   * The `resource` parameters (RFC 8707 §2), the one parameter that may repeat, as sent (not yet checked
   * against the client's `resources`); `undefined` when the request had none.
   */
  readonly resources?: readonly string[] | undefined;
  /** Mints tokens and shapes the response. */
  readonly tokens: TokenIssuer;
  /** The request as every adapter describes it (method, path, headers, requester address). */
  readonly request: PlainRequest;
  /** Audit events, for grant-specific ones (`token.refreshed`, `refresh.reuse_detected`, `refresh.grace_reissued`). */
  readonly events: ServerEvents;
  /**
   * RFC 9449: the RFC 7638 thumbprint of the key of the request's verified DPoP proof, when it had one.
   * `tokens.issue` binds to it by itself; a grant reads it to check a binding of its own (a bound code).
   */
  readonly dpopJkt?: string | undefined;
}

/**
 * A grant type plug-in for the token endpoint. Built-ins are registered by name; an extension grant
 * (RFC 6749 §4.5) is an object of this shape passed in the `grants` option.
 *
 * @example
 * ```ts
 * import { createAuthorizationServer, type GrantType } from 'keyturn';
 *
 * // Your device authorization records (RFC 8628): approve() throws an OAuthError while pending or denied.
 * declare const devices: { approve(deviceCode: string, clientId: string): Promise<{ userId: string; scope: string[] }> };
 *
 * const deviceGrant: GrantType = {
 *   type: 'urn:ietf:params:oauth:grant-type:device_code',
 *   requiredParameters: ['device_code'],
 *   async handle({ client, params, tokens }) {
 *     const device = await devices.approve(params.device_code!, client.clientId);
 *     return tokens.issue({ client, sub: device.userId, scope: device.scope });
 *   },
 * };
 * createAuthorizationServer({ clients, grants: ['client_credentials', deviceGrant] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.5
 */
export interface GrantType {
  /** The `grant_type` value it answers: a registered name or an absolute URI. */
  readonly type: string;
  /** Parameters whose absence is an `invalid_request`, checked before `handle` runs. */
  readonly requiredParameters?: readonly string[];
  /** Turns the request into a token response, or throws an {@link "keyturn/errors"!OAuthError}. */
  handle(ctx: GrantContext): Promise<TokenResponse>;
}
