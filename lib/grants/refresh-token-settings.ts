import { knownKeys, nonNegativeInteger, optionalBoolean, optionalObject, positiveInteger } from '../core/validate-option';

/** The longest refresh grace window accepted: enough for a retry after a 503 or a lost answer, and no more. */
export const MAX_REUSE_GRACE_SECONDS = 300;

/** The refresh token settings, every default filled in (the defaults are documented on `RefreshTokenOptions`). */
export interface RefreshTokenSettings {
  readonly ttl: number;
  readonly absoluteTtl: number | undefined;
  readonly issueWithClientCredentials: boolean;
  readonly reuseGraceSeconds: number;
}

/** Checks the `refreshToken` option once, at start-up, and fills in its defaults. */
export function resolveRefreshTokenSettings(value: unknown): RefreshTokenSettings {
  const options = (optionalObject(value as object | undefined, 'options.refreshToken') ?? {}) as Record<string, unknown>;
  knownKeys(options, { ttl: true, absoluteTtl: true, issueWithClientCredentials: true, reuseGraceSeconds: true }, 'options.refreshToken');
  const reuseGraceSeconds = nonNegativeInteger(options.reuseGraceSeconds, 'options.refreshToken.reuseGraceSeconds') ?? 0;
  if (reuseGraceSeconds > MAX_REUSE_GRACE_SECONDS) {
    throw new TypeError(`options.refreshToken.reuseGraceSeconds must be at most ${MAX_REUSE_GRACE_SECONDS} (got ${reuseGraceSeconds})`);
  }
  return {
    ttl: positiveInteger(options.ttl, 'options.refreshToken.ttl') ?? 30 * 24 * 3600,
    absoluteTtl: positiveInteger(options.absoluteTtl, 'options.refreshToken.absoluteTtl'),
    issueWithClientCredentials: optionalBoolean(options.issueWithClientCredentials, 'options.refreshToken.issueWithClientCredentials') ?? true,
    reuseGraceSeconds,
  };
}
