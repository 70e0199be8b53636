import type { KeyObject } from 'node:crypto';
import { TokenRejection } from './token-rejection';
import { JwtAccessTokenVerifier } from './jwt-verifier';
import { JWT_ALGORITHMS, type SigningKeys } from '../tokens/signing-keys';

/**
 * A verifier for the server's own JWT access tokens, by its own key set: any key of the set verifies
 * (rotation), and only with the algorithm that key was configured for.
 */
export function localJwtVerifier(
  keys: SigningKeys,
  settings: { issuer: string; audience: readonly string[] | undefined; clockTolerance: number },
): JwtAccessTokenVerifier {
  return new JwtAccessTokenVerifier({
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: JWT_ALGORITHMS,
    clockTolerance: settings.clockTolerance,
    resolveKey: (kid, alg) => {
      // Only while the key ring is first read does a verification wait; afterwards the keys are in memory.
      const pending = keys.whenReady();
      return pending === undefined ? keyFor(keys, kid, alg) : pending.then(() => keyFor(keys, kid, alg));
    },
  });
}

function keyFor(keys: SigningKeys, kid: string | undefined, alg: string): KeyObject {
  const key = kid === undefined ? undefined : keys.get(kid);
  if (key === undefined) throw new TokenRejection('the access token is signed by an unknown key');
  // The algorithm is bound to the key: an HS256 header over an RSA/EC key (algorithm confusion) fails here.
  if (key.alg !== alg) throw new TokenRejection('the access token is signed with an algorithm that is not accepted', `alg ${alg} for kid ${key.kid}`);
  return key.verifyKey;
}
