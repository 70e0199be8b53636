import jwt from 'jsonwebtoken';
import { KeyObject } from 'node:crypto';
import { TokenRejection } from './token-rejection';
import { isAccessTokenType, looksLikeJwt, type JwtAccessTokenClaims } from '../tokens/jwt-claims';
import type { JwtAlgorithm } from '../tokens/signing-keys';

/** Finds the key for a token's `kid` and `alg`; throws a {@link TokenRejection} when there is none. */
export type ResolveVerifyKey = (kid: string | undefined, alg: JwtAlgorithm) => KeyObject | Promise<KeyObject>;

/** Settings of {@link JwtAccessTokenVerifier}. */
export interface JwtVerifierSettings {
  /** The expected `iss`. */
  readonly issuer: string;
  /** Acceptable `aud` values (one must match). Undefined skips the check: only for the issuer's own introspection. */
  readonly audience: string | readonly string[] | undefined;
  /** Algorithms accepted: the allow-list. */
  readonly algorithms: readonly JwtAlgorithm[];
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
  readonly clockTolerance: number;
  readonly resolveKey: ResolveVerifyKey;
}

/** A verified token and the key that verified it. */
export interface VerifiedJwt {
  readonly claims: JwtAccessTokenClaims;
  /** The header's `kid`, if any. */
  readonly kid: string | undefined;
  /** The header's `alg` (one the verifier accepts). */
  readonly alg: JwtAlgorithm;
  readonly key: KeyObject;
}

/** How {@link JwtAccessTokenVerifier.verify} treats `exp`. */
export interface JwtVerifyOptions {
  /** Accept an expired token (revocation still wants its claims). Default: false. */
  readonly ignoreExpiration?: boolean;
}

/**
 * Verifies a JWT access token per RFC 9068 §4: `typ` is `at+jwt`, the algorithm is on the allow-list and is
 * the one bound to the key (so an HS256 token "signed" with an RSA public key never verifies), the signature,
 * `iss`, `aud`, `exp`, `nbf`, and the presence of every claim §2.2 requires. jsonwebtoken does the signature
 * and time checks.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export class JwtAccessTokenVerifier {
  /** Verify options per accepted algorithm, built once: the verify path allocates none per request. */
  private readonly optionsByAlg: ReadonlyMap<string, { readonly live: jwt.VerifyOptions; readonly expired: jwt.VerifyOptions }>;

  constructor(private readonly settings: JwtVerifierSettings) {
    const audience = settings.audience === undefined ? undefined : typeof settings.audience === 'string' ? settings.audience : [...settings.audience];
    const base: jwt.VerifyOptions = {
      issuer: settings.issuer,
      clockTolerance: settings.clockTolerance,
      ...(audience === undefined ? {} : { audience: audience as string | [string, ...string[]] }),
    };
    // One algorithm per key (signing-keys.ts): naming only the header's algorithm stops HS/RS confusion.
    this.optionsByAlg = new Map(
      settings.algorithms.map((alg) => [alg, { live: { ...base, algorithms: [alg] }, expired: { ...base, algorithms: [alg], ignoreExpiration: true } }]),
    );
  }

  /** The verified claims; throws a {@link TokenRejection} saying why not. */
  async verify(token: string, options: JwtVerifyOptions = {}): Promise<JwtAccessTokenClaims> {
    return (await this.verifyWithKey(token, options)).claims;
  }

  /** Like {@link JwtAccessTokenVerifier.verify}, and tells which key verified the signature (for a cache). */
  async verifyWithKey(token: string, options: JwtVerifyOptions = {}): Promise<VerifiedJwt> {
    if (!looksLikeJwt(token)) throw new TokenRejection('the access token is malformed');
    const header = readHeader(token);
    const verifyOptions = typeof header.alg === 'string' ? this.optionsByAlg.get(header.alg) : undefined;
    if (verifyOptions === undefined) {
      throw new TokenRejection('the access token is signed with an algorithm that is not accepted', `alg ${String(header.alg).slice(0, 20)}`);
    }
    if (!isAccessTokenType(header.typ)) {
      throw new TokenRejection('the token is not a JWT access token (typ must be at+jwt)');
    }
    const alg = header.alg as JwtAlgorithm;
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const key = await this.settings.resolveKey(kid, alg);
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, options.ignoreExpiration ? verifyOptions.expired : verifyOptions.live);
    } catch (err) {
      throw rejection(err);
    }
    if (typeof payload !== 'object' || payload === null) throw new TokenRejection('the access token is malformed');
    checkRequiredClaims(payload);
    return { claims: payload as JwtAccessTokenClaims, kid, alg, key };
  }

  /**
   * Checks again what can change after a successful {@link JwtAccessTokenVerifier.verifyWithKey}, for a token
   * remembered by a cache: its key is looked up again (a key that is gone throws the rejection a full
   * verification gives), then `nbf` and `exp` are checked against the clock with the same tolerance and the
   * same rejections as jsonwebtoken's checks. False when the lookup now gives another key: verify again.
   */
  recheck(verified: Omit<VerifiedJwt, 'claims'> & { readonly exp: number; readonly nbf: number | undefined }): boolean | Promise<boolean> {
    const resolved = this.settings.resolveKey(verified.kid, verified.alg);
    if (resolved instanceof KeyObject) return resolved === verified.key && this.checkTimes(verified.exp, verified.nbf);
    return resolved.then((key) => key === verified.key && this.checkTimes(verified.exp, verified.nbf));
  }

  // jsonwebtoken's order and arithmetic (verify.js): nbf first, then exp, both in whole seconds of Date.now().
  private checkTimes(exp: number, nbf: number | undefined): true {
    const now = Math.floor(Date.now() / 1000);
    const tolerance = this.settings.clockTolerance;
    if (nbf !== undefined && nbf > now + tolerance) throw new TokenRejection('the access token is not valid yet');
    if (now >= exp + tolerance) throw new TokenRejection('the access token expired');
    return true;
  }
}

function readHeader(token: string): Record<string, unknown> {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
    if (typeof header === 'object' && header !== null && !Array.isArray(header)) return header as Record<string, unknown>;
  } catch {
    // fall through to the rejection
  }
  throw new TokenRejection('the access token is malformed');
}

// RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat and jti are REQUIRED; jsonwebtoken checks only what is present.
function checkRequiredClaims(payload: jwt.JwtPayload): void {
  const missing =
    typeof payload.exp !== 'number' ? 'exp'
    : typeof payload.iat !== 'number' ? 'iat'
    : typeof payload.sub !== 'string' ? 'sub'
    : typeof payload.jti !== 'string' ? 'jti'
    : typeof payload.client_id !== 'string' ? 'client_id'
    : payload.aud === undefined ? 'aud'
    : payload.scope !== undefined && typeof payload.scope !== 'string' ? 'scope'
    : undefined;
  if (missing !== undefined) throw new TokenRejection(`the access token lacks a valid ${missing} claim`);
}

function rejection(err: unknown): TokenRejection {
  if (err instanceof jwt.TokenExpiredError) return new TokenRejection('the access token expired');
  if (err instanceof jwt.NotBeforeError) return new TokenRejection('the access token is not valid yet');
  const message = err instanceof Error ? err.message : '';
  if (message.startsWith('jwt issuer invalid')) return new TokenRejection('the access token was issued by another issuer');
  if (message.startsWith('jwt audience invalid')) return new TokenRejection('the access token is meant for another audience');
  if (message === 'invalid signature') return new TokenRejection('the access token signature is invalid');
  return new TokenRejection('the access token is invalid', message.slice(0, 100));
}
