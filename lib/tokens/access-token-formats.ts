import type { ResolvedOptions } from '../options';
import type { AccessTokenFormat } from './access-token-format';
import { JwtAccessTokenFormat } from './jwt-access-token';
import { OpaqueAccessTokenFormat } from './opaque-access-token';
import { PerClientAccessTokenFormat } from './per-client-format';

/** Builds the access token formats the options allow, and picks the server default with per-client overrides. */
export function accessTokenFormat(options: ResolvedOptions): AccessTokenFormat {
  const opaque = new OpaqueAccessTokenFormat(options.store);
  const jwt =
    options.issuer !== undefined && options.signingKeys !== undefined
      ? new JwtAccessTokenFormat(options.signingKeys, { issuer: options.issuer, audience: options.audience })
      : undefined;
  const formats = { opaque, ...(jwt === undefined ? {} : { jwt }) };
  return new PerClientAccessTokenFormat(formats, options.accessTokenFormat === 'jwt' && jwt !== undefined ? jwt : opaque);
}
