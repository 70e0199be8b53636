import { OAuthError, type OAuthErrorInit } from './oauth-error';

// The two error codes RFC 9449 adds (§12.2). At the token endpoint both are 400 (§5, §8); the resource-server
// checks re-render them as 401 with a `WWW-Authenticate: DPoP` challenge (§7.1, §9).

/**
 * The DPoP proof is missing where one is required, malformed, signed with an algorithm that is not allowed,
 * or does not match the request: 400 `invalid_dpop_proof`. The description says which check failed in
 * general terms; it never repeats the proof or any value taken from it.
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * const err = new errors.InvalidDpopProofError({ description: 'the DPoP proof has expired' });
 * err.status; // 400
 * err.code; // 'invalid_dpop_proof'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export class InvalidDpopProofError extends OAuthError {
  constructor(init?: OAuthErrorInit) {
    super('invalid_dpop_proof', 400, init);
  }
}

/**
 * The server requires a nonce in DPoP proofs and the proof did not carry the current one: 400
 * `use_dpop_nonce` with the nonce to use in the `DPoP-Nonce` header. A client retries with a new proof that
 * carries it (oauth4webapi does so by itself).
 *
 * @example
 * ```ts
 * import * as errors from 'keyturn/errors';
 *
 * const err = new errors.UseDpopNonceError('eyJ7S_zG.eyJH0-Z.HX4w-7v');
 * err.headers['DPoP-Nonce']; // 'eyJ7S_zG.eyJH0-Z.HX4w-7v'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 */
export class UseDpopNonceError extends OAuthError {
  /** The nonce the client must put in its next proof (also in `headers['DPoP-Nonce']`). */
  readonly nonce: string;

  constructor(nonce: string, init?: OAuthErrorInit) {
    super('use_dpop_nonce', 400, {
      description: 'the authorization server requires a nonce in the DPoP proof',
      ...init,
      headers: { ...init?.headers, 'DPoP-Nonce': nonce },
    });
    this.nonce = nonce;
  }
}
