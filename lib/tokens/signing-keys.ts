import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  KeyObject,
  type JsonWebKey,
} from 'node:crypto';
import { jwkThumbprint } from '../crypto/jwk-thumbprint';

/**
 * JWS algorithms Keyturn signs and verifies access tokens with: an allow-list, so `none` and anything
 * unlisted never verify. EdDSA is absent because jsonwebtoken 9 does not implement it. HS256 needs the
 * secret on both sides, so it suits only verification inside the issuing process (or a service that shares
 * the secret); it is never published in the JWKS.
 *
 * @example
 * ```ts
 * import type { JwtAlgorithm, SigningKeyInput } from 'keyturn';
 *
 * const key: SigningKeyInput = { kid: 'hs-1', alg: 'HS256' satisfies JwtAlgorithm, key: process.env.JWT_SECRET! };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.1
 */
export type JwtAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'HS256';

/** The algorithms of {@link JwtAlgorithm}, for validation. */
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'PS256', 'ES256', 'HS256'];

/** The asymmetric algorithms a resource server accepts from a JWKS. */
export const ASYMMETRIC_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'PS256', 'ES256'];

/**
 * A configured signing key. The first key of the `signingKeys` option signs new tokens; the others only
 * verify, so a rotation adds the new key first and keeps the old one until its last token has expired.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import type { SigningKeyInput } from 'keyturn';
 *
 * const signingKeys: SigningKeyInput[] = [
 *   { kid: '2026-11', key: readFileSync('keys/es256-2026-11.pem', 'utf8') },          // signs (ES256)
 *   { kid: '2026-05', key: readFileSync('keys/es256-2026-05.pub.pem', 'utf8') },      // verifies only
 * ];
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-4.5
 */
export interface SigningKeyInput {
  /** Key id, published in the JWKS and put in each token's `kid` header. Required and unique. */
  kid: string;
  /**
   * Algorithm. Default: from the key: `ES256` for a P-256 EC key, `RS256` for RSA, `PS256` for RSA-PSS.
   * `HS256` must be named.
   */
  alg?: JwtAlgorithm;
  /**
   * The key: a PEM string, a JWK or a `crypto.KeyObject`. A private key signs and verifies; a public key only
   * verifies (a retired key). For HS256: the secret (at least 32 bytes), as a string, Buffer, `oct` JWK or
   * secret KeyObject.
   */
  key: string | Buffer | JsonWebKey | KeyObject;
}

/** A signing key ready for use: KeyObjects built once, at start-up. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: JwtAlgorithm;
  /** The private key or secret, when this key can sign. */
  readonly signKey: KeyObject | undefined;
  /** The public key, or the secret for HS256. */
  readonly verifyKey: KeyObject;
  /** The public JWK to publish, or `undefined` for HS256. */
  readonly publicJwk: JsonWebKey | undefined;
}

/**
 * Where the server's signing keys come from: a fixed set (the `signingKeys` option) or the key ring kept in
 * the store. Read on every signature and verification, so each member answers from memory.
 */
export interface SigningKeys {
  /** The key new tokens are signed with. Throws when the keys are not loaded yet (see `whenReady`). */
  readonly current: SigningKey;
  /** The key with this `kid`, or `undefined`. */
  get(kid: string): SigningKey | undefined;
  /** The RFC 7517 JWK Set of the public keys; a new object whenever the keys change. */
  readonly jwks: { readonly keys: readonly JsonWebKey[] };
  /** True when there are public keys to publish (a JWKS and a `jwks_uri`). */
  readonly publishesKeys: boolean;
  /** True when `current` changes over time (the key ring); false for a fixed list. */
  readonly rotates: boolean;
  /** `undefined` once the keys are loaded; before, a promise that settles when they are (or failed to be). */
  whenReady(): Promise<void> | undefined;
}

/**
 * The server's keys: the current one signs, all verify, the public ones form the JWKS.
 */
export class SigningKeySet implements SigningKeys {
  /** The key new tokens are signed with. */
  readonly current: SigningKey;
  private readonly byKid: ReadonlyMap<string, SigningKey>;
  /** The RFC 7517 JWK Set of the public keys. */
  readonly jwks: { readonly keys: readonly JsonWebKey[] };

  constructor(keys: readonly SigningKey[]) {
    const first = keys[0];
    if (first === undefined || first.signKey === undefined) throw new TypeError('options.signingKeys[0] must be a private key or secret: it signs new tokens');
    this.current = first;
    this.byKid = new Map(keys.map((k) => [k.kid, k]));
    this.jwks = Object.freeze({ keys: keys.flatMap((k) => (k.publicJwk === undefined ? [] : [k.publicJwk])) });
    this.publishesKeys = this.jwks.keys.length > 0;
  }

  readonly publishesKeys: boolean;
  readonly rotates = false;

  whenReady(): undefined {
    return undefined;
  }

  /** The key with this `kid`, or `undefined`. */
  get(kid: string): SigningKey | undefined {
    return this.byKid.get(kid);
  }
}

/**
 * Builds the key set from the `signingKeys` option. Throws a `TypeError` naming the entry for a malformed,
 * weak or mismatched key, or a duplicate `kid`.
 */
export function resolveSigningKeys(inputs: readonly SigningKeyInput[] | undefined): SigningKeySet {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new TypeError('options.signingKeys must be a non-empty array');
  const seen = new Set<string>();
  return new SigningKeySet(
    inputs.map((input, index) => {
      const where = `options.signingKeys[${index}]`;
      if (typeof input?.kid !== 'string' || input.kid === '') throw new TypeError(`${where}.kid must be a non-empty string`);
      if (seen.has(input.kid)) throw new TypeError(`${where}.kid "${input.kid}" is listed twice`);
      seen.add(input.kid);
      return buildKey(input, where);
    }),
  );
}

function buildKey(input: SigningKeyInput, where: string): SigningKey {
  if (input.alg !== undefined && !JWT_ALGORITHMS.includes(input.alg)) {
    throw new TypeError(`${where}.alg must be one of ${JWT_ALGORITHMS.join(', ')}`);
  }
  if (input.alg === 'HS256') {
    const secret = toSecretKey(input.key, where);
    if ((secret.symmetricKeySize ?? 0) < 32) throw new TypeError(`${where}: an HS256 secret needs at least 32 bytes`);
    return { kid: input.kid, alg: 'HS256', signKey: secret, verifyKey: secret, publicJwk: undefined };
  }
  const { privateKey, publicKey } = toAsymmetricKey(input.key, where);
  const alg = input.alg ?? inferAlgorithm(publicKey, where);
  checkKeyFitsAlgorithm(publicKey, alg, where);
  return {
    kid: input.kid,
    alg,
    signKey: privateKey,
    verifyKey: publicKey,
    publicJwk: Object.freeze({ ...publicKey.export({ format: 'jwk' }), kid: input.kid, alg, use: 'sig' }),
  };
}

function toSecretKey(key: SigningKeyInput['key'], where: string): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type !== 'secret') throw new TypeError(`${where}.key must be a secret for HS256`);
    return key;
  }
  if (typeof key === 'string') return createSecretKey(Buffer.from(key, 'utf8'));
  if (Buffer.isBuffer(key)) return createSecretKey(key);
  if (typeof key === 'object' && key !== null && key.kty === 'oct' && typeof key.k === 'string') {
    return createSecretKey(Buffer.from(key.k, 'base64url'));
  }
  throw new TypeError(`${where}.key must be a string, Buffer, oct JWK or secret KeyObject for HS256`);
}

function toAsymmetricKey(key: SigningKeyInput['key'], where: string): { privateKey: KeyObject | undefined; publicKey: KeyObject } {
  if (key instanceof KeyObject) {
    if (key.type === 'private') return { privateKey: key, publicKey: createPublicKey(key) };
    if (key.type === 'public') return { privateKey: undefined, publicKey: key };
    throw new TypeError(`${where}.key is a secret: name alg "HS256" to use it`);
  }
  const source =
    typeof key === 'string' || Buffer.isBuffer(key)
      ? { key }
      : typeof key === 'object' && key !== null
        ? { key: key as JsonWebKey, format: 'jwk' as const }
        : undefined;
  if (source === undefined) throw new TypeError(`${where}.key must be a PEM string, a JWK or a KeyObject`);
  try {
    const privateKey = createPrivateKey(source);
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } catch {
    try {
      return { privateKey: undefined, publicKey: createPublicKey(source) };
    } catch {
      throw new TypeError(`${where}.key is not a readable PEM or JWK key`);
    }
  }
}

function inferAlgorithm(publicKey: KeyObject, where: string): JwtAlgorithm {
  switch (publicKey.asymmetricKeyType) {
    case 'ec':
      return 'ES256';
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    default:
      throw new TypeError(`${where}.key: ${publicKey.asymmetricKeyType ?? 'this'} keys are not supported (use P-256 EC, RSA or RSA-PSS)`);
  }
}

function checkKeyFitsAlgorithm(publicKey: KeyObject, alg: JwtAlgorithm, where: string): void {
  const type = publicKey.asymmetricKeyType;
  const details = publicKey.asymmetricKeyDetails ?? {};
  if (alg === 'ES256') {
    if (type !== 'ec' || details.namedCurve !== 'prime256v1') throw new TypeError(`${where}: ES256 needs a P-256 EC key`);
    return;
  }
  const rsa = alg === 'PS256' ? type === 'rsa' || type === 'rsa-pss' : type === 'rsa';
  if (!rsa) throw new TypeError(`${where}: ${alg} needs an RSA key`);
  // RFC 7518 §3.3: RSA keys of 2048 bits or more.
  if ((details.modulusLength ?? 0) < 2048) throw new TypeError(`${where}: RSA keys need at least 2048 bits`);
}

/**
 * The {@link SigningKey} of a P-256 private key, named by the RFC 7638 thumbprint of its public key.
 * @see https://www.rfc-editor.org/rfc/rfc7638
 */
export function es256Key(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  const thumbprint = jwkThumbprint(jwk);
  return {
    kid: thumbprint,
    alg: 'ES256',
    signKey: privateKey,
    verifyKey: publicKey,
    publicJwk: Object.freeze({ ...jwk, kid: thumbprint, alg: 'ES256', use: 'sig' }),
  };
}
