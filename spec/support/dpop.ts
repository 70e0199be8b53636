// DPoP for the specs, made with jose (a library nobody here wrote), the way a client would: a key pair, proofs
// signed with it, and the RFC 7638 thumbprint tokens are bound to.
import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A client's DPoP key: the private key to sign proofs, the public JWK they carry, its thumbprint. */
export interface DpopKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly jkt: string;
  readonly alg: string;
}

export async function dpopKey(alg: 'ES256' | 'EdDSA' | 'PS256' | 'RS256' = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256'), alg };
}

/** base64url(SHA-256(token)): a proof's `ath` (RFC 9449 §4.2). */
export function ath(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface ProofClaims {
  readonly htm: string;
  readonly htu: string;
  /** The access token the proof goes with (its hash becomes `ath`); omitted at the token endpoint. */
  readonly accessToken?: string;
  /** Overrides `ath` itself. */
  readonly ath?: string;
  /** Epoch seconds. Default: now. */
  readonly iat?: number;
  readonly jti?: string;
  readonly nonce?: string;
}

/** A DPoP proof JWT (RFC 9449 §4.2) signed with `key`. */
export function proof(key: DpopKey, claims: ProofClaims): Promise<string> {
  const payload: Record<string, unknown> = {
    htm: claims.htm,
    htu: claims.htu,
    jti: claims.jti ?? randomBytes(16).toString('base64url'),
    ...(claims.ath !== undefined ? { ath: claims.ath } : claims.accessToken !== undefined ? { ath: ath(claims.accessToken) } : {}),
    ...(claims.nonce === undefined ? {} : { nonce: claims.nonce }),
  };
  return new SignJWT(payload)
    .setProtectedHeader({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk })
    .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey);
}
