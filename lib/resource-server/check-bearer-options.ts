import { knownKeys } from '../core/validate-option';
import type { BearerDpopOptions, LocalBearerOptions, RemoteBearerDpopOptions, RemoteBearerOptions, RemoteIntrospectionOptions, RemoteJwksOptions } from './bearer-options';

// The option names each check reads. `satisfies` holds each list to its option type, so a new option that is
// not listed, or a listed one that is gone, fails the build.
const SHARED = { scopes: true, match: true, clockTolerance: true, realm: true, tokenLocations: true, verifiedTokenCache: true, dpop: true } as const;
const LOCAL = { ...SHARED, server: true, audience: true } as const satisfies Record<keyof LocalBearerOptions, true>;
const REMOTE = {
  ...SHARED,
  issuer: true, audience: true, jwksUri: true, secret: true, introspection: true, jwks: true, timeout: true,
} as const satisfies Record<keyof RemoteBearerOptions, true>;
const INTROSPECTION = { url: true, clientId: true, clientSecret: true, cacheTtl: true, cacheSize: true } as const satisfies Record<keyof RemoteIntrospectionOptions, true>;
const JWKS = { cacheMaxAge: true, requestsPerMinute: true } as const satisfies Record<keyof RemoteJwksOptions, true>;
const TOKEN_LOCATIONS = { body: true, query: true } as const;
const DPOP = { required: true, algorithms: true, maxAge: true, clockSkew: true, externalUrl: true, requestUrl: true } as const satisfies Record<keyof BearerDpopOptions, true>;
const REMOTE_DPOP = { ...DPOP, store: true } as const satisfies Record<keyof RemoteBearerDpopOptions, true>;

/**
 * Refuses bearer options a check would not read, at any depth, and a `scopes` that is not a list: a
 * misspelt option or a scope string spread into letters would otherwise weaken the route without a word.
 */
export function checkBearerOptions(options: object, local: boolean, caller: string): void {
  knownKeys(options, local ? LOCAL : REMOTE, `${caller}: options`);
  const o = options as Record<string, unknown>;
  nested(o.tokenLocations, TOKEN_LOCATIONS, `${caller}: options.tokenLocations`);
  if (typeof o.dpop !== 'boolean') nested(o.dpop, local ? DPOP : REMOTE_DPOP, `${caller}: options.dpop`);
  if (!local) {
    nested(o.introspection, INTROSPECTION, `${caller}: options.introspection`);
    nested(o.jwks, JWKS, `${caller}: options.jwks`);
  }
  // Its value is checked where it is read; only a misspelt key inside an object is refused here.
  const cache = o.verifiedTokenCache;
  if (typeof cache === 'object' && cache !== null && !Array.isArray(cache)) knownKeys(cache, { maxEntries: true }, `${caller}: options.verifiedTokenCache`);
  if (o.scopes !== undefined && (!Array.isArray(o.scopes) || o.scopes.some((s) => typeof s !== 'string'))) {
    throw new TypeError(`${caller}: options.scopes must be an array of scope strings`);
  }
}


function nested(value: unknown, names: Readonly<Record<string, true>>, where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${where} must be an object`);
  knownKeys(value, names, where);
}
