import jwt from 'jsonwebtoken';
import type { IdTokenSigner } from './id-token';
import type { SigningKey, SigningKeys } from './signing-keys';

/**
 * Signs id_tokens with the server's own keys, so their `kid` is in `jwks_uri` and any relying party verifies
 * them. The key ring signs with its current ES256 key; a fixed `signingKeys` list with the first asymmetric
 * private key (an HS256 secret is never published, so no relying party could check it). `undefined` when the
 * list has no such key.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#Signing
 */
export function signingKeysIdTokenSigner(keys: SigningKeys): IdTokenSigner | undefined {
  let fixed: SigningKey | undefined;
  if (!keys.rotates) {
    const current = keys.current;
    fixed = current.alg !== 'HS256' ? current : undefined;
    if (fixed === undefined) {
      for (const jwk of keys.jwks.keys) {
        const key = typeof jwk.kid === 'string' ? keys.get(jwk.kid) : undefined;
        if (key?.signKey !== undefined) {
          fixed = key;
          break;
        }
      }
      if (fixed === undefined) return undefined;
    }
  }
  // A fixed list's key never changes; the ring's is looked up at each signature, as it rotates.
  const alg = fixed?.alg ?? 'ES256';
  const signWith = (key: SigningKey, claims: object): string => jwt.sign({ ...claims }, key.signKey!, { algorithm: key.alg, keyid: key.kid });
  return {
    alg,
    sign: async (claims) => {
      if (fixed !== undefined) return signWith(fixed, claims);
      await keys.whenReady();
      return signWith(keys.current, claims);
    },
  };
}
