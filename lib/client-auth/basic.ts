import { BasicStrategy } from 'passport-http';
import type { Strategy } from 'passport';
import type { ClientAuthRequest } from './strategy-request';
import type { VerifyClient } from './verify-client';

/**
 * `client_secret_basic` (RFC 6749 §2.3.1) as a Passport strategy. passport-http parses the scheme and
 * issues the challenge; the id and secret it reports are not used, because passport-http neither splits at the
 * first colon only nor form-decodes them, both of which RFC 6749 requires. The credentials `readCredentials`
 * decoded by those rules travel on the request view instead.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretBasicStrategy(realm: string, verify: VerifyClient): Strategy {
  return new BasicStrategy({ realm, passReqToCallback: true }, (req, _id, _secret, done) => {
    const { credentials, gate } = req as unknown as ClientAuthRequest;
    if (credentials.method !== 'client_secret_basic' || credentials.clientId === undefined) return done(null, false);
    verify(credentials.clientId, credentials.clientSecret, 'client_secret_basic', done, gate);
  });
}
