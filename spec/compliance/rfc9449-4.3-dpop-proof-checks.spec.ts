// RFC 9449 §4.3: "To validate a DPoP proof, the receiving server MUST ensure the following:
//  1. There is not more than one DPoP HTTP request header field.
//  2. The DPoP HTTP request header field value is a single and well-formed JWT.
//  3. All required claims per Section 4.2 are contained in the JWT.
//  4. The typ JOSE Header Parameter has the value dpop+jwt.
//  5. The alg JOSE Header Parameter indicates a registered asymmetric digital signature algorithm
//     [IANA.JOSE.ALGS], is not none, is supported by the application, and is acceptable per local policy.
//  6. The JWT signature verifies with the public key contained in the jwk JOSE Header Parameter.
//  7. The jwk JOSE Header Parameter does not contain a private key.
//  8. The htm claim matches the HTTP method of the current request.
//  9. The htu claim matches the HTTP URI value for the HTTP request in which the JWT was received, ignoring
//     any query and fragment parts.
// 10. If the server provided a nonce value to the client, the nonce claim matches the server-provided nonce
//     value.
// 11. The creation time of the JWT, as determined by either the iat claim or a server managed timestamp via
//     the nonce claim, is within an acceptable window (see Section 11.1).
// 12. If presented to a protected resource in conjunction with an access token,
//     * ensure that the value of the ath claim equals the hash of that access token, and
//     * confirm that the public key to which the access token is bound matches the public key from the DPoP
//       proof."
// §11.1: "the server MUST check that the jti value has not been used before" within the window; the verifier
// hands the caller a bounded replay id for Store.useOnce. Checks 10 and the replay cache need state and are
// exercised end to end in rfc9449-4.3-token-endpoint and rfc9449-8-nonce; here the verifier returns what they
// need. The proofs are made with jose, a library nobody here wrote.
import { createHash, generateKeyPairSync, KeyObject, sign as nodeSign } from 'node:crypto';
import * as jose from 'jose';
import { memoryStore } from '../../lib';
import { InvalidDpopProofError } from '../../lib/errors/dpop-errors';
import { verifyDpopProof, type DpopProofSettings } from '../../lib/dpop/verify-dpop-proof';
import { jwkThumbprint } from '../../lib/crypto/jwk-thumbprint';

const HTU = 'https://auth.internal.example/oauth/token';
const NOW = 1_800_000_000;
const SETTINGS: DpopProofSettings = { algorithms: ['ES256', 'EdDSA', 'RS256', 'PS256'], maxAgeSeconds: 300, clockSkewSeconds: 5, now: () => NOW };

interface Proof {
  alg?: string;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  omit?: string[];
}

let es256: jose.GenerateKeyPairResult;
let es256Jwk: jose.JWK;

beforeAll(async () => {
  es256 = await jose.generateKeyPair('ES256', { extractable: true });
  es256Jwk = await jose.exportJWK(es256.publicKey);
});

async function proof(p: Proof = {}, keys: jose.GenerateKeyPairResult = es256): Promise<string> {
  const alg = p.alg ?? 'ES256';
  const jwk = keys === es256 ? es256Jwk : await jose.exportJWK(keys.publicKey);
  const claims: Record<string, unknown> = { jti: `jti-${Math.random()}`, htm: 'POST', htu: HTU, iat: NOW, ...p.claims };
  for (const name of p.omit ?? []) delete claims[name];
  return new jose.SignJWT(claims).setProtectedHeader({ alg, typ: 'dpop+jwt', jwk, ...p.header } as jose.JWTHeaderParameters).sign(keys.privateKey);
}

function reason(header: string | readonly string[] | undefined, expect = { htm: 'POST', htu: HTU } as Parameters<typeof verifyDpopProof>[1], settings = SETTINGS): string {
  try {
    verifyDpopProof(header, expect, settings);
  } catch (err) {
    expect_(err).toBeInstanceOf(InvalidDpopProofError);
    const e = err as InvalidDpopProofError;
    expect_(e.code).toBe('invalid_dpop_proof');
    expect_(e.status).toBe(400);
    return e.description ?? '';
  }
  return 'accepted';
}
const expect_ = expect;

/** A compact JWS signed with node's crypto, for headers jose refuses to write. */
function rawJws(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject | undefined, digest: string | null = 'sha256', dsa = true): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const c = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = key === undefined ? Buffer.alloc(0) : nodeSign(digest, Buffer.from(`${h}.${c}`), dsa ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${h}.${c}.${sig.toString('base64url') || 'AA'}`;
}

describe('RFC 9449 §4.3 checking DPoP proofs', () => {
  it('accepts a good proof from each default algorithm and names its key by the RFC 7638 thumbprint jose computes', async () => {
    for (const alg of ['ES256', 'EdDSA', 'RS256', 'PS256']) {
      const keys = await jose.generateKeyPair(alg, { extractable: true });
      const jwk = await jose.exportJWK(keys.publicKey);
      const verified = verifyDpopProof(await proof({ alg, claims: { jti: 'j-1' } }, keys), { htm: 'POST', htu: HTU }, SETTINGS);
      expect(verified).toEqual({
        jkt: await jose.calculateJwkThumbprint(jwk, 'sha256'),
        jti: 'j-1',
        iat: NOW,
        nonce: undefined,
        replayId: createHash('sha256').update(`${verified.jkt}\0j-1`).digest('base64url'),
        replayTtlSeconds: 305,
      });
    }
  });

  it('RFC 7638 §3.1: the thumbprint of the RFC\'s example RSA key', () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    expect(jwkThumbprint({ kty: 'RSA', n, e: 'AQAB', alg: 'RS256', kid: '2011-04-29' })).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('check 1 "There is not more than one DPoP HTTP request header field"', async () => {
    const one = await proof();
    expect(reason([one, await proof()])).toBe('the request must carry exactly one DPoP header');
    // Node joins repeated unknown headers with ", ".
    expect(reason(`${one}, ${await proof()}`)).toBe('the request must carry exactly one DPoP header');
    expect(reason([])).toBe('the request must carry exactly one DPoP header');
    expect(reason([one])).toBe('accepted');
    expect(reason(undefined)).toBe('a DPoP proof is required');
  });

  it('check 2 "The DPoP HTTP request header field value is a single and well-formed JWT"', async () => {
    expect(reason('not-a-jwt')).toBe('the DPoP proof is not a well-formed JWT');
    expect(reason('a.b')).toBe('the DPoP proof is not a well-formed JWT');
    expect(reason('a.b.c.d.e')).toBe('the DPoP proof is not a well-formed JWT');
    expect(reason(`${await proof()}.${await proof()}`)).toBe('the DPoP proof is not a well-formed JWT');
    expect(reason(`${'a'.repeat(9000)}.b.c`)).toBe('the DPoP proof is not a well-formed JWT');
    const [, c, s] = (await proof()).split('.');
    expect(reason(`${Buffer.from('not json').toString('base64url')}.${c}.${s}`)).toBe('the DPoP proof header is not a JSON object');
    const [h] = (await proof()).split('.');
    expect(reason(`${h}.${Buffer.from('[1,2]').toString('base64url')}.${s}`)).toBe('the DPoP proof payload is not a JSON object');
  });

  it('check 3 "All required claims per Section 4.2 are contained in the JWT" (jti, htm, htu, iat; ath with an access token)', async () => {
    expect(reason(await proof({ omit: ['jti'] }))).toBe('the DPoP proof must have a jti');
    expect(reason(await proof({ claims: { jti: '' } }))).toBe('the DPoP proof must have a jti');
    expect(reason(await proof({ claims: { jti: 'x'.repeat(513) } }))).toBe('the DPoP proof must have a jti');
    expect(reason(await proof({ omit: ['htm'] }))).toBe('the DPoP proof must have an htm');
    expect(reason(await proof({ omit: ['htu'] }))).toBe('the DPoP proof must have an htu');
    expect(reason(await proof({ omit: ['iat'] }))).toBe('the DPoP proof must have a numeric iat');
    expect(reason(await proof({ claims: { iat: String(NOW) } }))).toBe('the DPoP proof must have a numeric iat');
    expect(reason(await proof({ claims: { nonce: 7 } }))).toBe('the DPoP proof nonce must be a string');
    expect(reason(await proof(), { htm: 'POST', htu: HTU, accessToken: 'at-1' })).toBe('the DPoP proof must have an ath for the access token');
  });

  it('check 4 "The typ JOSE Header Parameter has the value dpop+jwt"', async () => {
    expect(reason(await proof({ header: { typ: 'JWT' } }))).toBe('the DPoP proof must have typ "dpop+jwt"');
    expect(reason(await proof({ header: { typ: 'at+jwt' } }))).toBe('the DPoP proof must have typ "dpop+jwt"');
    expect(reason(await proof({ header: { typ: undefined } }))).toBe('the DPoP proof must have typ "dpop+jwt"');
  });

  it('check 5 "The alg JOSE Header Parameter indicates a registered asymmetric digital signature algorithm, is not none, is supported by the application, and is acceptable per local policy"', async () => {
    const jwk = es256Jwk;
    const claims = { jti: 'j', htm: 'POST', htu: HTU, iat: NOW };
    expect(reason(rawJws({ alg: 'none', typ: 'dpop+jwt', jwk }, claims, undefined))).toBe('the DPoP proof is signed with an algorithm that is not allowed');
    const hs = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk } as jose.JWTHeaderParameters).sign(new TextEncoder().encode('s'.repeat(32)));
    expect(reason(hs)).toBe('the DPoP proof is signed with an algorithm that is not allowed');
    // Even when a careless allow-list names them, the verifier implements neither.
    expect(reason(hs, undefined, { ...SETTINGS, algorithms: ['HS256', 'none'] })).toBe('the DPoP proof is signed with an algorithm that is not allowed');
    // Local policy: ES384 is implemented but not allowed here.
    const es384 = await jose.generateKeyPair('ES384');
    expect(reason(await proof({ alg: 'ES384' }, es384))).toBe('the DPoP proof is signed with an algorithm that is not allowed');
    expect(reason(await proof({ alg: 'ES384' }, es384), undefined, { ...SETTINGS, algorithms: ['ES384'] })).toBe('accepted');
    expect(reason(rawJws({ typ: 'dpop+jwt', jwk }, claims, KeyObject.from(es256.privateKey)))).toBe('the DPoP proof is signed with an algorithm that is not allowed');
    // The key must fit the algorithm: an Ed25519 key under an ES256 header.
    const ed = generateKeyPairSync('ed25519');
    const edJwk = ed.publicKey.export({ format: 'jwk' });
    expect(reason(rawJws({ alg: 'ES256', typ: 'dpop+jwt', jwk: edJwk }, claims, ed.privateKey, null, false))).toBe('the DPoP proof jwk does not fit its algorithm');
    // RSA keys under 2048 bits are refused (RFC 7518 §3.3).
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(reason(rawJws({ alg: 'RS256', typ: 'dpop+jwt', jwk: small.publicKey.export({ format: 'jwk' }) }, claims, small.privateKey, 'sha256', false))).toBe(
      'the DPoP proof jwk does not fit its algorithm',
    );
    // A public exponent other than 65537 is refused before any signature check: a stranger's key with a huge
    // exponent would make every verify of its proofs some 30 times dearer.
    const e3 = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
    expect(reason(rawJws({ alg: 'RS256', typ: 'dpop+jwt', jwk: e3.publicKey.export({ format: 'jwk' }) }, claims, e3.privateKey, 'sha256', false))).toBe(
      'the DPoP proof jwk does not fit its algorithm',
    );
    const normal = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const hugeE = { ...normal.publicKey.export({ format: 'jwk' }), e: Buffer.alloc(255, 0xab).toString('base64url') };
    expect(reason(rawJws({ alg: 'RS256', typ: 'dpop+jwt', jwk: hugeE }, claims, normal.privateKey, 'sha256', false))).toBe('the DPoP proof jwk does not fit its algorithm');
    expect(reason(rawJws({ alg: 'RS256', typ: 'dpop+jwt', jwk: normal.publicKey.export({ format: 'jwk' }) }, claims, normal.privateKey, 'sha256', false))).toBe('accepted');
    // RFC 7515 §4.1.11: a critical extension the server does not understand.
    expect(reason(rawJws({ alg: 'ES256', typ: 'dpop+jwt', jwk, crit: ['x'], x: 1 }, claims, KeyObject.from(es256.privateKey)))).toBe(
      'the DPoP proof has a critical header parameter this server does not understand',
    );
    // The raw signer itself makes proofs the verifier accepts.
    expect(reason(rawJws({ alg: 'ES256', typ: 'dpop+jwt', jwk }, claims, KeyObject.from(es256.privateKey)))).toBe('accepted');
  });

  it('check 6 "The JWT signature verifies with the public key contained in the jwk JOSE Header Parameter"', async () => {
    const [h, , s] = (await proof()).split('.');
    const forged = Buffer.from(JSON.stringify({ jti: 'j', htm: 'POST', htu: HTU, iat: NOW })).toString('base64url');
    expect(reason(`${h}.${forged}.${s}`)).toBe('the DPoP proof signature does not verify');
    const other = await jose.generateKeyPair('ES256');
    const signedByOther = await new jose.SignJWT({ jti: 'j', htm: 'POST', htu: HTU, iat: NOW })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: es256Jwk })
      .sign(other.privateKey);
    expect(reason(signedByOther)).toBe('the DPoP proof signature does not verify');
    expect(reason(`${h}.${forged}.AA`)).toBe('the DPoP proof signature does not verify');
  });

  it('check 7 "The jwk JOSE Header Parameter does not contain a private key"', async () => {
    const privateJwk = await jose.exportJWK(es256.privateKey);
    expect(privateJwk.d).toBeDefined();
    expect(reason(await proof({ header: { jwk: privateJwk } }))).toBe('the DPoP proof jwk must be a public key');
    expect(reason(await proof({ header: { jwk: { kty: 'oct', k: 'c2VjcmV0' } } }))).toBe('the DPoP proof jwk must be a public key');
    expect(reason(await proof({ header: { jwk: undefined } }))).toBe('the DPoP proof header must carry the public key as jwk');
    expect(reason(await proof({ header: { jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } } }))).toBe('the DPoP proof jwk is not a valid public key');
  });

  it('check 8 "The htm claim matches the HTTP method of the current request"', async () => {
    expect(reason(await proof({ claims: { htm: 'GET' } }))).toBe('the DPoP proof htm does not match the request method');
    expect(reason(await proof({ claims: { htm: 'post' } }))).toBe('the DPoP proof htm does not match the request method');
    expect(reason(await proof({ claims: { htm: 'GET' } }), { htm: 'GET', htu: HTU })).toBe('accepted');
  });

  it('check 9 "The htu claim matches the HTTP URI value for the HTTP request ..., ignoring any query and fragment parts"', async () => {
    expect(reason(await proof({ claims: { htu: 'https://auth.internal.example/oauth/revoke' } }))).toBe('the DPoP proof htu does not match the request URL');
    expect(reason(await proof({ claims: { htu: 'https://other.example/oauth/token' } }))).toBe('the DPoP proof htu does not match the request URL');
    expect(reason(await proof({ claims: { htu: 'http://auth.internal.example/oauth/token' } }))).toBe('the DPoP proof htu does not match the request URL');
    expect(reason(await proof({ claims: { htu: '/oauth/token' } }))).toBe('the DPoP proof htu does not match the request URL');
    expect(reason(await proof({ claims: { htu: `${HTU}?a=1#frag` } }))).toBe('accepted');
    expect(reason(await proof(), { htm: 'POST', htu: `${HTU}?b=2` })).toBe('accepted');
    // "servers SHOULD employ syntax-based normalization ... and scheme-based normalization ... before comparing"
    expect(reason(await proof({ claims: { htu: 'HTTPS://Auth.Internal.Example:443/oauth/./token' } }))).toBe('accepted');
  });

  it('check 10 "the nonce claim matches the server-provided nonce value": the verifier returns the nonce for the caller to compare', async () => {
    expect(verifyDpopProof(await proof({ claims: { nonce: 'n-1' } }), { htm: 'POST', htu: HTU }, SETTINGS).nonce).toBe('n-1');
    expect(verifyDpopProof(await proof(), { htm: 'POST', htu: HTU }, SETTINGS).nonce).toBeUndefined();
  });

  it('check 11 "The creation time of the JWT ... is within an acceptable window"', async () => {
    // Window: iat in [now - maxAge - skew, now + skew].
    expect(reason(await proof({ claims: { iat: NOW - 306 } }))).toBe('the DPoP proof has expired');
    expect(reason(await proof({ claims: { iat: NOW - 305 } }))).toBe('accepted');
    expect(reason(await proof({ claims: { iat: NOW + 6 } }))).toBe('the DPoP proof iat is in the future');
    expect(reason(await proof({ claims: { iat: NOW + 5 } }))).toBe('accepted');
    // The replay cache must hold the jti exactly as long as the proof stays acceptable.
    expect(verifyDpopProof(await proof({ claims: { iat: NOW - 300 } }), { htm: 'POST', htu: HTU }, SETTINGS).replayTtlSeconds).toBe(5);
    expect(verifyDpopProof(await proof({ claims: { iat: NOW + 5 } }), { htm: 'POST', htu: HTU }, SETTINGS).replayTtlSeconds).toBe(310);
    expect(verifyDpopProof(await proof({ claims: { iat: NOW - 305 } }), { htm: 'POST', htu: HTU }, SETTINGS).replayTtlSeconds).toBe(1);
  });

  it('check 12 "ensure that the value of the ath claim equals the hash of that access token"', async () => {
    const accessToken = 'kt_at_example-token';
    const ath = createHash('sha256').update(accessToken).digest('base64url');
    expect(reason(await proof({ claims: { htm: 'GET', ath } }), { htm: 'GET', htu: HTU, accessToken })).toBe('accepted');
    expect(reason(await proof({ claims: { htm: 'GET', ath } }), { htm: 'GET', htu: HTU, accessToken: `${accessToken}x` })).toBe('the DPoP proof ath does not match the access token');
    expect(reason(await proof({ claims: { htm: 'GET', ath: 7 } }), { htm: 'GET', htu: HTU, accessToken })).toBe('the DPoP proof must have an ath for the access token');
  });

  it('check 12 "confirm that the public key to which the access token is bound matches the public key from the DPoP proof"', async () => {
    const jkt = await jose.calculateJwkThumbprint(es256Jwk, 'sha256');
    expect(reason(await proof(), { htm: 'POST', htu: HTU, jkt })).toBe('accepted');
    const other = await jose.generateKeyPair('ES256');
    expect(reason(await proof({}, other), { htm: 'POST', htu: HTU, jkt })).toBe('the DPoP proof key is not the key the token is bound to');
  });

  it('§11.1 "the server MUST check that the jti value has not been used before": the replay id, through Store.useOnce', async () => {
    const store = memoryStore();
    const header = await proof({ claims: { jti: 'once' } });
    const first = verifyDpopProof(header, { htm: 'POST', htu: HTU }, SETTINGS);
    const again = verifyDpopProof(header, { htm: 'POST', htu: HTU }, SETTINGS);
    expect(again.replayId).toBe(first.replayId);
    expect(first.replayId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await store.useOnce('dpop', first.replayId, first.replayTtlSeconds)).toBe(true);
    expect(await store.useOnce('dpop', again.replayId, again.replayTtlSeconds)).toBe(false);
    // The same jti from another key is another proof.
    const other = verifyDpopProof(await proof({ claims: { jti: 'once' } }, await jose.generateKeyPair('ES256')), { htm: 'POST', htu: HTU }, SETTINGS);
    expect(other.replayId).not.toBe(first.replayId);
    await store.close();
  });

  it('never repeats the proof or its values in the error', async () => {
    const header = await proof({ claims: { jti: 'secret-jti-value', htm: 'GET', htu: 'https://evil.example/x' } });
    let caught: InvalidDpopProofError | undefined;
    try {
      verifyDpopProof(header, { htm: 'POST', htu: HTU }, SETTINGS);
    } catch (err) {
      caught = err as InvalidDpopProofError;
    }
    const shown = JSON.stringify({ message: caught?.message, description: caught?.description, detail: caught?.detail, headers: caught?.headers });
    for (const part of [header, 'secret-jti-value', 'evil.example', ...header.split('.')]) expect(shown).not.toContain(part);
  });
});
