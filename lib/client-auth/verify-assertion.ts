import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Client, ClientStore } from '../clients/client';
import { openClientSecret } from '../clients/sealed-client-secret';
import { registeredHmacKey } from '../clients/hmac-keys';
import type { ClientAssertion } from '../core/request-state';
import { sha256 } from '../crypto/sha256';
import { TemporarilyUnavailableError } from '../errors/token-errors';
import type { Store } from '../store/store';
import { hmacKeyBytes, verifyAsymmetric, verifyHmac } from './assertion-algorithms';
import type { ClientKeys } from './client-keys';

/** What {@link createVerifyAssertion} checks assertions against; built once from the options. */
export interface AssertionSettings {
  readonly clients: ClientStore;
  readonly store: Store;
  readonly keys: ClientKeys;
  /** The `aud` values accepted at an endpoint (`token`, `revoke`, `introspect`); none without an issuer. */
  readonly audiences: (endpoint: string) => readonly string[];
  /** The allow-list for `private_key_jwt`. */
  readonly asymmetricAlgorithms: readonly string[];
  /** The allow-list for `client_secret_jwt`. */
  readonly hmacAlgorithms: readonly string[];
  readonly maxLifetimeSeconds: number;
  readonly clockSkewSeconds: number;
  /** Opens `clientSecretSealed`; `undefined` when the server has no `secret`. */
  readonly sealingKey: Buffer | undefined;
  readonly allowPlaintextSecrets: boolean;
  /** Epoch seconds. */
  readonly now?: () => number;
}

/** A JWT client assertion as presented: the method its `alg` calls for, decoded parts, the claimed id. */
export interface PresentedAssertion {
  readonly method: 'private_key_jwt' | 'client_secret_jwt';
  readonly clientId: string | undefined;
  readonly assertion: ClientAssertion | undefined;
}

/** The client, or why the assertion does not authenticate one (an `error_description`). */
export type AssertionVerdict = { readonly client: Client } | { readonly failure: string };

const FAILED = Object.freeze({ failure: 'client authentication failed' });

/**
 * Checks a JWT client assertion (RFC 7523 §3, OpenID Connect Core §9): the claims first, which costs no
 * lookup (`iss` = `sub` = the client, `aud` this server, `exp` present and near, `nbf`, `iat`, `jti`), then the
 * client and its registered method, the algorithm against the allow-list (and the client's pinned one), the
 * signature or MAC, and last the `jti`, once, in the store: only an assertion the client really signed takes a
 * place in the replay cache. An unknown client, a wrong method and a bad signature fail alike.
 * Rejects (not a verdict) when the client's keys cannot be fetched or the store fails.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export function createVerifyAssertion(settings: AssertionSettings): (presented: PresentedAssertion, endpoint: string, bodyClientId: string | undefined) => Promise<AssertionVerdict> {
  const now = settings.now ?? (() => Math.floor(Date.now() / 1000));
  const skew = settings.clockSkewSeconds;
  const hmacKeys = new WeakMap<Client, KeyObject | null>();

  const hmacKey = (client: Client): KeyObject | undefined => {
    const registered = registeredHmacKey(client);
    if (registered !== undefined) return registered;
    let key = hmacKeys.get(client);
    if (key === undefined) {
      const opened =
        client.clientSecretSealed !== undefined && settings.sealingKey !== undefined
          ? openClientSecret(client.clientId, client.clientSecretSealed, settings.sealingKey)
          : client.clientSecretSealed === undefined && settings.allowPlaintextSecrets && typeof client.clientSecret === 'string'
            ? Buffer.from(client.clientSecret, 'utf8')
            : undefined;
      key = opened === undefined ? null : createSecretKey(opened);
      hmacKeys.set(client, key);
    }
    return key ?? undefined;
  };

  const claimsFailure = (payload: Readonly<Record<string, unknown>>, endpoint: string, bodyClientId: string | undefined): string | undefined => {
    const { iss, sub, aud, exp, iat, nbf, jti } = payload;
    // §3 points 1 and 2, and §2.2 / OIDC Core §9: the client is both the issuer and the subject.
    if (typeof iss !== 'string' || iss === '') return 'the client assertion must have an iss claim';
    if (typeof sub !== 'string' || sub === '') return 'the client assertion must have a sub claim';
    if (iss !== sub) return 'the client assertion must have iss and sub both equal to the client_id';
    // RFC 7521 §4.2: a client_id sent beside the assertion must name the same client.
    if (bodyClientId !== undefined && bodyClientId !== sub) return 'client_id does not match the client assertion';
    // §3 point 3: this server's identity among the audiences, compared as plain strings.
    const accepted = settings.audiences(endpoint);
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? (aud as string[]) : undefined;
    if (audiences === undefined || !audiences.some((a) => accepted.includes(a))) return 'the client assertion is not meant for this server (aud)';
    // §3 point 4: exp is required; point 5: nbf; point 6: iat; each with the allowed clock skew.
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'the client assertion must have an exp claim';
    if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) return 'the client assertion has an invalid iat claim';
    if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) return 'the client assertion has an invalid nbf claim';
    const t = now();
    if (t >= exp + skew) return 'the client assertion has expired';
    if (typeof nbf === 'number' && nbf > t + skew) return 'the client assertion is not valid yet (nbf)';
    if (typeof iat === 'number' && iat > t + skew) return 'the client assertion was issued in the future (iat)';
    // "an exp unreasonably far in the future" (point 4): the lifetime is bounded, from iat or from now.
    if (exp - (typeof iat === 'number' ? iat : t) > settings.maxLifetimeSeconds + (typeof iat === 'number' ? 0 : skew)) {
      return `the client assertion lives longer than ${settings.maxLifetimeSeconds} seconds`;
    }
    // Point 7: Keyturn keeps every jti until exp, so it needs one (OIDC Core §9 makes it REQUIRED).
    if (typeof jti !== 'string' || jti === '' || jti.length > 512) return 'the client assertion must have a jti claim';
    return undefined;
  };

  const signatureValid = async (client: Client, presented: PresentedAssertion, assertion: ClientAssertion, alg: string): Promise<boolean> => {
    if (presented.method === 'client_secret_jwt') {
      const key = hmacKey(client);
      if (key === undefined || (key.symmetricKeySize ?? 0) < hmacKeyBytes(alg)) return false;
      return verifyHmac(alg, key, assertion.signingInput, assertion.signature);
    }
    const kid = assertion.header.kid;
    if (kid !== undefined && typeof kid !== 'string') return false;
    let candidates;
    try {
      candidates = await settings.keys.candidates(client, kid, alg);
    } catch (err) {
      throw new TemporarilyUnavailableError({ description: "the client's keys could not be fetched; retry later", detail: err instanceof Error ? err.message.slice(0, 200) : undefined, cause: err });
    }
    return candidates.some((candidate) => verifyAsymmetric(alg, candidate.key, assertion.signingInput, assertion.signature));
  };

  return async (presented, endpoint, bodyClientId) => {
    const assertion = presented.assertion;
    if (assertion === undefined) return { failure: 'the client assertion is not a signed JWT' };
    const { alg, crit } = assertion.header;
    // RFC 7515 §4.1.11: no extension is understood here, so any critical one fails.
    if (crit !== undefined) return { failure: 'the client assertion has critical header parameters this server does not understand' };
    const allowed = presented.method === 'client_secret_jwt' ? settings.hmacAlgorithms : settings.asymmetricAlgorithms;
    if (typeof alg !== 'string' || !allowed.includes(alg)) return { failure: 'the client assertion is signed with an algorithm that is not accepted' };
    const failure = claimsFailure(assertion.payload, endpoint, bodyClientId);
    if (failure !== undefined) return { failure };
    const clientId = assertion.payload.sub as string;
    const client = await settings.clients.findClient(clientId);
    if (client === undefined || client.tokenEndpointAuthMethod !== presented.method) return FAILED;
    if (client.tokenEndpointAuthSigningAlg !== undefined && client.tokenEndpointAuthSigningAlg !== alg) return FAILED;
    if (!(await signatureValid(client, presented, assertion, alg))) return FAILED;
    // §3 point 7, once across every instance sharing the store: a bounded id, kept until exp (plus the skew).
    const exp = assertion.payload.exp as number;
    const ttl = Math.max(1, Math.ceil(exp + skew - now()));
    const first = await settings.store.useOnce('client_assertion', sha256(`${clientId}\0${assertion.payload.jti as string}`), ttl);
    if (!first) return { failure: 'the client assertion was already used' };
    return { client };
  };
}
