import type { IdTokenIssuer } from '../tokens/id-token';
import type { Store } from '../store/store';
import { authorizationCodeGrant } from './authorization-code';
import { clientCredentialsGrant, createClientCredentialsGrant } from './client-credentials';
import type { GrantType } from './grant-type';
import type { RegisteredGrant } from './registered-grant';
import type { FamilyRevocationRetention } from './family-revocation-retention';
import { createRefreshTokenGrant } from './refresh-token';

/** What built-in grants are built with. */
export interface GrantDependencies {
  readonly store: Store;
  /** Refresh token settings (server option `refreshToken`, defaults filled in). */
  readonly refreshToken: {
    readonly ttl: number;
    readonly issueWithClientCredentials: boolean;
    /** Default: 0. */
    readonly reuseGraceSeconds?: number;
  };
  /** Signs id_tokens; present when `options.authorization` is, which the authorization_code grant needs. */
  readonly idTokens?: IdTokenIssuer;
  /** `authorization.pkce.requireForConfidentialClients`, for clients with no `pkce` of their own. Default: true. */
  readonly requirePkceForConfidentialClients?: boolean;
  /** How long a family revoked by a reuse is remembered, for JWTs that outlive the store's day. Default: the store's. */
  readonly familyRevocationRetention?: FamilyRevocationRetention;
}

type GrantFactory = (deps: GrantDependencies) => RegisteredGrant;

/** The built-in grants, by the name used in the `grants` option. */
const BUILT_IN: ReadonlyMap<string, GrantFactory> = new Map<string, GrantFactory>([
  [
    'client_credentials',
    (deps) =>
      deps.refreshToken.issueWithClientCredentials ? clientCredentialsGrant : createClientCredentialsGrant({ issueRefreshToken: false }),
  ],
  [
    'refresh_token',
    (deps) =>
      createRefreshTokenGrant({
        store: deps.store,
        ttl: deps.refreshToken.ttl,
        reuseGraceSeconds: deps.refreshToken.reuseGraceSeconds ?? 0,
        ...(deps.idTokens === undefined ? {} : { idTokens: deps.idTokens }),
        ...(deps.familyRevocationRetention === undefined ? {} : { familyRevocationRetention: deps.familyRevocationRetention }),
      }),
  ],
  [
    'authorization_code',
    ({ store, idTokens, requirePkceForConfidentialClients, familyRevocationRetention }) => {
      if (idTokens === undefined) {
        throw new TypeError('options.authorization (authenticateUser, renderConsent) is required with the authorization_code grant');
      }
      return authorizationCodeGrant(store, idTokens, requirePkceForConfidentialClients, familyRevocationRetention);
    },
  ],
]);

/** Names of the built-in grant types. */
export const builtInGrantNames: readonly string[] = [...BUILT_IN.keys()];

/**
 * Builds the grant registry from the `grants` option: names of built-ins and extension grant objects.
 * Throws a `TypeError` naming the entry for an unknown name, a malformed object or a duplicate.
 */
export function createGrantRegistry(
  grants: ReadonlyArray<string | GrantType>,
  deps: GrantDependencies,
): ReadonlyMap<string, RegisteredGrant> {
  const registry = new Map<string, RegisteredGrant>();
  grants.forEach((entry, index) => {
    const grant = typeof entry === 'string' ? BUILT_IN.get(entry)?.(deps) : entry;
    if (grant === undefined) {
      throw new TypeError(`grants[${index}]: unknown grant "${String(entry)}" (built-in: ${builtInGrantNames.join(', ')})`);
    }
    if (typeof grant !== 'object' || grant === null || typeof grant.type !== 'string' || grant.type === '' || typeof grant.handle !== 'function') {
      throw new TypeError(`grants[${index}] must be a built-in grant name or an object with type and handle()`);
    }
    if (registry.has(grant.type)) throw new TypeError(`grants[${index}]: "${grant.type}" is listed twice`);
    registry.set(grant.type, grant);
  });
  return registry;
}
