import { BasicStrategy } from 'passport-http';
import type { Strategy } from 'passport';
import { decodeBasicCredentials } from './decode-basic';
import type { VerifyClient } from './verify-client';

/**
 * `client_secret_basic` (RFC 6749 §2.3.1) as a Passport strategy. passport-http parses the scheme and
 * issues the challenge; the credentials are decoded again here because passport-http neither splits at the
 * first colon only nor form-decodes id and secret, both of which RFC 6749 requires.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretBasicStrategy(realm: string, verify: VerifyClient): Strategy {
  return new BasicStrategy({ realm, passReqToCallback: true }, (req, _id, _secret, done) => {
    const credentials = decodeBasicCredentials(req.headers.authorization);
    if (credentials === undefined) return done(null, false);
    verify(credentials.clientId, credentials.clientSecret, 'client_secret_basic', done);
  });
}
