import { InvalidRequestError } from '../../errors/token-errors';
import type { AuthorizationRequest } from './authorize-request';
import { consentTransaction } from './consent-transaction';
import type { TransactionSealer } from './transaction';

// OpenID Connect Core §2: sub "MUST NOT exceed 255 ASCII characters in length". The user is not known yet
// when the request is checked, so the check reserves room for the longest.
const LONGEST_USER = Object.freeze({ sub: 'x'.repeat(255), authTime: 9_999_999_999 });
// Epoch seconds keep ten digits until the year 2286; a CSRF hash is SHA-256 in base64url.
const LATEST = 9_999_999_999;
const CSRF_HASH = 'x'.repeat(43);
// The body the browser posts: base64url needs no percent-encoding, and a CSRF token is 43 characters.
const FIELDS_AROUND = 'transaction='.length + '&csrf_token='.length + 43 + '&decision=allow'.length;

/** Bytes of the consent POST's body for a sealed transaction of `sealedLength` characters. */
export function consentBodyBytes(sealedLength: number): number {
  return FIELDS_AROUND + sealedLength;
}

/**
 * Refuses, up front, a request whose parameters are each within their limits but together would make a
 * consent form larger than the body limit of its POST (`bodyLimit`): the form carries the transaction
 * (`state`, `nonce`, `code_challenge`, the client, the redirect URI, the scope), and a form that cannot be
 * posted back makes consent impossible. Counted exactly as the transaction will be sealed, with room for the
 * longest `sub`. No store round trip.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function checkConsentFormFits(sealer: TransactionSealer, bodyLimit: number, request: AuthorizationRequest): void {
  checkSealedFits(sealer.sealedLength(consentTransaction(request, LONGEST_USER, LATEST, CSRF_HASH)), bodyLimit);
}

/** The same bound for a sealed transaction, once the user is known (a `sub` longer than OpenID allows). */
export function checkSealedFits(sealedLength: number, bodyLimit: number): void {
  if (consentBodyBytes(sealedLength) > bodyLimit) {
    throw new InvalidRequestError({
      description: `the request's parameters are too long together: the consent form would exceed the ${bodyLimit}-byte body limit`,
    });
  }
}
