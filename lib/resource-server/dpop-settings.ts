import { nonNegativeNumber, optionalBoolean, positiveNumber } from '../core/validate-option';
import type { Store } from '../store/store';
import type { BearerDpopOptions } from './bearer-options';
import type { ResourceDpopSettings } from './dpop-proof-check';
import { requestUrlFormer } from './dpop-request-url';
import { DEFAULT_DPOP_ALGORITHMS, DPOP_ALGORITHMS } from '../dpop/verify-dpop-proof';

// RFC 9449 §4.2: "MUST NOT be none or an identifier for a symmetric algorithm (MAC)": the verifier implements
// asymmetric algorithms only, and a route may choose among them.
const ALLOWED = new Set(DPOP_ALGORITHMS);

/** The proof settings a check starts from: the server's `dpop` settings in the same process, else the defaults. */
export interface DpopDefaults {
  readonly algorithms: readonly string[];
  readonly maxAgeSeconds: number;
  readonly clockSkewSeconds: number;
}

/** Used where neither the route nor the server says otherwise. */
// The token endpoint's defaults (options.dpop.proofMaxAge, clockSkew): a proof is made for one request, just before it.
export const RESOURCE_DPOP_DEFAULTS: DpopDefaults = { algorithms: DEFAULT_DPOP_ALGORITHMS, maxAgeSeconds: 60, clockSkewSeconds: 5 };

/**
 * Resolves a check's `dpop` option once, when the route is built: `undefined` when DPoP is off (the option
 * `false`, or absent while `enabledByDefault` is false), else the settings, every bad value a `TypeError`
 * naming the option.
 */
export function resourceDpopSettings(
  option: boolean | BearerDpopOptions | undefined,
  context: { readonly defaults: DpopDefaults; readonly enabledByDefault: boolean; readonly store: () => Store },
  name: string,
): ResourceDpopSettings | undefined {
  if (option === false || (option === undefined && !context.enabledByDefault)) return undefined;
  if (option !== undefined && option !== true && (typeof option !== 'object' || option === null || Array.isArray(option))) {
    throw new TypeError(`${name} must be a boolean or an object`);
  }
  const o: BearerDpopOptions = typeof option === 'object' ? option : {};
  const algorithms = o.algorithms ?? context.defaults.algorithms;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((a) => typeof a !== 'string' || !ALLOWED.has(a))) {
    throw new TypeError(`${name}.algorithms must be a non-empty list of asymmetric JWS algorithms (${[...ALLOWED].join(', ')})`);
  }
  return {
    required: optionalBoolean(o.required, `${name}.required`) ?? false,
    proof: {
      algorithms: Object.freeze([...algorithms]),
      maxAgeSeconds: positiveNumber(o.maxAge, `${name}.maxAge`) ?? context.defaults.maxAgeSeconds,
      clockSkewSeconds: nonNegativeNumber(o.clockSkew, `${name}.clockSkew`) ?? context.defaults.clockSkewSeconds,
    },
    requestUrl: requestUrlFormer(o, name),
    store: context.store(),
  };
}
