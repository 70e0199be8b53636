import type { Store } from '../../store/store';
import { mintFamilyToken } from '../../tokens/family-token';
import type { CodeChallengeMethod } from '../../grants/pkce';

/** What a new authorization code is bound to (RFC 6749 §4.1.2, RFC 7636 §4.4). */
export interface CodeBinding {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly redirectUriSent: boolean;
  readonly sub: string;
  readonly scope: readonly string[];
  /** The resources (RFC 8707) the request named. */
  readonly resource?: readonly string[] | undefined;
  readonly codeChallenge?: string | undefined;
  readonly codeChallengeMethod?: CodeChallengeMethod | undefined;
  readonly nonce?: string | undefined;
  readonly authTime: number;
  /** RFC 9449 §10: the `dpop_jkt` of the request. */
  readonly dpopJkt?: string | undefined;
}

/**
 * Mints an authorization code: 256 random bits handed to the client once, only its SHA-256 kept in the
 * store with what it is bound to, for `ttlSeconds` (RFC 6749 §4.1.2: short-lived, single use). Each code
 * starts a grant family that every token issued from it carries.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export async function issueAuthorizationCode(store: Store, binding: CodeBinding, ttlSeconds: number): Promise<string> {
  // A code has the refresh token's shape, `<family seed>.<secret>`: the seed names the grant family that
  // the tokens issued for this code will join, so a replay of the code can revoke all of them, and the
  // store never sees the seed, only its hash.
  const minted = mintFamilyToken();
  const issuedAt = Math.floor(Date.now() / 1000);
  await store.saveAuthorizationCode(
    minted.tokenHash,
    {
      clientId: binding.clientId,
      redirectUri: binding.redirectUri,
      redirectUriSent: binding.redirectUriSent,
      sub: binding.sub,
      scope: binding.scope,
      ...(binding.codeChallenge === undefined ? {} : { codeChallenge: binding.codeChallenge, codeChallengeMethod: binding.codeChallengeMethod ?? 'plain' }),
      ...(binding.nonce === undefined ? {} : { nonce: binding.nonce }),
      authTime: binding.authTime,
      issuedAt,
      expiresAt: issuedAt + ttlSeconds,
      familyId: minted.familyId,
      ...(binding.dpopJkt === undefined ? {} : { jkt: binding.dpopJkt }),
      ...(binding.resource === undefined ? {} : { audience: binding.resource }),
    },
    ttlSeconds,
  );
  return minted.token;
}
