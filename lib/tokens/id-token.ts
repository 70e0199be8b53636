import { createHash, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * The claims of an OpenID Connect ID Token that Keyturn issues, as an {@link IdTokenSigner} receives them to
 * sign. Times are epoch seconds.
 *
 * @example
 * ```ts
 * import type { IdTokenClaims } from 'keyturn';
 *
 * // What the signer is handed when user-42 signs in to the client web-app.
 * const claims: IdTokenClaims = {
 *   iss: 'https://auth.example.com',
 *   sub: 'user-42',
 *   aud: 'web-app',
 *   iat: 1736154000,
 *   exp: 1736157600,
 *   auth_time: 1736153990,
 *   nonce: 'k3v9-Qm2',
 *   at_hash: 'P5miFeiHB4E4t2wjxdzlFw',
 * };
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export interface IdTokenClaims {
  /** Issuer identifier: the server's `issuer` option. */
  readonly iss: string;
  /** The user's subject identifier. */
  readonly sub: string;
  /** The client the token is for: its client id. */
  readonly aud: string;
  /** When the token expires: `iat` plus the `idToken.ttl` option. */
  readonly exp: number;
  /** When the token was issued. */
  readonly iat: number;
  /** When the user authenticated. */
  readonly auth_time: number;
  /** The authorization request's `nonce`, when it carried one. */
  readonly nonce?: string;
  /** Left half of the hash of the access token, base64url (OpenID Connect Core §3.1.3.6). */
  readonly at_hash: string;
}

/**
 * Signs ID Tokens. Keep it small so any key source fits: a development key, the server's signing keys, a KMS.
 *
 * @example
 * ```ts
 * import { createPrivateKey } from 'node:crypto';
 * import { readFileSync } from 'node:fs';
 * import jwt from 'jsonwebtoken';
 * import { createAuthorizationServer, type AuthorizationOptions, type IdTokenSigner } from 'keyturn';
 *
 * declare const hooks: Pick<AuthorizationOptions, 'authenticateUser' | 'renderConsent'>; // your sign-in and consent pages
 *
 * const privateKey = createPrivateKey(readFileSync('keys/id-token-es256.pem', 'utf8')); // parsed once, not per token
 * const signer: IdTokenSigner = {
 *   alg: 'ES256',
 *   sign: async (claims) => jwt.sign({ ...claims }, privateKey, { algorithm: 'ES256', keyid: 'id-1' }),
 * };
 * createAuthorizationServer({ clients, issuer, grants: ['authorization_code'], authorization: { ...hooks, idToken: { signer } } });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#Signing
 */
export interface IdTokenSigner {
  /** The JWS `alg` the signer uses (e.g. `ES256`); it also picks the `at_hash` hash (SHA-256 for *256). */
  readonly alg: string;
  /** Returns the signed JWT (compact serialization) of `claims`. */
  sign(claims: IdTokenClaims): Promise<string>;
}

/** An {@link IdTokenSigner} with a key generated in memory, and its public key for verifiers. */
export interface DevelopmentIdTokenSigner extends IdTokenSigner {
  /** The key id (`kid` header). */
  readonly kid: string;
  /** The public key as a JWK (with `kid`, `alg`, `use`), for a JWKS or a test's verifier. */
  readonly publicJwk: JsonWebKey;
  /** The public key, for `jwt.verify`. */
  readonly publicKey: KeyObject;
}

/**
 * A development {@link IdTokenSigner}: a fresh ES256 (P-256) key made when it is created, so ID Tokens
 * signed before a restart no longer verify after it. Production apps pass a signer over persistent keys.
 *
 * @example
 * ```ts
 * const signer = createDevelopmentIdTokenSigner();
 * jwt.verify(idToken, signer.publicKey, { algorithms: ['ES256'] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.4
 */
export function createDevelopmentIdTokenSigner(): DevelopmentIdTokenSigner {
  // The KeyObject is built once: jsonwebtoken parses a PEM or Buffer again on every call.
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(8).toString('base64url');
  const publicJwk: JsonWebKey = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  return {
    alg: 'ES256',
    kid,
    publicJwk,
    publicKey,
    sign: async (claims) => jwt.sign({ ...claims }, privateKey, { algorithm: 'ES256', keyid: kid }),
  };
}

/**
 * `at_hash`: the base64url of the left-most half of the hash of the ASCII access token, with the hash of the
 * ID Token's `alg` (SHA-256 for ES256/RS256/PS256, SHA-384 for *384, SHA-512 for *512).
 *
 * @example
 * ```ts
 * accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'ES256'); // 16 bytes, base64url
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
 */
export function accessTokenHash(accessToken: string, alg: string): string {
  const bits = /(\d{3})$/.exec(alg)?.[1];
  const hash = bits === '384' ? 'sha384' : bits === '512' ? 'sha512' : 'sha256';
  const digest = createHash(hash).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** What an ID Token is minted from. */
export interface IdTokenInput {
  readonly sub: string;
  readonly clientId: string;
  readonly authTime: number;
  readonly nonce?: string;
  readonly accessToken: string;
}

/** Mints ID Tokens with one signer, issuer and lifetime. */
export class IdTokenIssuer {
  constructor(
    private readonly signer: IdTokenSigner,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  /** The JWS `alg` of the signer, as the metadata's `id_token_signing_alg_values_supported` lists it. */
  get alg(): string {
    return this.signer.alg;
  }

  /** Signs the ID Token of one token response. */
  issue(input: IdTokenInput): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    return this.signer.sign({
      iss: this.issuer,
      sub: input.sub,
      aud: input.clientId,
      exp: iat + this.ttlSeconds,
      iat,
      auth_time: input.authTime,
      ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
      at_hash: accessTokenHash(input.accessToken, this.signer.alg),
    });
  }
}
