// The imported keys of DPoP proofs are kept by the proof's exact header text: a later proof of the same key
// skips the import, a header that differs in anything is checked afresh, and the cache is bounded.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ProofKeyCache } from '../../lib/dpop/proof-key-cache';
import { verifyDpopProof } from '../../lib/dpop/verify-dpop-proof';
import * as jose from 'jose';

const settings = { algorithms: ['ES256'], maxAgeSeconds: 60, clockSkewSeconds: 5 };
const expect_ = { htm: 'POST', htu: 'https://auth.example.com/oauth2/token' };

async function proof(privateKey: KeyObject, jwk: jose.JWK): Promise<string> {
  return new jose.SignJWT({ htm: 'POST', htu: expect_.htu, jti: crypto.randomUUID() })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
    .setIssuedAt()
    .sign(privateKey);
}

describe('DPoP proof keys, kept by header', () => {
  it('a second proof of one key verifies with the same thumbprint, and a header carrying a private member is refused even after its public twin was kept', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = await jose.exportJWK(publicKey);
    const first = verifyDpopProof(await proof(privateKey, jwk), expect_, settings);
    const second = verifyDpopProof(await proof(privateKey, jwk), expect_, settings);
    expect(second.jkt).toBe(first.jkt);
    const withPrivate = { ...jwk, d: (await jose.exportJWK(privateKey)).d };
    await expect(proof(privateKey, withPrivate).then((p) => verifyDpopProof(p, expect_, settings))).rejects.toMatchObject({ code: 'invalid_dpop_proof' });
  });

  it('a kept key does not vouch for a signature by another key', async () => {
    const owner = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const thief = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = await jose.exportJWK(owner.publicKey);
    verifyDpopProof(await proof(owner.privateKey, jwk), expect_, settings);
    await expect(proof(thief.privateKey, jwk).then((p) => verifyDpopProof(p, expect_, settings))).rejects.toMatchObject({ code: 'invalid_dpop_proof' });
  });

  it('holds at most its bound, dropping the oldest entry first', () => {
    const cache = new ProofKeyCache(2);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    cache.set('a', { key: publicKey, jkt: 'a' });
    cache.set('b', { key: publicKey, jkt: 'b' });
    cache.set('c', { key: publicKey, jkt: 'c' });
    expect([cache.get('a'), cache.get('b')?.jkt, cache.get('c')?.jkt]).toEqual([undefined, 'b', 'c']);
  });
});
