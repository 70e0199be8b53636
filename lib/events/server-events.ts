import { EventEmitter } from 'node:events';

/** Fields every audit event carries. */
export interface AuditEventBase {
  /** When it happened, epoch milliseconds. */
  readonly at: number;
  /** The endpoint, e.g. `token`. */
  readonly endpoint: string;
  /** The remote address as Express reports it (honours `trust proxy`). */
  readonly ip: string | undefined;
}

/** A token response was sent. */
export interface TokenIssuedEvent extends AuditEventBase {
  readonly grantType: string;
  readonly clientId: string;
  readonly scope: readonly string[];
  readonly refreshTokenIssued: boolean;
}

/** A refresh token was rotated (RFC 6749 §6). */
export interface TokenRefreshedEvent extends AuditEventBase {
  readonly clientId: string;
  /** The refresh token family: a hash, from which no token can be derived. */
  readonly familyId: string;
  readonly scope: readonly string[];
}

/** A rotated refresh token was presented again; its family is now revoked (RFC 9700 §4.14.2). */
export interface RefreshReuseDetectedEvent extends AuditEventBase {
  /** The client that presented the reused token. */
  readonly clientId: string;
  readonly familyId: string;
}

/** A token was revoked (RFC 7009). */
export interface TokenRevokedEvent extends AuditEventBase {
  readonly clientId: string;
  /** What was revoked: `access_token` (opaque), `jwt` (its id), `refresh_token` (its family), or an extension kind. */
  readonly tokenKind: string;
  /** The JWT id or family id when there is one. */
  readonly id?: string;
}

/** A client failed to authenticate. The client id is the one claimed, which may not exist. */
export interface ClientAuthFailedEvent extends AuditEventBase {
  readonly clientId: string | undefined;
  /** `client_secret_basic`, `client_secret_post`, `none`, or `missing` when no credentials came. */
  readonly method: string;
}

/** A request was refused by the rate limit or by a client lockout. */
export interface RateLimitedEvent extends AuditEventBase {
  /** What was counted: `client:<id>` or `ip:<address>`. */
  readonly key: string;
  readonly reason: 'rate_limit' | 'lockout';
  readonly retryAfterSeconds: number;
}

/**
 * The audit events of an authorization server, by name. Payloads carry ids and client ids, never a token,
 * a secret or an Authorization header, so they can be logged as they are.
 */
export interface ServerEventMap {
  'token.issued': [TokenIssuedEvent];
  'token.refreshed': [TokenRefreshedEvent];
  'refresh.reuse_detected': [RefreshReuseDetectedEvent];
  'token.revoked': [TokenRevokedEvent];
  'client.auth_failed': [ClientAuthFailedEvent];
  rate_limited: [RateLimitedEvent];
}

/**
 * A typed EventEmitter of {@link ServerEventMap}. A listener that throws is reported on `error`-free
 * paths only: emitting never breaks a request.
 *
 * @example
 * ```ts
 * auth.events.on('client.auth_failed', (e) => logger.warn(e, 'client authentication failed'));
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
