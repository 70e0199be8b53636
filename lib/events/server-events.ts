import { EventEmitter } from 'node:events';

/**
 * Fields every audit event carries, so one listener can log any of them alike.
 *
 * @example
 * ```ts
 * import type { AuditEventBase } from 'keyturn';
 *
 * const line = (name: string, e: AuditEventBase): string => `${new Date(e.at).toISOString()} ${name} ${e.endpoint} ${e.ip ?? '-'}`;
 * auth.events.on('client.auth_failed', (e) => console.warn(line('client.auth_failed', e)));
 * auth.events.on('rate_limited', (e) => console.warn(line('rate_limited', e)));
 * ```
 */
export interface AuditEventBase {
  /** When it happened, epoch milliseconds. */
  readonly at: number;
  /** The endpoint: `token`, `revoke` or `introspect`. */
  readonly endpoint: string;
  /** The remote address as Express reports it (honours `trust proxy`). */
  readonly ip: string | undefined;
}

/**
 * A token response was sent (`token.issued`), by any grant.
 *
 * @example
 * ```ts
 * import type { TokenIssuedEvent } from 'keyturn';
 *
 * const issued = new Map<string, number>();
 * auth.events.on('token.issued', (e: TokenIssuedEvent) => issued.set(e.clientId, (issued.get(e.clientId) ?? 0) + 1));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface TokenIssuedEvent extends AuditEventBase {
  /** The `grant_type` the token was issued for. */
  readonly grantType: string;
  /** The client the token was issued to. */
  readonly clientId: string;
  /** The granted scope tokens; empty when none were granted. */
  readonly scope: readonly string[];
  /** True when the response carried a refresh token. */
  readonly refreshTokenIssued: boolean;
}

/**
 * A refresh token was rotated (`token.refreshed`, RFC 6749 §6): the presented token is spent and a new one
 * of the same family was issued.
 *
 * @example
 * ```ts
 * import type { TokenRefreshedEvent } from 'keyturn';
 *
 * auth.events.on('token.refreshed', (e: TokenRefreshedEvent) => console.info('refresh', e.clientId, e.familyId, e.scope.join(' ')));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export interface TokenRefreshedEvent extends AuditEventBase {
  /** The client that refreshed. */
  readonly clientId: string;
  /** The refresh token family: a hash, from which no token can be derived. */
  readonly familyId: string;
  /** The scope granted to the new access token (the request may narrow the family's). */
  readonly scope: readonly string[];
}

/**
 * The refresh token that was just rotated was presented again within `refreshToken.reuseGraceSeconds` of its
 * rotation (`refresh.grace_reissued`): new tokens of the same family were issued, and the refresh token (and
 * opaque access token) that the rotation had issued was retired instead of the family being revoked. Expected
 * now and then (a client retrying after a 503 or a lost answer); a steady stream from one client, or from
 * two addresses for one family, is worth a look.
 *
 * @example
 * ```ts
 * import type { RefreshGraceReissuedEvent } from 'keyturn';
 *
 * auth.events.on('refresh.grace_reissued', (e: RefreshGraceReissuedEvent) =>
 *   console.warn(`refresh retried by ${e.clientId} from ${e.ip ?? 'unknown'}: family ${e.familyId} re-issued`));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export interface RefreshGraceReissuedEvent extends AuditEventBase {
  /** The client that presented the token again. */
  readonly clientId: string;
  /** The family: a hash, from which no token can be derived. */
  readonly familyId: string;
  /** The scope granted to the new access token. */
  readonly scope: readonly string[];
}

/**
 * A rotated refresh token was presented again (`refresh.reuse_detected`): either the client or an attacker
 * holds a stolen copy, so the whole family (its refresh and opaque access tokens) is now revoked
 * (RFC 9700 §4.14.2). Worth an alert.
 *
 * @example
 * ```ts
 * import type { RefreshReuseDetectedEvent } from 'keyturn';
 *
 * auth.events.on('refresh.reuse_detected', (e: RefreshReuseDetectedEvent) =>
 *   console.error(`refresh token reuse by ${e.clientId} from ${e.ip ?? 'unknown'}: family ${e.familyId} revoked`));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export interface RefreshReuseDetectedEvent extends AuditEventBase {
  /** The client that presented the reused token. */
  readonly clientId: string;
  /** The revoked family: a hash, from which no token can be derived. */
  readonly familyId: string;
}

/**
 * A token was revoked at the revocation endpoint (`token.revoked`, RFC 7009) by the client it was issued
 * to. A request naming an unknown token, or another client's, revokes nothing and emits nothing.
 *
 * @example
 * ```ts
 * import type { TokenRevokedEvent } from 'keyturn';
 *
 * auth.events.on('token.revoked', (e: TokenRevokedEvent) => console.info(`${e.clientId} revoked a ${e.tokenKind}`, e.id ?? ''));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export interface TokenRevokedEvent extends AuditEventBase {
  /** The client that revoked it. */
  readonly clientId: string;
  /** What was revoked: `access_token` (opaque), `jwt` (its id), `refresh_token` (its family), or an extension kind. */
  readonly tokenKind: string;
  /** The JWT id or family id when there is one. */
  readonly id?: string;
}

/**
 * A client failed to authenticate (`client.auth_failed`), answered 401 `invalid_client`. The client id is
 * the one claimed, which may not exist.
 *
 * @example
 * ```ts
 * import type { ClientAuthFailedEvent } from 'keyturn';
 *
 * auth.events.on('client.auth_failed', (e: ClientAuthFailedEvent) =>
 *   console.warn(`failed ${e.method} authentication as ${e.clientId ?? '(none)'} from ${e.ip ?? 'unknown'}`));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export interface ClientAuthFailedEvent extends AuditEventBase {
  /** The client id the request claimed, or `undefined` when none could be read. */
  readonly clientId: string | undefined;
  /** `client_secret_basic`, `client_secret_post`, `none`, or `missing` when no credentials came. */
  readonly method: string;
}

/**
 * A request was refused with 429 (`rate_limited`) by the `rateLimit` option or by a client `lockout`.
 *
 * @example
 * ```ts
 * import type { RateLimitedEvent } from 'keyturn';
 *
 * auth.events.on('rate_limited', (e: RateLimitedEvent) => console.warn(`${e.reason}: ${e.key} for ${e.retryAfterSeconds} s`));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export interface RateLimitedEvent extends AuditEventBase {
  /**
   * What ran out: `client:<id>` (the client's rate limit, its lockout budget, or its budget at the sending
   * address) or `ip:<address>` (the sender's failures). `ip` says who sent the request.
   */
  readonly key: string;
  /** Which guard refused the request. */
  readonly reason: 'rate_limit' | 'lockout';
  /** The `Retry-After` sent, in seconds. */
  readonly retryAfterSeconds: number;
}

/**
 * The audit events of an authorization server, by name: each entry is the listener's argument list.
 * Payloads carry ids and client ids, never a token, a secret or an Authorization header, so they can be
 * logged as they are.
 *
 * @example
 * ```ts
 * import type { ServerEventMap } from 'keyturn';
 *
 * // One typed listener for every event, e.g. to ship them to an audit log.
 * const names: ReadonlyArray<keyof ServerEventMap> = ['token.issued', 'token.refreshed', 'refresh.reuse_detected', 'refresh.grace_reissued', 'token.revoked', 'client.auth_failed', 'rate_limited'];
 * for (const name of names) auth.events.on(name, (event: ServerEventMap[typeof name][0]) => console.log(JSON.stringify({ name, ...event })));
 * ```
 */
export interface ServerEventMap {
  'token.issued': [TokenIssuedEvent];
  'token.refreshed': [TokenRefreshedEvent];
  'refresh.reuse_detected': [RefreshReuseDetectedEvent];
  'refresh.grace_reissued': [RefreshGraceReissuedEvent];
  'token.revoked': [TokenRevokedEvent];
  'client.auth_failed': [ClientAuthFailedEvent];
  rate_limited: [RateLimitedEvent];
}

/**
 * A typed EventEmitter of {@link ServerEventMap}. An exception thrown by a listener is swallowed, so a
 * faulty audit listener never fails the request that caused the event.
 *
 * @example
 * ```ts
 * auth.events.on('client.auth_failed', (e) => console.warn('client authentication failed', JSON.stringify(e)));
 * ```
 */
export class ServerEvents extends EventEmitter<ServerEventMap> {
  /** Emits without letting a listener's exception reach the request that caused the event. */
  publish<K extends keyof ServerEventMap>(name: K, ...payload: ServerEventMap[K]): void {
    if (this.listenerCount(name) === 0) return;
    try {
      (this.emit as (name: K, ...args: ServerEventMap[K]) => boolean)(name, ...payload);
    } catch {
      // Audit listeners are observers; their bugs must not fail token requests.
    }
  }
}
