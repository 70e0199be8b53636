import { InvalidTokenError, type DpopChallengeInit, resourceChallenge } from '../errors/bearer-errors';
import { InvalidDpopProofError } from '../errors/dpop-errors';
import { isOAuthError } from '../errors/oauth-error';
import { verifyDpopProof, type DpopProofSettings, type VerifiedDpopProof } from '../dpop/verify-dpop-proof';
import type { Store } from '../store/store';
import type { VerifiedToken } from './bearer-auth';
import type { BearerRequest, DpopChallenges } from './extract-token';
import type { RequestUrl } from './dpop-request-url';

/** What the bearer core needs to check DPoP at a resource, resolved once when the check is built. */
export interface ResourceDpopSettings {
  /** Bearer tokens refused: DPoP only. */
  readonly required: boolean;
  readonly proof: DpopProofSettings;
  readonly requestUrl: RequestUrl;
  /** Keeps used proof `jti`s: `useOnce('dpop', …)`, one round trip per request. */
  readonly store: Store;
}

/** The resource side of DPoP for one check: the challenges, and the per-request proof check and replay check. */
export interface ResourceDpop {
  readonly required: boolean;
  readonly challenges: DpopChallenges;
  /**
   * Checks the request's proof for `token` bound to `jkt` (RFC 9449 §4.3 checks 1–11, §7.1 key binding);
   * throws the 401 `invalid_dpop_proof` error with its challenge.
   */
  verifyProof(req: BearerRequest, token: string, jkt: string): VerifiedDpopProof;
  /** Records the proof's `jti`; rejects with `invalid_dpop_proof` when any instance sharing the store saw it (§11.1). */
  consume(proof: VerifiedDpopProof): Promise<void>;
}

/**
 * Builds the resource side of DPoP for a check with `realm`. Challenges are prepared here once; a failed
 * proof becomes 401 `invalid_dpop_proof` on the DPoP challenge (§7.1), with the verifier's description,
 * which never repeats the proof or the token.
 */
export function resourceDpop(settings: ResourceDpopSettings, realm: string): ResourceDpop {
  const algorithms = settings.proof.algorithms.join(' ');
  const bearer = !settings.required;
  const onDpop: DpopChallengeInit = { algorithms, bearer, scheme: 'DPoP' };
  const challenges: DpopChallenges = { onBearer: { dpop: { algorithms, bearer, scheme: 'Bearer' } }, onDpop: { dpop: onDpop } };
  const invalidProof = (description: string, detail?: string, cause?: unknown): InvalidDpopProofError =>
    new InvalidDpopProofError({
      status: 401,
      description,
      ...(detail === undefined ? {} : { detail }),
      ...(cause === undefined ? {} : { cause }),
      headers: { 'WWW-Authenticate': resourceChallenge({ realm, code: 'invalid_dpop_proof', description, dpop: onDpop }) },
    });
  const replayed = (): never => {
    throw invalidProof('the DPoP proof was already used');
  };
  const { store, requestUrl } = settings;

  return {
    required: settings.required,
    challenges,
    verifyProof(req, token, jkt) {
      const htu = requestUrl(req);
      if (htu === undefined) throw invalidProof('the DPoP proof cannot be checked', 'the request URL could not be formed (no Host header?)');
      try {
        return verifyDpopProof(req.headers.dpop, { htm: req.method, htu, accessToken: token, jkt }, settings.proof);
      } catch (err) {
        // The token endpoint's 400 becomes the resource's 401 with the DPoP challenge (§7.1).
        if (err instanceof InvalidDpopProofError) throw invalidProof(err.description ?? 'the DPoP proof is invalid', err.detail, err);
        if (isOAuthError(err)) throw err;
        throw invalidProof('the DPoP proof is invalid', 'the proof check failed unexpectedly', err);
      }
    },
    consume: (proof) => store.useOnce('dpop', proof.replayId, proof.replayTtlSeconds).then((first) => (first ? undefined : replayed())),
  };
}

/**
 * The DPoP key a verified token is bound to (RFC 9449 §6: `cnf.jkt` of a JWT or an introspection answer,
 * the stored record's `jkt` of an in-process opaque token), or `undefined` for a bearer token. A `cnf` this
 * check cannot confirm (no `jkt`, e.g. a certificate binding) refuses the token rather than letting it pass
 * as a bearer token.
 */
export function boundJkt(verified: VerifiedToken, realm: string, init: { readonly dpop?: DpopChallengeInit } | undefined): string | undefined {
  const cnf = (verified.claims as { readonly cnf?: unknown }).cnf;
  if (cnf === undefined) return undefined;
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as { readonly jkt?: unknown }).jkt : undefined;
  if (typeof jkt === 'string' && jkt !== '') return jkt;
  throw new InvalidTokenError({ realm, description: 'the access token is bound to a key this resource cannot confirm', ...init });
}
