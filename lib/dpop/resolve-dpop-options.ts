import { randomBytes } from 'node:crypto';
import { deriveKey, KEY_LABELS } from '../crypto/derive-key';
import { knownKeys, optionalBoolean, optionalObject, positiveInteger, nonNegativeInteger } from '../core/validate-option';
import type { DpopOptions } from '../options/types';
import { DpopNonces } from './dpop-nonces';
import { DEFAULT_DPOP_ALGORITHMS, DPOP_ALGORITHMS, type DpopProofSettings } from './verify-dpop-proof';

/**
 * DPoP as the token endpoint runs it, built once from the `dpop` option.
 *
 * @example
 * ```ts
 * const dpop = resolveDpopOptions({ nonce: true }, { issuer: 'https://auth.example', mountPath: '/oauth2', secret, sharedStore: true });
 * dpop?.tokenEndpointUrl; // 'https://auth.example/oauth2/token'
 * ```
 */
export interface DpopSettings {
  readonly proof: DpopProofSettings;
  /** The `htu` every token request's proof must carry. */
  readonly tokenEndpointUrl: string;
  /** Present when server nonces are on. */
  readonly nonces: DpopNonces | undefined;
  /** Every client must send a proof. */
  readonly requireForAllClients: boolean;
}

const NAMES = { algorithms: true, proofMaxAge: true, clockSkew: true, nonce: true, requireForAllClients: true } as const satisfies Record<keyof DpopOptions, true>;

/**
 * Validates the `dpop` option (TypeErrors name the option) and fills in the defaults. `undefined`, DPoP off,
 * when the option is absent; giving it without an issuer (no token endpoint URL for `htu`) is an error.
 *
 * @example
 * ```ts
 * resolveDpopOptions(undefined, { issuer: undefined, mountPath: '', secret: undefined, sharedStore: false }); // undefined
 * ```
 */
export function resolveDpopOptions(
  value: DpopOptions | undefined,
  server: { readonly issuer: string | undefined; readonly mountPath: string; readonly secret: Buffer | undefined; readonly sharedStore: boolean },
): DpopSettings | undefined {
  const options = optionalObject(value, 'options.dpop') ?? {};
  knownKeys(options, NAMES, 'options.dpop');
  // Off unless asked for: the server's own bearer checks then take DPoP exactly when its token endpoint binds.
  if (value === undefined) return undefined;
  if (server.issuer === undefined) throw new TypeError('options.dpop needs options.issuer: a proof\'s htu is the token endpoint URL, issuer + mountPath + "/token"');
  const algorithms = options.algorithms ?? DEFAULT_DPOP_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((a) => typeof a !== 'string' || !DPOP_ALGORITHMS.includes(a))) {
    throw new TypeError(`options.dpop.algorithms must list asymmetric JWS algorithms among ${DPOP_ALGORITHMS.join(', ')} (never none or HS*)`);
  }
  const maxAgeSeconds = positiveInteger(options.proofMaxAge, 'options.dpop.proofMaxAge') ?? 60;
  const clockSkewSeconds = nonNegativeInteger(options.clockSkew, 'options.dpop.clockSkew') ?? 5;
  const requireForAllClients = optionalBoolean(options.requireForAllClients, 'options.dpop.requireForAllClients') ?? false;
  return {
    proof: Object.freeze({ algorithms: Object.freeze([...new Set(algorithms)]), maxAgeSeconds, clockSkewSeconds }),
    tokenEndpointUrl: `${server.issuer.replace(/\/$/, '')}${server.mountPath}/token`,
    nonces: resolveNonces(options.nonce, server.secret, server.sharedStore),
    requireForAllClients,
  };
}

function resolveNonces(value: DpopOptions['nonce'], secret: Buffer | undefined, sharedStore: boolean): DpopNonces | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new TypeError('options.dpop.nonce must be a boolean or { windowSeconds }');
  }
  const settings = value === true ? {} : value;
  knownKeys(settings, { windowSeconds: true }, 'options.dpop.nonce');
  const windowSeconds = positiveInteger(settings.windowSeconds, 'options.dpop.nonce.windowSeconds') ?? 300;
  // Instances sharing a store are one server: a nonce one hands out must be accepted by the others.
  if (secret === undefined && sharedStore) throw new TypeError('options.secret is required with a shared store and options.dpop.nonce: it derives the nonce key every instance must share');
  return new DpopNonces(secret === undefined ? randomBytes(32) : deriveKey(secret, KEY_LABELS.dpopNonce), windowSeconds);
}
