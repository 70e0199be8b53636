import { createPublicKey, timingSafeEqual, verify as verifySignature, constants, type KeyObject, type JsonWebKey } from 'node:crypto';
import { jwkThumbprint } from '../crypto/jwk-thumbprint';
import { sha256, sha256Bytes } from '../crypto/sha256';
import { InvalidDpopProofError } from '../errors/dpop-errors';
import { ProofKeyCache } from './proof-key-cache';

/**
 * What the request a DPoP proof came with says the proof must match.
 *
 * @example
 * ```ts
 * const atTokenEndpoint: DpopProofExpectation = { htm: 'POST', htu: 'https://auth.internal.example/oauth/token' };
 * const atResource: DpopProofExpectation = { htm: 'GET', htu: 'https://reports.internal.example/v1/daily', accessToken, jkt: token.cnf.jkt };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export interface DpopProofExpectation {
  /** The request's method (§4.3 check 8); compared exactly, as methods are case-sensitive. */
  readonly htm: string;
  /** The request's absolute URL; its query and fragment are ignored (§4.3 check 9). */
  readonly htu: string;
  /** Resource requests: `ath` must be base64url(SHA-256(accessToken)) (§4.3 check 12). */
  readonly accessToken?: string;
  /** When the token is bound: the proof's key thumbprint must equal it (§4.3 check 12, §7.1). */
  readonly jkt?: string;
}

/**
 * How strict the verifier is. Built once from the server's `dpop` option, not per request.
 *
 * @example
 * ```ts
 * const settings: DpopProofSettings = { algorithms: ['ES256', 'EdDSA'], maxAgeSeconds: 300, clockSkewSeconds: 5 };
 * ```
 */
export interface DpopProofSettings {
  /** Allow-list of asymmetric JWS algorithms, a subset of {@link DPOP_ALGORITHMS}. */
  readonly algorithms: readonly string[];
  /** How old (by `iat`) a proof may be, in seconds. */
  readonly maxAgeSeconds: number;
  /** How far `iat` may lie in the future (and how much older than `maxAgeSeconds` a proof may be), in seconds. */
  readonly clockSkewSeconds: number;
  /** The clock, epoch seconds. Default: `Date.now() / 1000`. */
  readonly now?: () => number;
}

/**
 * A proof that passed every stateless check, with what the caller needs for the stateful ones: the replay
 * check (`store.useOnce('dpop', replayId, replayTtlSeconds)`) and, when nonces are on, `nonce`.
 *
 * @example
 * ```ts
 * const proof = verifyDpopProof(req.headers.dpop, { htm: 'POST', htu }, settings);
 * if (!(await store.useOnce('dpop', proof.replayId, proof.replayTtlSeconds))) throw new InvalidDpopProofError({ description: 'the DPoP proof was already used' });
 * ```
 */
export interface VerifiedDpopProof {
  /** RFC 7638 thumbprint of the proof's `jwk`, base64url: what tokens are bound to (`cnf.jkt`). */
  readonly jkt: string;
  /** The proof's `jti`. */
  readonly jti: string;
  /** The proof's `iat`, epoch seconds. */
  readonly iat: number;
  /** The proof's `nonce`, if it has one. */
  readonly nonce: string | undefined;
  /** A bounded id for the replay cache: base64url SHA-256 of `jkt \0 jti`, so a long `jti` costs no more. */
  readonly replayId: string;
  /** How long the replay cache must remember the proof: until its `iat` falls out of the window. */
  readonly replayTtlSeconds: number;
}

/**
 * Every JWS algorithm the verifier implements (all asymmetric, RFC 9449 §4.3 check 5). `none` and HS* are
 * not, and never will be, here. `EdDSA` and `Ed25519` (RFC 9864's fully specified name) accept Ed25519 keys,
 * `EdDSA` also Ed448.
 *
 * @example
 * ```ts
 * DPOP_ALGORITHMS.includes('ES256'); // true
 * DPOP_ALGORITHMS.includes('HS256'); // false
 * ```
 */
export const DPOP_ALGORITHMS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
]);

/**
 * The algorithms accepted when the `dpop.algorithms` option is not set.
 *
 * @example
 * ```ts
 * DEFAULT_DPOP_ALGORITHMS; // ['ES256', 'EdDSA', 'RS256', 'PS256']
 * ```
 */
export const DEFAULT_DPOP_ALGORITHMS: readonly string[] = Object.freeze(['ES256', 'EdDSA', 'RS256', 'PS256']);

// A proof is a header with one public key and five short claims; anything much larger is not one, and
// bounding it bounds the parsing work a stranger can ask for.
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 512;
// RFC 7517 §6.2.2, §6.3.2, §6.4: members only a private or symmetric key has.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface AlgorithmCheck {
  /** The digest for node's crypto.verify; undefined for EdDSA, which hashes itself. */
  readonly digest: string | undefined;
  readonly fits: (key: KeyObject) => boolean;
  readonly options: (key: KeyObject) => Parameters<typeof verifySignature>[2];
}

const ecCurve =
  (curve: string) =>
  (key: KeyObject): boolean =>
    key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve;
// RFC 7518 §3.3, §3.5: RSA keys of 2048 bits or more. A proof's key is the sender's choice, and verifying costs
// grow with the public exponent and the modulus: a 2048-bit key with a 2040-bit exponent takes some 30 times
// longer than one with 65537, so a stranger could make each proof expensive. Every client library uses 65537,
// and no one needs more than 8192 bits.
const rsa = (key: KeyObject): boolean => {
  const details = key.asymmetricKeyDetails;
  const bits = details?.modulusLength ?? 0;
  return key.asymmetricKeyType === 'rsa' && bits >= 2048 && bits <= 8192 && details?.publicExponent === 65537n;
};
// JWS ECDSA signatures are r || s (RFC 7518 §3.4), node's default is DER.
const ieee = (key: KeyObject): Parameters<typeof verifySignature>[2] => ({ key, dsaEncoding: 'ieee-p1363' });
const plain = (key: KeyObject): Parameters<typeof verifySignature>[2] => key;
// RFC 7518 §3.5: PSS with MGF1 over the same hash and a salt as long as the hash.
const pss = (key: KeyObject): Parameters<typeof verifySignature>[2] => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });

const ALGORITHMS: ReadonlyMap<string, AlgorithmCheck> = new Map<string, AlgorithmCheck>([
  ['ES256', { digest: 'sha256', fits: ecCurve('prime256v1'), options: ieee }],
  ['ES384', { digest: 'sha384', fits: ecCurve('secp384r1'), options: ieee }],
  ['ES512', { digest: 'sha512', fits: ecCurve('secp521r1'), options: ieee }],
  ['EdDSA', { digest: undefined, fits: (k) => k.asymmetricKeyType === 'ed25519' || k.asymmetricKeyType === 'ed448', options: plain }],
  ['Ed25519', { digest: undefined, fits: (k) => k.asymmetricKeyType === 'ed25519', options: plain }],
  ['RS256', { digest: 'sha256', fits: rsa, options: plain }],
  ['RS384', { digest: 'sha384', fits: rsa, options: plain }],
  ['RS512', { digest: 'sha512', fits: rsa, options: plain }],
  ['PS256', { digest: 'sha256', fits: rsa, options: pss }],
  ['PS384', { digest: 'sha384', fits: rsa, options: pss }],
  ['PS512', { digest: 'sha512', fits: rsa, options: pss }],
]);

/**
 * Checks one DPoP header value against RFC 9449 §4.3, every check that needs no state: one header (check 1),
 * a well-formed JWT (2) with the required claims (3), `typ` `dpop+jwt` (4), an allowed asymmetric `alg` (5),
 * a signature that verifies with the header's `jwk` (6), a public `jwk` (7), `htm` (8), `htu` (9), the `iat`
 * window (11), and, when `expect` says so, `ath` and the bound key (12). The caller does the two stateful
 * checks: the replay cache (`store.useOnce('dpop', proof.replayId, proof.replayTtlSeconds)`, §11.1) and the
 * nonce (check 10, see `dpop-nonces`). Throws {@link InvalidDpopProofError}, whose description never repeats
 * the proof.
 *
 * @example
 * ```ts
 * const proof = verifyDpopProof(req.headers.dpop, { htm: 'POST', htu: 'https://auth.internal.example/oauth/token' }, {
 *   algorithms: ['ES256', 'EdDSA'],
 *   maxAgeSeconds: 300,
 *   clockSkewSeconds: 5,
 * });
 * proof.jkt; // bind the new access token to this key
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export function verifyDpopProof(header: string | readonly string[] | undefined, expect: DpopProofExpectation, settings: DpopProofSettings): VerifiedDpopProof {
  const jws = singleHeader(header);
  const [encodedHeader, encodedPayload, encodedSignature] = jws.split('.') as [string, string, string];
  const protectedHeader = decodeJson(encodedHeader, 'header');
  const payload = decodeJson(encodedPayload, 'payload');

  // Check 4: typ. Compared exactly, as every DPoP client writes it.
  if (protectedHeader.typ !== 'dpop+jwt') throw invalid('the DPoP proof must have typ "dpop+jwt"');
  // Check 5: an allowed asymmetric algorithm; the allow-list never holds none or HS*.
  const alg = protectedHeader.alg;
  const check = typeof alg === 'string' && settings.algorithms.includes(alg) ? ALGORITHMS.get(alg) : undefined;
  if (check === undefined) throw invalid('the DPoP proof is signed with an algorithm that is not allowed');
  // RFC 7515 §4.1.11: an extension we must understand but do not.
  if (protectedHeader.crit !== undefined) throw invalid('the DPoP proof has a critical header parameter this server does not understand');
  const { key, jkt } = proofKey(encodedHeader, protectedHeader, check);

  // Check 6: the signature verifies with that key.
  const signature = Buffer.from(encodedSignature, 'base64url');
  let valid: boolean;
  try {
    valid = verifySignature(check.digest, Buffer.from(`${encodedHeader}.${encodedPayload}`, 'latin1'), check.options(key), signature);
  } catch {
    valid = false;
  }
  if (!valid) throw invalid('the DPoP proof signature does not verify');

  // Check 3: the claims of §4.2, each of its type.
  const { jti, htm, htu, iat, nonce, ath } = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw invalid('the DPoP proof must have a jti');
  if (typeof htm !== 'string') throw invalid('the DPoP proof must have an htm');
  if (typeof htu !== 'string') throw invalid('the DPoP proof must have an htu');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('the DPoP proof must have a numeric iat');
  if (nonce !== undefined && (typeof nonce !== 'string' || nonce.length === 0)) throw invalid('the DPoP proof nonce must be a string');
  if (expect.accessToken !== undefined && typeof ath !== 'string') throw invalid('the DPoP proof must have an ath for the access token');

  // Check 8: the method, exactly (RFC 9110 §9.1: methods are case-sensitive).
  if (htm !== expect.htm) throw invalid('the DPoP proof htm does not match the request method');
  // Check 9: the URL, without query and fragment, after RFC 3986 §6.2.2/§6.2.3 normalisation.
  const wanted = normalizedHtu(expect.htu);
  if (wanted === undefined || normalizedHtu(htu) !== wanted) throw invalid('the DPoP proof htu does not match the request URL');

  // Check 11: iat within the window; a little skew either way, since the client's clock is not ours.
  const now = settings.now?.() ?? Date.now() / 1000;
  if (iat > now + settings.clockSkewSeconds) throw invalid('the DPoP proof iat is in the future');
  const acceptableUntil = iat + settings.maxAgeSeconds + settings.clockSkewSeconds;
  if (acceptableUntil < now) throw invalid('the DPoP proof has expired');

  // Check 12: with an access token, ath is its hash and the key is the one it is bound to.
  if (expect.accessToken !== undefined && !sameString(ath as string, sha256(expect.accessToken))) {
    throw invalid('the DPoP proof ath does not match the access token');
  }
  if (expect.jkt !== undefined && !sameString(jkt, expect.jkt)) throw invalid('the DPoP proof key is not the key the token is bound to');

  return {
    jkt,
    jti,
    iat,
    nonce: nonce as string | undefined,
    replayId: sha256(`${jkt}\0${jti}`),
    replayTtlSeconds: Math.max(1, Math.ceil(acceptableUntil - now)),
  };
}

// Shared by every check in the process; see ProofKeyCache for why a bound of this size is enough.
const PROOF_KEYS = new ProofKeyCache(10_000);
const MAX_CACHED_HEADER = 2048;

/** Check 7 (the jwk is a public key, never a private or symmetric one) and the key's fit to `alg`, once per header. */
function proofKey(encodedHeader: string, protectedHeader: Record<string, unknown>, check: AlgorithmCheck): { readonly key: KeyObject; readonly jkt: string } {
  const known = PROOF_KEYS.get(encodedHeader);
  if (known !== undefined) return known;
  const jwk = protectedHeader.jwk;
  if (!isObject(jwk)) throw invalid('the DPoP proof header must carry the public key as jwk');
  if (PRIVATE_MEMBERS.some((m) => Object.hasOwn(jwk, m)) || jwk.kty === 'oct') throw invalid('the DPoP proof jwk must be a public key');
  let key: KeyObject;
  let jkt: string;
  try {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    jkt = jwkThumbprint(jwk);
  } catch {
    throw invalid('the DPoP proof jwk is not a valid public key');
  }
  if (!check.fits(key)) throw invalid('the DPoP proof jwk does not fit its algorithm');
  const imported = { key, jkt };
  // The largest keys allowed (RSA 4096) fit well within this; a bigger header is not worth keeping.
  if (encodedHeader.length <= MAX_CACHED_HEADER) PROOF_KEYS.set(encodedHeader, imported);
  return imported;
}

/** Check 1 (at most one DPoP header) and check 2 (a single well-formed compact JWS). */
function singleHeader(header: string | readonly string[] | undefined): string {
  if (header === undefined) throw invalid('a DPoP proof is required');
  if (typeof header !== 'string') {
    if (header.length !== 1) throw invalid('the request must carry exactly one DPoP header');
    header = header[0] as string;
  }
  // Node joins repeated headers it does not know with ", "; a compact JWS has no comma, so one means two headers.
  if (header.includes(',')) throw invalid('the request must carry exactly one DPoP header');
  const value = header.trim();
  if (value.length === 0) throw invalid('a DPoP proof is required');
  if (value.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(value)) throw invalid('the DPoP proof is not a well-formed JWT');
  return value;
}

function decodeJson(segment: string, part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isObject(value)) throw invalid(`the DPoP proof ${part} is not a JSON object`);
  return value;
}

function normalizedHtu(value: string): string | undefined {
  let url: URL;
  try {
    // WHATWG URL parsing lowercases scheme and host, drops the default port, resolves dot segments and
    // gives an empty path as "/": most of the syntax- and scheme-based normalisation §4.3 recommends.
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return `${url.origin}${url.pathname}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameString(a: string, b: string): boolean {
  const x = sha256Bytes(a);
  const y = sha256Bytes(b);
  return timingSafeEqual(x, y);
}

function invalid(description: string): InvalidDpopProofError {
  return new InvalidDpopProofError({ description });
}
