import { stringList } from '../core/validate-option';
import type { AccessTokenFormatName } from './per-client-format';
import { resolveSigningKeys, type SigningKeyInput, type SigningKeySet } from './signing-keys';

/** How access tokens are minted and signed, every default filled in (documented on `AccessTokenOptions`). */
export interface TokenSettings {
  readonly accessTokenFormat: AccessTokenFormatName;
  /** JWT `aud`; the issuer unless configured, and empty without an issuer. */
  readonly audience: readonly string[];
  /** The signing keys; set when there is an issuer. */
  readonly signingKeys: SigningKeySet | undefined;
}

/**
 * Checks the access token and signing key options once, at start-up. JWTs need an issuer for their `iss`, so
 * every JWT setting without one is refused, naming the option.
 */
export function resolveTokenSettings(options: {
  readonly issuer: string | undefined;
  readonly format: unknown;
  readonly audience: unknown;
  readonly signingKeys: readonly SigningKeyInput[] | undefined;
}): TokenSettings {
  const format = options.format ?? 'opaque';
  if (format !== 'opaque' && format !== 'jwt') throw new TypeError('options.accessToken.format must be "opaque" or "jwt"');
  const { issuer } = options;
  if (issuer === undefined) {
    if (format === 'jwt') throw new TypeError('options.accessToken.format "jwt" needs options.issuer (the iss claim)');
    if (options.signingKeys !== undefined) throw new TypeError('options.signingKeys needs options.issuer');
    if (options.audience !== undefined) throw new TypeError('options.accessToken.audience needs options.issuer');
  }
  return {
    accessTokenFormat: format,
    audience: stringList(options.audience, 'options.accessToken.audience') ?? (issuer === undefined ? [] : [issuer]),
    signingKeys: issuer === undefined ? undefined : resolveSigningKeys(options.signingKeys),
  };
}
