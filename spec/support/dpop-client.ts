// A DPoP client for the resource-server specs, made with jose (a library nobody here wrote): a key pair, proofs
// signed with it, its RFC 7638 thumbprint, and tokens from the token endpoint bound to it (RFC 9449 §5).
import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Client } from '../../lib';

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

/**
 * A client_credentials token from the token endpoint at `tokenUrl` (a listening server): bound to `key` when
 * given (the request carries a DPoP proof for the token endpoint, RFC 9449 §5), a bearer token otherwise.
 */
export async function tokenFromEndpoint(tokenUrl: string, client: Client, key?: DpopKey): Promise<string> {
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret ?? ''}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (key !== undefined) headers.dpop = await proof(key, { htm: 'POST', htu: tokenUrl });
  const res = await fetch(tokenUrl, { method: 'POST', headers, body: 'grant_type=client_credentials' });
  const body = (await res.json()) as { access_token?: string; token_type?: string };
  const expectedType = key === undefined ? 'Bearer' : 'DPoP';
  if (res.status !== 200 || typeof body.access_token !== 'string' || body.token_type !== expectedType) {
    throw new Error(`token request failed: ${res.status} ${JSON.stringify({ ...body, access_token: undefined })}`);
  }
  return body.access_token;
}
