import type { IdTokenIssuer } from '../tokens/id-token';
import { clientMustUsePkce } from '../clients/pkce-policy';
import { verifyCodeVerifier } from './pkce';
import { InvalidGrantError } from '../errors/token-errors';
import { narrowedResources, requestedResources } from '../clients/client-resources';
import type { Store } from '../store/store';
import { parseFamilyToken } from '../tokens/family-token';
import type { RegisteredGrant } from './registered-grant';
import type { FamilyRevocationRetention } from './family-revocation-retention';

/**
 * How long a used code is remembered, in seconds, so a replay is recognised (and its tokens revoked) rather
 * than looking like an unknown code. A day outlives every access token Keyturn issues by default.
 */
export const USED_CODE_RETENTION_SECONDS = 24 * 3600;

/**
 * The authorization code grant at the token endpoint (RFC 6749 §4.1.3, §4.1.4).
 *
 * The code is consumed first, atomically in the store, so every later check fails on a code that can never
 * be tried again. Then: same client, the same `redirect_uri` when the authorization request named one, and
 * the PKCE verifier (RFC 7636 §4.6), compared in constant time; a code issued without a challenge is redeemed
 * without a verifier, and only by a client that may go without PKCE (`clientMustUsePkce`). A code presented a second time fails and
 * revokes every token issued from it (RFC 6749 §4.1.2). The response carries an `id_token` when `openid`
 * was granted (OpenID Connect Core §3.1.3.3).
 *
 * @example
 * ```ts
 * createAuthorizationServer({ clients, issuer, grants: ['authorization_code'], authorization: { authenticateUser, renderConsent } });
 * // POST /token grant_type=authorization_code&code=...&redirect_uri=...&code_verifier=...&client_id=...
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export function authorizationCodeGrant(
  store: Store,
  idTokens: IdTokenIssuer,
  requirePkceForConfidentialClients = true,
  familyRevocationRetention?: FamilyRevocationRetention,
): RegisteredGrant {
  return {
    type: 'authorization_code',
    requiredParameters: ['code'],
    async handle({ client, params, resources, tokens, dpopJkt }) {
      const presented = parseFamilyToken(params.code as string);
      if (presented === undefined) throw new InvalidGrantError({ description: 'the authorization code is invalid or expired', detail: 'malformed code' });
      // Checked before the code is spent: a malformed resource, or one the client may not ask for, leaves it usable.
      requestedResources(client, resources);
      const used = await store.consumeAuthorizationCode(presented.tokenHash, USED_CODE_RETENTION_SECONDS);
      if (used.status === 'unknown') throw new InvalidGrantError({ description: 'the authorization code is invalid or expired' });
      if (used.status === 'reused') {
        // The family's JWT access tokens carry its id (`fid`): the revocation refuses them too, for as long as they live.
        await store.revokeFamily(used.record.familyId, familyRevocationRetention?.(client));
        throw new InvalidGrantError({
          description: 'the authorization code was already used',
          detail: `authorization code reused by client ${client.clientId}; revoked grant family ${used.record.familyId}`,
        });
      }
      const code = used.record;
      if (code.expiresAt <= Math.floor(Date.now() / 1000)) throw new InvalidGrantError({ description: 'the authorization code is invalid or expired' });
      if (code.clientId !== client.clientId) {
        throw new InvalidGrantError({ description: 'the authorization code was issued to another client', detail: `code of ${code.clientId} presented by ${client.clientId}` });
      }
      // §4.1.3: required and identical when the authorization request included it; when it did not, a value
      // sent anyway must still be the one the code was delivered to.
      const redirectUri = params.redirect_uri;
      if ((code.redirectUriSent && redirectUri === undefined) || (redirectUri !== undefined && redirectUri !== code.redirectUri)) {
        throw new InvalidGrantError({ description: 'redirect_uri does not match the authorization request' });
      }
      const verifier = params.code_verifier;
      if (code.codeChallenge === undefined) {
        // OAuth 2.1 §4.1.3, RFC 9700 §4.8.2: a verifier without a challenge is refused, or a code injected from
        // a request that left PKCE out (the downgrade) would pass with the attacker's own verifier.
        if (verifier !== undefined) throw new InvalidGrantError({ description: 'code_verifier sent but the authorization request had no code_challenge' });
        // The authorization endpoint already insists; checked again here because the client's policy (a
        // ClientStore's record) may have turned to required since the code was issued.
        if (clientMustUsePkce(client, requirePkceForConfidentialClients)) {
          throw new InvalidGrantError({ description: client.tokenEndpointAuthMethod === 'none' ? 'public clients must use PKCE' : 'this client must use PKCE' });
        }
      } else {
        if (verifier === undefined) throw new InvalidGrantError({ description: 'code_verifier is required' });
        if (!verifyCodeVerifier(verifier, code.codeChallenge, code.codeChallengeMethod ?? 'plain')) {
          throw new InvalidGrantError({ description: 'code_verifier does not match the code_challenge' });
        }
      }

      // RFC 9449 §10: a code the authorization request bound with dpop_jkt is redeemed only with a proof of that key.
      if (code.jkt !== undefined && code.jkt !== dpopJkt) {
        throw new InvalidGrantError({ description: 'the authorization code is bound to a DPoP key this request did not prove' });
      }

      // RFC 8707 §2.2: the token request may ask for a subset of the resources the code was granted for; the
      // refresh token keeps them all, so a refresh can ask for any of them.
      const resource = narrowedResources(client, resources, code.audience) ?? code.audience;
      const openid = code.scope.includes('openid');
      const response = await tokens.issue({
        client, sub: code.sub, scope: code.scope, familyId: code.familyId, familySeed: presented.seed,
        ...(resource === undefined ? {} : { resource }),
        ...(code.audience === undefined ? {} : { grantedResources: code.audience }),
        // Kept with the refresh token so a refresh's id_token has the sign-in's auth_time (OpenID Connect Core §12.2).
        ...(openid ? { authTime: code.authTime } : {}),
      });
      if (openid) {
        response.id_token = await idTokens.issue({
          sub: code.sub,
          clientId: client.clientId,
          authTime: code.authTime,
          ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
          accessToken: response.access_token,
        });
      }
      return response;
    },
  };
}
