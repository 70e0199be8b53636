import type { Store } from '../store/store';
import type { SigningKeys } from './signing-keys';
import type { AccessTokenFormatName } from './per-client-format';
import type { AccessTokenFormat } from './access-token-format';
import { JwtAccessTokenFormat } from './jwt-access-token';
import { OpaqueAccessTokenFormat } from './opaque-access-token';
import { PerClientAccessTokenFormat } from './per-client-format';

/** Builds the access token formats the options allow, and picks the server default with per-client overrides. */
export function accessTokenFormat(options: {
  readonly store: Store;
  readonly issuer: string | undefined;
  readonly signingKeys: SigningKeys | undefined;
  readonly audience: readonly string[];
  readonly format: AccessTokenFormatName;
}): AccessTokenFormat {
  const opaque = new OpaqueAccessTokenFormat(options.store);
  const jwt =
    options.issuer !== undefined && options.signingKeys !== undefined
      ? new JwtAccessTokenFormat(options.signingKeys, { issuer: options.issuer, audience: options.audience })
      : undefined;
  const formats = { opaque, ...(jwt === undefined ? {} : { jwt }) };
  return new PerClientAccessTokenFormat(formats, options.format === 'jwt' && jwt !== undefined ? jwt : opaque);
}
