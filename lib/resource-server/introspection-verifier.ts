import { ServerError, TemporarilyUnavailableError } from '../errors/token-errors';
import { parseScope } from '../scope';
import { ExpiringMap } from '../store/expiring-map';
import { hashToken } from '../tokens/random-token';
import type { TokenVerifier, VerifiedToken } from './bearer-auth';
import { TokenRejection } from './token-rejection';

/** Settings of {@link introspectionVerifier}. */
export interface IntrospectionVerifierSettings {
  /** The introspection endpoint, or a function resolving it (after discovery). */
  readonly url: string | (() => Promise<string>);
  readonly clientId: string;
  readonly clientSecret: string;
  /** Seconds an answer is reused; active answers never beyond the token's `exp`. 0 disables the cache. */
  readonly cacheTtl: number;
  /** Most answers kept. */
  readonly cacheSize: number;
  readonly timeout: number;
  /** The expected `iss`, checked when the answer carries one. */
  readonly issuer: string;
  /** Acceptable `aud` values, checked when set and the answer carries `aud`. */
  readonly audience: readonly string[] | undefined;
  readonly clockTolerance: number;
}

const INACTIVE = new TokenRejection('the access token is not active');

/**
 * Verifies opaque tokens by asking the authorization server (RFC 7662), authenticating with
 * `client_secret_basic`. Answers are cached under the token's hash (never the token) for `cacheTtl` seconds,
 * active ones at most until the token's `exp`; concurrent checks of one token share one request.
 * A revoked token can therefore stay accepted for up to `cacheTtl`: that is the price of not calling the
 * issuer on every request.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export function introspectionVerifier(settings: IntrospectionVerifierSettings): TokenVerifier {
  // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
  const authorization = `Basic ${Buffer.from(`${formEncode(settings.clientId)}:${formEncode(settings.clientSecret)}`).toString('base64')}`;
  const cache = settings.cacheTtl > 0 ? new ExpiringMap<string, VerifiedToken | TokenRejection>(settings.cacheSize, () => Date.now()) : undefined;
  const inFlight = new Map<string, Promise<VerifiedToken>>();
  const audience = settings.audience === undefined ? undefined : new Set(settings.audience);

  async function introspect(token: string): Promise<{ result: VerifiedToken | TokenRejection; ttl: number }> {
    const url = typeof settings.url === 'string' ? settings.url : await settings.url();
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        signal: AbortSignal.timeout(settings.timeout),
      });
    } catch (err) {
      throw new TemporarilyUnavailableError({ description: 'the access token could not be checked', detail: 'introspection request failed', cause: err });
    }
    if (res.status !== 200) {
      const init = { description: 'the access token could not be checked', detail: `introspection answered ${res.status}` };
      throw res.status >= 500 ? new TemporarilyUnavailableError(init) : new ServerError(init);
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null) throw new ServerError({ detail: 'introspection answered with something other than a JSON object' });
    return judge(body);
  }

  function judge(body: Record<string, unknown>): { result: VerifiedToken | TokenRejection; ttl: number } {
    const now = Math.floor(Date.now() / 1000);
    if (body.active !== true) return { result: INACTIVE, ttl: settings.cacheTtl };
    // RFC 7662 §2.2: token_type says what was introspected; a refresh token is no access token. A DPoP-bound
    // access token is introspected as `DPoP` (RFC 9449 §6.2), its key in `cnf.jkt`, which the bearer core checks.
    const tokenType = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : undefined;
    if (tokenType !== undefined && tokenType !== 'bearer' && tokenType !== 'dpop') {
      return { result: new TokenRejection('the token is not an access token'), ttl: settings.cacheTtl };
    }
    // RFC 9449 §6.2 pairs the two: a DPoP token named without its key could only pass as a bearer token.
    if (tokenType === 'dpop' && body.cnf === undefined) {
      return { result: new TokenRejection('the access token is DPoP-bound but its key is not given'), ttl: settings.cacheTtl };
    }
    const exp = typeof body.exp === 'number' ? body.exp : undefined;
    if (exp !== undefined && exp + settings.clockTolerance <= now) return { result: new TokenRejection('the access token expired'), ttl: settings.cacheTtl };
    if (body.iss !== undefined && body.iss !== settings.issuer) {
      return { result: new TokenRejection('the access token was issued by another issuer'), ttl: settings.cacheTtl };
    }
    if (audience !== undefined && body.aud !== undefined) {
      const auds = Array.isArray(body.aud) ? body.aud : [body.aud];
      if (!auds.some((a) => typeof a === 'string' && audience.has(a))) {
        return { result: new TokenRejection('the access token is meant for another audience'), ttl: settings.cacheTtl };
      }
    }
    const clientId = typeof body.client_id === 'string' ? body.client_id : '';
    let scopes: string[] = [];
    try {
      scopes = typeof body.scope === 'string' ? parseScope(body.scope) : [];
    } catch {
      return { result: new TokenRejection('the access token has a malformed scope'), ttl: settings.cacheTtl };
    }
    const ttl = exp === undefined ? settings.cacheTtl : Math.min(settings.cacheTtl, exp - now);
    return { result: { clientId, sub: typeof body.sub === 'string' ? body.sub : clientId, scopes, claims: Object.freeze({ ...body }) }, ttl };
  }

  return (token) => {
    const key = hashToken(token);
    const cached = cache?.get(key);
    if (cached instanceof TokenRejection) return Promise.reject(cached);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = introspect(token)
        .then(({ result, ttl }) => {
          if (cache !== undefined && ttl > 0) cache.set(key, result, ttl * 1000);
          if (result instanceof TokenRejection) throw result;
          return result;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
