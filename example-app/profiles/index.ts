import { serviceHours, type AuthorizationServerOptions, type Client } from '../../lib';
import type { LoadedConfig } from '../config';
import { refreshTokenOptions } from '../refresh-token-options';
import { renderBankError } from './bank';
import { falconClients, renderFalconError } from './falcon';

/** The demo's faces: plain RFC 6749, or one of the three seed APIs reproduced. */
export type ProfileName = 'default' | 'moov' | 'bank' | 'falcon';

export const PROFILE_NAMES: readonly ProfileName[] = ['default', 'moov', 'bank', 'falcon'];

/** How a profile presents the server: where it is mounted and which server options it sets. */
export interface DemoProfile {
  readonly name: ProfileName;
  /** The router's mount path; the token endpoint is `${mountPath}/token`. */
  readonly mountPath: string;
  /** Server options the profile sets over the config's. */
  options(config: LoadedConfig): Partial<AuthorizationServerOptions>;
  /**
   * The clients as the profile registers them, from the app's (redirect URIs already resolved). A hook of its
   * own rather than `clients` in `options`, which would replace the app's list with the config's.
   */
  clients?(clients: readonly Client[]): readonly Client[];
}

const PROFILES: Record<ProfileName, DemoProfile> = {
  // RFC 6749 as written: JSON responses, token_type Bearer, {error, error_description}.
  default: { name: 'default', mountPath: '/oauth2', options: () => ({}) },

  // Seed 000: POST /oauth2/token, JSON or form, credentials in Basic or body (its examples send both),
  // token_type "opaque" or "jwt" after the token format, responses in the request's own content type.
  moov: {
    name: 'moov',
    mountPath: '/oauth2',
    options: () => ({
      compat: { tokenTypeLabel: (format) => format, responseFormat: 'mirror-request', basicWithBody: 'accept-matching' },
    }),
  },

  // Seed 001: POST /v1/oauth/token with a JSON body of client id and secret only; 409 for failures and
  // 503 outside working hours, in the {errorId, code, text, parameter_name, parameter_value} envelope.
  bank: {
    name: 'bank',
    mountPath: '/v1/oauth',
    options: (config) => ({
      compat: { defaultGrantType: 'client_credentials', bodyFormats: ['json'] },
      renderError: renderBankError,
      ...(config.serviceHours === undefined ? {} : { availability: serviceHours(config.serviceHours) }),
    }),
  },

  // Seed 002: POST /oauth2/token with a form body; token_type "bearer"; 400/403 in the
  // {meta: {pagination}, errors: [{httpcode, message}]} envelope. Its MOD1 (client_credentials) response
  // has no refresh_token; MOD2 and MOD3 (code, refresh) do. MOD2 sends no code_verifier, so confidential
  // clients may skip PKCE: set per client, since a server-wide authorization.pkce would replace the demo's
  // sign-in and consent hooks (profile options are spread over the app's).
  falcon: {
    name: 'falcon',
    mountPath: '/oauth2',
    clients: falconClients,
    options: (config) => ({
      compat: { bodyFormats: ['form'], tokenTypeLabel: 'bearer' },
      renderError: renderFalconError,
      refreshToken: { ...refreshTokenOptions(config), issueWithClientCredentials: false },
    }),
  },
};

/** The profile named by `KEYTURN_PROFILE` or the config; throws for an unknown name. */
export function selectProfile(name: string | undefined): DemoProfile {
  const profile = PROFILES[(name ?? 'default') as ProfileName];
  if (profile === undefined) throw new Error(`unknown profile "${name}" (one of ${PROFILE_NAMES.join(', ')})`);
  return profile;
}
