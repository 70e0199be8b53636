import { stringList } from '../core/validate-option';
import type { AccessTokenFormatName } from './per-client-format';
import { resolveSigningKeys, type SigningKeyInput, type SigningKeys } from './signing-keys';
import type { KeyRing } from './key-ring/key-ring';
import { resolveKeyRing, type KeyRotationInput } from './key-ring/resolve-key-ring';

/** How access tokens are minted and signed, every default filled in (documented on `AccessTokenOptions`). */
export interface TokenSettings {
  readonly accessTokenFormat: AccessTokenFormatName;
  /** JWT `aud`; the issuer unless configured, and empty without an issuer. */
  readonly audience: readonly string[];
  /** The signing keys; set when there is an issuer: the configured ones, or else the key ring. */
  readonly signingKeys: SigningKeys | undefined;
  /** The key ring kept in the store, when the server keeps its own keys; started once the store is known. */
  readonly keyRing: KeyRing | undefined;
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
  readonly keyRotation: KeyRotationInput | undefined;
  readonly secret: Buffer | undefined;
  readonly jwksMaxAge: number;
  readonly longestTokenLifetime: number;
}): TokenSettings {
  const format = options.format ?? 'opaque';
  if (format !== 'opaque' && format !== 'jwt') throw new TypeError('options.accessToken.format must be "opaque" or "jwt"');
  const { issuer } = options;
  if (issuer === undefined) {
    if (format === 'jwt') throw new TypeError('options.accessToken.format "jwt" needs options.issuer (the iss claim)');
    if (options.signingKeys !== undefined) throw new TypeError('options.signingKeys needs options.issuer');
    if (options.audience !== undefined) throw new TypeError('options.accessToken.audience needs options.issuer');
    if (options.keyRotation !== undefined) throw new TypeError('options.keyRotation needs options.issuer');
  }
  if (options.signingKeys !== undefined && options.keyRotation !== undefined) {
    throw new TypeError('options.keyRotation is for the keys the server keeps itself: with options.signingKeys you rotate them by editing the list');
  }
  const keyRing = issuer === undefined || options.signingKeys !== undefined ? undefined : resolveKeyRing(options);
  return {
    accessTokenFormat: format,
    audience: stringList(options.audience, 'options.accessToken.audience') ?? (issuer === undefined ? [] : [issuer]),
    signingKeys: keyRing ?? (issuer === undefined ? undefined : resolveSigningKeys(options.signingKeys)),
    keyRing,
  };
}
