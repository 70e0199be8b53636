import { allowedScopes } from '../clients/client-scopes';
import { InvalidGrantError, InvalidScopeError } from '../errors/token-errors';
import { InvalidTargetError } from '../errors/target-errors';
import { requestedResources } from '../clients/client-resources';
import { parseScope } from '../scope';
import type { Store } from '../store/store';
import type { IdTokenIssuer } from '../tokens/id-token';
import { mintFamilyToken, parseFamilyToken } from '../tokens/family-token';
import type { RegisteredGrant } from './registered-grant';
import { JWT_REVOCATION_SLACK_SECONDS, type FamilyRevocationRetention } from './family-revocation-retention';

/**
 * What the refresh_token grant is built with.
 *
 * @example
 * ```ts
 * const settings: RefreshTokenGrantSettings = { store: memoryStore(), ttl: 2_592_000 };
 * ```
 */
export interface RefreshTokenGrantSettings {
  readonly store: Store;
  /** Lifetime of each new refresh token, in seconds. */
  readonly ttl: number;
  /**
   * Seconds after a rotation during which the spent token may be presented again and re-issue instead of
   * revoking the family (server option `refreshToken.reuseGraceSeconds`). Default: 0, strict.
   */
  readonly reuseGraceSeconds?: number;
  /**
   * Signs id_tokens, when the server issues them: a refresh of a grant that has `openid` and a user sign-in
   * then answers a new id_token (OpenID Connect Core §12.2). Default: none.
   */
  readonly idTokens?: IdTokenIssuer;
  /**
   * How long a family revoked by a reuse is remembered, when the store's day is too short for the JWT access
   * tokens issued from it. Default: the store's day.
   */
  readonly familyRevocationRetention?: FamilyRevocationRetention;
}

// One description for every invalid token, whatever the reason (unknown, expired, revoked, reused, another
// client's): the client cannot act differently on them, and a prober learns nothing. The reason goes to `detail`.
const INVALID = 'the refresh token is invalid, expired or revoked';

/**
 * The refresh token grant (RFC 6749 §6) with rotation: each use answers a new refresh token and retires the
 * presented one; presenting a retired one again revokes its whole family (RFC 9700 §4.14.2). The token is
 * bound to its client, and the request may narrow the scope but not widen it. The check and the change are
 * one atomic step of the store, so of concurrent refreshes with one token exactly one succeeds.
 *
 * Enable it with `grants: ['client_credentials', 'refresh_token']`; clients whose `grants` include
 * `refresh_token` then receive a refresh token with every token response. When the grant has `openid` and
 * was started by a user's sign-in, the response carries a new id_token (OpenID Connect Core §12.2): the same
 * `sub`, the original `auth_time`, no `nonce`, and the `at_hash` of the new access token.
 *
 * @example
 * ```ts
 * createRefreshTokenGrant({ store, ttl: 2_592_000 });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export function createRefreshTokenGrant(settings: RefreshTokenGrantSettings): RegisteredGrant {
  const { store, ttl, idTokens, familyRevocationRetention, reuseGraceSeconds = 0 } = settings;
  return {
    type: 'refresh_token',
    requiredParameters: ['refresh_token'],
    async handle({ client, params, resources, tokens, request, events, dpopJkt }) {
      const presented = parseFamilyToken(params.refresh_token as string);
      if (presented === undefined) throw new InvalidGrantError({ description: INVALID, detail: 'malformed refresh token' });
      // RFC 8707 §2.2: checked against the client here, against the family's resources inside the rotation,
      // so a refused request spends nothing.
      const resource = requestedResources(client, resources);
      // §6: "The requested scope MUST NOT include any scope not originally granted"; omitted means the same.
      const requested = params.scope === undefined ? undefined : parseScope(params.scope);
      const scope = requested === undefined || requested.length === 0 ? undefined : requested;
      const next = mintFamilyToken(presented.seed);
      // An opaque access token is saved by the rotation itself: one store round trip, and it exists exactly
      // when the rotation happened.
      const accessToken = tokens.mintStoredAccessToken(client, presented.seed);
      // A JWT cannot be saved, but its jti can be remembered with the new refresh token, so that a grace
      // re-issue that retires this child also refuses its JWT: chosen now, signed after the rotation.
      const jwt = accessToken === undefined ? tokens.mintJwtId(client) : undefined;
      // A detected reuse revokes the family inside the rotation, so its JWTs are refused whatever happens next;
      // JWTs that outlive the store's day need the revocation kept as long.
      const retain = familyRevocationRetention?.(client);
      const result = await store.rotateRefreshToken({
        familyId: presented.familyId,
        tokenHash: presented.tokenHash,
        clientId: client.clientId,
        scope,
        ...(resource === undefined ? {} : { resource }),
        // A resource taken from the client's registration since the grant is not granted again.
        allowedResources: client.resources ?? [],
        newTokenHash: next.tokenHash,
        now: Math.floor(Date.now() / 1000),
        ttl,
        reuseGraceSeconds,
        ...(accessToken === undefined
          ? {}
          : { accessToken: { tokenHash: accessToken.tokenHash, ttl: accessToken.expiresIn, allowedScope: client.scopes, ...(dpopJkt === undefined ? {} : { jkt: dpopJkt }) } }),
        // RFC 9449 §5: a public client's family bound to a key rotates only for a proof of that key, checked
        // in the rotation itself, so a refused request changes nothing.
        ...(dpopJkt === undefined ? {} : { jkt: dpopJkt }),
        // §5: a public client's refresh tokens issued in a DPoP request are bound, even in a family begun without.
        ...(dpopJkt !== undefined && client.tokenEndpointAuthMethod === 'none' ? { bindKey: true } : {}),
        ...(jwt === undefined || reuseGraceSeconds <= 0 ? {} : { jwtAccessToken: { jti: jwt.jti, ttl: jwt.expiresIn + JWT_REVOCATION_SLACK_SECONDS } }),
        ...(retain === undefined ? {} : { revokedFamilyRetainSeconds: retain }),
      });
      switch (result.status) {
        case 'rotated':
        case 'reissued': {
          const granted = result.record.audience;
          // A store that predates resource indicators would not have checked: refuse rather than widen.
          if (resource !== undefined && !resource.every((r) => granted?.includes(r) === true)) throw targetNotGranted();
          const allowedResources = client.resources ?? [];
          const audience = (resource ?? granted)?.filter((r) => allowedResources.includes(r));
          if (granted !== undefined && granted.length > 0 && (audience === undefined || audience.length === 0)) throw targetNotGranted();
          // A client whose registration lost a scope since the grant does not get it back by refreshing.
          const allowed = allowedScopes(client);
          const grantedScope = (scope ?? result.record.scope).filter((s) => allowed.has(s));
          // The address may be computed on demand by the adapter: build the payload only for a listener.
          const event = result.status === 'rotated' ? 'token.refreshed' : 'refresh.grace_reissued';
          if (events.listenerCount(event) > 0) {
            events.publish(event, { at: Date.now(), endpoint: 'token', ip: request.ip, clientId: client.clientId, familyId: result.record.familyId, scope: grantedScope });
          }
          const response = await tokens.issue({
            client,
            sub: result.record.sub,
            scope: grantedScope,
            ...(audience === undefined || audience.length === 0 ? {} : { resource: audience }),
            familyId: result.record.familyId,
            familySeed: presented.seed,
            refreshToken: next.token,
            ...(accessToken === undefined ? {} : { accessToken }),
            ...(jwt === undefined ? {} : { jti: jwt.jti }),
          });
          // §12.2: "its iss Claim Value MUST be the same as in the ID Token issued when the original
          // authentication occurred, its sub Claim Value MUST be the same ..., its auth_time Claim MUST
          // represent the time of the original authentication ..., it SHOULD NOT have a nonce Claim".
          const authTime = result.record.authTime;
          if (idTokens !== undefined && authTime !== undefined && grantedScope.includes('openid')) {
            response.id_token = await idTokens.issue({ sub: result.record.sub, clientId: client.clientId, authTime, accessToken: response.access_token });
          }
          return response;
        }
        case 'invalid_scope':
          throw new InvalidScopeError({
            description: 'the requested scope exceeds the scope originally granted',
            parameter: 'scope',
            parameterValue: params.scope,
          });
        case 'invalid_target':
          throw targetNotGranted();
        case 'reused': {
          // The store revoked the family, JWTs included, in the rotation's own step.
          events.publish('refresh.reuse_detected', { at: Date.now(), endpoint: 'token', ip: request.ip, clientId: client.clientId, familyId: presented.familyId });
          throw new InvalidGrantError({ description: INVALID, detail: 'refresh token reused: its family is revoked (RFC 9700 §4.14.2)' });
        }
        case 'wrong_client':
          throw new InvalidGrantError({ description: INVALID, detail: 'refresh token issued to another client' });
        case 'wrong_key':
          throw new InvalidGrantError({ description: INVALID, detail: 'refresh token bound to a DPoP key the request did not prove (RFC 9449 §5)' });
        default:
          throw new InvalidGrantError({ description: INVALID, detail: 'refresh token unknown, expired or revoked' });
      }
    },
  };
}

function targetNotGranted(): InvalidTargetError {
  return new InvalidTargetError({ description: 'the requested resource was not part of the authorization grant', parameter: 'resource' });
}
