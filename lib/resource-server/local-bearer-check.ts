import { nonNegativeNumber, realm as checkRealm, stringList } from '../core/validate-option';
import { createBearerCheckCore, type BearerCheck } from './bearer-check-core';
import type { LocalBearerOptions } from './bearer-options';
import { localTokenSource } from './local-source';
import { verifiedTokenCacheSize } from './verified-token-cache';
import { RESOURCE_DPOP_DEFAULTS, resourceDpopSettings } from './dpop-settings';

/**
 * The bearer check inside the issuing process. Built once per protected route, when the app is built: the
 * verifier (and its verified-token cache) and the scope set are made here, not per request.
 */
export function localBearerCheck(options: LocalBearerOptions, caller: string): BearerCheck {
  const source = localTokenSource(options.server, caller);
  const clockTolerance = nonNegativeNumber(options.clockTolerance, `${caller}: options.clockTolerance`) ?? 5;
  const audience = stringList(options.audience, `${caller}: options.audience`);
  const cacheSize = verifiedTokenCacheSize(options.verifiedTokenCache, `${caller}: options.verifiedTokenCache`);
  // Proof jtis go to the server's own store: every instance sharing it refuses a replay (RFC 9449 §11.1).
  const dpop = resourceDpopSettings(
    options.dpop,
    { defaults: source.dpop ?? RESOURCE_DPOP_DEFAULTS, enabledByDefault: source.dpop !== undefined, store: () => source.store },
    `${caller}: options.dpop`,
  );
  return createBearerCheckCore({
    realm: checkRealm(options.realm, `${caller}: options.realm`) ?? source.realm,
    verify: source.verifier({ audience, clockTolerance, cacheSize }),
    ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    ...(options.match === undefined ? {} : { match: options.match }),
    ...(options.tokenLocations === undefined ? {} : { locations: options.tokenLocations }),
    ...(dpop === undefined ? {} : { dpop }),
  });
}
