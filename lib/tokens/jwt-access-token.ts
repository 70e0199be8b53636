import jwt from 'jsonwebtoken';
import { formatScope } from '../scope';
import type { AccessTokenClaims, AccessTokenFormat, IssuedAccessToken } from './access-token-format';
import { randomString } from './random-token';
import type { SigningKey, SigningKeys } from './signing-keys';

/** Settings of {@link JwtAccessTokenFormat}. */
export interface JwtAccessTokenSettings {
  /** `iss`: the server's issuer identifier. */
  readonly issuer: string;
  /** `aud`: the resource server(s) the tokens are for. */
  readonly audience: string | readonly string[];
}

/**
 * JWT access tokens per RFC 9068: self-contained, so resource servers verify them with the published keys
 * and no call back. Header `typ: at+jwt` and `kid`; claims iss, sub, aud, exp, iat, jti, client_id, scope,
 * `fid` (the grant family) for a token issued from a refresh token family or an authorization code, and
 * `cnf.jkt` (RFC 9449 §6.1) for a token bound to a DPoP key.
 * Signed by the key set's current key, whose KeyObject and sign options are built once.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2
 */
export class JwtAccessTokenFormat implements AccessTokenFormat {
  readonly name = 'jwt';
  // Built once per key, not per token; the key ring changes its current key at a rotation.
  private readonly signOptions = new WeakMap<SigningKey, jwt.SignOptions>();
  private readonly audience: string | readonly string[];

  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: JwtAccessTokenSettings,
  ) {
    // RFC 7519 §4.1.3: a single audience may be a plain string, which more resource servers understand.
    const list = typeof settings.audience === 'string' ? [settings.audience] : settings.audience;
    this.audience = list.length === 1 ? (list[0] as string) : Object.freeze([...list]);
  }

  async issue(claims: AccessTokenClaims, ttlSeconds: number): Promise<IssuedAccessToken> {
    const iat = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: this.settings.issuer,
      sub: claims.sub,
      // RFC 8707 §2: the token is restricted to the resources the client asked for, when it asked.
      aud: claims.resource === undefined || claims.resource.length === 0 ? this.audience : claims.resource.length === 1 ? claims.resource[0] : [...claims.resource],
      exp: iat + ttlSeconds,
      iat,
      // 128 random bits: unique per token, the handle revocation records.
      jti: claims.jti ?? randomString(16),
      client_id: claims.client.clientId,
    };
    if (claims.scope.length > 0) payload.scope = formatScope(claims.scope);
    // The grant family, so that revoking the family (reuse, code replay, RFC 7009 revocation of its refresh
    // token) refuses this token at once at the server's own checks, in the same lookup as the jti.
    if (claims.familyId !== undefined) payload.fid = claims.familyId;
    // RFC 9449 §6.1: the confirmation of the DPoP key the token is bound to.
    if (claims.jkt !== undefined) payload.cnf = { jkt: claims.jkt };
    // Awaited only while the key ring is first read: the token endpoint's hot path pays no extra tick.
    const pending = this.keys.whenReady();
    if (pending !== undefined) await pending;
    const key = this.keys.current;
    let options = this.signOptions.get(key);
    if (options === undefined) {
      options = { algorithm: key.alg, header: { alg: key.alg, typ: 'at+jwt', kid: key.kid } };
      this.signOptions.set(key, options);
    }
    const token = jwt.sign(payload, key.signKey!, options);
    return { token, expiresIn: ttlSeconds };
  }

  mintJwtId(): string {
    return randomString(16);
  }
}
