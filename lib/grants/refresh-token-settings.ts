import { knownKeys, optionalBoolean, optionalObject, positiveInteger } from '../core/validate-option';

/** The refresh token settings, every default filled in (the defaults are documented on `RefreshTokenOptions`). */
export interface RefreshTokenSettings {
  readonly ttl: number;
  readonly absoluteTtl: number | undefined;
  readonly issueWithClientCredentials: boolean;
}

/** Checks the `refreshToken` option once, at start-up, and fills in its defaults. */
export function resolveRefreshTokenSettings(value: unknown): RefreshTokenSettings {
  const options = (optionalObject(value as object | undefined, 'options.refreshToken') ?? {}) as Record<string, unknown>;
  knownKeys(options, { ttl: true, absoluteTtl: true, issueWithClientCredentials: true }, 'options.refreshToken');
  return {
    ttl: positiveInteger(options.ttl, 'options.refreshToken.ttl') ?? 30 * 24 * 3600,
    absoluteTtl: positiveInteger(options.absoluteTtl, 'options.refreshToken.absoluteTtl'),
    issueWithClientCredentials: optionalBoolean(options.issueWithClientCredentials, 'options.refreshToken.issueWithClientCredentials') ?? true,
  };
}
