import type { AuthorizationServerOptions } from '../lib';
import type { LoadedConfig } from './config';

/** The server's `refreshToken` option from the config's fields; a profile may add its own to it. */
export function refreshTokenOptions(config: LoadedConfig): NonNullable<AuthorizationServerOptions['refreshToken']> {
  const { ttl, reuseGraceSeconds } = config.refreshToken ?? {};
  return { ...(ttl === undefined ? {} : { ttl }), ...(reuseGraceSeconds === undefined ? {} : { reuseGraceSeconds }) };
}
