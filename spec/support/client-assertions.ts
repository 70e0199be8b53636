import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** The assertion type of RFC 7523 §2.2. */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A client's key pair, made by jose: the private key signs, the public JWK is what the server is given. */
export interface AssertionKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey | KeyObject;
  readonly publicJwk: JWK;
}

export async function assertionKey(alg: string, kid: string = randomUUID()): Promise<AssertionKey> {
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    // A node key object, which jose signs with under RS* and PS* alike (a WebCrypto key has one algorithm).
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
  }
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

export interface AssertionInput {
  readonly clientId: string;
  readonly audience: string | string[];
  /** Claims to set, or `undefined` to remove a default one. */
  readonly claims?: Record<string, unknown>;
  readonly header?: Record<string, unknown>;
  /** Seconds; default 60. */
  readonly lifetime?: number;
}

/** A client assertion (RFC 7523 §3) signed by jose with the client's private key, or with an HMAC secret. */
export async function signAssertion(key: AssertionKey | { readonly alg: string; readonly secret: string }, input: AssertionInput): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const defaults: Record<string, unknown> = {
    iss: input.clientId,
    sub: input.clientId,
    aud: input.audience,
    iat: now,
    exp: now + (input.lifetime ?? 60),
    jti: randomUUID(),
  };
  const claims = { ...defaults, ...input.claims };
  for (const name of Object.keys(claims)) if (claims[name] === undefined) delete claims[name];
  const header: Record<string, unknown> = 'secret' in key ? { alg: key.alg, ...input.header } : { alg: key.alg, kid: key.kid, ...input.header };
  const jwt = new SignJWT(claims as JWTPayload).setProtectedHeader(header as { alg: string });
  const crit = Array.isArray(header.crit) ? Object.fromEntries((header.crit as string[]).map((name) => [name, true])) : undefined;
  return jwt.sign('secret' in key ? new TextEncoder().encode(key.secret) : key.privateKey, crit === undefined ? undefined : { crit });
}

/** The form of a client-credentials request authenticated by an assertion. */
export function assertionForm(assertion: string, extra: Record<string, string> = {}): Record<string, string> {
  return { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion, ...extra };
}
