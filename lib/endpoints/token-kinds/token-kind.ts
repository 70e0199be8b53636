import type { Client } from '../../clients/client';

/**
 * An introspection response (RFC 7662 §2.2). Inactive tokens answer `{ active: false }` and nothing else.
 *
 * @example
 * ```ts
 * const answer: IntrospectionResponse = { active: true, client_id: 'job', scope: 'read', token_type: 'Bearer', exp: 1795307989 };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export interface IntrospectionResponse {
  readonly active: boolean;
  readonly scope?: string;
  readonly client_id?: string;
  readonly username?: string;
  /** `Bearer` for access tokens, `DPoP` for DPoP-bound ones; kinds that are not access tokens name themselves (e.g. `refresh_token`). */
  readonly token_type?: string;
  readonly exp?: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly iss?: string;
  readonly jti?: string;
  /** RFC 9449 §6.2 (RFC 7800): the key a DPoP-bound token is bound to, by its RFC 7638 thumbprint. */
  readonly cnf?: { readonly jkt: string };
  readonly [extension: string]: unknown;
}

/**
 * The answer for anything not live or not the caller's business (RFC 7662 §2.2).
 *
 * @example
 * ```ts
 * if (record.expiresAt <= now) return INACTIVE;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

/**
 * One kind of token the revocation and introspection endpoints understand: opaque access tokens, JWT access
 * tokens, refresh tokens. The endpoints try the kinds named by `token_type_hint` first and then the others
 * (RFC 7009 §2.1, RFC 7662 §2.1: the hint is only a hint), stopping at the first kind that recognises the token.
 *
 * @example
 * ```ts
 * const refreshTokens: TokenKind = {
 *   kind: 'refresh_token',
 *   hint: 'refresh_token',
 *   async introspect(token, client) {
 *     const record = await store.findRefreshToken(hashToken(token));
 *     if (record === undefined) return undefined;                  // not mine: try the next kind
 *     if (!mayIntrospect(client, record.clientId)) return INACTIVE;
 *     return { active: true, token_type: 'refresh_token', client_id: record.clientId, ... };
 *   },
 *   async revoke(token, client) {
 *     const record = await store.findRefreshToken(hashToken(token));
 *     if (record === undefined) return 'unrecognized';
 *     if (record.clientId !== client.clientId) return 'not_owner';
 *     await store.revokeFamily(record.familyId);
 *     return { revoked: record.familyId };
 *   },
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export interface TokenKind {
  /** The kind's name in audit events, e.g. `access_token`, `jwt`, `refresh_token`. */
  readonly kind: string;
  /** The `token_type_hint` value naming this kind: `access_token` or `refresh_token` (RFC 7009 §2.1). */
  readonly hint: string;
  /**
   * `undefined` when the token is not of this kind; otherwise the introspection answer for `client`:
   * {@link INACTIVE} when it is expired, revoked or none of the client's business.
   */
  introspect(token: string, client: Client): Promise<IntrospectionResponse | undefined>;
  /**
   * Revokes the token when it is of this kind and was issued to `client` (RFC 7009 §2.1: a client may revoke
   * only its own tokens). Resolves `unrecognized` when the token is not of this kind (the search goes on),
   * `not_owner` when it is another client's (left alone; the search stops), or `{revoked}` with the id that
   * was revoked (a JWT id or family id, for the audit event; empty when there is none).
   */
  revoke(token: string, client: Client): Promise<RevocationOutcome>;
}

/** What {@link TokenKind.revoke} did. */
export type RevocationOutcome = 'unrecognized' | 'not_owner' | { readonly revoked: string };

/**
 * Whether `client` may see an introspection answer about a token issued to `tokenClientId`: its own tokens
 * always; any token when the client is registered with `introspection: 'any'` (a resource server).
 *
 * @example
 * ```ts
 * if (!mayIntrospect(client, record.clientId)) return INACTIVE;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-4
 */
export function mayIntrospect(client: Client, tokenClientId: string): boolean {
  return client.introspection === 'any' || client.clientId === tokenClientId;
}

/** The kinds to try for a request, those matching the hint first, in their configured order otherwise. */
export function kindsInHintOrder(kinds: readonly TokenKind[], hint: string | undefined): readonly TokenKind[] {
  if (hint === undefined) return kinds;
  return [...kinds.filter((k) => k.hint === hint), ...kinds.filter((k) => k.hint !== hint)];
}
